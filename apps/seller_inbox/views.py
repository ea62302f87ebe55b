"""The seller's pages: inbox, sent, a thread. All staff of a seller account share them."""

from django.contrib import messages as flash
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.conversations import selectors as conversation_selectors
from apps.conversations import services as conversation_services
from apps.conversations.exceptions import ConversationError, MessageBlocked, ThreadNotFound
from apps.conversations.forms import DraftCheckForm, MessageForm
from apps.conversations.models import Side, Thread
from apps.conversations.presentation import tell_sender
from apps.conversations.uploads import limit_message_uploads

from .access import seller_staff_required
from .forms import InboxFilterForm

SELLER = Side.SELLER
# What the shared conversation templates link to from the seller's pages.
PAGE_URLS = {
    "viewer_side": SELLER,
    "updates_url": "seller_inbox:thread_updates",
    "attachment_url": "seller_inbox:attachment",
    "check_url": "seller_inbox:check_draft",
}


def _thread_or_404(request, public_id: str) -> Thread:
    try:
        return conversation_selectors.access_thread(request.user, public_id, side=SELLER)
    except ThreadNotFound:
        raise Http404("No such conversation.") from None


@seller_staff_required
def inbox(request):
    form = InboxFilterForm(request.GET)
    filters = form.filters()
    page = conversation_selectors.seller_inbox_page(
        seller=request.seller, filters=filters, cursor=request.GET.get("after")
    )
    context = {
        "seller": request.seller,
        "form": form,
        "filters": filters,
        "page": page,
        "needs_response": conversation_selectors.needs_response_count(seller=request.seller),
        "query_without_cursor": _query_without_cursor(request),
    }
    return render(request, "seller_inbox/inbox.html", context)


@seller_staff_required
def sent(request):
    page = conversation_selectors.seller_sent_page(seller=request.seller, cursor=request.GET.get("after"))
    return render(request, "seller_inbox/sent.html", {"seller": request.seller, "page": page})


def _query_without_cursor(request) -> str:
    query = request.GET.copy()
    query.pop("after", None)
    return query.urlencode()


@limit_message_uploads
@seller_staff_required
def thread_detail(request, public_id: str):
    thread = _thread_or_404(request, public_id)
    refused = getattr(request, "upload_refused", None)
    form = MessageForm(request.POST or None, request.FILES or None, upload_refused=refused)
    blocked = None
    if request.method == "POST" and form.is_valid():
        try:
            posted = conversation_services.post_reply(
                thread=thread,
                author=request.user,
                side=SELLER,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except MessageBlocked as error:
            blocked = error
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            tell_sender(request, posted)
            return redirect("seller_inbox:thread", thread.public_id)
    conversation_services.mark_read(thread=thread, side=SELLER)
    context = {
        "thread": thread,
        "history": conversation_selectors.thread_messages(thread=thread, side=SELLER),
        "items": conversation_selectors.order_panel_items(thread),
        "form": form,
        "blocked": blocked,
        **PAGE_URLS,
    }
    return render(
        request, "seller_inbox/thread_detail.html", context, status=422 if request.method == "POST" else 200
    )


@require_POST
@seller_staff_required
def no_response_needed(request, public_id: str):
    thread = _thread_or_404(request, public_id)
    try:
        conversation_services.mark_no_response_needed(thread=thread, by=request.user)
    except ConversationError as error:
        flash.error(request, str(error))
    else:
        flash.success(request, "Marked “No response needed”.")
    return redirect("seller_inbox:thread", thread.public_id)


@seller_staff_required
def thread_updates(request, public_id: str):
    thread = _thread_or_404(request, public_id)
    after = request.GET.get("after", "")
    new = conversation_selectors.messages_after(thread=thread, side=SELLER, after=after)
    if new:
        conversation_services.mark_read(thread=thread, side=SELLER)
    return render(
        request,
        "conversations/includes/_updates.html",
        {"thread": thread, "new_messages": new, "after": new[-1].public_id if new else after, **PAGE_URLS},
    )


@seller_staff_required
def attachment(request, public_id: str, attachment_id: str):
    thread = _thread_or_404(request, public_id)
    try:
        found = conversation_selectors.attachment_for(thread=thread, attachment_id=attachment_id, side=SELLER)
    except ThreadNotFound:
        raise Http404("No such file.") from None
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.display_name,
        content_type=found.content_type,
    )


@require_POST
@seller_staff_required
def check_draft(request):
    form = DraftCheckForm(request.POST)
    text = form.data.get("body", "")
    verdict = conversation_services.check_draft(text=text, side=SELLER)
    return render(request, "conversations/includes/_policy_check.html", {"verdict": verdict, "text": text})

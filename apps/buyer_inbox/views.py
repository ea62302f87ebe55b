"""The buyer's pages: orders, contacting a seller, Your messages. No business logic here."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.conversations import selectors as conversation_selectors
from apps.conversations import services as conversation_services
from apps.conversations.exceptions import ConversationError, MessageBlocked, ThreadNotFound
from apps.conversations.forms import ContactSellerForm, DraftCheckForm, MessageForm
from apps.conversations.models import Side, Thread
from apps.conversations.presentation import tell_sender
from apps.conversations.uploads import limit_message_uploads
from apps.orders import selectors as order_selectors
from apps.orders.models import Order

BUYER = Side.BUYER
# What the shared conversation templates link to from the buyer's pages.
PAGE_URLS = {
    "viewer_side": BUYER,
    "updates_url": "buyer_inbox:thread_updates",
    "attachment_url": "buyer_inbox:attachment",
    "check_url": "buyer_inbox:check_draft",
}


def _order_or_404(request, number: str) -> Order:
    try:
        return order_selectors.buyer_order(buyer=request.user, number=number)
    except Order.DoesNotExist:
        raise Http404("No such order.") from None


def _thread_or_404(request, public_id: str) -> Thread:
    try:
        return conversation_selectors.access_thread(request.user, public_id, side=BUYER)
    except ThreadNotFound:
        raise Http404("No such conversation.") from None


@login_required
def order_list(request):
    page = order_selectors.buyer_orders_page(buyer=request.user, cursor=request.GET.get("after"))
    return render(request, "buyer_inbox/order_list.html", {"page": page})


@login_required
def order_detail(request, number: str):
    order = _order_or_404(request, number)
    thread = Thread.objects.filter(buyer=request.user, order=order).only("public_id").first()
    return render(request, "buyer_inbox/order_detail.html", {"order": order, "thread": thread})


@limit_message_uploads
@login_required
def contact_seller(request, number: str):
    order = _order_or_404(request, number)
    existing = Thread.objects.filter(buyer=request.user, order=order).only("public_id", "topic").first()
    refused = getattr(request, "upload_refused", None)
    form = ContactSellerForm(
        request.POST or None,
        request.FILES or None,
        upload_refused=refused,
        initial={"topic": existing.topic if existing else ""},
    )
    blocked = None
    if request.method == "POST" and form.is_valid():
        try:
            posted = conversation_services.contact_seller(
                buyer=request.user,
                order=order,
                topic=form.cleaned_data["topic"],
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except MessageBlocked as error:
            blocked = error
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            tell_sender(request, posted)
            return redirect("buyer_inbox:thread", posted.message.thread.public_id)
    return render(
        request,
        "buyer_inbox/contact_seller.html",
        {"order": order, "form": form, "existing": existing, "blocked": blocked, **PAGE_URLS},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def thread_list(request):
    page = conversation_selectors.buyer_threads_page(buyer=request.user, cursor=request.GET.get("after"))
    return render(request, "buyer_inbox/thread_list.html", {"page": page})


@limit_message_uploads
@login_required
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
                side=BUYER,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except MessageBlocked as error:
            blocked = error
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            tell_sender(request, posted)
            return redirect("buyer_inbox:thread", thread.public_id)
    conversation_services.mark_read(thread=thread, side=BUYER)
    context = {
        "thread": thread,
        "history": conversation_selectors.thread_messages(thread=thread, side=BUYER),
        "items": conversation_selectors.order_panel_items(thread),
        "form": form,
        "blocked": blocked,
        **PAGE_URLS,
    }
    return render(
        request, "buyer_inbox/thread_detail.html", context, status=422 if request.method == "POST" else 200
    )


@login_required
def thread_updates(request, public_id: str):
    """The live-update poll: messages newer than `after`, appended to the page by htmx."""
    thread = _thread_or_404(request, public_id)
    new = conversation_selectors.messages_after(thread=thread, side=BUYER, after=request.GET.get("after", ""))
    if new:
        conversation_services.mark_read(thread=thread, side=BUYER)
    last = new[-1].public_id if new else request.GET.get("after", "")
    return render(
        request,
        "conversations/includes/_updates.html",
        {"thread": thread, "new_messages": new, "after": last, **PAGE_URLS},
    )


@login_required
def attachment(request, public_id: str, attachment_id: str):
    thread = _thread_or_404(request, public_id)
    try:
        found = conversation_selectors.attachment_for(thread=thread, attachment_id=attachment_id, side=BUYER)
    except ThreadNotFound:
        raise Http404("No such file.") from None
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.display_name,
        content_type=found.content_type,
    )


@require_POST
@login_required
def check_draft(request):
    form = DraftCheckForm(request.POST)
    text = form.data.get("body", "")
    verdict = conversation_services.check_draft(text=text, side=BUYER)
    return render(request, "conversations/includes/_policy_check.html", {"verdict": verdict, "text": text})

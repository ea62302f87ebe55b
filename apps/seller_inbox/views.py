"""The seller's pages: inbox, sent, a thread. All staff of a seller account share them."""

from django.contrib import messages as flash
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.conversations import pages
from apps.conversations import selectors as conversation_selectors
from apps.conversations import services as conversation_services
from apps.conversations.exceptions import ConversationError, ThreadNotFound
from apps.conversations.models import Side, Thread
from apps.conversations.uploads import limit_message_uploads
from apps.moderation.reporting import report_view
from apps.moderation.selectors import seller_health
from apps.notifications.models import SellerAlertSettings
from apps.sla import selectors as sla_selectors

from .access import seller_staff_required
from .forms import InboxFilterForm

SELLER = Side.SELLER
# What the shared conversation templates link to from the seller's pages.
PAGE_URLS = {
    "viewer_side": SELLER,
    "updates_url": "seller_inbox:thread_updates",
    "attachment_url": "seller_inbox:attachment",
    "check_url": "seller_inbox:check_draft",
    "report_url": "seller_inbox:report",
    "thread_url": "seller_inbox:thread",
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
    deadlines = sla_selectors.inbox_deadline_counts(seller=request.seller)
    page = conversation_selectors.seller_inbox_page(
        seller=request.seller, filters=filters, cursor=request.GET.get("after")
    )
    context = {
        "seller": request.seller,
        "form": form,
        "filters": filters,
        "page": page,
        "deadlines": deadlines,
        "needs_response": deadlines.waiting,
        "alerts_on": SellerAlertSettings.objects.filter(seller=request.seller, buyer_messages=True).exists(),
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
    return pages.thread_page(
        request, thread=thread, side=SELLER, template="seller_inbox/thread_detail.html", urls=PAGE_URLS
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
    return pages.updates(request, thread=_thread_or_404(request, public_id), side=SELLER, urls=PAGE_URLS)


@seller_staff_required
def attachment(request, public_id: str, attachment_id: str):
    return pages.download(thread=_thread_or_404(request, public_id), attachment_id=attachment_id, side=SELLER)


@require_POST
@seller_staff_required
def check_draft(request):
    return pages.draft_check(request, side=SELLER)


@seller_staff_required
def report_message(request, public_id: str, message_id: str):
    thread = _thread_or_404(request, public_id)
    return report_view(
        request, thread=thread, message_id=message_id, side=SELLER, back_url_name="seller_inbox:thread"
    )


@seller_staff_required
def messaging_health(request):
    return render(request, "seller_inbox/messaging_health.html", seller_health(seller=request.seller))

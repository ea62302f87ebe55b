"""The buyer's pages: orders, contacting a seller, Your messages. No business logic here."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.conversations import pages
from apps.conversations import selectors as conversation_selectors
from apps.conversations import services as conversation_services
from apps.conversations.exceptions import ThreadNotFound
from apps.conversations.forms import ContactSellerForm
from apps.conversations.models import Side, Thread
from apps.conversations.uploads import limit_message_uploads
from apps.moderation.reporting import report_view
from apps.orders import selectors as order_selectors
from apps.orders.models import Order

BUYER = Side.BUYER
# What the shared conversation templates link to from the buyer's pages.
PAGE_URLS = {
    "viewer_side": BUYER,
    "updates_url": "buyer_inbox:thread_updates",
    "attachment_url": "buyer_inbox:attachment",
    "check_url": "buyer_inbox:check_draft",
    "report_url": "buyer_inbox:report",
    "thread_url": "buyer_inbox:thread",
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
    form = ContactSellerForm(
        request.POST or None,
        request.FILES or None,
        upload_refused=request.upload_refused,
        initial={"topic": existing.topic if existing else ""},
    )
    result = pages.compose(
        request,
        form=form,
        send=lambda data: conversation_services.contact_seller(
            buyer=request.user,
            order=order,
            topic=data["topic"],
            body=data["body"],
            attachments=data["attachments"],
        ),
    )
    if result.posted:
        return redirect("buyer_inbox:thread", result.posted.message.thread.public_id)
    context = {
        "order": order,
        "form": result.form,
        "existing": existing,
        "blocked": result.blocked,
        **PAGE_URLS,
    }
    return render(
        request, "buyer_inbox/contact_seller.html", context, status=422 if request.method == "POST" else 200
    )


@login_required
def thread_list(request):
    page = conversation_selectors.buyer_threads_page(buyer=request.user, cursor=request.GET.get("after"))
    return render(request, "buyer_inbox/thread_list.html", {"page": page})


@limit_message_uploads
@login_required
def thread_detail(request, public_id: str):
    thread = _thread_or_404(request, public_id)
    return pages.thread_page(
        request, thread=thread, side=BUYER, template="buyer_inbox/thread_detail.html", urls=PAGE_URLS
    )


@login_required
def thread_updates(request, public_id: str):
    return pages.updates(request, thread=_thread_or_404(request, public_id), side=BUYER, urls=PAGE_URLS)


@login_required
def attachment(request, public_id: str, attachment_id: str):
    return pages.download(thread=_thread_or_404(request, public_id), attachment_id=attachment_id, side=BUYER)


@require_POST
@login_required
def check_draft(request):
    return pages.draft_check(request, side=BUYER)


@login_required
def report_message(request, public_id: str, message_id: str):
    thread = _thread_or_404(request, public_id)
    return report_view(
        request, thread=thread, message_id=message_id, side=BUYER, back_url_name="buyer_inbox:thread"
    )

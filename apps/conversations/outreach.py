"""Messages a seller (or the marketplace) starts about an order: proactive and Important
messages under the proactive rules, and the marketplace's review request."""

from collections.abc import Sequence

from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.aliases.services import alias_for
from apps.orders.models import Order
from apps.policy import scan
from apps.policy.conf import context_for

from . import rules
from .exceptions import SendingNotAllowed
from .models import MessageKind, ReviewRequest, Side, Source, Thread, ThreadStatus, Topic
from .services import Posted, _announce_block, _gate, _screen, _store


def send_proactive(
    *,
    author: User,
    order: Order,
    reason: str,
    body: str,
    important: str = "",
    attachments: Sequence = (),
    source: str = Source.WEB,
) -> Posted:
    """A seller writes first about an order, under the proactive rules (rules.check_proactive)."""
    # The rules read the order's latest state.
    order = Order.objects.select_related("seller", "buyer").get(pk=order.pk)
    seller = order.seller
    hold = _gate(
        rules.check_standing(seller),
        rules.check_rate(author),
        rules.check_proactive(seller=seller, order=order, reason=reason, important=important),
    )
    text, verdict = _screen(body=body, attachments=attachments, side=Side.SELLER)
    hold |= _gate(
        rules.check_identical(seller=seller, buyer=order.buyer, text_fingerprint=rules.fingerprint(text))
    )
    if verdict.action == "block":
        _announce_block(
            author=author,
            side=Side.SELLER,
            seller=seller,
            thread=None,
            text=text,
            verdict=verdict,
            source=source,
        )
    with transaction.atomic():
        thread = _seller_thread_for_order(order=order, reason=important or reason)
        return _store(
            thread=thread,
            author=author,
            side=Side.SELLER,
            text=text,
            verdict=verdict,
            attachments=attachments,
            source=source,
            kind=MessageKind.IMPORTANT if important else MessageKind.PROACTIVE,
            force_hold=hold,
            reason=important or reason,
        )


def _seller_thread_for_order(*, order: Order, reason: str) -> Thread:
    """The order's thread (a buyer's thread is continued), or a new one started by the seller."""
    existing = (
        Thread.objects.select_for_update().filter(buyer=order.buyer, seller=order.seller, order=order).first()
    )
    if existing:
        return existing
    topic = Topic.SHIPPING if reason in ("shipping", "scheduling") else Topic.OTHER
    try:
        with transaction.atomic():
            return Thread.objects.create(
                buyer=order.buyer,
                seller=order.seller,
                buyer_alias=alias_for(buyer=order.buyer, seller=order.seller),
                order=order,
                topic=topic,
                subject=f"About your order {order.number}",
                started_by=Side.SELLER,
                # Nobody is waiting for an answer in a thread the seller started.
                status=ThreadStatus.RESPONDED,
            )
    except IntegrityError:
        # The buyer (or another staff member) opened the order's thread at the same moment.
        return Thread.objects.select_for_update().get(buyer=order.buyer, seller=order.seller, order=order)


REVIEW_REQUEST_TEXT = (
    "How was your order {order_number}? If you have a moment, you can rate the products and the "
    "seller on your orders page. Your honest opinion, good or bad, helps other buyers. "
    "This message was sent by the marketplace; no reply is needed."
)


def request_review(*, requested_by: User, order: Order) -> Posted:
    """The marketplace's fixed, neutral review request: once per order, day 5 to 30 after delivery."""
    order = Order.objects.select_related("seller", "buyer").get(pk=order.pk)
    _gate(rules.check_review_request(seller=order.seller, order=order))
    text = REVIEW_REQUEST_TEXT.format(order_number=order.number)
    verdict = scan("", context=context_for(Side.SELLER))  # the platform's own words: nothing to filter
    try:
        with transaction.atomic():
            thread = _seller_thread_for_order(order=order, reason="review")
            posted = _store(
                thread=thread,
                author=None,
                side=Side.SYSTEM,
                text=text,
                verdict=verdict,
                attachments=(),
                source=Source.SYSTEM,
                kind=MessageKind.REVIEW_REQUEST,
            )
            ReviewRequest.objects.create(order=order, requested_by=requested_by, message=posted.message)
    except IntegrityError:
        # Someone else requested it a moment ago: once is absolute.
        raise SendingNotAllowed(
            "A review was already requested for this order; it can be requested once."
        ) from None
    return posted

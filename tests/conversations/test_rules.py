"""The sending rules on both sides of every boundary, through the services (time-machine)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from apps.accounts.services import set_seller_opt_out, set_unsolicited_opt_out
from apps.conversations import outreach
from apps.conversations.exceptions import SendingNotAllowed
from apps.conversations.models import DeliveryState, Message, MessageKind, ReviewRequest, ThreadStatus
from apps.orders.services import advance_order
from tests.conftest import open_thread, reply
from tests.factories import make_buyer, make_order

pytestmark = pytest.mark.django_db

START = timezone.now().replace(microsecond=0)


def delivered_order(buyer, seller, *, at=START):
    """An order delivered at `at` (placed and shipped before)."""
    with time_machine.travel(at - timedelta(days=3), tick=False):
        order = make_order(buyer=buyer, seller=seller)
    advance_order(
        order=order, to_status="shipped", at=at - timedelta(days=2), carrier="UPS", tracking_number="1Z1"
    )
    return advance_order(order=order, to_status="delivered", at=at)


def proactive(order, author, **kwargs):
    return outreach.send_proactive(
        author=author,
        order=order,
        reason=kwargs.pop("reason", "setup"),
        body=kwargs.pop("body", "Here is how to set up your lamp."),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("after", "allowed"), [(timedelta(days=29, hours=23), True), (timedelta(days=30, hours=1), False)]
)
def test_proactive_messages_until_30_days_after_delivery(buyer, seller, seller_user, after, allowed):
    order = delivered_order(buyer, seller)
    with time_machine.travel(START + after, tick=False):
        if allowed:
            posted = proactive(order, seller_user)
            assert posted.message.kind == MessageKind.PROACTIVE
            assert posted.message.reason == "setup"
            assert posted.message.thread.status == ThreadStatus.RESPONDED  # nobody waits for an answer
        else:
            with pytest.raises(SendingNotAllowed, match="30 days after delivery"):
                proactive(order, seller_user)


def test_a_proactive_message_needs_a_reason_from_the_list(buyer, seller, seller_user):
    order = delivered_order(buyer, seller)
    with pytest.raises(SendingNotAllowed, match="reason"):
        proactive(order, seller_user, reason="promotion")


def test_an_opted_out_buyer_gets_no_proactive_message_but_does_get_important(buyer, seller, seller_user):
    order = delivered_order(buyer, seller)
    set_unsolicited_opt_out(buyer=buyer, opted_out=True)
    with pytest.raises(SendingNotAllowed, match="doesn't want unsolicited messages"):
        proactive(order, seller_user)
    posted = proactive(
        order, seller_user, reason="", important="recall", body="Recall: stop using the charger."
    )
    assert posted.message.kind == MessageKind.IMPORTANT
    assert posted.message.state == DeliveryState.DELIVERED


def test_a_per_seller_opt_out_blocks_only_that_seller(buyer, seller, seller_user, other_seller):
    set_seller_opt_out(buyer=buyer, seller=seller, opted_out=True)
    with pytest.raises(SendingNotAllowed):
        proactive(delivered_order(buyer, seller), seller_user)
    from tests.factories import seller_owner

    assert proactive(delivered_order(buyer, other_seller), seller_owner(other_seller)).message.pk


def test_replies_in_a_thread_the_buyer_started_are_always_allowed(buyer, seller, seller_user):
    order = delivered_order(buyer, seller)
    thread = open_thread(buyer=buyer, order=order).message.thread
    set_unsolicited_opt_out(buyer=buyer, opted_out=True)
    with time_machine.travel(START + timedelta(days=90)):
        assert reply(thread=thread, author=seller_user).message.state == DeliveryState.DELIVERED


def test_important_is_only_for_safety_recalls_and_critical_warranty(buyer, seller, seller_user):
    order = delivered_order(buyer, seller)
    with pytest.raises(SendingNotAllowed, match="product safety"):
        proactive(order, seller_user, reason="", important="new_collection")


def test_the_fourth_important_message_in_7_days_is_held(seller, seller_user):
    posted = []
    for index in range(4):
        order = delivered_order(make_buyer(), seller)
        posted.append(
            proactive(
                order,
                seller_user,
                reason="",
                important="safety",
                body=f"Safety notice {index}: do not charge overnight.",
            )
        )
    assert [p.held for p in posted] == [False, False, False, True]


def test_important_messages_older_than_7_days_do_not_count(seller, seller_user):
    for index in range(3):
        with time_machine.travel(START - timedelta(days=7, hours=1)):
            proactive(
                delivered_order(make_buyer(), seller, at=START - timedelta(days=8)),
                seller_user,
                reason="",
                important="safety",
                body=f"Old notice {index}",
            )
    assert not proactive(
        delivered_order(make_buyer(), seller), seller_user, reason="", important="safety", body="New notice"
    ).held


@pytest.mark.parametrize(
    ("after", "allowed"),
    [
        (timedelta(days=4, hours=23), False),
        (timedelta(days=5, hours=1), True),
        (timedelta(days=29, hours=23), True),
        (timedelta(days=30, hours=1), False),
    ],
)
def test_request_a_review_between_day_5_and_day_30(buyer, seller, seller_user, after, allowed):
    order = delivered_order(buyer, seller)
    with time_machine.travel(START + after, tick=False):
        if allowed:
            posted = outreach.request_review(requested_by=seller_user, order=order)
            assert posted.message.side == "system"
            assert posted.message.kind == MessageKind.REVIEW_REQUEST
            assert order.number in posted.message.body
        else:
            with pytest.raises(SendingNotAllowed):
                outreach.request_review(requested_by=seller_user, order=order)


def test_a_review_is_requested_once_per_order_even_for_opted_out_buyers(buyer, seller, seller_user):
    order = delivered_order(buyer, seller, at=START - timedelta(days=10))
    set_unsolicited_opt_out(buyer=buyer, opted_out=True)
    outreach.request_review(requested_by=seller_user, order=order)
    with pytest.raises(SendingNotAllowed, match="once"):
        outreach.request_review(requested_by=seller_user, order=order)
    assert ReviewRequest.objects.count() == 1


def test_no_review_request_for_returned_orders(buyer, seller, seller_user):
    order = delivered_order(buyer, seller, at=START - timedelta(days=10))
    advance_order(order=order, to_status="returned")
    with pytest.raises(SendingNotAllowed, match="returned or refunded"):
        outreach.request_review(requested_by=seller_user, order=order)


def test_the_same_text_to_more_than_20_buyers_is_held(seller, seller_user):
    text = "Thanks for your order! Let us know if anything is wrong."
    results = [
        proactive(delivered_order(make_buyer(), seller), seller_user, body=text).held for _ in range(22)
    ]
    assert results[:20] == [False] * 20
    assert results[20:] == [True, True]
    assert not proactive(delivered_order(make_buyer(), seller), seller_user, body="A personal note.").held


def sent_before(thread, author, count, *, at=None):
    """Messages the seller already sent (at `at`, else now), straight into the table."""
    for index in range(count):
        Message.objects.create(
            thread=thread,
            author=author,
            side="seller",
            state="delivered",
            body=f"m{index}",
            original_body=f"m{index}",
            created_at=at or timezone.now(),
        )


@pytest.mark.parametrize("sent", [9, 10])
def test_rate_limit_per_minute(settings, thread, seller_user, sent):
    settings.MESSAGING = {"SENDING": {"RATE_PER_MINUTE": 10, "RATE_PER_DAY": 200}}
    sent_before(thread, seller_user, sent)
    if sent < 10:
        assert reply(thread=thread, author=seller_user).message.pk
    else:
        with pytest.raises(SendingNotAllowed, match="send again at"):
            reply(thread=thread, author=seller_user)


def test_rate_limit_per_day_counts_only_the_last_24_hours(settings, thread, seller_user):
    settings.MESSAGING = {"SENDING": {"RATE_PER_MINUTE": 10, "RATE_PER_DAY": 5}}
    now = timezone.now()
    sent_before(thread, seller_user, 5, at=now - timedelta(hours=25))  # yesterday's do not count
    sent_before(thread, seller_user, 4, at=now - timedelta(hours=3))
    assert reply(thread=thread, author=seller_user).message.pk
    with pytest.raises(SendingNotAllowed, match="You have sent 5 messages in 24 hours") as refused:
        reply(thread=thread, author=seller_user)
    # The oldest of the five counted was sent three hours ago: it leaves the window 21 hours on.
    assert f"{(now + timedelta(hours=21)):%H:%M}" in str(refused.value)


def test_the_same_text_again_to_the_same_buyer_or_from_days_ago_is_not_a_mailing(seller, seller_user):
    text = "Your parcel is on its way, tracking follows by email."
    buyer = make_buyer()
    with time_machine.travel(START - timedelta(days=2), tick=False):
        for _ in range(25):  # two days ago: outside the 24-hour window
            proactive(
                delivered_order(make_buyer(), seller, at=START - timedelta(days=2)), seller_user, body=text
            )
    results = [proactive(delivered_order(buyer, seller), seller_user, body=text).held for _ in range(22)]
    assert results == [False] * 22


def test_a_suspended_seller_cannot_send_proactively(buyer, seller, seller_user, moderator):
    from apps.accounts.services import change_messaging_standing

    change_messaging_standing(seller=seller, standing="suspended", reason="spam", by=moderator)
    with pytest.raises(SendingNotAllowed, match="suspended"):
        proactive(delivered_order(buyer, seller), seller_user)

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.conversations import events, services
from apps.conversations.exceptions import EmptyMessage, InvalidStatusChange, MessageBlocked
from apps.conversations.models import DeliveryState, Message, Side, Thread, ThreadStatus
from tests.conftest import open_thread, reply
from tests.factories import make_order

pytestmark = pytest.mark.django_db


class Recorder:
    """Collects what a signal announced."""

    def __init__(self, signal):
        self.calls = []
        self.signal = signal

    def __call__(self, sender, **kwargs):
        self.calls.append(kwargs)

    def __enter__(self):
        self.signal.connect(self, weak=False)
        return self

    def __exit__(self, *exc):
        self.signal.disconnect(self)


def test_contacting_the_seller_opens_a_thread_that_needs_a_response(buyer, order):
    posted = open_thread(buyer=buyer, order=order, text="Where is my parcel?")
    thread = posted.message.thread
    assert thread.status == ThreadStatus.NEEDS_RESPONSE
    assert thread.started_by == Side.BUYER
    assert thread.seller_unread == 1
    assert thread.last_message_excerpt == "Where is my parcel?"
    assert thread.order == order
    assert posted.message.state == DeliveryState.DELIVERED


def test_contacting_again_about_the_same_order_continues_the_thread(buyer, order):
    first = open_thread(buyer=buyer, order=order, text="Where is my parcel?").message.thread
    second = open_thread(buyer=buyer, order=order, text="Any news?", topic="other").message.thread
    assert first.pk == second.pk
    assert Thread.objects.count() == 1
    assert second.seller_unread == 2
    assert second.topic == "shipping"  # a thread keeps the topic it was opened with


def test_another_order_with_the_same_seller_gets_its_own_thread(buyer, seller, order):
    other_order = make_order(buyer=buyer, seller=seller)
    open_thread(buyer=buyer, order=order)
    open_thread(buyer=buyer, order=other_order)
    assert Thread.objects.filter(buyer=buyer, seller=seller).count() == 2


def test_a_buyer_cannot_contact_about_someone_elses_order(buyer, seller):
    with pytest.raises(ValueError, match="own order"):
        open_thread(buyer=buyer, order=make_order(seller=seller))
    assert not Thread.objects.exists()


def test_a_seller_reply_answers_the_thread(thread, seller_user):
    with Recorder(events.thread_answered) as answered:
        posted = reply(thread=thread, author=seller_user)
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.RESPONDED
    assert thread.buyer_unread == 1
    assert thread.last_message_side == Side.SELLER
    assert thread.last_seller_message_at == posted.message.delivered_at
    assert [call["message"] for call in answered.calls] == [posted.message]
    assert list(thread.status_changes.values_list("from_status", "to_status")) == [
        ("needs_response", "responded")
    ]


def test_a_buyers_phone_number_is_replaced_and_the_rest_delivered(buyer, order):
    posted = open_thread(
        buyer=buyer, order=order, text="The box was crushed. Call me on +1 415 555 2671 please."
    )
    message = posted.message
    assert posted.redacted
    assert message.state == DeliveryState.DELIVERED
    assert "415 555 2671" not in message.body
    assert "[removed]" in message.body
    assert message.body.startswith("The box was crushed.")
    assert "+1 415 555 2671" in message.original_body  # kept for moderators and disputes
    assert message.verdict["action"] == "redact"


def test_a_sellers_contact_details_block_the_message_and_nothing_is_stored(thread, seller_user):
    count = Message.objects.count()
    with Recorder(events.message_blocked) as blocked, pytest.raises(MessageBlocked) as error:
        reply(thread=thread, author=seller_user, text="Text me on WhatsApp at +44 7700 900123")
    assert Message.objects.count() == count
    findings = error.value.verdict.findings
    assert findings
    text = error.value.text
    assert any("7700 900123" in text[f.start : f.end] for f in findings)
    assert blocked.calls[0]["seller"] == thread.seller
    assert blocked.calls[0]["thread"] == thread
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.NEEDS_RESPONSE


def test_a_blocked_first_contact_creates_no_thread(buyer, order):
    with pytest.raises(MessageBlocked):
        open_thread(buyer=buyer, order=order, text="Please leave me a 5 star review and I'll refund you $20")
    assert not Thread.objects.exists()


def test_an_empty_message_is_refused(thread, seller_user):
    with pytest.raises(EmptyMessage):
        reply(thread=thread, author=seller_user, text="   \n  ")


def test_no_response_needed_stops_waiting_and_is_recorded(thread, seller_user):
    with Recorder(events.thread_answered) as answered:
        services.mark_no_response_needed(thread=thread, by=seller_user)
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.NO_RESPONSE_NEEDED
    assert answered.calls[0]["message"] is None
    assert thread.status_changes.last().by == seller_user
    with pytest.raises(InvalidStatusChange):
        services.mark_no_response_needed(thread=thread, by=seller_user)


def test_a_new_buyer_message_reopens_a_no_response_needed_thread(thread, buyer, seller_user):
    services.mark_no_response_needed(thread=thread, by=seller_user)
    reply(thread=thread, author=buyer, side=Side.BUYER, text="Actually, one more question.")
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.NEEDS_RESPONSE


def test_mark_read_clears_one_sides_unread_count(thread, seller_user):
    reply(thread=thread, author=seller_user)
    services.mark_read(thread=thread, side=Side.SELLER)
    thread.refresh_from_db()
    assert thread.seller_unread == 0
    assert thread.buyer_unread == 1


def test_a_held_message_is_delivered_only_when_released(thread, buyer, moderator, settings):
    held = Message.objects.create(
        thread=thread,
        author=buyer,
        side=Side.BUYER,
        state=DeliveryState.HELD,
        body="hold me",
        original_body="hold me",
    )
    thread.refresh_from_db()
    unread = thread.seller_unread
    with Recorder(events.message_released) as released:
        services.release_message(message=held, by=moderator)
    held.refresh_from_db()
    thread.refresh_from_db()
    assert held.state == DeliveryState.DELIVERED
    assert thread.seller_unread == unread + 1
    assert thread.last_message_excerpt == "hold me"
    assert released.calls[0]["by"] == moderator
    with pytest.raises(InvalidStatusChange):
        services.release_message(message=held, by=moderator)


def test_posting_costs_a_bounded_number_of_queries(thread, buyer, seller_user):
    def queries_to_answer(number):
        reply(thread=thread, author=buyer, side=Side.BUYER, text=f"Any news? ({number})")
        with CaptureQueriesContext(connection) as queries:
            reply(thread=thread, author=seller_user, text=f"It ships tomorrow. ({number})")
        return len(queries)

    # the sending rules (rate, standing, identical text), the locked thread, the message, its
    # status change, the thread (with, on PostgreSQL, its search words), the clock it stops and
    # the alert email for the buyer, queued in the outbox in the same transaction (plus a savepoint)
    first = queries_to_answer(1)
    assert first <= 13
    for number in range(2, 5):
        queries_to_answer(number)
    assert queries_to_answer(5) == first  # however long the thread is


def test_the_wait_starts_at_the_first_unanswered_buyer_message(thread, buyer, seller_user):
    first_wait = thread.awaiting_response_since
    assert first_wait == thread.messages.get().delivered_at
    reply(thread=thread, author=buyer, side=Side.BUYER, text="Hello? Any news?")
    thread.refresh_from_db()
    assert thread.awaiting_response_since == first_wait  # a second message keeps the first one's wait
    reply(thread=thread, author=seller_user)
    thread.refresh_from_db()
    assert thread.awaiting_response_since is None
    later = reply(thread=thread, author=buyer, side=Side.BUYER, text="Thanks, one more thing").message
    thread.refresh_from_db()
    assert thread.awaiting_response_since == later.delivered_at
    services.mark_no_response_needed(thread=thread, by=seller_user)
    thread.refresh_from_db()
    assert thread.awaiting_response_since is None

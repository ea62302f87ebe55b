from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from apps.accounts.models import MessagingStanding, SellerAccount
from apps.accounts.services import change_messaging_standing
from apps.conversations.exceptions import MessageBlocked, SendingNotAllowed
from apps.conversations.models import DeliveryState, Thread, ThreadStatus
from apps.moderation import services
from apps.moderation.exceptions import AlreadyDecided, ModerationError
from apps.moderation.models import ReviewItem, Violation
from tests.conftest import reply

pytestmark = pytest.mark.django_db

PHONE = "Call me on +44 7700 900123 to sort it out"


def block_seller_message(thread, seller_user):
    with pytest.raises(MessageBlocked):
        reply(thread=thread, author=seller_user, text=PHONE)


def standing(seller) -> str:
    return SellerAccount.objects.get(pk=seller.pk).messaging_standing()


def test_a_blocked_seller_message_is_a_strike_with_the_text_on_record(thread, seller, seller_user):
    block_seller_message(thread, seller_user)
    violation = Violation.objects.get()
    assert violation.kind == Violation.Kind.BLOCKED
    assert violation.is_strike
    assert violation.text == PHONE
    assert "phone" in violation.categories
    assert violation.thread == thread


def test_a_blocked_buyer_message_is_recorded_but_is_no_seller_strike(buyer, order):
    from tests.conftest import open_thread

    with pytest.raises(MessageBlocked):
        open_thread(buyer=buyer, order=order, text="I'll leave 5 stars if you send me a $20 gift card")
    violation = Violation.objects.get()
    assert violation.side == "buyer"
    assert not violation.is_strike


def test_two_strikes_leave_the_seller_in_good_standing_the_third_restricts_for_7_days(
    thread, seller, seller_user
):
    block_seller_message(thread, seller_user)
    block_seller_message(thread, seller_user)
    assert standing(seller) == MessagingStanding.GOOD
    block_seller_message(thread, seller_user)
    assert standing(seller) == MessagingStanding.RESTRICTED
    until = SellerAccount.objects.get(pk=seller.pk).messaging_restricted_until
    assert timedelta(days=6, hours=23) < until - timezone.now() <= timedelta(days=7)


def test_a_restricted_sellers_messages_are_held_for_review(thread, seller, seller_user, moderator):
    change_messaging_standing(
        seller=seller,
        standing="restricted",
        reason="test",
        until=timezone.now() + timedelta(days=7),
        by=moderator,
    )
    posted = reply(thread=thread, author=seller_user, text="Your parcel ships on Monday.")
    assert posted.held
    assert ReviewItem.objects.filter(message=posted.message, kind="held").exists()
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.NEEDS_RESPONSE  # not delivered, so not answered


def test_a_restriction_ends_by_itself(thread, seller, seller_user, moderator):
    change_messaging_standing(
        seller=seller,
        standing="restricted",
        reason="test",
        until=timezone.now() + timedelta(days=7),
        by=moderator,
    )
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert standing(seller) == MessagingStanding.GOOD
        assert not reply(thread=thread, author=seller_user, text="Shipped today.").held


def test_strikes_older_than_30_days_do_not_count(thread, seller, seller_user):
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=31)):
        block_seller_message(thread, seller_user)
        block_seller_message(thread, seller_user)
    with time_machine.travel(start - timedelta(days=29)):
        block_seller_message(thread, seller_user)
    assert services.strikes_in_window(seller=seller) == 1
    assert standing(seller) == MessagingStanding.GOOD


def test_the_sixth_strike_suspends_and_a_suspended_seller_is_refused_with_the_reason(
    thread, seller, seller_user
):
    for _ in range(5):
        block_seller_message(thread, seller_user)
    assert standing(seller) == MessagingStanding.RESTRICTED
    block_seller_message(thread, seller_user)
    assert standing(seller) == MessagingStanding.SUSPENDED
    with pytest.raises(SendingNotAllowed, match="suspended"):
        reply(thread=thread, author=seller_user, text="Your parcel ships on Monday.")


def test_thresholds_are_settings(thread, seller, seller_user, settings):
    settings.MESSAGING = {"MODERATION": {"RESTRICT_AT_STRIKES": 1, "SUSPEND_AT_STRIKES": 2}}
    block_seller_message(thread, seller_user)
    assert standing(seller) == MessagingStanding.RESTRICTED


def test_a_moderator_reinstates_a_suspended_seller(thread, seller, seller_user, moderator):
    services.set_standing(seller=seller, standing="suspended", by=moderator, reason="fraud check")
    with pytest.raises(SendingNotAllowed, match="fraud check"):
        reply(thread=thread, author=seller_user)
    services.set_standing(seller=seller, standing="good", by=moderator, reason="checked, fine")
    assert not reply(thread=thread, author=seller_user).held
    changes = list(seller.standing_changes.values_list("to_standing", "by", "reason"))
    assert changes[0] == ("good", moderator.pk, "checked, fine")


def test_release_delivers_the_message_and_records_who(held_item, moderator):
    services.release(item=held_item, by=moderator)
    held_item.refresh_from_db()
    message = held_item.message
    message.refresh_from_db()
    assert message.state == DeliveryState.DELIVERED
    assert held_item.decided_by == moderator
    assert held_item.decision == "release"
    thread = Thread.objects.get(pk=message.thread_id)
    assert thread.status == ThreadStatus.RESPONDED
    with pytest.raises(AlreadyDecided):
        services.reject(item=held_item, by=moderator, reason="other")


def test_reject_tells_the_sender_and_is_a_strike(held_item, moderator, seller):
    services.reject(item=held_item, by=moderator, reason="abuse", note="Please keep it polite.")
    message = held_item.message
    message.refresh_from_db()
    assert message.state == DeliveryState.REJECTED
    assert "Abusive or threatening language" in message.state_reason
    assert "Please keep it polite." in message.state_reason
    assert Violation.objects.get(kind="rejected").is_strike


def test_reject_needs_a_reason_from_the_list(held_item, moderator):
    with pytest.raises(ModerationError):
        services.reject(item=held_item, by=moderator, reason="because")
    held_item.refresh_from_db()
    assert held_item.is_open


def test_a_recipient_reports_a_message_and_a_moderator_hides_it(thread, buyer, seller_user, moderator):
    rude = reply(thread=thread, author=seller_user, text="Stop bothering us about this.").message
    item = services.report_message(message=rude, reporter=buyer, reason="abusive", note="rude")
    assert item.kind == "reported"
    assert (
        services.report_message(message=rude, reporter=buyer, reason="abusive") == item
    )  # once per reporter
    services.reject(item=item, by=moderator, reason="abuse")
    rude.refresh_from_db()
    assert rude.hidden_at is not None
    assert rude.state == DeliveryState.DELIVERED  # it stays in the record
    assert Violation.objects.get(kind="hidden").is_strike


def test_nobody_can_report_their_own_message(thread, buyer):
    own = thread.messages.get()
    with pytest.raises(ModerationError):
        services.report_message(message=own, reporter=buyer, reason="spam")


def test_escalate_keeps_it_waiting_with_the_note(held_item, moderator):
    services.escalate(item=held_item, by=moderator, note="Legal should look")
    held_item.refresh_from_db()
    assert held_item.status == "escalated"
    assert held_item.actions.get().note == "Legal should look"


def test_bulk_release_skips_what_was_already_decided(thread, seller_user, moderator, held_item):
    from apps.conversations.models import Message, Side

    second_message = Message.objects.create(
        thread=thread,
        author=seller_user,
        side=Side.SELLER,
        state=DeliveryState.HELD,
        body="b",
        original_body="b",
    )
    second = services.queue_held_message(message=second_message)
    services.reject(item=second, by=moderator, reason="other")
    outcome = services.decide_many(item_ids=[held_item.pk, second.pk], action="release", by=moderator)
    assert outcome.done == 1
    assert len(outcome.skipped) == 1

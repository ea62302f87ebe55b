"""The 24-hour clock: when it starts, when it stops, and what counts as late."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from apps.conversations.models import DeliveryState, ThreadStatus
from apps.conversations.services import release_message
from apps.sla.models import Resolution, ResponseClock
from tests.conftest import open_thread
from tests.sla.conftest import (
    HOUR,
    T0,
    buyer_writes,
    clock_of,
    frozen,
    marketplace_notice,
    new_order,
    no_response_needed,
    seller_replies,
    sweep_at,
)

pytestmark = pytest.mark.django_db


def test_a_buyer_message_must_be_answered_within_24_elapsed_hours(order):
    message = buyer_writes(order=order, at=T0)
    clock = clock_of(message)
    assert clock.received_at == T0
    assert clock.due_at == T0 + timedelta(hours=24)
    assert clock.answered_at is None


def test_one_second_before_24_hours_is_not_late_one_second_after_is(waiting_thread):
    clock = ResponseClock.objects.get(thread=waiting_thread)
    assert sweep_at(T0 + timedelta(hours=23, minutes=59, seconds=59)).late == 0
    clock.refresh_from_db()
    assert clock.late_at is None
    assert sweep_at(T0 + timedelta(hours=24, seconds=1)).late == 1
    clock.refresh_from_db()
    assert clock.late_at == T0 + timedelta(hours=24, seconds=1)


def test_a_reply_at_23_59_59_is_in_time_and_at_24_00_01_late(seller, seller_user, order):
    just_in_time = buyer_writes(order=order, at=T0)
    just_late = buyer_writes(order=new_order(seller), at=T0)
    seller_replies(
        thread=just_in_time.thread, author=seller_user, at=T0 + timedelta(hours=23, minutes=59, seconds=59)
    )
    seller_replies(thread=just_late.thread, author=seller_user, at=T0 + timedelta(hours=24, seconds=1))
    assert clock_of(just_in_time).answered_in_time is True
    assert clock_of(just_late).answered_in_time is False
    assert clock_of(just_late).response_seconds == 24 * 3600 + 1


def test_a_dst_change_does_not_move_the_deadline(client, buyer, order, seller_user):
    """Europe/Berlin leaves summer time at 01:00 UTC on 2026-10-25: that local day has 25 hours,
    but the buyer still gets an answer within 24 elapsed hours."""
    seller_user.time_zone = "Europe/Berlin"
    seller_user.save(update_fields=["time_zone"])
    arrived = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    message = buyer_writes(order=order, at=arrived)
    due = clock_of(message).due_at
    assert due == datetime(2026, 10, 25, 12, 0, tzinfo=UTC)
    # 14:00 in Berlin the day before; 13:00 in Berlin on the day it is due.
    assert due.astimezone(zoneinfo.ZoneInfo("Europe/Berlin")).hour == 13
    assert sweep_at(due - timedelta(seconds=1)).late == 0
    assert sweep_at(due + timedelta(seconds=1)).late == 1

    client.force_login(seller_user)
    with frozen(due - timedelta(hours=1, minutes=5)):
        page = client.get(reverse("seller_inbox:inbox")).content.decode()
    assert "1 h 5 min left" in page


def test_a_buyer_writing_twice_keeps_the_first_due_time_and_both_count(order, seller_user):
    first = buyer_writes(order=order, at=T0)
    second = buyer_writes(thread=first.thread, at=T0 + 5 * HOUR, text="Any news?")
    assert clock_of(second).due_at == clock_of(first).due_at == T0 + timedelta(hours=24)
    assert clock_of(first).starts_wait
    assert not clock_of(second).starts_wait

    seller_replies(thread=first.thread, author=seller_user, at=T0 + 6 * HOUR)
    first_clock, second_clock = clock_of(first), clock_of(second)
    assert (first_clock.response_seconds, second_clock.response_seconds) == (6 * 3600, 3600)
    assert first_clock.answered_in_time
    assert second_clock.answered_in_time
    assert first_clock.answered_by == second_clock.answered_by == seller_user


def test_writing_again_after_an_answer_starts_a_new_24_hours(order, seller_user):
    first = buyer_writes(order=order, at=T0)
    seller_replies(thread=first.thread, author=seller_user, at=T0 + HOUR)
    again = buyer_writes(thread=first.thread, at=T0 + 30 * HOUR, text="Thanks! One more thing")
    assert clock_of(again).due_at == T0 + 54 * HOUR
    assert clock_of(again).starts_wait


def test_writing_again_after_the_deadline_is_late_at_once(order):
    first = buyer_writes(order=order, at=T0)
    sweep_at(T0 + 25 * HOUR)
    again = buyer_writes(thread=first.thread, at=T0 + 26 * HOUR, text="Hello??")
    assert clock_of(again).due_at == T0 + 24 * HOUR
    assert sweep_at(T0 + 26 * HOUR + timedelta(seconds=1)).late == 1
    assert clock_of(again).late_at is not None


def test_no_response_needed_stops_the_clock_and_counts_as_answered(order, seller_user):
    message = buyer_writes(order=order, at=T0, text="Thanks, all good!")
    no_response_needed(thread=message.thread, by=seller_user, at=T0 + 2 * HOUR)
    clock = clock_of(message)
    assert clock.resolution == Resolution.NO_RESPONSE_NEEDED
    assert clock.answered_at == T0 + 2 * HOUR
    assert clock.answered_in_time is True
    assert clock.answered_by == seller_user
    assert sweep_at(T0 + 48 * HOUR).late == 0


def test_a_marketplace_message_neither_starts_nor_stops_a_clock(waiting_thread):
    notice = marketplace_notice(thread=waiting_thread, at=T0 + HOUR)
    assert not ResponseClock.objects.filter(message=notice).exists()
    clock = ResponseClock.objects.get(thread=waiting_thread)
    assert clock.answered_at is None
    assert sweep_at(T0 + 25 * HOUR).late == 1


def test_a_held_buyer_message_starts_its_clock_when_released(settings, buyer, order, moderator):
    settings.MESSAGING = {"POLICY": {"ACTIONS": {"buyer": {"phone": "hold"}}}}
    with frozen(T0):
        posted = open_thread(buyer=buyer, order=order, text="Please call me on +1 415 555 0100")
    assert posted.message.state == DeliveryState.HELD
    assert not ResponseClock.objects.exists()
    with frozen(T0 + 5 * HOUR):
        release_message(message=posted.message, by=moderator)
    assert clock_of(posted.message).due_at == T0 + 29 * HOUR


def test_a_reply_stops_the_clock_and_records_the_response_time(waiting_thread, seller_user):
    seller_replies(thread=waiting_thread, author=seller_user, at=T0 + 3 * HOUR)
    clock = ResponseClock.objects.get(thread=waiting_thread)
    assert clock.resolution == Resolution.REPLY
    assert clock.response_seconds == 3 * 3600
    assert clock.answered_in_time is True
    waiting_thread.refresh_from_db()
    assert waiting_thread.status == ThreadStatus.RESPONDED

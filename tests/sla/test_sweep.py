"""The minute sweep: reminders before the deadline, misses after it, each exactly once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.checks import run_checks
from django.core.management import call_command

from apps.sla import events
from apps.sla.models import DeadlineNotice, NoticeKind, ResponseClock
from apps.sla.tasks import sweep_deadlines as sweep_task
from tests.sla.conftest import HOUR, T0, buyer_writes, frozen, new_order, recording, seller_replies, sweep_at

pytestmark = pytest.mark.django_db


def test_the_seller_is_reminded_once_4_hours_before_the_deadline(waiting_thread):
    with recording(events.reminder_due) as reminders:
        assert sweep_at(T0 + 20 * HOUR - timedelta(seconds=1)).reminders == 0
        assert sweep_at(T0 + 20 * HOUR).reminders == 1
        assert sweep_at(T0 + 21 * HOUR).reminders == 0
    notice = DeadlineNotice.objects.get()
    assert (notice.kind, notice.thread, notice.due_at) == (
        NoticeKind.REMINDER,
        waiting_thread,
        T0 + 24 * HOUR,
    )
    assert [call["notice"] for call in reminders.calls] == [notice]


def test_a_missed_deadline_is_announced_once_and_the_second_sweep_marks_nothing(waiting_thread):
    with recording(events.deadline_missed) as missed:
        first = sweep_at(T0 + 25 * HOUR)
        second = sweep_at(T0 + 25 * HOUR + timedelta(minutes=1))
    assert (first.late, first.late_notices) == (1, 1)
    assert (second.late, second.late_notices, second.reminders) == (0, 0, 0)
    assert DeadlineNotice.objects.filter(kind=NoticeKind.LATE, thread=waiting_thread).count() == 1
    assert len(missed.calls) == 1
    assert ResponseClock.objects.get().late_at == T0 + 25 * HOUR


def test_a_sweep_that_was_down_for_hours_sends_the_late_notice_without_a_stale_reminder(waiting_thread):
    result = sweep_at(T0 + 30 * HOUR)
    assert (result.late, result.reminders) == (1, 0)
    assert list(DeadlineNotice.objects.values_list("kind", flat=True)) == [NoticeKind.LATE]


def test_one_reminder_and_one_late_notice_per_wait_however_often_the_buyer_wrote(order):
    first = buyer_writes(order=order, at=T0)
    buyer_writes(thread=first.thread, at=T0 + HOUR, text="Hello?")
    sweep_at(T0 + 20 * HOUR)
    buyer_writes(thread=first.thread, at=T0 + 21 * HOUR, text="Anyone there?")
    result = sweep_at(T0 + 25 * HOUR)
    assert result.late == 3
    assert result.late_notices == 1
    assert DeadlineNotice.objects.filter(kind=NoticeKind.REMINDER).count() == 1
    assert DeadlineNotice.objects.filter(kind=NoticeKind.LATE).count() == 1


def test_an_answered_message_is_neither_reminded_about_nor_late(waiting_thread, seller_user):
    seller_replies(thread=waiting_thread, author=seller_user, at=T0 + HOUR)
    with recording(events.reminder_due) as reminders, recording(events.deadline_missed) as missed:
        sweep_at(T0 + 20 * HOUR)
        sweep_at(T0 + 25 * HOUR)
    assert reminders.calls == missed.calls == []
    assert not DeadlineNotice.objects.exists()


def test_a_sweep_that_crashes_leaves_nothing_half_done_and_the_next_one_finishes(waiting_thread):
    def broken_mailer(sender, **kwargs):
        raise ConnectionError("outbox unavailable")

    events.deadline_missed.connect(broken_mailer)
    try:
        with pytest.raises(ConnectionError):
            sweep_at(T0 + 25 * HOUR)
    finally:
        events.deadline_missed.disconnect(broken_mailer)
    assert ResponseClock.objects.get().late_at is None
    assert not DeadlineNotice.objects.exists()

    assert sweep_at(T0 + 26 * HOUR).late_notices == 1
    assert sweep_at(T0 + 27 * HOUR).late_notices == 0
    assert DeadlineNotice.objects.count() == 1


def test_a_backlog_is_worked_off_in_batches(seller):
    for _ in range(5):
        buyer_writes(order=new_order(seller), at=T0)
    result = sweep_at(T0 + 25 * HOUR, batch_size=2)
    assert (result.late, result.late_notices) == (5, 5)
    assert not ResponseClock.objects.filter(late_at__isnull=True).exists()


def test_the_reminder_window_is_a_setting(settings, waiting_thread):
    settings.MESSAGING = {"SLA": {"REMINDER_BEFORE_HOURS": 1}}
    assert sweep_at(T0 + 22 * HOUR).reminders == 0
    assert sweep_at(T0 + 23 * HOUR).reminders == 1


@pytest.mark.parametrize("value", [0, 24, -1, "4", None, True])
def test_a_nonsense_reminder_window_is_a_system_check_error(settings, value):
    settings.MESSAGING = {"SLA": {"REMINDER_BEFORE_HOURS": value}}
    assert "sla.E001" in {message.id for message in run_checks()}


def test_sensible_sla_settings_pass_the_checks_and_unknown_ones_are_flagged(settings):
    settings.MESSAGING = {"SLA": {"REMINDER_BEFORE_HOURS": 2.5, "SWEEP_BATCH_SIZE": 100}}
    assert not {message.id for message in run_checks()} & {"sla.E001", "sla.E002", "sla.W001"}
    settings.MESSAGING = {"SLA": {"REMINDER_HOURS": 2, "SWEEP_BATCH_SIZE": 0}}
    assert {"sla.W001", "sla.E002"} <= {message.id for message in run_checks()}


def test_the_management_command_sweeps_once_and_prints_the_counts(waiting_thread):
    out = StringIO()
    with frozen(T0 + 25 * HOUR):
        call_command("sweep_deadlines", stdout=out)
        call_command("sweep_deadlines", stdout=out)
    first, second = out.getvalue().strip().splitlines()
    assert first == "Marked 1 late (1 late notices), reminded 0 (0 reminders)."
    assert second == "Marked 0 late (0 late notices), reminded 0 (0 reminders)."


def test_the_beat_task_returns_its_counts(waiting_thread):
    with frozen(T0 + 21 * HOUR):
        result = sweep_task.delay().get()
    assert result == {"late": 0, "late_notices": 0, "reminded": 1, "reminders": 1}
    assert sweep_task.acks_late

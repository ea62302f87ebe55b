"""Every change to response clocks: start, stop, and the sweep that marks reminders and misses.

`start_clock` and `stop_clocks` run inside the conversations service's transaction (they are
called from the event subscribers), with the thread row already locked by that service.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.conversations.models import Message, MessageKind, Side, Thread

from . import events
from .conf import get_config
from .models import RESPONSE_WINDOW, DeadlineNotice, NoticeKind, Resolution, ResponseClock

logger = logging.getLogger(__name__)


def needs_clock(message: Message) -> bool:
    """A delivered buyer message written by the buyer; automatic notices need no answer."""
    return message.side == Side.BUYER and message.kind == MessageKind.MESSAGE and message.is_delivered


def start_clock(*, message: Message) -> ResponseClock | None:
    """Start the 24-hour clock of a delivered buyer message (it runs from its delivery)."""
    if not needs_clock(message):
        return None
    latest = (
        ResponseClock.objects.filter(thread_id=message.thread_id)
        .order_by("-received_at", "-id")
        .only("id", "message_id", "due_at", "answered_at", "reminded_at")
        .first()
    )
    if latest is not None and latest.message_id == message.pk:
        return latest  # announced twice; one clock per message
    received_at = message.delivered_at
    # Every answer stops all open clocks of a thread, so if the newest clock is open, the
    # buyer is writing again within one wait and keeps that wait's due time.
    waiting = latest is not None and latest.answered_at is None
    return ResponseClock.objects.create(
        message=message,
        thread_id=message.thread_id,
        seller_id=message.thread.seller_id,
        received_at=received_at,
        due_at=latest.due_at if waiting else received_at + RESPONSE_WINDOW,
        starts_wait=not waiting,
        first_in_thread=latest is None,
        # The wait was already reminded about; this message needs no reminder of its own.
        reminded_at=latest.reminded_at if waiting else None,
    )


def stop_clocks(*, thread: Thread, message: Message | None, by: User | None) -> int:
    """The seller answered (`message`) or marked "No response needed" (`message` None):
    every open clock of the thread stops. Returns how many stopped."""
    # A held reply answers when a moderator releases it: the buyer could not read it before.
    answered_at = message.delivered_at if message is not None else timezone.now()
    resolution = Resolution.REPLY if message is not None else Resolution.NO_RESPONSE_NEEDED
    clocks = list(
        ResponseClock.objects.filter(thread=thread, answered_at__isnull=True).only(
            "id", "received_at", "due_at"
        )
    )
    for clock in clocks:
        clock.answered_at = answered_at
        clock.answered_by = by
        clock.resolution = resolution
        clock.answered_in_time = answered_at <= clock.due_at
        clock.response_seconds = max(0, int((answered_at - clock.received_at).total_seconds()))
    fields = ["answered_at", "answered_by", "resolution", "answered_in_time", "response_seconds"]
    if len(clocks) == 1:
        # The usual answer stops one clock: a plain UPDATE, not bulk_update's CASE per column.
        ResponseClock.objects.filter(pk=clocks[0].pk).update(**{f: getattr(clocks[0], f) for f in fields})
    elif clocks:
        ResponseClock.objects.bulk_update(clocks, fields)
    return len(clocks)


@dataclass(frozen=True)
class SweepResult:
    late: int = 0  # clocks marked late
    late_notices: int = 0  # waits announced as missed (one per wait, however many messages)
    reminded: int = 0
    reminders: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "late": self.late,
            "late_notices": self.late_notices,
            "reminded": self.reminded,
            "reminders": self.reminders,
        }


def sweep_deadlines(*, now: datetime | None = None, batch_size: int | None = None) -> SweepResult:
    """Mark overdue clocks late and remind about clocks due soon, each exactly once.

    Runs every minute and again after a crash: a clock is marked in the same transaction as
    its notice, so a rerun finds nothing left to do. Batches are locked with SKIP LOCKED, so
    two workers sweeping at once split the work instead of doing it twice.
    """
    now = now or timezone.now()
    batch_size = batch_size or get_config()["SWEEP_BATCH_SIZE"]
    window = timedelta(hours=get_config()["REMINDER_BEFORE_HOURS"])
    late = _drain(_mark_late, now=now, batch_size=batch_size)
    reminded = _drain(_mark_reminded, now=now, batch_size=batch_size, window=window)
    result = SweepResult(late=late[0], late_notices=late[1], reminded=reminded[0], reminders=reminded[1])
    if result.late or result.reminded:
        logger.info("sla sweep: %s", result.as_dict())
    return result


def _drain(mark, **kwargs) -> tuple[int, int]:
    """Batches until one comes back empty: a short batch may only mean another worker held
    some rows (or their threads), and those may be free by the next query."""
    marked = notices = 0
    while True:
        batch, announced = mark(**kwargs)
        if not batch:
            return marked, notices
        marked, notices = marked + batch, notices + announced


def overdue_batch(*, now: datetime, batch_size: int) -> QuerySet[ResponseClock]:
    """Open clocks past their deadline, oldest first, locked for this transaction only."""
    # Strictly after the deadline: an answer at exactly 24:00:00 is still in time.
    overdue = ResponseClock.objects.filter(answered_at__isnull=True, late_at__isnull=True, due_at__lt=now)
    return _lockable(overdue, batch_size)


def reminder_batch(*, now: datetime, window: timedelta, batch_size: int) -> QuerySet[ResponseClock]:
    """Open clocks due within `window` that nobody was reminded about yet."""
    due_soon = ResponseClock.objects.filter(
        answered_at__isnull=True,
        late_at__isnull=True,
        reminded_at__isnull=True,
        due_at__gte=now,
        due_at__lte=now + window,
    )
    return _lockable(due_soon, batch_size)


def _lockable(queryset: QuerySet[ResponseClock], batch_size: int) -> QuerySet[ResponseClock]:
    # SKIP LOCKED: a second worker takes the next rows instead of waiting for (and then
    # re-marking) these. The thread row is locked too: a reply in progress holds it (and then
    # stops the thread's clocks), so its clocks are skipped rather than waited for, and the
    # notice's foreign key to the thread can never wait on that reply while the reply waits on
    # a clock this sweep holds (a deadlock).
    return (
        queryset.order_by("due_at")
        .select_related("thread")
        .select_for_update(skip_locked=True, no_key=True, of=("self", "thread"))
        .only("id", "thread_id", "due_at", "starts_wait", "thread__id")[:batch_size]
    )


def _mark_late(*, now: datetime, batch_size: int) -> tuple[int, int]:
    with transaction.atomic():
        clocks = list(overdue_batch(now=now, batch_size=batch_size))
        if clocks:
            ResponseClock.objects.filter(pk__in=[clock.pk for clock in clocks]).update(late_at=now)
        notices = _notify(clocks, kind=NoticeKind.LATE, now=now, signal=events.deadline_missed)
    return len(clocks), notices


def _mark_reminded(*, now: datetime, batch_size: int, window: timedelta) -> tuple[int, int]:
    with transaction.atomic():
        clocks = list(reminder_batch(now=now, window=window, batch_size=batch_size))
        if clocks:
            ResponseClock.objects.filter(pk__in=[clock.pk for clock in clocks]).update(reminded_at=now)
        notices = _notify(clocks, kind=NoticeKind.REMINDER, now=now, signal=events.reminder_due)
    return len(clocks), notices


def _notify(clocks: list[ResponseClock], *, kind: str, now: datetime, signal) -> int:
    """One notice per wait: only the clock that started it carries one. Its lock (held by
    this transaction) makes the notice single; the unique constraint backs that up."""
    starters = [clock for clock in clocks if clock.starts_wait]
    if not starters:
        return 0
    already = set(
        DeadlineNotice.objects.filter(clock__in=starters, kind=kind).values_list("clock_id", flat=True)
    )
    notices = DeadlineNotice.objects.bulk_create(
        [
            DeadlineNotice(
                clock=clock, thread_id=clock.thread_id, kind=kind, due_at=clock.due_at, created_at=now
            )
            for clock in starters
            if clock.pk not in already
        ]
    )
    for notice in notices:
        signal.send(sender=DeadlineNotice, notice=notice)
    return len(notices)

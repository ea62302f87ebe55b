"""Two workers sweeping at the same moment split the work: nothing is marked or announced twice.

Needs PostgreSQL (SELECT ... FOR UPDATE SKIP LOCKED); skipped on SQLite, fails under CI=true.
"""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection

from apps.sla import events
from apps.sla.models import DeadlineNotice, NoticeKind, ResponseClock
from apps.sla.services import sweep_deadlines
from tests.factories import make_seller
from tests.sla.conftest import HOUR, T0, buyer_writes, new_order, recording

WAITS = 12


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_mark_each_late_clock_once(postgres):
    seller = make_seller()
    for index in range(WAITS):
        first = buyer_writes(order=new_order(seller), at=T0 + timedelta(seconds=index))
        if index % 3 == 0:  # some buyers wrote twice: two clocks, still one notice
            buyer_writes(thread=first.thread, at=T0 + HOUR, text="Any news?")
    clocks = ResponseClock.objects.count()
    now = T0 + 25 * HOUR
    start = threading.Barrier(2)
    results, errors = [], []

    def slow_subscriber(sender, **kwargs):
        time.sleep(0.02)  # hold the batch's row locks while the other worker looks for rows

    def worker():
        try:
            start.wait(timeout=10)
            results.append(sweep_deadlines(now=now, batch_size=3))
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    events.deadline_missed.connect(slow_subscriber)
    try:
        with recording(events.deadline_missed) as missed:
            workers = [threading.Thread(target=worker) for _ in range(2)]
            for thread in workers:
                thread.start()
            for thread in workers:
                thread.join(timeout=60)
    finally:
        events.deadline_missed.disconnect(slow_subscriber)

    assert errors == []
    assert sum(result.late for result in results) == clocks
    assert sum(result.late_notices for result in results) == WAITS
    assert not ResponseClock.objects.filter(late_at__isnull=True).exists()
    assert set(ResponseClock.objects.values_list("late_at", flat=True)) == {now}
    per_clock = Counter(
        DeadlineNotice.objects.filter(kind=NoticeKind.LATE).values_list("clock_id", flat=True)
    )
    assert len(per_clock) == WAITS
    assert set(per_clock.values()) == {1}
    announced = [call["notice"].pk for call in missed.calls]
    assert sorted(announced) == sorted(DeadlineNotice.objects.values_list("pk", flat=True))
    assert sweep_deadlines(now=now + timedelta(minutes=1)).late == 0


@pytest.mark.django_db(transaction=True)
def test_the_sweep_skips_a_thread_that_is_being_answered_instead_of_waiting_for_it(postgres):
    from django.db import transaction

    from apps.conversations.models import Thread

    seller = make_seller()
    busy = buyer_writes(order=new_order(seller), at=T0).thread
    idle = buyer_writes(order=new_order(seller), at=T0).thread
    locked, release = threading.Event(), threading.Event()

    def reply_in_progress():
        # What post_reply holds while it stores a reply: the thread row, FOR UPDATE.
        try:
            with transaction.atomic():
                Thread.objects.select_for_update().get(pk=busy.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=reply_in_progress)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        started = time.monotonic()
        result = sweep_deadlines(now=T0 + 25 * HOUR)
        assert time.monotonic() - started < 5
        assert result.late == 1
        assert ResponseClock.objects.get(thread=idle).late_at is not None
        assert ResponseClock.objects.get(thread=busy).late_at is None
    finally:
        release.set()
        holder.join(timeout=30)
    assert sweep_deadlines(now=T0 + 26 * HOUR).late == 1

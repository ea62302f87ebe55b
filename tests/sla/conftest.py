"""The deadline tests' vocabulary: frozen moments, a buyer writing at a time, a sweep at a time."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction

from apps.conversations import services as conversation_services
from apps.conversations.models import MessageKind, Side, Source, Thread
from apps.sla.models import ResponseClock
from apps.sla.services import sweep_deadlines
from tests.conftest import open_thread, reply
from tests.factories import make_buyer, make_order

# A Monday morning, far from any DST change.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def frozen(moment: datetime):
    """Time stands still at `moment` for what happens inside."""
    return time_machine.travel(moment, tick=False)


def buyer_writes(
    *, thread: Thread | None = None, order=None, at: datetime, text: str = "Where is my parcel?"
):
    """The buyer opens a thread about `order`, or writes again in `thread`, at `at`."""
    with frozen(at):
        if thread is None:
            return open_thread(buyer=order.buyer, order=order, text=text).message
        return reply(thread=thread, author=thread.buyer, side=Side.BUYER, text=text).message


def seller_replies(*, thread: Thread, author, at: datetime, text: str = "It ships today."):
    with frozen(at):
        return reply(thread=thread, author=author, text=text).message


def no_response_needed(*, thread: Thread, by, at: datetime) -> None:
    with frozen(at):
        conversation_services.mark_no_response_needed(thread=thread, by=by)


def marketplace_notice(*, thread: Thread, at: datetime, text: str = "Your order has been delivered."):
    """An automatic marketplace message in the thread. conversations has no public service for
    these yet, so this goes through its storing step the way such a service will."""
    with frozen(at), transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        return conversation_services._store(
            thread=locked,
            author=None,
            side=Side.SYSTEM,
            text=text,
            verdict=conversation_services.check_draft(text=text, side=Side.SELLER),
            attachments=(),
            source=Source.SYSTEM,
            kind=MessageKind.SYSTEM,
        ).message


def sweep_at(moment: datetime, **kwargs):
    with frozen(moment):
        return sweep_deadlines(**kwargs)


def clock_of(message) -> ResponseClock:
    return ResponseClock.objects.get(message=message)


def new_order(seller):
    return make_order(buyer=make_buyer(), seller=seller, status="delivered")


class Recorder:
    """Collects what a signal announced."""

    def __init__(self, signal):
        self.signal = signal
        self.calls: list[dict] = []

    def __call__(self, sender, **kwargs):
        self.calls.append(kwargs)

    def __enter__(self):
        self.signal.connect(self, weak=False)
        return self

    def __exit__(self, *exc):
        self.signal.disconnect(self)


@contextmanager
def recording(signal):
    with Recorder(signal) as recorder:
        yield recorder


@pytest.fixture
def waiting_thread(order):
    """A thread whose buyer wrote at T0 and has not been answered."""
    return buyer_writes(order=order, at=T0).thread

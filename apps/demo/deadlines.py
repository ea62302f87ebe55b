"""Response clocks for the seeded conversations, and a few demo-seller threads that show every
deadline state: fresh, near its deadline, late, answered in time and answered late.

The conversation seeder inserts messages in bulk without sending signals, so the clocks apps.sla
would have started and stopped are derived here from the messages, thread by thread, and
inserted in batches (a million messages in well under a minute on PostgreSQL).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from operator import itemgetter

from django.db import transaction
from django.db.models import Exists, OuterRef

from apps.accounts.models import SellerAccount
from apps.conversations.models import DeliveryState, Message, MessageKind, Side, Thread, ThreadStatus
from apps.sla.conf import get_config
from apps.sla.models import RESPONSE_WINDOW, Resolution, ResponseClock

BATCH = 5000
# How long after the last buyer message a seeded "No response needed" was marked.
NO_RESPONSE_NEEDED_AFTER = timedelta(hours=2)


@dataclass(frozen=True)
class Showcase:
    name: str
    buyer_wrote_ago: timedelta
    answered_after: timedelta | None  # None: still waiting


SHOWCASES = [
    Showcase("fresh", timedelta(minutes=25), None),
    Showcase("near its deadline", timedelta(hours=21, minutes=30), None),
    Showcase("late", timedelta(hours=30), None),
    Showcase("answered in time", timedelta(days=3), timedelta(hours=2)),
    Showcase("answered late", timedelta(days=5), timedelta(hours=31)),
]
CANDIDATES = 300


def seed_deadlines(*, seller: SellerAccount, now: datetime) -> int:
    """Retime a few of `seller`'s threads into the showcase states, then derive every clock."""
    show_deadline_states(seller=seller, now=now)
    return backfill_clocks(now=now)


# --- showcase ------------------------------------------------------------------------------


def show_deadline_states(*, seller: SellerAccount, now: datetime) -> list[str]:
    """Move the last exchange of one thread per showcase to a fixed time before `now`; earlier
    messages are squeezed, in order, in front of it. Returns the names that found a thread."""
    threads = list(Thread.objects.filter(seller=seller).order_by("id")[:CANDIDATES])
    messages = {thread.pk: [] for thread in threads}
    for message in Message.objects.filter(thread__in=threads).order_by("created_at", "id"):
        messages[message.thread_id].append(message)
    used, shown, changed = set(), [], []
    for showcase in SHOWCASES:
        for thread in threads:
            if thread.pk not in used and _fits(thread, messages[thread.pk], showcase, now):
                changed += _retime(thread, messages[thread.pk], showcase, now)
                used.add(thread.pk)
                shown.append(showcase.name)
                break
    Message.objects.bulk_update(changed, ["created_at", "delivered_at"], batch_size=BATCH)
    Thread.objects.bulk_update(
        [thread for thread in threads if thread.pk in used],
        [
            "created_at",
            "last_message_at",
            "last_buyer_message_at",
            "last_seller_message_at",
            "awaiting_response_since",
        ],
    )
    return shown


def _tail_length(showcase: Showcase) -> int:
    return 1 if showcase.answered_after is None else 2


def _fits(thread: Thread, history: list[Message], showcase: Showcase, now: datetime) -> bool:
    """The thread ends the way the showcase needs: one buyer message (answered by the seller's
    last message, for the answered ones) after a seller message or nothing."""
    tail = _tail_length(showcase)
    if len(history) < tail:
        return False
    sides = [message.side for message in history]
    expected = [Side.BUYER] if tail == 1 else [Side.BUYER, Side.SELLER]
    status = ThreadStatus.NEEDS_RESPONSE if tail == 1 else ThreadStatus.RESPONDED
    before = sides[-tail - 1] if len(sides) > tail else Side.SELLER
    earlier = len(history) > tail
    starts_before = thread.created_at <= now - showcase.buyer_wrote_ago - timedelta(hours=1 if earlier else 0)
    return sides[-tail:] == expected and before == Side.SELLER and thread.status == status and starts_before


def _retime(thread: Thread, history: list[Message], showcase: Showcase, now: datetime) -> list[Message]:
    tail = _tail_length(showcase)
    earlier, last = history[:-tail], history[-tail:]
    buyer_at = now - showcase.buyer_wrote_ago
    if earlier:
        # Keep the order and the first message's time; squeeze the rest before the showcase.
        start, old_span = earlier[0].created_at, earlier[-1].created_at - earlier[0].created_at
        new_span = buyer_at - timedelta(hours=1) - start
        for message in earlier:
            offset = (message.created_at - start) * (new_span / old_span) if old_span else timedelta(0)
            message.created_at = message.delivered_at = start + offset
    last[0].created_at = last[0].delivered_at = buyer_at
    if showcase.answered_after is not None:
        last[1].created_at = last[1].delivered_at = buyer_at + showcase.answered_after
    seller_times = [message.created_at for message in history if message.side == Side.SELLER]
    thread.created_at = history[0].created_at
    thread.last_message_at = history[-1].created_at
    thread.last_buyer_message_at = buyer_at
    thread.last_seller_message_at = seller_times[-1] if seller_times else None
    thread.awaiting_response_since = buyer_at if showcase.answered_after is None else None
    return history


# --- clocks from messages ------------------------------------------------------------------


def backfill_clocks(*, now: datetime) -> int:
    """Clocks for every thread that has none, as if apps.sla had watched each message arrive and
    the sweep had run on time (so old misses don't all send late notices at the first sweep)."""
    without_clocks = ~Exists(ResponseClock.objects.filter(thread_id=OuterRef("thread_id")))
    rows = (
        Message.objects.filter(
            without_clocks,
            state=DeliveryState.DELIVERED,
            kind=MessageKind.MESSAGE,
            side__in=[Side.BUYER, Side.SELLER],
        )
        .order_by("thread_id", "delivered_at", "id")
        .values_list(
            "id", "thread_id", "thread__seller_id", "thread__status", "side", "delivered_at", "author_id"
        )
    )
    reminder = timedelta(hours=get_config()["REMINDER_BEFORE_HOURS"])
    pending: list[ResponseClock] = []
    made = 0
    for _, thread_rows in groupby(rows.iterator(chunk_size=BATCH), key=itemgetter(1)):
        pending += _clocks_for(list(thread_rows), now=now, reminder=reminder)
        if len(pending) >= BATCH:
            made += _insert(pending)
            pending = []
    return made + _insert(pending)


def _insert(clocks: list[ResponseClock]) -> int:
    # Whole threads per transaction: a rerun after a crash picks up the threads still missing.
    with transaction.atomic():
        ResponseClock.objects.bulk_create(clocks, batch_size=BATCH)
    return len(clocks)


def _clocks_for(rows: list[tuple], *, now: datetime, reminder: timedelta) -> list[ResponseClock]:
    clocks: list[ResponseClock] = []
    waiting: list[ResponseClock] = []
    status = rows[0][3]
    for message_id, thread_id, seller_id, _, side, at, author_id in rows:
        if side == Side.BUYER:
            clock = ResponseClock(
                message_id=message_id,
                thread_id=thread_id,
                seller_id=seller_id,
                received_at=at,
                due_at=waiting[0].due_at if waiting else at + RESPONSE_WINDOW,
                starts_wait=not waiting,
                first_in_thread=not clocks,
            )
            clocks.append(clock)
            waiting.append(clock)
        else:
            _answer(waiting, at=at, by_id=author_id, resolution=Resolution.REPLY)
            waiting = []
    if waiting and status == ThreadStatus.NO_RESPONSE_NEEDED:
        at = min(waiting[-1].received_at + NO_RESPONSE_NEEDED_AFTER, now)
        _answer(waiting, at=at, by_id=None, resolution=Resolution.NO_RESPONSE_NEEDED)
    for clock in clocks:
        stopped = clock.answered_at or now
        if stopped > clock.due_at - reminder:
            clock.reminded_at = clock.due_at - reminder
        if stopped > clock.due_at:
            clock.late_at = clock.due_at
    return clocks


def _answer(clocks: list[ResponseClock], *, at: datetime, by_id: int | None, resolution: str) -> None:
    for clock in clocks:
        clock.answered_at = at
        clock.answered_by_id = by_id
        clock.resolution = resolution
        clock.answered_in_time = at <= clock.due_at
        clock.response_seconds = max(0, int((at - clock.received_at).total_seconds()))

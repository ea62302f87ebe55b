"""Every read of response clocks that a page needs: the inbox's deadline counts and the seller's
performance page (response rate, trend, late threads, recurring questions).

Which buyer messages count in a period (the performance page's help text says the same): a
buyer message counts when it arrived in the period and is decided, that is, it was answered (a
reply or "No response needed") or its 24 hours have passed. A message still inside its 24 hours
and unanswered does not count yet, in either direction. It counts as in time when the answer
came at or before its due time, as late otherwise (answered late, or still unanswered after it).
Response times (average, median) are measured on replies only: "No response needed" answers
nobody, so it counts towards the rate but not towards how fast the seller replies.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.db.models import Avg, Count, Max, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from apps.accounts.models import SellerAccount
from apps.conversations.models import Thread, ThreadStatus, Topic

from .aggregates import Median
from .conf import get_config
from .models import RESPONSE_WINDOW, Resolution, ResponseClock
from .questions import group_similar

WINDOW_DAYS = (7, 30, 90)
# Amazon's target for "response time under 24 hours"; below it the page warns.
TARGET_PERCENT = 90
TREND_DAYS = 30
INSIGHT_DAYS = 30
LATE_THREADS_SHOWN = 20
PRODUCTS_SHOWN = 8
QUESTION_GROUPS_SHOWN = 8
# The newest first messages compared for similar questions: enough to find what recurs, few
# enough that the page stays fast for the largest seller.
QUESTION_SAMPLE = 2000
SAMPLES_PER_GROUP = 3


@dataclass(frozen=True)
class DeadlineCounts:
    waiting: int  # every thread that needs a response
    due_soon: int
    late: int
    window_hours: float


def inbox_deadline_counts(*, seller: SellerAccount, now: datetime | None = None) -> DeadlineCounts:
    """Threads waiting for an answer: all of them, those whose deadline is within the reminder
    window, and those already past it. One query on the inbox's own "waiting" index."""
    now = now or timezone.now()
    hours = get_config()["REMINDER_BEFORE_HOURS"]
    # A thread is due 24 h after its first unanswered buyer message (awaiting_response_since).
    late_if_waiting_before = now - RESPONSE_WINDOW
    soon = late_if_waiting_before + timedelta(hours=hours)
    # Only threads the seller can see: a buyer's first message held for review is not one yet.
    visible = Thread.objects.filter(seller=seller, status=ThreadStatus.NEEDS_RESPONSE).exclude(
        last_message_side=""
    )
    counts = visible.aggregate(
        waiting=Count("id"),
        late=Count("id", filter=Q(awaiting_response_since__lt=late_if_waiting_before)),
        due_soon=Count(
            "id",
            filter=Q(awaiting_response_since__gte=late_if_waiting_before, awaiting_response_since__lte=soon),
        ),
    )
    return DeadlineCounts(
        waiting=counts["waiting"], due_soon=counts["due_soon"], late=counts["late"], window_hours=hours
    )


@dataclass(frozen=True)
class WindowStats:
    days: int
    counted: int
    in_time: int
    late: int
    average_seconds: float | None
    median_seconds: float | None

    @property
    def in_time_percent(self) -> float | None:
        return 100 * self.in_time / self.counted if self.counted else None

    @property
    def below_target(self) -> bool:
        percent = self.in_time_percent
        return percent is not None and percent < TARGET_PERCENT


@dataclass(frozen=True)
class DayStats:
    day: date
    counted: int
    late: int

    @property
    def in_time(self) -> int:
        return self.counted - self.late


@dataclass(frozen=True)
class LateThread:
    public_id: str
    buyer_first_name: str
    order_number: str | None
    topic: str
    late_messages: int
    last_due_at: datetime
    still_waiting: bool
    waiting_since: datetime | None

    @property
    def topic_label(self) -> str:
        return Topic(self.topic).label


@dataclass(frozen=True)
class Share:
    """Buyer messages about one product or topic."""

    key: str | int
    label: str
    messages: int
    threads: int


@dataclass(frozen=True)
class QuestionGroup:
    count: int
    example: str
    samples: list[tuple[str, str]]  # (thread public id, buyer's first name)


@dataclass(frozen=True)
class PerformanceReport:
    windows: list[WindowStats]
    trend: list[DayStats]
    late_threads: list[LateThread]
    products: list[Share]
    topics: list[Share]
    questions: list[QuestionGroup]
    target_percent: int = TARGET_PERCENT
    insight_days: int = INSIGHT_DAYS

    @property
    def below_target(self) -> list[WindowStats]:
        return [window for window in self.windows if window.below_target]


def performance_report(
    *, seller: SellerAccount, now: datetime | None = None, zone: tzinfo | None = None
) -> PerformanceReport:
    """Everything the performance page shows, in six queries whatever the data size."""
    now = now or timezone.now()
    zone = zone or timezone.get_current_timezone()
    return PerformanceReport(
        windows=response_windows(seller=seller, now=now),
        trend=daily_trend(seller=seller, now=now, zone=zone),
        late_threads=late_threads(seller=seller, now=now),
        products=product_shares(seller=seller, now=now),
        topics=topic_shares(seller=seller, now=now),
        questions=question_groups(seller=seller, now=now),
    )


def _decided(now: datetime) -> Q:
    return Q(answered_at__isnull=False) | Q(due_at__lt=now)


def _late(now: datetime) -> Q:
    return Q(answered_in_time=False) | Q(answered_at__isnull=True, due_at__lt=now)


def _arrived(seller: SellerAccount, *, since: datetime, now: datetime):
    return ResponseClock.objects.filter(seller=seller, received_at__gte=since, received_at__lte=now)


def response_windows(*, seller: SellerAccount, now: datetime) -> list[WindowStats]:
    """The rate, late count and response times for the last 7, 30 and 90 days: one query."""
    replied = Q(resolution=Resolution.REPLY)
    aggregates = {}
    for days in WINDOW_DAYS:
        arrived = Q(received_at__gte=now - timedelta(days=days))
        aggregates |= {
            f"counted_{days}": Count("id", filter=arrived & _decided(now)),
            f"in_time_{days}": Count("id", filter=arrived & Q(answered_in_time=True)),
            f"late_{days}": Count("id", filter=arrived & _late(now)),
            f"average_{days}": Avg("response_seconds", filter=arrived & replied),
            f"median_{days}": Median("response_seconds", filter=arrived & replied),
        }
    row = _arrived(seller, since=now - timedelta(days=max(WINDOW_DAYS)), now=now).aggregate(**aggregates)
    return [
        WindowStats(
            days=days,
            counted=row[f"counted_{days}"],
            in_time=row[f"in_time_{days}"],
            late=row[f"late_{days}"],
            average_seconds=row[f"average_{days}"],
            median_seconds=row[f"median_{days}"],
        )
        for days in WINDOW_DAYS
    ]


def daily_trend(*, seller: SellerAccount, now: datetime, zone: tzinfo) -> list[DayStats]:
    """Decided messages per day of arrival (in the viewer's zone), last 30 days including today."""
    first = timezone.localtime(now, zone).date() - timedelta(days=TREND_DAYS - 1)
    rows = (
        _arrived(seller, since=datetime.combine(first, time.min, tzinfo=zone), now=now)
        .filter(_decided(now))
        .annotate(day=TruncDate("received_at", tzinfo=zone))
        .values("day")
        .annotate(counted=Count("id"), late=Count("id", filter=_late(now)))
        .order_by("day")
    )
    by_day = {row["day"]: row for row in rows}
    days = [first + timedelta(days=offset) for offset in range(TREND_DAYS)]
    return [
        DayStats(
            day=day, counted=by_day.get(day, {}).get("counted", 0), late=by_day.get(day, {}).get("late", 0)
        )
        for day in days
    ]


def late_threads(*, seller: SellerAccount, now: datetime) -> list[LateThread]:
    """Threads with a late buyer message that arrived in the last 30 days, latest deadline first."""
    rows = (
        _arrived(seller, since=now - timedelta(days=INSIGHT_DAYS), now=now)
        .filter(_late(now))
        .values(
            "thread_id",
            "thread__public_id",
            "thread__buyer__first_name",
            "thread__order__number",
            "thread__topic",
            "thread__awaiting_response_since",
        )
        .annotate(
            late_messages=Count("id"),
            last_due_at=Max("due_at"),
            waiting=Count("id", filter=Q(answered_at__isnull=True)),
        )
        .order_by("-last_due_at", "-thread_id")[:LATE_THREADS_SHOWN]
    )
    return [
        LateThread(
            public_id=row["thread__public_id"],
            buyer_first_name=row["thread__buyer__first_name"],
            order_number=row["thread__order__number"],
            topic=row["thread__topic"],
            late_messages=row["late_messages"],
            last_due_at=row["last_due_at"],
            still_waiting=row["waiting"] > 0,
            waiting_since=row["thread__awaiting_response_since"],
        )
        for row in rows
    ]


def product_shares(*, seller: SellerAccount, now: datetime) -> list[Share]:
    """Products that bring the most buyer messages (last 30 days): the order's items, or the
    product a pre-sale question is about. A message about a two-item order counts for both."""
    rows = (
        _arrived(seller, since=now - timedelta(days=INSIGHT_DAYS), now=now)
        .annotate(product=Coalesce("thread__product_id", "thread__order__items__product_id"))
        .filter(product__isnull=False)
        .values("product")
        .annotate(
            title=Max(Coalesce("thread__product__title", "thread__order__items__product__title")),
            messages=Count("id", distinct=True),
            threads=Count("thread_id", distinct=True),
        )
        .order_by("-messages", "product")[:PRODUCTS_SHOWN]
    )
    return [
        Share(key=row["product"], label=row["title"], messages=row["messages"], threads=row["threads"])
        for row in rows
    ]


def topic_shares(*, seller: SellerAccount, now: datetime) -> list[Share]:
    rows = (
        _arrived(seller, since=now - timedelta(days=INSIGHT_DAYS), now=now)
        .values("thread__topic")
        .annotate(messages=Count("id"), threads=Count("thread_id", distinct=True))
        .order_by("-messages", "thread__topic")
    )
    return [
        Share(
            key=row["thread__topic"],
            label=Topic(row["thread__topic"]).label,
            messages=row["messages"],
            threads=row["threads"],
        )
        for row in rows
    ]


def question_groups(*, seller: SellerAccount, now: datetime) -> list[QuestionGroup]:
    """Similar first questions of the last 30 days (the newest 2,000 threads), biggest group first."""
    rows = list(
        _arrived(seller, since=now - timedelta(days=INSIGHT_DAYS), now=now)
        .filter(first_in_thread=True, message__hidden_at__isnull=True)
        .order_by("-received_at", "-id")
        .values_list("message__body", "thread__public_id", "thread__buyer__first_name")[:QUESTION_SAMPLE]
    )
    groups = []
    for members in group_similar([body for body, _, _ in rows]):
        if len(members) < 2 or len(groups) == QUESTION_GROUPS_SHOWN:
            break
        groups.append(
            QuestionGroup(
                count=len(members),
                example=rows[members[0]][0],
                samples=[(rows[index][1], rows[index][2]) for index in members[:SAMPLES_PER_GROUP]],
            )
        )
    return groups

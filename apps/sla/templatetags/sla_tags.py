"""Deadlines and response times as people read them, and the performance trend as an SVG chart.

The filters compute from values the list rows already carry (thread.awaiting_response_since),
so a page of 25 threads costs no extra query.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import template
from django.utils import timezone

from apps.sla.conf import get_config
from apps.sla.models import RESPONSE_WINDOW

register = template.Library()


def _span(seconds: float, *, coarse: bool = False) -> str:
    """'2 d 3 h', '3 h 12 min', '12 min'; `coarse` drops minutes once there are hours."""
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h" if coarse or not minutes else f"{hours} h {minutes} min"
    return f"{minutes} min" if minutes else "under 1 min"


def describe_remaining(remaining: timedelta) -> str:
    """'3 h 12 min left' before the deadline, 'late by 2 h' after it."""
    seconds = remaining.total_seconds()
    if seconds >= 0:
        return f"{_span(seconds)} left"
    return f"late by {_span(-seconds, coarse=True)}"


def _remaining(waiting_since: datetime) -> timedelta:
    return waiting_since + RESPONSE_WINDOW - timezone.now()


@register.filter
def time_left(waiting_since: datetime | None) -> str:
    """For thread.awaiting_response_since: the time left to answer, or how late it is."""
    if waiting_since is None:
        return ""
    return describe_remaining(_remaining(waiting_since))


@register.filter
def deadline_state(waiting_since: datetime | None) -> str:
    """'late', 'soon' (inside the reminder window) or 'ok': a CSS hook next to time_left."""
    if waiting_since is None:
        return ""
    remaining = _remaining(waiting_since)
    if remaining < timedelta(0):
        return "late"
    if remaining <= timedelta(hours=get_config()["REMINDER_BEFORE_HOURS"]):
        return "soon"
    return "ok"


@register.filter
def duration(seconds: float | None) -> str:
    """A response time: '5 h 12 min', '2 d 3 h', '12 min'."""
    if seconds is None:
        return "—"
    return _span(float(seconds))


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return "—"
    # Never round 89.96 % up to a reassuring "90 %" on a page that warns below 90.
    return f"{int(value * 10) / 10:g} %"


# --- the trend chart ---------------------------------------------------------------------

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 30


@dataclass(frozen=True)
class Bar:
    day: date
    counted: int
    late: int
    in_time: int
    x: float
    width: float
    in_time_y: float
    in_time_height: float
    late_y: float
    late_height: float
    label: bool
    label_x: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


def _nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least `value`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


@register.inclusion_tag("sla/includes/_trend_chart.html")
def trend_chart(days, *, chart_id: str = "trend") -> dict:
    """Stacked daily bars (in time below, late above), with a text alternative."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    top_value = _nice_ceiling(max([day.counted for day in days] + [1]))
    slot = plot_width / max(len(days), 1)
    bars = []
    for index, day in enumerate(days):
        in_time_height = plot_height * day.in_time / top_value
        late_height = plot_height * day.late / top_value
        x = LEFT + index * slot + slot * 0.15
        bars.append(
            Bar(
                day=day.day,
                counted=day.counted,
                late=day.late,
                in_time=day.in_time,
                x=round(x, 1),
                width=round(slot * 0.7, 1),
                in_time_y=round(baseline - in_time_height, 1),
                in_time_height=round(in_time_height, 1),
                late_y=round(baseline - in_time_height - late_height, 1),
                late_height=round(late_height, 1),
                # A date under every 7th bar, counted back from today so today is labelled.
                label=(len(days) - 1 - index) % 7 == 0,
                label_x=round(x + slot * 0.35, 1),
            )
        )
    ticks = [
        Tick(value=value, y=round(baseline - plot_height * value / top_value, 1))
        for value in sorted({0, top_value // 2, top_value})
    ]
    counted = sum(day.counted for day in days)
    late = sum(day.late for day in days)
    worst = max(days, key=lambda day: (day.late, day.day), default=None)
    return {
        "chart_id": chart_id,
        "bars": bars,
        "ticks": ticks,
        "days": days,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "axis_x": LEFT - 6,
        "right_edge": WIDTH - RIGHT,
        "baseline": baseline,
        "label_y": baseline + 18,
        "counted": counted,
        "late": late,
        "worst": worst if worst is not None and worst.late else None,
        "first": days[0].day if days else None,
        "last": days[-1].day if days else None,
    }

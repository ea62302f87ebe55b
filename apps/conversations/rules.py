"""The sending rules: what may be sent, by whom, when. One place, used by every route (web
composer, email gateway, anything later) so that no route can skip them.

`may_send()` answers "may this be sent?" with a reason a person can read; the composer shows
the reason instead of a Send button, and the services enforce the same answer.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connections, router
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format

from apps.accounts.models import MessagingStanding, SellerAccount, User
from apps.accounts.services import is_opted_out
from apps.orders.models import Order, OrderStatus

from .models import ImportantReason, Message, MessageKind, ProactiveReason, ReviewRequest, Side, Thread

DEFAULTS = {
    # Proactive messages are possible until this many days after delivery (or completion).
    "PROACTIVE_DAYS_AFTER_DELIVERY": 30,
    # "Request a review" opens this many days after delivery and closes after the second number.
    "REVIEW_REQUEST_OPENS_DAYS": 5,
    "REVIEW_REQUEST_CLOSES_DAYS": 30,
    # More Important messages than this in the window are held for a moderator.
    "IMPORTANT_LIMIT": 3,
    "IMPORTANT_WINDOW_DAYS": 7,
    # The same text to more buyers than this in the window is held and must be personalised.
    "IDENTICAL_BUYERS_LIMIT": 20,
    "IDENTICAL_WINDOW_HOURS": 24,
    # Faster than a person can write: per sending user.
    "RATE_PER_MINUTE": 10,
    "RATE_PER_DAY": 200,
}


@cache
def get_config() -> dict:
    overrides = (getattr(settings, "MESSAGING", {}) or {}).get("SENDING", {}) or {}
    unknown = set(overrides) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"Unknown MESSAGING['SENDING'] settings: {sorted(unknown)}")
    return {**DEFAULTS, **overrides}


@receiver(setting_changed)
def _reset(*, setting, **kwargs):
    if setting == "MESSAGING":
        get_config.cache_clear()


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    # Allowed, but a moderator looks first (a restricted seller, too many Important messages, ...).
    hold: bool = False

    @classmethod
    def no(cls, reason: str) -> "Decision":
        return cls(allowed=False, reason=reason)


YES = Decision(allowed=True)


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def check_standing(seller: SellerAccount, *, current: bool = False) -> Decision:
    """`current`: the caller read `seller` in its own transaction a moment ago (with a locked
    thread), so it is not read again."""
    standing = (
        seller
        if current
        else SellerAccount.objects.only(
            "messaging_suspended_at", "messaging_restricted_until", "messaging_standing_reason"
        ).get(pk=seller.pk)
    )
    state = standing.messaging_standing()
    if state == MessagingStanding.SUSPENDED:
        why = standing.messaging_standing_reason or "repeated breaches of the messaging rules"
        return Decision.no(
            f"Your messaging is suspended ({why}). A moderator has to reinstate it before you can send."
        )
    if state == MessagingStanding.RESTRICTED:
        until = _when(standing.messaging_restricted_until)
        return Decision(
            allowed=True, hold=True, reason=f"Your messages are reviewed before delivery until {until}."
        )
    return YES


# The rate and identical-text rules run before every message a person sends. As SQL of our own
# they cost a tenth of the ORM's query building, which is most of their time (bench/email.py).
_RATE_SQL = (
    "SELECT COUNT(*), COUNT(CASE WHEN created_at > %s THEN 1 END) FROM conversations_message "
    "WHERE author_id = %s AND created_at > %s"
)
# fingerprint <> '' lets a prepared statement's generic plan use the partial fingerprint index.
_SAME_TEXT_SQL = (
    "SELECT DISTINCT t.buyer_id FROM conversations_message m "
    "JOIN conversations_thread t ON t.id = m.thread_id "
    "WHERE m.fingerprint = %s AND m.fingerprint <> '' AND m.side = %s AND t.seller_id = %s "
    "AND m.created_at > %s LIMIT %s"
)


def _rows(sql: str, params: list) -> list[tuple]:
    connection = connections[router.db_for_write(Message)]  # the sender's transaction's own
    params = [connection.ops.adapt_datetimefield_value(p) if isinstance(p, datetime) else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def check_rate(author: User, now: datetime | None = None) -> Decision:
    """A person, not a script: at most N messages a minute and M a day per sending user."""
    config, now = get_config(), now or timezone.now()
    per_minute, per_day = config["RATE_PER_MINUTE"], config["RATE_PER_DAY"]
    # Counted, not fetched: the times are only read when the answer is no.
    [(day, minute)] = _rows(_RATE_SQL, [now - timedelta(minutes=1), author.pk, now - timedelta(days=1)])
    # Only a day's allowance of the newest messages counts, in the last minute too; the last
    # minute's messages are the newest, so the oldest of them counted is the k-th newest.
    last_minute = min(minute, per_day)
    if last_minute < per_minute and day < per_day:
        return YES  # the usual answer
    newest_first = (
        Message.objects.filter(author=author, created_at__gt=now - timedelta(days=1))
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    )
    if last_minute >= per_minute:
        return Decision.no(
            f"You are sending faster than we allow ({per_minute} messages a minute). "
            f"You can send again at {_when(newest_first[last_minute - 1] + timedelta(minutes=1))}."
        )
    return Decision.no(
        f"You have sent {per_day} messages in 24 hours, the most we allow. "
        f"You can send again at {_when(newest_first[per_day - 1] + timedelta(days=1))}."
    )


def _delivered_at(order: Order) -> datetime | None:
    return order.delivered_at or order.completed_at


def check_proactive(
    *, seller: SellerAccount, order: Order, reason: str, important: str = "", now: datetime | None = None
) -> Decision:
    """A message the seller starts about an order: only about that order, only with a reason from
    the fixed list, only until 30 days after delivery; Important only for safety, recalls and
    critical warranty information, and it then reaches buyers who opted out."""
    config, now = get_config(), now or timezone.now()
    if order.seller_id != seller.pk:
        return Decision.no("You can only message buyers about your own orders.")
    if order.status == OrderStatus.CANCELLED:
        return Decision.no("This order was cancelled; there is nothing to message the buyer about.")
    if important:
        if important not in ImportantReason.values:
            return Decision.no(
                "Important is only for product safety, recalls or critical warranty information."
            )
    elif reason not in ProactiveReason.values:
        return Decision.no("Choose the order-related reason for your message.")
    for check in (
        _within_order_window(order, now),
        YES if important else _not_opted_out(order.buyer, seller),
    ):
        if not check.allowed:
            return check
    if important and _important_count(seller, now) >= config["IMPORTANT_LIMIT"]:
        return Decision(
            allowed=True,
            hold=True,
            reason=f"You have sent {config['IMPORTANT_LIMIT']} Important messages in the last "
            f"{config['IMPORTANT_WINDOW_DAYS']} days; further ones are reviewed by a moderator first.",
        )
    return YES


def _important_count(seller: SellerAccount, now: datetime) -> int:
    since = now - timedelta(days=get_config()["IMPORTANT_WINDOW_DAYS"])
    return Message.objects.filter(
        thread__seller=seller, kind=MessageKind.IMPORTANT, created_at__gt=since
    ).count()


def check_reply(*, thread: Thread, side: str) -> Decision:
    """Replies in a thread the buyer started are always allowed (the filter still applies).
    A seller writing again in a thread the seller started, before the buyer ever answered,
    is still unsolicited: it follows the proactive rules."""
    if side != Side.SELLER or thread.started_by == Side.BUYER or thread.last_buyer_message_at:
        return YES
    if thread.order_id is None:
        return Decision.no("Only the buyer can continue this conversation.")
    for check in (
        _not_opted_out(thread.buyer, thread.seller),
        _within_order_window(thread.order, timezone.now()),
    ):
        if not check.allowed:
            return check
    return YES


def _within_order_window(order: Order, now: datetime) -> Decision:
    delivered = _delivered_at(order)
    limit = get_config()["PROACTIVE_DAYS_AFTER_DELIVERY"]
    if delivered and now > delivered + timedelta(days=limit):
        return Decision.no(
            f"Messages about an order can be sent until {limit} days after delivery; "
            f"this one was delivered on {_when(delivered)}."
        )
    return YES


def _not_opted_out(buyer: User, seller: SellerAccount) -> Decision:
    if is_opted_out(buyer=buyer, seller=seller):
        return Decision.no(
            "This buyer doesn't want unsolicited messages from sellers. Only Important messages "
            "(product safety, recalls, critical warranty information) reach them."
        )
    return YES


def check_review_request(*, seller: SellerAccount, order: Order, now: datetime | None = None) -> Decision:
    """Once per order, between day 5 and day 30 after delivery, never for returned or refunded
    orders. The buyer's opt-out doesn't apply: the marketplace sends it, with fixed words."""
    config, now = get_config(), now or timezone.now()
    if order.seller_id != seller.pk:
        return Decision.no("You can only request reviews for your own orders.")
    if ReviewRequest.objects.filter(order=order).exists():
        return Decision.no("A review was already requested for this order; it can be requested once.")
    if order.status in (OrderStatus.RETURNED, OrderStatus.REFUNDED) or order.returned_at or order.refunded_at:
        return Decision.no("Reviews can't be requested for returned or refunded orders.")
    delivered = _delivered_at(order)
    if delivered is None:
        return Decision.no("Reviews can be requested once the order is delivered.")
    opens = delivered + timedelta(days=config["REVIEW_REQUEST_OPENS_DAYS"])
    closes = delivered + timedelta(days=config["REVIEW_REQUEST_CLOSES_DAYS"])
    if now < opens:
        return Decision.no(
            f"You can request a review from {_when(opens)} ({config['REVIEW_REQUEST_OPENS_DAYS']} "
            "days after delivery)."
        )
    if now > closes:
        return Decision.no(
            f"Reviews can be requested until {config['REVIEW_REQUEST_CLOSES_DAYS']} days after "
            f"delivery; that was {_when(closes)}."
        )
    return YES


_WORDS = re.compile(r"[^\w]+")


def fingerprint(text: str) -> str:
    """The same words in the same order, whatever the case, spacing and punctuation."""
    return hashlib.sha256(" ".join(_WORDS.sub(" ", text.casefold()).split()).encode()).hexdigest()


def check_identical(
    *, seller: SellerAccount, buyer: User, text_fingerprint: str, now: datetime | None = None
):
    """One text to many buyers is a mailing, not a conversation: hold it and ask for a personal note."""
    config, now = get_config(), now or timezone.now()
    since = now - timedelta(hours=config["IDENTICAL_WINDOW_HOURS"])
    limit = config["IDENTICAL_BUYERS_LIMIT"]
    # Counting stops at the limit (this buyer may be one of them): whether it is reached is all
    # that matters.
    buyers = _rows(_SAME_TEXT_SQL, [text_fingerprint, Side.SELLER, seller.pk, since, limit + 1])
    if sum(found != buyer.pk for (found,) in buyers) >= limit:
        return Decision(
            allowed=True,
            hold=True,
            reason=f"You sent this same text to more than {limit} buyers in "
            f"{config['IDENTICAL_WINDOW_HOURS']} hours, so a moderator checks it first. Please personalise "
            "your messages.",
        )
    return YES

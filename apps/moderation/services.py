"""Every moderation write: queue items, decisions, reports, violations, strikes, standing, audit."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import MessagingStanding, SellerAccount, User
from apps.accounts.services import change_messaging_standing
from apps.conversations import services as conversation_services
from apps.conversations.exceptions import InvalidStatusChange
from apps.conversations.models import DeliveryState, Message, Side, Thread

from .conf import get_config
from .exceptions import AlreadyDecided, ModerationError
from .models import ModerationAction, RejectReason, ReportReason, ReviewItem, StaffRead, Violation


def _categories(verdict: dict) -> str:
    return " ".join(sorted(set(verdict.get("categories") or [])))


# --- the queue ---------------------------------------------------------------------------------


def queue_held_message(*, message: Message) -> ReviewItem:
    """Called in the transaction that held the message (the `message_held` event)."""
    thread = message.thread
    item, _ = ReviewItem.objects.get_or_create(
        message=message,
        kind=ReviewItem.Kind.HELD,
        defaults={
            "seller_id": thread.seller_id,
            "sender_side": message.side,
            "source": message.source,
            "categories": _categories(message.verdict),
            "created_at": message.created_at,
        },
    )
    return item


@transaction.atomic
def report_message(*, message: Message, reporter: User, reason: str, note: str = "") -> ReviewItem:
    """A recipient reports a message they received; it goes to the moderators' queue."""
    if reason not in ReportReason.values:
        raise ModerationError("Choose why you are reporting this message.")
    thread = message.thread
    reporter_side = Side.BUYER if thread.buyer_id == reporter.pk else Side.SELLER
    if message.side == reporter_side or message.state != DeliveryState.DELIVERED:
        raise ModerationError("You can only report a message you received.")
    existing = ReviewItem.objects.filter(
        message=message, reported_by=reporter, kind=ReviewItem.Kind.REPORTED, status__in=["open", "escalated"]
    ).first()
    if existing:
        return existing
    return ReviewItem.objects.create(
        message=message,
        kind=ReviewItem.Kind.REPORTED,
        seller_id=thread.seller_id,
        sender_side=message.side,
        source=message.source,
        categories=_categories(message.verdict),
        reported_by=reporter,
        report_reason=reason,
        report_note=note[:2000],
    )


def _lock_open(item: ReviewItem) -> ReviewItem:
    """Lock the item; a second moderator acting at the same moment waits here, then finds it decided."""
    item = ReviewItem.objects.select_for_update().select_related("message", "message__thread").get(pk=item.pk)
    if item.status == ReviewItem.Status.DECIDED:
        raise AlreadyDecided
    return item


def _decide(item: ReviewItem, *, decision: str, by: User, reason: str = "", note: str = "") -> ReviewItem:
    item.status = ReviewItem.Status.DECIDED
    item.decision, item.decision_reason, item.decision_note = decision, reason, note
    item.decided_by, item.decided_at = by, timezone.now()
    item.save(
        update_fields=["status", "decision", "decision_reason", "decision_note", "decided_by", "decided_at"]
    )
    ModerationAction.objects.create(item=item, action=decision, reason=reason, note=note, by=by)
    return item


@transaction.atomic
def release(*, item: ReviewItem, by: User, note: str = "") -> ReviewItem:
    item = _lock_open(item)
    if item.kind != ReviewItem.Kind.HELD:
        raise ModerationError("Only a held message can be released; use “No action needed” for a report.")
    conversation_services.release_message(message=item.message, by=by)
    return _decide(item, decision=ReviewItem.Decision.RELEASE, by=by, note=note)


@transaction.atomic
def reject(*, item: ReviewItem, by: User, reason: str, note: str = "") -> ReviewItem:
    """Refuse a held message (never delivered) or hide a reported one; either is a violation."""
    if reason not in RejectReason.values:
        raise ModerationError("Choose a reason from the list.")
    item = _lock_open(item)
    label = RejectReason(reason).label
    shown = f"{label}. {note}".strip() if note else label
    if item.kind == ReviewItem.Kind.HELD:
        conversation_services.reject_message(message=item.message, by=by, reason=shown)
        kind, decision = Violation.Kind.REJECTED, ReviewItem.Decision.REJECT
    else:
        if item.message.hidden_at is None:  # a second report of a message already hidden
            conversation_services.hide_message(message=item.message, by=by, reason=shown)
        kind, decision = Violation.Kind.HIDDEN, ReviewItem.Decision.HIDE
    _record_violation(
        kind=kind,
        seller=item.message.thread.seller,
        sender=item.message.author,
        side=item.message.side,
        thread=item.message.thread,
        message=item.message,
        text=item.message.original_body,
        categories=item.categories,
        reason=shown,
        verdict=item.message.verdict,
        source=item.message.source,
    )
    # Other open reports of the same message are settled by this decision too.
    for other in (
        ReviewItem.objects.select_for_update()
        .filter(message=item.message)
        .exclude(pk=item.pk)
        .exclude(status=ReviewItem.Status.DECIDED)
    ):
        _decide(other, decision=decision, by=by, reason=reason, note=f"decided with #{item.pk}")
    return _decide(item, decision=decision, by=by, reason=reason, note=note)


@transaction.atomic
def dismiss(*, item: ReviewItem, by: User, note: str = "") -> ReviewItem:
    item = _lock_open(item)
    if item.kind != ReviewItem.Kind.REPORTED:
        raise ModerationError("A held message is released or rejected, not dismissed.")
    return _decide(item, decision=ReviewItem.Decision.DISMISS, by=by, note=note)


@transaction.atomic
def escalate(*, item: ReviewItem, by: User, note: str) -> ReviewItem:
    item = _lock_open(item)
    item.status = ReviewItem.Status.ESCALATED
    item.save(update_fields=["status"])
    ModerationAction.objects.create(item=item, action="escalate", note=note, by=by)
    return item


@dataclass
class BulkOutcome:
    done: int = 0
    skipped: list[str] = field(default_factory=list)


def decide_many(
    *, item_ids: Iterable[int], action: str, by: User, reason: str = "", note: str = ""
) -> BulkOutcome:
    """Bulk release or reject; each item in its own transaction so one conflict skips only itself."""
    outcome = BulkOutcome()
    for item in ReviewItem.objects.filter(pk__in=list(item_ids)).order_by("created_at", "id"):
        try:
            if action == "release":
                release(item=item, by=by, note=note)
            elif action == "reject":
                reject(item=item, by=by, reason=reason, note=note)
            else:
                raise ModerationError(f"Unknown bulk action {action!r}.")
            outcome.done += 1
        except ModerationError as error:
            outcome.skipped.append(f"#{item.pk}: {error}")
        except InvalidStatusChange as error:
            outcome.skipped.append(f"#{item.pk}: {error}")
    return outcome


# --- violations, strikes and standing ------------------------------------------------------


def _record_violation(*, seller: SellerAccount, side: str, **fields) -> Violation:
    violation = Violation.objects.create(seller=seller, side=side, is_strike=side == Side.SELLER, **fields)
    if violation.is_strike:
        enforce_strikes(seller=seller)
    return violation


def record_blocked_message(*, author, side, seller, thread, text, verdict, source) -> Violation:
    """Called in its own transaction when the filter blocked a message (`message_blocked`)."""
    return _record_violation(
        kind=Violation.Kind.BLOCKED,
        seller=seller,
        sender=author,
        side=side,
        thread=thread,
        text=text,
        categories=" ".join(verdict.categories),
        reason="; ".join(verdict.reasons()),
        verdict=verdict.as_dict(),
        source=source,
    )


def strikes_in_window(*, seller: SellerAccount, now=None) -> int:
    now = now or timezone.now()
    since = now - timedelta(days=get_config()["STRIKE_WINDOW_DAYS"])
    return Violation.objects.filter(seller=seller, is_strike=True, created_at__gt=since).count()


def enforce_strikes(*, seller: SellerAccount) -> str:
    """Apply the thresholds after a new strike: restrict at 3 in 30 days, suspend at 6 (defaults)."""
    config = get_config()
    strikes = strikes_in_window(seller=seller)
    seller = SellerAccount.objects.get(pk=seller.pk)
    standing = seller.messaging_standing()
    if strikes >= config["SUSPEND_AT_STRIKES"] and standing != MessagingStanding.SUSPENDED:
        change_messaging_standing(
            seller=seller,
            standing=MessagingStanding.SUSPENDED,
            reason=f"{strikes} breaches of the messaging rules in {config['STRIKE_WINDOW_DAYS']} days",
        )
        return MessagingStanding.SUSPENDED
    if strikes >= config["RESTRICT_AT_STRIKES"] and standing == MessagingStanding.GOOD:
        change_messaging_standing(
            seller=seller,
            standing=MessagingStanding.RESTRICTED,
            until=timezone.now() + timedelta(days=config["RESTRICT_DAYS"]),
            reason=f"{strikes} breaches of the messaging rules in {config['STRIKE_WINDOW_DAYS']} days",
        )
        return MessagingStanding.RESTRICTED
    return standing


def set_standing(*, seller: SellerAccount, standing: str, by: User, reason: str, days: int | None = None):
    """A moderator restricts (for `days`), suspends or reinstates a seller by hand."""
    until = (
        timezone.now() + timedelta(days=days) if standing == MessagingStanding.RESTRICTED and days else None
    )
    return change_messaging_standing(seller=seller, standing=standing, reason=reason, by=by, until=until)


# --- audit ---------------------------------------------------------------------------------


def log_staff_read(*, user: User, thread: Thread, where: str) -> None:
    StaffRead.objects.create(user=user, thread=thread, where=where)

"""Reads for the moderation pages and the dispute record."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone

from apps.accounts.models import SellerAccount
from apps.conversations.models import Attachment, Message, Thread
from apps.core.pagination import KeysetPage, paginate_keyset

from .conf import get_config
from .models import ReviewItem, StaffRead, Violation

ITEMS_PER_PAGE = 30


@dataclass(frozen=True)
class QueueFilters:
    status: str = "waiting"  # waiting (open + escalated), open, escalated, decided
    kind: str = ""
    category: str = ""
    seller: str = ""  # SellerAccount.public_id
    source: str = ""
    older_than_hours: int | None = None


def queue_page(*, filters: QueueFilters, cursor: str | None) -> KeysetPage:
    items = ReviewItem.objects.select_related("seller", "message", "message__thread", "reported_by")
    if filters.status == "waiting":
        items = items.exclude(status=ReviewItem.Status.DECIDED)
    elif filters.status in ReviewItem.Status.values:
        items = items.filter(status=filters.status)
    if filters.kind in ReviewItem.Kind.values:
        items = items.filter(kind=filters.kind)
    if filters.category:
        items = items.filter(categories__contains=filters.category)
    if filters.seller:
        items = items.filter(seller__public_id=filters.seller)
    if filters.source:
        items = items.filter(source=filters.source)
    if filters.older_than_hours:
        items = items.filter(created_at__lte=timezone.now() - timedelta(hours=filters.older_than_hours))
    ordering = ("-decided_at", "-id") if filters.status == "decided" else ("created_at", "id")
    if filters.status == "decided":
        items = items.filter(decided_at__isnull=False)
    return paginate_keyset(items, ordering=ordering, cursor=cursor, per_page=ITEMS_PER_PAGE)


def review_item(item_id: int) -> ReviewItem:
    return ReviewItem.objects.select_related(
        "seller",
        "message",
        "message__thread",
        "message__thread__buyer",
        "message__thread__order",
        "message__author",
        "reported_by",
        "decided_by",
    ).get(pk=item_id)


def thread_context(message: Message, *, around: int = 5) -> list[Message]:
    """The messages just before and after the one under review, whatever their state."""
    thread_messages = message.thread.messages.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    )
    before = list(
        thread_messages.filter(created_at__lte=message.created_at)
        .exclude(pk=message.pk)
        .order_by("-created_at", "-id")[:around]
    )[::-1]
    after = list(
        thread_messages.filter(created_at__gt=message.created_at).order_by("created_at", "id")[:around]
    )
    current = thread_messages.get(pk=message.pk)
    return [*before, current, *after]


def sender_history(item: ReviewItem) -> dict:
    """The sender's earlier violations, and the seller's strikes in the current window."""
    message = item.message
    violations = Violation.objects.filter(seller=item.seller, side=message.side)
    if message.side == "buyer":
        violations = violations.filter(sender=message.author)
    window = timezone.now() - timedelta(days=get_config()["STRIKE_WINDOW_DAYS"])
    return {
        "violations": list(violations.order_by("-created_at")[:20]),
        "strikes": Violation.objects.filter(
            seller=item.seller, is_strike=True, created_at__gt=window
        ).count(),
        "earlier_items": ReviewItem.objects.filter(seller=item.seller, sender_side=message.side)
        .exclude(pk=item.pk)
        .filter(status=ReviewItem.Status.DECIDED)
        .count(),
    }


def seller_health(*, seller: SellerAccount) -> dict:
    config = get_config()
    window = timezone.now() - timedelta(days=config["STRIKE_WINDOW_DAYS"])
    violations = list(Violation.objects.filter(seller=seller, is_strike=True).order_by("-created_at")[:50])
    return {
        "standing": seller.messaging_standing(),
        "seller": seller,
        "strikes": sum(1 for v in violations if v.created_at > window),
        "violations": violations,
        "config": config,
        "changes": list(seller.standing_changes.select_related("by")[:20]),
    }


def dispute_record(*, thread: Thread) -> dict:
    """Everything about a thread a dispute needs, as plain data (the JSON export and the print page)."""
    messages = (
        thread.messages.select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    decisions: dict[int, list[dict]] = {}
    for item in (
        ReviewItem.objects.filter(message__thread=thread).select_related("decided_by").order_by("created_at")
    ):
        decisions.setdefault(item.message_id, []).append(
            {
                "kind": item.kind,
                "status": item.status,
                "decision": item.decision,
                "reason": item.decision_reason,
                "note": item.decision_note,
                "decided_by": item.decided_by.email if item.decided_by else None,
                "decided_at": item.decided_at.isoformat() if item.decided_at else None,
                "report_reason": item.report_reason,
            }
        )
    return {
        "thread": thread.public_id,
        "seller": thread.seller.name,
        "buyer": thread.buyer.email,
        "order": thread.order.number if thread.order else None,
        "topic": thread.topic,
        "status": thread.status,
        "created_at": thread.created_at.isoformat(),
        "messages": [
            {
                "id": message.public_id,
                "side": message.side,
                "author": message.author.email if message.author else None,
                "kind": message.kind,
                "source": message.source,
                "state": message.state,
                "created_at": message.created_at.isoformat(),
                "delivered_at": message.delivered_at.isoformat() if message.delivered_at else None,
                "body_delivered": message.body,
                "body_as_written": message.original_body,
                "redacted": message.redacted,
                "hidden_at": message.hidden_at.isoformat() if message.hidden_at else None,
                "hidden_reason": message.hidden_reason,
                "state_reason": message.state_reason,
                "policy_verdict": message.verdict,
                "moderation": decisions.get(message.pk, []),
                "attachments": [
                    {
                        "name": a.display_name,
                        "content_type": a.content_type,
                        "size": a.size,
                        "sha256": a.sha256,
                    }
                    for a in message.attachments.all()
                ],
            }
            for message in messages
        ],
        "blocked_attempts": [
            {
                "at": v.created_at.isoformat(),
                "side": v.side,
                "text": v.text,
                "categories": v.categories.split(),
            }
            for v in Violation.objects.filter(thread=thread, kind=Violation.Kind.BLOCKED).order_by(
                "created_at"
            )
        ],
        "staff_reads": [
            {"user": read.user.email, "where": read.where, "at": read.at.isoformat()}
            for read in StaffRead.objects.filter(thread=thread).select_related("user").order_by("at")
        ],
    }


def record_digest(record: dict) -> str:
    """A checksum printed on the dispute page so that a printout can be matched to the export."""
    return hashlib.sha256(repr(record["messages"]).encode()).hexdigest()[:16]


def thread_for_staff(public_id: str) -> Thread:
    return Thread.objects.select_related("seller", "buyer", "order").get(public_id=public_id)

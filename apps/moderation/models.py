from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import SellerAccount
from apps.conversations.models import Message, Side, Source, Thread


class RejectReason(models.TextChoices):
    CONTACT_DETAILS = "contact_details", "Shares contact details"
    OUTSIDE_LINK = "outside_link", "Links to an outside website"
    REVIEW_MANIPULATION = "review_manipulation", "Asks for, or offers something for, a review"
    MARKETING = "marketing", "Marketing or unrelated promotion"
    ABUSE = "abuse", "Abusive or threatening language"
    OTHER = "other", "Other breach of the messaging rules"


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam or marketing"
    OFF_PLATFORM = "off_platform", "Asks me to talk or pay outside the marketplace"
    REVIEW = "review", "Asks for a review or offers something for one"
    ABUSIVE = "abusive", "Abusive or threatening"
    OTHER = "other", "Something else"


class ReviewItem(models.Model):
    """One message in the moderation queue: held by the filter, or reported by its recipient."""

    class Kind(models.TextChoices):
        HELD = "held", "Held by the filter"
        REPORTED = "reported", "Reported by the recipient"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting"
        ESCALATED = "escalated", "Escalated"
        DECIDED = "decided", "Decided"

    class Decision(models.TextChoices):
        RELEASE = "release", "Released"
        REJECT = "reject", "Rejected"
        HIDE = "hide", "Hidden from the recipient"
        DISMISS = "dismiss", "No action needed"

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="review_items")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # Copied from the message and thread so that the queue filters without joins.
    seller = models.ForeignKey(SellerAccount, on_delete=models.PROTECT, related_name="review_items")
    sender_side = models.CharField(max_length=8, choices=Side.choices)
    source = models.CharField(max_length=8, choices=Source.choices)
    categories = models.CharField(max_length=200, blank=True, help_text="space-separated filter categories")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_reason = models.CharField(max_length=16, choices=ReportReason.choices, blank=True)
    report_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.CharField(max_length=24, choices=RejectReason.choices, blank=True)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message"], condition=Q(kind="held"), name="moderation_one_hold"),
            models.UniqueConstraint(
                fields=["message", "reported_by"],
                condition=Q(kind="reported", status__in=["open", "escalated"]),
                name="moderation_one_open_report_per_reporter",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at", "id"], condition=~Q(status="decided"), name="review_open_oldest"
            ),
            models.Index(fields=["seller", "created_at"], name="review_seller"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DECIDED


class ModerationAction(models.Model):
    """The record of every step a moderator took on an item: who, when, what and why."""

    item = models.ForeignKey(ReviewItem, on_delete=models.PROTECT, related_name="actions")
    action = models.CharField(max_length=12)
    reason = models.CharField(max_length=24, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} on #{self.item_id} by {self.by_id}"


class Violation(models.Model):
    """A breach of the messaging rules. A seller's violations are strikes."""

    class Kind(models.TextChoices):
        BLOCKED = "blocked", "Blocked by the filter"
        REJECTED = "rejected", "Rejected by a moderator"
        HIDDEN = "hidden", "Hidden by a moderator after a report"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    seller = models.ForeignKey(SellerAccount, on_delete=models.PROTECT, related_name="violations")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    # A blocked message was never stored as a Message, so its text is kept here for the record.
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    categories = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    verdict = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEB)
    is_strike = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["seller", "created_at"], condition=Q(is_strike=True), name="violation_strikes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.categories or self.reason})"


class StaffRead(models.Model):
    """Audit: a staff member read a thread (moderation page, admin, dispute record)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="+")
    where = models.CharField(max_length=24)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["thread", "-at"], name="staffread_thread")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} in {self.where}"

import os

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import SellerAccount
from apps.aliases.models import Alias
from apps.orders.models import Order, Product

from .ids import new_public_id


class Side(models.TextChoices):
    BUYER = "buyer", "Buyer"
    SELLER = "seller", "Seller"
    SYSTEM = "system", "Marketplace"


class Topic(models.TextChoices):
    SHIPPING = "shipping", "Shipping or delivery"
    RETURN = "return", "Return or refund"
    PRODUCT = "product", "Product question"
    OTHER = "other", "Other"


class ThreadStatus(models.TextChoices):
    NEEDS_RESPONSE = "needs_response", "Needs response"
    RESPONDED = "responded", "Responded"
    NO_RESPONSE_NEEDED = "no_response_needed", "No response needed"


class Thread(models.Model):
    """One conversation between a buyer and a seller account, about one order (or a product)."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    seller = models.ForeignKey(SellerAccount, on_delete=models.PROTECT, related_name="threads")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads")
    # Null for a pre-sale question, which is about a product instead.
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="threads")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="threads"
    )
    # The buyer's anonymous address with this seller: all the seller ever sees besides a first name.
    buyer_alias = models.ForeignKey(
        Alias, null=True, blank=True, on_delete=models.PROTECT, related_name="threads"
    )
    topic = models.CharField(max_length=16, choices=Topic.choices)
    subject = models.CharField(max_length=200)
    status = models.CharField(
        max_length=24, choices=ThreadStatus.choices, default=ThreadStatus.NEEDS_RESPONSE
    )
    started_by = models.CharField(max_length=8, choices=Side.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # Denormalised from the last delivered message so that list pages need no per-row query.
    last_message_at = models.DateTimeField(default=timezone.now)
    last_message_side = models.CharField(max_length=8, choices=Side.choices, blank=True)
    last_message_excerpt = models.CharField(max_length=160, blank=True)
    last_buyer_message_at = models.DateTimeField(null=True, blank=True)
    # When the oldest buyer message not yet answered arrived (null when nothing waits): the
    # inbox sorts "Needs response" by it, and response clocks run from it.
    awaiting_response_since = models.DateTimeField(null=True, blank=True)
    last_seller_message_at = models.DateTimeField(null=True, blank=True)
    buyer_unread = models.PositiveIntegerField(default=0)
    seller_unread = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "seller", "order"],
                condition=Q(order__isnull=False),
                name="conversations_one_thread_per_order",
            ),
            models.UniqueConstraint(
                fields=["buyer", "seller", "product"],
                condition=Q(order__isnull=True, product__isnull=False),
                name="conversations_one_thread_per_presale_product",
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "-last_message_at", "-id"], name="thread_seller_recent"),
            models.Index(fields=["seller", "status", "-last_message_at", "-id"], name="thread_seller_status"),
            models.Index(fields=["seller", "topic", "-last_message_at", "-id"], name="thread_seller_topic"),
            models.Index(
                fields=["seller", "-last_message_at", "-id"],
                condition=Q(seller_unread__gt=0),
                name="thread_seller_unread",
            ),
            models.Index(
                fields=["seller", "-last_seller_message_at", "-id"],
                condition=Q(last_seller_message_at__isnull=False),
                name="thread_seller_sent",
            ),
            models.Index(fields=["buyer", "-last_message_at", "-id"], name="thread_buyer_recent"),
            models.Index(
                fields=["seller", "awaiting_response_since", "id"],
                condition=Q(status="needs_response"),
                name="thread_seller_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id}: {self.subject}"


class MessageKind(models.TextChoices):
    MESSAGE = "message", "Message"
    PROACTIVE = "proactive", "Order message"
    IMPORTANT = "important", "Important"
    REVIEW_REQUEST = "review_request", "Review request"
    SYSTEM = "system", "Automatic notice"


class Source(models.TextChoices):
    WEB = "web", "Web"
    EMAIL = "email", "Email"
    SYSTEM = "system", "System"


class DeliveryState(models.TextChoices):
    DELIVERED = "delivered", "Delivered"
    HELD = "held", "Held for review"
    REJECTED = "rejected", "Rejected by a moderator"


class Message(models.Model):
    """A message as written, filtered and delivered. Never edited or deleted once stored.

    On PostgreSQL the table also has `search_vector`, a stored tsvector of the body with a GIN
    index (migration 0004), which the inbox search reads (conversations/search.py).
    """

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    # Null for messages the marketplace itself sends.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    kind = models.CharField(max_length=16, choices=MessageKind.choices, default=MessageKind.MESSAGE)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEB)
    state = models.CharField(max_length=12, choices=DeliveryState.choices)
    # What the recipient reads (contact details replaced by "[removed]" when redacted) ...
    body = models.TextField()
    # ... and what the sender typed, kept for moderators and disputes.
    original_body = models.TextField()
    verdict = models.JSONField(default=dict, blank=True)
    redacted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Why a seller wrote unprompted (proactive and Important messages), from a fixed list.
    reason = models.CharField(max_length=24, blank=True)
    # The normalised text's hash, to notice one text sent to many buyers.
    fingerprint = models.CharField(max_length=64, blank=True)
    # Why a moderator rejected it (shown to the sender).
    state_reason = models.CharField(max_length=300, blank=True)
    # A moderator may hide a delivered message from its recipients; it stays in the record.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="message_thread_time"),
            models.Index(
                fields=["state", "created_at"], condition=Q(state="held"), name="message_held_queue"
            ),
            # The identical-text rule looks up one fingerprint among a seller's recent messages;
            # without it, every seller reply walks all of the seller's threads.
            models.Index(
                fields=["fingerprint", "created_at"], condition=~Q(fingerprint=""), name="message_fingerprint"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.side}, {self.state})"

    @property
    def is_delivered(self) -> bool:
        return self.state == DeliveryState.DELIVERED


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random name: the sender's file name is a display name only, never a path."""
    extension = os.path.splitext(filename)[1].lower()
    return f"attachments/{timezone.now():%Y/%m}/{new_public_id(26)}{extension}"


class Attachment(models.Model):
    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    display_name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.display_name


class ThreadStatusChange(models.Model):
    """History of a thread's status, written by the only function that changes it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=24, choices=ThreadStatus.choices)
    to_status = models.CharField(max_length=24, choices=ThreadStatus.choices)
    # Null when the marketplace changed it (an automatic message, a sweep).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.from_status} -> {self.to_status}"


class ProactiveReason(models.TextChoices):
    SHIPPING = "shipping", "Shipping or delivery details"
    SCHEDULING = "scheduling", "Delivery scheduling"
    SETUP = "setup", "Product setup or usage instructions"
    CUSTOMISATION = "customisation", "Customisation details"
    WARRANTY = "warranty", "Warranty"
    PROBLEM = "problem", "An unexpected problem with the order"
    INVOICE = "invoice", "Invoice"


class ImportantReason(models.TextChoices):
    SAFETY = "safety", "Product safety"
    RECALL = "recall", "Product recall"
    WARRANTY = "critical_warranty", "Critical warranty information"


class ReviewRequest(models.Model):
    """The platform's one review request per order: the constraint makes "once" absolute."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="review_request")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.OneToOneField(Message, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"review request for {self.order_id}"


class SavedTemplate(models.Model):
    """A seller's reusable message with placeholders such as {buyer_first_name}."""

    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="templates")
    name = models.CharField(max_length=100)
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["seller", "name"], name="conversations_template_name")]

    def __str__(self) -> str:
        return self.name

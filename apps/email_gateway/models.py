from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxEmail(models.Model):
    """Every email we send is first a row, written in the same transaction as its cause."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    # One email per cause and recipient, whatever retries and sweeps do ("alert:<message>:<user>").
    idempotency_key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    from_email = models.CharField(max_length=300)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["updated_at"], condition=Q(state__in=["queued", "sending"]), name="outbox_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key} ({self.state})"


class InboundEmail(models.Model):
    """Every mail we accepted or refused, once: a duplicate Message-ID (or content) is not posted twice."""

    dedup_key = models.CharField(max_length=300, unique=True)
    from_address = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=12)
    reason = models.CharField(max_length=300, blank=True)
    message = models.ForeignKey(
        "conversations.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.dedup_key} ({self.status})"

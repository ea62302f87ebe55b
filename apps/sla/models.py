from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import SellerAccount
from apps.conversations.models import Message, Thread

# 24 elapsed hours, weekends and holidays included. Compared in UTC, so neither the seller's
# time zone nor a DST change moves a deadline.
RESPONSE_WINDOW = timedelta(hours=24)


class Resolution(models.TextChoices):
    REPLY = "reply", "Reply"
    NO_RESPONSE_NEEDED = "no_response_needed", "No response needed"


class ResponseClock(models.Model):
    """The 24-hour clock of one delivered buyer message that needs an answer.

    Open while `answered_at` is null. The sweep sets `reminded_at` and `late_at` once each;
    a seller's reply or "No response needed" stops every open clock of the thread.
    """

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="response_clock")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="response_clocks")
    # Copied from the thread: every performance figure is per seller and by arrival time, and
    # must not need a join through 100,000 threads.
    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+", db_index=False)
    received_at = models.DateTimeField()
    # The first unanswered buyer message's arrival + 24 h: a buyer writing twice before an
    # answer keeps the first message's due time, and both messages count.
    due_at = models.DateTimeField()
    # The message that opened a wait (its arrival set due_at). Reminders and late notices hang
    # on this clock only, so a buyer writing three times gets the seller one reminder, not three.
    starts_wait = models.BooleanField(default=True)
    # The thread's first buyer message: "recurring questions" compare these.
    first_in_thread = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)
    late_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Null for demo data and for answers the marketplace recorded without a person.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=24, choices=Resolution.choices, blank=True)
    # Null while open; answered at or before due_at counts as in time.
    answered_in_time = models.BooleanField(null=True, blank=True)
    # From arrival to answer. Kept for "No response needed" too, but the response-time
    # averages leave those out: marking a message is not answering the buyer.
    response_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            # The sweep's two questions, "what is overdue" and "what needs a reminder", read
            # only open clocks: partial indexes stay as small as the work that is waiting.
            models.Index(
                fields=["due_at"],
                condition=Q(answered_at__isnull=True, late_at__isnull=True),
                name="sla_clock_open_due",
            ),
            models.Index(
                fields=["due_at"],
                condition=Q(answered_at__isnull=True, late_at__isnull=True, reminded_at__isnull=True),
                name="sla_clock_reminder_due",
            ),
            models.Index(fields=["seller", "received_at"], name="sla_clock_seller_received"),
        ]

    def __str__(self) -> str:
        return f"clock of message {self.message_id}, due {self.due_at:%Y-%m-%d %H:%M} UTC"


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    LATE = "late", "Deadline missed"


class DeadlineNotice(models.Model):
    """A reminder or a late notice, recorded once per wait and announced through `events`;
    the notifications app turns it into email."""

    # The clock that started the wait (starts_wait=True).
    clock = models.ForeignKey(ResponseClock, on_delete=models.CASCADE, related_name="notices")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=NoticeKind.choices)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clock", "kind"], name="sla_notice_once_per_wait")]

    def __str__(self) -> str:
        return f"{self.kind} for thread {self.thread_id}"

"""The outbox: write the email row with its cause, hand it to Celery after commit, send it once.

A broker outage delays mail but never loses it: the row stays queued and the beat sweeper hands
it over again. A crashed worker leaves a row in "sending", which the sweeper also picks up.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

from .models import OutboxEmail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
STUCK_AFTER = timedelta(minutes=5)


_PK = OutboxEmail._meta.pk
_INSERT_FIELDS = [field for field in OutboxEmail._meta.concrete_fields if field is not _PK]


def enqueue(
    *,
    key: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    headers: dict | None = None,
    from_email: str = "",
) -> OutboxEmail | None:
    """Queue an email (inside the caller's transaction); None when this key was queued before."""
    email = OutboxEmail(
        idempotency_key=key,
        to=to,
        subject=subject[:300],
        text=text,
        html=html,
        headers=headers or {},
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
    )
    # INSERT ... ON CONFLICT DO NOTHING RETURNING id (INSERT OR IGNORE on SQLite): a key queued
    # before returns no row. One statement, where create() in a savepoint (to survive the
    # IntegrityError) takes three; _insert is what Model.save() uses, with the conflict clause
    # save() doesn't offer and bulk_create(ignore_conflicts=True) without returning the id.
    inserted = OutboxEmail._base_manager._insert(
        [email], fields=_INSERT_FIELDS, returning_fields=[_PK], on_conflict=OnConflict.IGNORE
    )
    if not inserted:
        return None
    email.pk = inserted[0][0]
    email._state.adding, email._state.db = False, OutboxEmail._base_manager.db
    transaction.on_commit(lambda: _hand_over(email.pk))
    return email


def _hand_over(email_id: int) -> None:
    from .tasks import send_outbox_email

    try:
        send_outbox_email.delay(email_id)
    except Exception:  # the broker is down: the sweeper sends it later
        logger.warning("outbox %s: broker unavailable, left for the sweeper", email_id)


def send(email_id: int) -> str:
    """Send one queued email exactly once; returns what happened (for logs and tests)."""
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update(skip_locked=True).filter(pk=email_id).first()
        if email is None:
            return "busy-or-missing"
        if email.state in (OutboxEmail.State.SENT, OutboxEmail.State.FAILED):
            return email.state
        email.state, email.attempts, email.updated_at = (
            OutboxEmail.State.SENDING,
            email.attempts + 1,
            timezone.now(),
        )
        email.save(update_fields=["state", "attempts", "updated_at"])
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=email.from_email,
        to=[email.to],
        headers=email.headers,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except Exception as error:  # any delivery failure is recorded and retried
        failed = email.attempts >= MAX_ATTEMPTS
        OutboxEmail.objects.filter(pk=email.pk).update(
            state=OutboxEmail.State.FAILED if failed else OutboxEmail.State.QUEUED,
            last_error=f"{type(error).__name__}: {error}"[:500],
            updated_at=timezone.now(),
        )
        logger.warning("outbox %s: attempt %s failed (%s)", email.pk, email.attempts, type(error).__name__)
        if failed:
            return "failed"
        raise
    OutboxEmail.objects.filter(pk=email.pk).update(
        state=OutboxEmail.State.SENT, sent_at=timezone.now(), updated_at=timezone.now(), last_error=""
    )
    return "sent"


def requeue_stuck(now=None) -> int:
    """Hand over again what is still queued or sending after a few minutes (the beat sweeper)."""
    now = now or timezone.now()
    stuck = list(
        OutboxEmail.objects.filter(
            state__in=[OutboxEmail.State.QUEUED, OutboxEmail.State.SENDING], updated_at__lt=now - STUCK_AFTER
        ).values_list("pk", flat=True)[:1000]
    )
    OutboxEmail.objects.filter(pk__in=stuck, state=OutboxEmail.State.SENDING).update(
        state=OutboxEmail.State.QUEUED, updated_at=now
    )
    for email_id in stuck:
        _hand_over(email_id)
    return len(stuck)

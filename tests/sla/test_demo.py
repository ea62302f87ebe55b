"""The demo's clocks agree with its messages, and the demo seller sees every deadline state."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Min
from django.utils import timezone

from apps.conversations.models import Message, Thread
from apps.demo.deadlines import backfill_clocks
from apps.sla.models import ResponseClock
from apps.sla.services import sweep_deadlines

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())


def test_every_seeded_buyer_message_has_a_clock_that_agrees_with_its_thread(demo):
    buyer_messages = Message.objects.filter(side="buyer", state="delivered", kind="message")
    assert ResponseClock.objects.count() == buyer_messages.count()
    assert not buyer_messages.filter(response_clock__isnull=True).exists()
    open_since = dict(
        ResponseClock.objects.filter(answered_at__isnull=True)
        .values("thread_id")
        .annotate(since=Min("received_at"))
        .values_list("thread_id", "since")
    )
    waiting = dict(
        Thread.objects.filter(awaiting_response_since__isnull=False).values_list(
            "id", "awaiting_response_since"
        )
    )
    assert open_since == waiting
    assert ResponseClock.objects.filter(first_in_thread=True).count() == Thread.objects.count()


def test_the_demo_seller_sees_every_deadline_state(demo):
    now = timezone.now()
    clocks = ResponseClock.objects.filter(seller__name="Acme Outdoor Gear")
    waiting = clocks.filter(answered_at__isnull=True)
    assert waiting.filter(due_at__gt=now + timedelta(hours=4)).exists()  # fresh
    assert waiting.filter(due_at__gt=now, due_at__lte=now + timedelta(hours=4)).exists()  # near
    assert waiting.filter(due_at__lt=now, due_at__gt=now - timedelta(hours=12)).exists()  # just late
    assert clocks.filter(resolution="reply", answered_in_time=True).exists()
    assert clocks.filter(resolution="reply", answered_in_time=False).exists()


def test_seeded_history_does_not_flood_the_first_sweep_with_late_notices(demo):
    assert sweep_deadlines().late_notices == 0
    assert backfill_clocks(now=timezone.now()) == 0  # nothing left to derive

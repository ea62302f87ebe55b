"""Two moderators deciding the same message at the same moment: exactly one decision wins."""

import threading

import pytest
from django.db import connection

from apps.conversations.models import DeliveryState, Message, Side
from apps.moderation import services
from apps.moderation.exceptions import AlreadyDecided
from apps.moderation.models import ModerationAction, ReviewItem
from tests.conftest import open_thread
from tests.factories import make_moderator, make_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_moderators_at_once_exactly_one_decides(postgres, buyer, seller, seller_user):
    thread = open_thread(buyer=buyer, order=make_order(buyer=buyer, seller=seller)).message.thread
    message = Message.objects.create(
        thread=thread,
        author=seller_user,
        side=Side.SELLER,
        state=DeliveryState.HELD,
        body="x",
        original_body="x",
    )
    item = services.queue_held_message(message=message)
    first, second = make_moderator(), make_moderator()
    barrier = threading.Barrier(2)
    outcomes = []

    def act(moderator, decide):
        try:
            barrier.wait()
            decide(item=ReviewItem.objects.get(pk=item.pk), by=moderator)
            outcomes.append("decided")
        except AlreadyDecided:
            outcomes.append("refused")
        finally:
            connection.close()

    workers = [
        threading.Thread(target=act, args=(first, services.release)),
        threading.Thread(target=act, args=(second, lambda **kw: services.reject(reason="other", **kw))),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert sorted(outcomes) == ["decided", "refused"]
    assert ModerationAction.objects.filter(item=item).count() == 1
    message.refresh_from_db()
    assert message.state in {DeliveryState.DELIVERED, DeliveryState.REJECTED}

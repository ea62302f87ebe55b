import pytest

from apps.conversations.models import DeliveryState, Message, Side
from apps.moderation.models import ReviewItem
from apps.moderation.services import queue_held_message


@pytest.fixture
def held_item(thread, seller_user):
    """A seller reply the filter held for review (as a restricted seller's messages are)."""
    message = Message.objects.create(
        thread=thread,
        author=seller_user,
        side=Side.SELLER,
        state=DeliveryState.HELD,
        body="We can sort this out, please hold on",
        original_body="We can sort this out, please hold on",
        verdict={
            "action": "hold",
            "categories": ["abuse"],
            "findings": [{"category": "abuse", "start": 0, "end": 2, "excerpt": "We", "confidence": 0.5}],
        },
    )
    return queue_held_message(message=message)


def open_items():
    return ReviewItem.objects.exclude(status="decided")

"""A few things for the demo moderator to look at, made through the real services."""

from contextlib import suppress

from apps.accounts.models import SellerAccount, User
from apps.conversations import services as conversation_services
from apps.conversations.exceptions import MessageBlocked
from apps.conversations.models import Side, Thread
from apps.moderation.services import report_message

HELD_TEXT = "If you open another case about this, you will regret this."
BLOCKED_TEXT = "Text me on WhatsApp at +44 7700 900123 and I'll refund you outside the site."
REPORTED_TEXT = "We don't do refunds for people like you. Stop writing."


def seed_moderation(*, seller: SellerAccount, seller_user: User) -> int:
    """One held message, one blocked attempt (a strike) and one reported message."""
    # Threads already answered, so that the demo's response deadlines stay as they were seeded.
    threads = list(Thread.objects.filter(seller=seller, status="responded").order_by("id")[:3])
    if len(threads) < 3:
        return 0
    conversation_services.post_reply(thread=threads[0], author=seller_user, side=Side.SELLER, body=HELD_TEXT)
    # A blocked attempt is recorded by moderation as a violation, which is the point here.
    with suppress(MessageBlocked):
        conversation_services.post_reply(
            thread=threads[1], author=seller_user, side=Side.SELLER, body=BLOCKED_TEXT
        )
    rude = conversation_services.post_reply(
        thread=threads[2], author=seller_user, side=Side.SELLER, body=REPORTED_TEXT
    ).message
    if rude.state == "delivered":
        report_message(
            message=rude, reporter=threads[2].buyer, reason="abusive", note="Rude reply to my question"
        )
    return 3

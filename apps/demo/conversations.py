"""Demo threads and messages, inserted in bulk (a million messages in minutes, not hours).

Seeded messages are ordinary order talk that the policy filter allows, so they are stored as
delivered with an "allow" verdict instead of being scanned one by one.
"""

import io
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from apps.aliases.models import Alias
from apps.aliases.services import new_local_part
from apps.conversations.models import (
    Attachment,
    DeliveryState,
    Message,
    Side,
    Source,
    Thread,
    ThreadStatus,
    Topic,
)
from apps.conversations.search import reindex_threads
from apps.orders.models import Order

from . import conversation_texts as texts

BATCH = 5000
ALLOW = {"id": None, "action": "allow", "categories": [], "findings": []}


@dataclass
class ThreadPlan:
    thread: Thread
    messages: int


class ConversationSeeder:
    def __init__(self, rng: random.Random, now: datetime):
        self.rng = rng
        self.now = now

    def run(
        self, orders: list[Order], *, threads: int, messages: int, with_attachments: bool
    ) -> tuple[int, int]:
        threads = min(threads, len(orders))
        if threads == 0:
            return 0, 0
        messages = max(messages, threads)  # every thread has at least its opening message
        chosen = orders[:threads]
        self.aliases = self._aliases({(order.buyer_id, order.seller_id) for order in chosen})
        counts = self._spread(messages, threads)
        made = 0
        for start in range(0, threads, BATCH):
            batch_orders = chosen[start : start + BATCH]
            plans = [self._plan(order, counts[start + i]) for i, order in enumerate(batch_orders)]
            with transaction.atomic():
                made += self._insert(plans)
        if with_attachments:
            self._attach_photos()
        return threads, made

    def _aliases(self, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Alias]:
        """One alias per buyer and seller, as first contact would make it. Drawn apart from the
        seeded generator, so that the rest of the demo stays the same for the same seed."""
        existing = {(a.buyer_id, a.seller_id): a for a in Alias.objects.all()}
        new = [
            Alias(buyer_id=buyer, seller_id=seller, local_part=new_local_part())
            for buyer, seller in sorted(pairs - set(existing))
        ]
        Alias.objects.bulk_create(new, batch_size=BATCH)
        return existing | {(a.buyer_id, a.seller_id): a for a in new}

    def _spread(self, messages: int, threads: int) -> list[int]:
        """Messages per thread: at least one each, the rest spread with a long tail."""
        counts = [1] * threads
        for _ in range(messages - threads):
            counts[min(int(self.rng.expovariate(1 / max(threads / 4, 1))), threads - 1)] += 1
        self.rng.shuffle(counts)
        return counts

    def _plan(self, order: Order, count: int) -> ThreadPlan:
        topic = self.rng.choice(Topic.values)
        started = max(order.placed_at, self.now - timedelta(days=60)) + timedelta(
            hours=self.rng.uniform(1, 48)
        )
        started = min(started, self.now - timedelta(minutes=count * 5 + 5))
        thread = Thread(
            seller_id=order.seller_id,
            buyer_id=order.buyer_id,
            buyer_alias=self.aliases[(order.buyer_id, order.seller_id)],
            order=order,
            topic=topic,
            subject=f"{Topic(topic).label} — order {order.number}",
            started_by=Side.BUYER,
            created_at=started,
        )
        return ThreadPlan(thread=thread, messages=count)

    def _insert(self, plans: list[ThreadPlan]) -> int:
        # Messages are laid out first so that each thread row is inserted complete: updating
        # 100,000 rows afterwards would cost more than inserting them.
        messages = [message for plan in plans for message in self._messages_for(plan)]
        Thread.objects.bulk_create([plan.thread for plan in plans], batch_size=BATCH)
        Message.objects.bulk_create(messages, batch_size=BATCH)
        reindex_threads([plan.thread.pk for plan in plans])  # bulk inserts skip the delivery path
        return len(messages)

    def _messages_for(self, plan: ThreadPlan) -> list[Message]:
        thread, order = plan.thread, plan.thread.order
        fill = {
            "product": self.rng.choice(["item", "order", "parcel"]),
            "order": order.number,
            "tracking": order.tracking_number or "not yet assigned",
            "carrier": order.carrier or "the carrier",
        }
        at, side, out = thread.created_at, Side.BUYER, []
        span = max((self.now - at).total_seconds() - 60, 60)
        step = span / (plan.messages + 1)
        for index in range(plan.messages):
            if index == 0:
                body = self.rng.choice(texts.BUYER_OPENERS[thread.topic])
            elif side == Side.BUYER:
                body = self.rng.choice(texts.BUYER_FOLLOW_UPS)
            else:
                body = self.rng.choice(texts.SELLER_ANSWERS)
            body = body.format(**fill)
            out.append(
                Message(
                    thread=thread,
                    author_id=thread.buyer_id if side == Side.BUYER else None,
                    side=side,
                    source=self.rng.choice([Source.WEB, Source.WEB, Source.EMAIL]),
                    state=DeliveryState.DELIVERED,
                    body=body,
                    original_body=body,
                    verdict=ALLOW,
                    created_at=at,
                    delivered_at=at,
                )
            )
            self._note(thread, side, at, body)
            at = at + timedelta(seconds=self.rng.uniform(0.3, 1.0) * step)
            side = Side.SELLER if side == Side.BUYER and self.rng.random() < 0.8 else Side.BUYER
        if thread.status == ThreadStatus.NEEDS_RESPONSE and self.rng.random() < 0.1:
            thread.status = ThreadStatus.NO_RESPONSE_NEEDED
            thread.awaiting_response_since = None
        return out

    @staticmethod
    def _note(thread: Thread, side: str, at: datetime, body: str) -> None:
        thread.last_message_at, thread.last_message_side = at, side
        thread.last_message_excerpt = body[:160]
        if side == Side.BUYER:
            thread.last_buyer_message_at = at
            thread.awaiting_response_since = thread.awaiting_response_since or at
            thread.status = ThreadStatus.NEEDS_RESPONSE
            thread.seller_unread += 1
            thread.buyer_unread = 0
        else:
            thread.last_seller_message_at = at
            thread.awaiting_response_since = None
            thread.status = ThreadStatus.RESPONDED
            thread.buyer_unread += 1
            thread.seller_unread = 0

    def _attach_photos(self, count: int = 5) -> None:
        """A few buyer messages carry a photo, as damage reports do."""
        candidates = list(
            Message.objects.filter(side=Side.BUYER, body__contains="photo").order_by("id")[:count]
        ) or list(Message.objects.filter(side=Side.BUYER).order_by("id")[:count])
        for message in candidates:
            buffer = io.BytesIO()
            Image.new("RGB", (320, 240), (self.rng.randrange(256), 120, 90)).save(buffer, "JPEG", quality=85)
            content = buffer.getvalue()
            attachment = Attachment(
                message=message,
                display_name="damage-photo.jpg",
                content_type="image/jpeg",
                size=len(content),
                sha256=_sha256(content),
            )
            attachment.file.save("photo.jpg", ContentFile(content), save=False)
            attachment.save()


def _sha256(content: bytes) -> str:
    import hashlib

    return hashlib.sha256(content).hexdigest()

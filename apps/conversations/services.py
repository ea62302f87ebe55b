"""Every change to conversations: start a thread, post, read, "No response needed", release.

Each message passes the policy filter before it is stored. A blocked message is not stored
here (moderation records the violation through the `message_blocked` event); everything else
is committed first and announced through `events`, whose subscribers act after commit.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import User
from apps.aliases.services import alias_for
from apps.orders.models import Order
from apps.policy import scan
from apps.policy.conf import context_for

from . import events, rules, search
from .exceptions import EmptyMessage, InvalidStatusChange, MessageBlocked, MessageTooLong, SendingNotAllowed
from .models import (
    Attachment,
    DeliveryState,
    Message,
    MessageKind,
    Side,
    Source,
    Thread,
    ThreadStatus,
    ThreadStatusChange,
    Topic,
)

MAX_BODY_CHARS = 10_000
EXCERPT_CHARS = 160


@dataclass(frozen=True)
class Posted:
    """What became of a message: delivered (perhaps redacted) or held for a moderator."""

    message: Message
    verdict: object

    @property
    def held(self) -> bool:
        return self.message.state == DeliveryState.HELD

    @property
    def redacted(self) -> bool:
        return self.message.redacted


def normalize_body(text: str) -> str:
    """Plain text with Unix line breaks and no trailing blanks; the text itself is not changed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def check_draft(*, text: str, side: str):
    """The verdict the filter would give this text now (the composer's live check)."""
    return scan(normalize_body(text)[:MAX_BODY_CHARS], context=context_for(side))


def contact_seller(
    *,
    buyer: User,
    order: Order,
    topic: str,
    body: str,
    attachments: Sequence = (),
    source: str = Source.WEB,
) -> Posted:
    """The buyer writes to the seller of their order: one thread per (buyer, seller, order),
    so contacting the seller about the same order again continues that thread."""
    if order.buyer_id != buyer.pk:
        raise ValueError("A buyer can only contact the seller of their own order.")
    _gate(rules.check_rate(buyer))
    text, verdict = _screen(body=body, attachments=attachments, side=Side.BUYER)
    if verdict.action == "block":
        _announce_block(
            author=buyer,
            side=Side.BUYER,
            seller=order.seller,
            thread=None,
            text=text,
            verdict=verdict,
            source=source,
        )
    with transaction.atomic():
        thread = _thread_for_order(buyer=buyer, order=order, topic=topic)
        return _store(
            thread=thread,
            author=buyer,
            side=Side.BUYER,
            text=text,
            verdict=verdict,
            attachments=attachments,
            source=source,
            kind=MessageKind.MESSAGE,
        )


def post_reply(
    *,
    thread: Thread,
    author: User,
    side: str,
    body: str,
    attachments: Sequence = (),
    source: str = Source.WEB,
    thread_locked: bool = False,
) -> Posted:
    """A buyer or seller staff member writes in an existing thread (callers have checked access).

    `thread_locked`: the caller read `thread` with select_for_update inside the transaction it is
    still in (the email gateway does), so the row is current and is not read a second time."""
    if thread_locked and not transaction.get_connection().in_atomic_block:
        raise ValueError("A thread locked outside a transaction is not locked any more.")
    checks = [rules.check_rate(author), rules.check_reply(thread=thread, side=side)]
    if side == Side.SELLER:
        checks.insert(0, rules.check_standing(thread.seller, current=thread_locked))
    hold = _gate(*checks)
    text, verdict = _screen(body=body, attachments=attachments, side=side)
    if side == Side.SELLER and text:
        hold |= _gate(
            rules.check_identical(
                seller=thread.seller, buyer=thread.buyer, text_fingerprint=rules.fingerprint(text)
            )
        )
    if verdict.action == "block":
        _announce_block(
            author=author,
            side=side,
            seller=thread.seller,
            thread=thread,
            text=text,
            verdict=verdict,
            source=source,
        )
    # A locked thread belongs to the caller's transaction, which is the unit of work: no
    # savepoint of our own (a failure here rolls that transaction back whole).
    with transaction.atomic(savepoint=not thread_locked):
        return _store(
            thread=thread if thread_locked else _lock_thread(thread),
            author=author,
            side=side,
            text=text,
            verdict=verdict,
            attachments=attachments,
            source=source,
            kind=MessageKind.MESSAGE,
            force_hold=hold,
        )


# Rows a thread points to that the lock does not protect: the caller's copies are as good as new ones.
_KEPT_RELATIONS = [Thread._meta.get_field(name) for name in ("seller", "buyer", "buyer_alias", "order")]


def _lock_thread(thread: Thread) -> Thread:
    """The thread's row, locked and read again; the buyer, seller, alias and order the caller
    already loaded come along, so that the clocks and alerts don't fetch them a second time."""
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    for field in _KEPT_RELATIONS:
        if field.is_cached(thread) and getattr(locked, field.attname) == getattr(thread, field.attname):
            field.set_cached_value(locked, field.get_cached_value(thread))
    return locked


def _screen(*, body: str, attachments: Sequence, side: str):
    text = normalize_body(body)
    if not text and not attachments:
        raise EmptyMessage
    if len(text) > MAX_BODY_CHARS:
        raise MessageTooLong(
            f"Messages can be {MAX_BODY_CHARS:,} characters long; this one has {len(text):,}."
        )
    return text, scan(text, context=context_for(side))


def _gate(*decisions: rules.Decision) -> bool:
    """Refuse with the first rule that says no; True when a rule wants a moderator to look first."""
    for decision in decisions:
        if not decision.allowed:
            raise SendingNotAllowed(decision.reason)
    return any(decision.hold for decision in decisions)


def _announce_block(*, author, side, seller, thread, text, verdict, source) -> None:
    with transaction.atomic():
        events.message_blocked.send(
            sender=Message,
            author=author,
            side=side,
            seller=seller,
            thread=thread,
            text=text,
            verdict=verdict,
            source=source,
        )
    raise MessageBlocked(verdict, text)


def _thread_for_order(*, buyer: User, order: Order, topic: str) -> Thread:
    existing = (
        Thread.objects.select_for_update().filter(buyer=buyer, seller_id=order.seller_id, order=order).first()
    )
    if existing:
        return existing
    if topic not in Topic.values:
        raise ValueError(f"Unknown topic {topic!r}.")
    try:
        with transaction.atomic():
            return Thread.objects.create(
                buyer=buyer,
                seller_id=order.seller_id,
                buyer_alias=alias_for(buyer=buyer, seller=order.seller),
                order=order,
                topic=topic,
                subject=f"{Topic(topic).label} — order {order.number}",
                started_by=Side.BUYER,
            )
    except IntegrityError:
        # Two first contacts raced; the other one made the thread, so continue it.
        return Thread.objects.select_for_update().get(buyer=buyer, seller_id=order.seller_id, order=order)


def _store(
    *, thread, author, side, text, verdict, attachments, source, kind, force_hold=False, reason=""
) -> Posted:
    now = timezone.now()
    held = verdict.action == "hold" or force_hold
    redacted = verdict.action == "redact"
    message = Message.objects.create(
        thread=thread,
        author=author,
        side=side,
        kind=kind,
        source=source,
        state=DeliveryState.HELD if held else DeliveryState.DELIVERED,
        body=verdict.redact(text) if redacted else text,
        original_body=text,
        verdict=verdict.as_dict(),
        redacted=redacted,
        reason=reason,
        fingerprint=rules.fingerprint(text) if side == Side.SELLER and text else "",
        created_at=now,
        delivered_at=None if held else now,
    )
    _store_attachments(message, attachments)
    if held:
        events.message_held.send(sender=Message, message=message)
    else:
        _deliver(thread, message)
        events.message_posted.send(sender=Message, message=message)
    return Posted(message=message, verdict=verdict)


def _store_attachments(message: Message, attachments: Sequence) -> None:
    stored = []
    for clean in attachments:
        attachment = Attachment(
            message=message,
            display_name=clean.display_name,
            content_type=clean.content_type,
            size=clean.size,
            sha256=clean.sha256,
        )
        attachment.file.save(f"upload{clean.extension}", ContentFile(clean.content), save=False)
        attachment.save()
        stored.append(attachment)
    # What prefetch_related would have fetched: a new message's attachments are exactly these,
    # so the thread excerpt and the alerts count them without asking the database.
    known = message.attachments.all()
    known._result_cache, known._prefetch_done = stored, True
    message._prefetched_objects_cache = {Message.attachments.rel.cache_name: known}


_THREAD_FIELDS = {field.name: field for field in Thread._meta.concrete_fields}


def _deliver(thread: Thread, message: Message) -> None:
    """Update the thread for a message the recipients can now read (thread row is locked, so
    its fields as read are current and the copy in memory is brought up to date here)."""
    at = message.delivered_at
    was_waiting = thread.awaiting_response_since is not None
    excerpt = message.body if message.body else f"{message.attachments.count()} attachment(s)"
    changes = {
        "last_message_at": at,
        "last_message_side": message.side,
        "last_message_excerpt": " ".join(excerpt.split())[:EXCERPT_CHARS],
    }
    if message.side == Side.BUYER:
        changes["last_buyer_message_at"] = at
        unread = "seller_unread"
        if thread.awaiting_response_since is None:
            # A buyer writing twice before an answer keeps the first message's wait.
            changes["awaiting_response_since"] = at
        new_status = ThreadStatus.NEEDS_RESPONSE
    else:
        unread = "buyer_unread"
        # Only a seller's own reply answers the buyer: automatic, marketplace and order
        # messages (proactive, review requests) never stop the wait.
        answers = message.side == Side.SELLER and message.kind == MessageKind.MESSAGE
        if message.side == Side.SELLER:
            changes["last_seller_message_at"] = at
        if answers:
            changes["awaiting_response_since"] = None
        new_status = ThreadStatus.RESPONDED if answers else thread.status
    if new_status != thread.status:
        ThreadStatusChange.objects.create(
            thread=thread, from_status=thread.status, to_status=new_status, by=message.author
        )
        changes["status"] = new_status
    # One UPDATE for the thread's fields and, on PostgreSQL, its search words (_update takes the
    # field objects that update() would look up, and the vector column, which is no model field).
    values = [(_THREAD_FIELDS[name], None, value) for name, value in changes.items()]
    values.append((_THREAD_FIELDS[unread], None, F(unread) + 1))
    Thread.objects.filter(pk=thread.pk)._update([*values, *search.message_words(message)])
    for field, value in changes.items():
        setattr(thread, field, value)
    setattr(thread, unread, getattr(thread, unread) + 1)
    if message.side == Side.SELLER and message.kind == MessageKind.MESSAGE and was_waiting:
        # Only a waiting buyer is answered: their clocks run exactly while the thread waits.
        events.thread_answered.send(sender=Thread, thread=thread, message=message, by=message.author)


def _record_status(thread: Thread, new_status: str, *, by: User | None) -> None:
    ThreadStatusChange.objects.create(thread=thread, from_status=thread.status, to_status=new_status, by=by)
    Thread.objects.filter(pk=thread.pk).update(status=new_status)
    thread.status = new_status


@transaction.atomic
def mark_no_response_needed(*, thread: Thread, by: User) -> Thread:
    """The seller says this buyer message needs no answer; it stops the response clock."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.status != ThreadStatus.NEEDS_RESPONSE:
        raise InvalidStatusChange("This conversation is not waiting for a response.")
    _record_status(thread, ThreadStatus.NO_RESPONSE_NEEDED, by=by)
    Thread.objects.filter(pk=thread.pk).update(awaiting_response_since=None)
    thread.awaiting_response_since = None
    events.thread_answered.send(sender=Thread, thread=thread, message=None, by=by)
    return thread


def mark_read(*, thread: Thread, side: str) -> None:
    """Everything in the thread is read by that side (all seller staff share one inbox)."""
    field = "buyer_unread" if side == Side.BUYER else "seller_unread"
    Thread.objects.filter(pk=thread.pk, **{f"{field}__gt": 0}).update(**{field: 0})


@transaction.atomic
def release_message(*, message: Message, by: User) -> Message:
    """A moderator lets a held message through: delivered now, announced as any message."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.state != DeliveryState.HELD:
        raise InvalidStatusChange("This message is not held.")
    thread = Thread.objects.select_for_update().get(pk=message.thread_id)
    message.state = DeliveryState.DELIVERED
    message.delivered_at = timezone.now()
    message.save(update_fields=["state", "delivered_at"])
    _deliver(thread, message)
    events.message_released.send(sender=Message, message=message, by=by)
    events.message_posted.send(sender=Message, message=message)
    return message


@transaction.atomic
def reject_message(*, message: Message, by: User, reason: str) -> Message:
    """A moderator refuses a held message: never delivered; the sender sees the reason."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.state != DeliveryState.HELD:
        raise InvalidStatusChange("This message is not held.")
    message.state = DeliveryState.REJECTED
    message.state_reason = reason
    message.save(update_fields=["state", "state_reason"])
    return message


@transaction.atomic
def hide_message(*, message: Message, by: User, reason: str) -> Message:
    """A moderator hides a delivered message from its recipients; it stays in the record."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.state != DeliveryState.DELIVERED:
        raise InvalidStatusChange("Only a delivered message can be hidden.")
    if message.hidden_at:
        raise InvalidStatusChange("This message is already hidden.")
    message.hidden_at = timezone.now()
    message.hidden_reason = reason
    message.save(update_fields=["hidden_at", "hidden_reason"])
    latest = (
        message.thread.messages.filter(state=DeliveryState.DELIVERED).order_by("-created_at", "-id").first()
    )
    if latest and latest.pk == message.pk:
        # The inbox lists must not keep showing what was hidden.
        Thread.objects.filter(pk=message.thread_id).update(last_message_excerpt="(removed by a moderator)")
    search.reindex_thread(message.thread_id)  # nor may search still find its words
    return message

"""Deliver one inbound email: find where it belongs, check who sent it, post it as a message.

Sender mistakes (unknown recipient, wrong sender, blocked text) are InboundUserError, logged at
info and answered politely; our own failures are logged at error. Routing and posting go through
the same conversation services as the web, so the policy filter and sending rules apply.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from apps.accounts.models import SellerAccount, User
from apps.aliases.selectors import resolve
from apps.conversations import services as conversation_services
from apps.conversations.attachments import clean_attachments
from apps.conversations.exceptions import ConversationError, MessageBlocked
from apps.conversations.models import Side, Source, Thread

from . import locked_thread
from .addresses import read_reply_address
from .models import InboundEmail
from .outbox import enqueue
from .parsing import ParsedEmail, parse

logger = logging.getLogger(__name__)


class InboundUserError(Exception):
    """The sender's mistake: refuse with this reason (never revealing anyone's address)."""


class UnknownRecipient(InboundUserError):
    """No thread or alias behind the address (an MTA pipe answers 67, smtpd 550 at RCPT)."""


@dataclass(frozen=True)
class Outcome:
    status: str  # accepted | duplicate | ignored | rejected
    reason: str = ""
    thread: str | None = None
    message: str | None = None
    dropped: tuple[str, ...] = ()
    unknown_recipient: bool = False
    message_pk: int | None = None

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "reason": self.reason,
            "thread": self.thread,
            "message": self.message,
            "dropped_attachments": list(self.dropped),
        }


DUPLICATE = Outcome("duplicate", "This email was already received.")


def ingest(raw: bytes, recipients: Sequence[str] = ()) -> Outcome:
    """`recipients`: the envelope's (SMTP RCPT TO, the MTA's or ESP's recipient), which is where
    the email was really sent: a Bcc to an alias shows in no header."""
    parsed = parse(raw)
    key = parsed.message_id or f"sha256:{parsed.content_hash}"
    # The record's unique key is the duplicate check: a repeated email (rare) is rolled back
    # whole instead of every email paying for a look-up first. Attachment files are written
    # outside the transaction, though, so an email with attachments is looked up first.
    if parsed.attachments and InboundEmail.objects.filter(dedup_key=key).exists():
        return DUPLICATE
    try:
        # One transaction for the message, its record and the notice: a crash in between leaves
        # nothing behind, so the MTA's or ESP's retry delivers the email once, not twice.
        with transaction.atomic():
            return _deliver(key, parsed, recipients)
    except IntegrityError:
        if InboundEmail.objects.filter(dedup_key=key).exists():
            return DUPLICATE  # the same email, delivered at the same moment by another process
        raise


def _deliver(key: str, parsed: ParsedEmail, recipients: Sequence[str]) -> Outcome:
    if parsed.auto_submitted or parsed.is_bounce:
        logger.info("inbound %s: automatic reply or bounce, ignored", key)
        outcome = Outcome("ignored", "Automatic replies and bounces are not posted.")
    else:
        try:
            thread, author, side = route(parsed, recipients)
            outcome = _post(parsed, thread=thread, author=author, side=side)
        except InboundUserError as error:
            logger.info("inbound %s: refused (%s)", key, error)
            outcome = Outcome("rejected", str(error), unknown_recipient=isinstance(error, UnknownRecipient))
    InboundEmail.objects.create(
        dedup_key=key,
        from_address=parsed.from_address[:300],
        status=outcome.status,
        reason=outcome.reason[:300],
        message_id=outcome.message_pk,
    )
    if outcome.status == "rejected" or outcome.dropped:
        _tell_sender(key, parsed, outcome)
    return outcome


def _tell_sender(key: str, parsed: ParsedEmail, outcome: Outcome) -> None:
    """A short, polite answer to the sender: what happened and why, naming nobody's address."""
    if not parsed.from_address:
        return
    if outcome.status == "rejected":
        text = f"Your email was not delivered.\n\n{outcome.reason}\n"
        subject = f"Not delivered: {parsed.subject}"[:200]
    else:
        dropped = "\n".join(f"- {reason}" for reason in outcome.dropped)
        text = f"Your message was delivered, but these attachments were left out:\n\n{dropped}\n"
        subject = f"Delivered without some attachments: {parsed.subject}"[:200]
    enqueue(
        key=f"notice:{key}",
        to=parsed.from_address,
        subject=subject,
        text=text + "\nThis is an automatic message from the marketplace's messaging service.",
        # Auto-Submitted keeps well-behaved systems from answering this answer (no mail loops).
        headers={"Auto-Submitted": "auto-replied", "In-Reply-To": parsed.message_id}
        if parsed.message_id
        else {"Auto-Submitted": "auto-replied"},
    )


def route(parsed: ParsedEmail, recipients: Sequence[str] = ()) -> tuple[Thread, User, str]:
    """The thread, author and side of an inbound email, or InboundUserError."""
    # The envelope first (where the email was sent), then the headers, as before.
    addresses = dict.fromkeys([*(address.strip().lower() for address in recipients), *parsed.to])
    for address in addresses:
        target = read_reply_address(address)
        if target:
            return _route_reply(parsed, target)
    for address in addresses:
        alias = resolve(address)
        if alias:
            return _route_alias(parsed, alias)
    raise UnknownRecipient("This address does not accept mail. Please answer from the message's own page.")


def _route_reply(parsed: ParsedEmail, target) -> tuple[Thread, User, str]:
    # Locked as it is found, in the email's transaction: posting then needn't read it again.
    thread = locked_thread.thread_by_id(target.thread_id)
    if thread is None:
        raise InboundUserError("This conversation no longer exists.")
    if target.side == Side.BUYER:
        if thread.buyer_id != target.recipient_id or thread.buyer.email.lower() != parsed.from_address:
            raise InboundUserError(
                "Replies to this conversation must come from the address the alert went to."
            )
        return thread, thread.buyer, Side.BUYER
    author = _seller_staff(thread.seller_id, parsed.from_address)
    if thread.seller_id != target.recipient_id or author is None:
        raise InboundUserError("Replies to this conversation must come from the address the alert went to.")
    return thread, author, Side.SELLER


# One staff member of one seller by the address they write from. lower(email) is what makes an
# account unique (and is indexed); our own SQL, because building the ORM's query costs three
# times what running it does, and every seller email asks this. The columns are named, not u.*:
# a prepared statement must not change its result when a migration adds a column meanwhile.
_STAFF_SQL = (
    f"SELECT {', '.join(f'u.{field.column}' for field in User._meta.concrete_fields)} "  # noqa: S608 (our own column names)
    "FROM accounts_user u JOIN accounts_sellermembership m ON m.user_id = u.id "
    "WHERE m.seller_id = %s AND lower(u.email) = %s LIMIT 1"
)


def _seller_staff(seller_id: int, address: str) -> User | None:
    found = list(User.objects.raw(_STAFF_SQL, [seller_id, address.lower()]))
    if found:
        return found[0]
    # Or the seller's notification address, which stands for the account's owner.
    settings_email = (
        SellerAccount.objects.filter(pk=seller_id).values_list("alert_settings__email", flat=True).first()
    )
    if settings_email and settings_email.lower() == address:
        return (
            User.objects.filter(seller_memberships__seller_id=seller_id)
            .order_by("seller_memberships__created_at")
            .first()
        )
    return None


def _route_alias(parsed: ParsedEmail, alias) -> tuple[Thread, User, str]:
    """A seller writing straight to a buyer's alias: relayed into their latest thread together."""
    author = _seller_staff(alias.seller_id, parsed.from_address)
    if author is None:
        raise InboundUserError("This address does not accept mail from you.")
    thread = locked_thread.latest_thread(buyer_id=alias.buyer_id, seller_id=alias.seller_id)
    if thread is None:
        raise InboundUserError("There is no conversation with this buyer yet.")
    return thread, author, Side.SELLER


def tnef_left_out(name: str) -> str:
    return (
        f"\u201c{name}\u201d was left out: Outlook's winmail.dat (TNEF) format can't be opened. "
        "Send attachments as regular files: in Outlook, turn off Rich Text (write in HTML or "
        "plain text) and attach them again."
    )


def _post(parsed: ParsedEmail, *, thread: Thread, author: User, side: str) -> Outcome:
    # TNEF is refused by name before the attachment checks, which would only call it "not a
    # type we accept" and leave the sender guessing where the file came from.
    tnef = [tnef_left_out(a.filename) for a in parsed.attachments if a.is_tnef]
    accepted, refused = clean_attachments([(a.filename, a.data) for a in parsed.attachments if not a.is_tnef])
    if tnef and not parsed.reply_text and not accepted:
        raise InboundUserError(" ".join(tnef))
    body = parsed.reply_text
    if side == Side.BUYER:
        # The buyer's own address, which a quote header in a format we don't recognise carries
        # ("To: Alex Morgan <alex@...>" wrapped over lines), never reaches the seller.
        body = "\n".join(line for line in body.split("\n") if author.email.lower() not in line.lower())
    try:
        # No savepoint of our own: a blocked message's violation (a strike for a seller) must stay
        # recorded, as it does on the web; post_reply keeps its other writes in its own transaction.
        posted = conversation_services.post_reply(
            thread=thread,
            author=author,
            side=side,
            body=body,
            attachments=accepted,
            source=Source.EMAIL,
            thread_locked=True,  # by route(), in this email's transaction
        )
    except MessageBlocked as error:
        raise InboundUserError(str(error)) from None
    except ConversationError as error:
        raise InboundUserError(str(error)) from None
    return Outcome(
        "accepted",
        "held for review" if posted.held else "",
        thread=thread.public_id,
        message=posted.message.public_id,
        message_pk=posted.message.pk,
        dropped=(*tnef, *(str(reason) for reason in refused)),
    )

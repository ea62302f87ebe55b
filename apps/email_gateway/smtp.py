"""The inbound SMTP server (aiosmtpd): unknown recipients refused at RCPT (550), oversized mail at
DATA (552), a per-sender rate limit (451, try later), and accepted mail handed to `ingest`."""

import logging
import time
from collections import defaultdict, deque

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from apps.aliases.selectors import resolve

from .addresses import read_reply_address
from .inbound import ingest

logger = logging.getLogger(__name__)
MAX_MESSAGE_BYTES = 25 * 1024 * 1024
SENDER_LIMIT_PER_MINUTE = 30


def _is_alias(address: str) -> bool:
    close_old_connections()
    return resolve(address) is not None


def deliver(raw: bytes, recipients: list[str]) -> str:
    close_old_connections()
    try:
        return ingest(raw, recipients).status
    finally:
        close_old_connections()


class GatewayHandler:
    def __init__(self, *, per_minute: int = SENDER_LIMIT_PER_MINUTE):
        self.per_minute = per_minute
        self.recent: dict[str, deque] = defaultdict(deque)

    def _too_fast(self, sender: str) -> bool:
        now, window = time.monotonic(), self.recent[sender.lower()]
        while window and now - window[0] > 60:
            window.popleft()
        window.append(now)
        return len(window) > self.per_minute

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self._too_fast(address):
            return "451 4.7.1 Too many messages from this sender; try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not await self._known(address):
            return "550 5.1.1 No such recipient here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def _known(self, address: str) -> bool:
        if address.rpartition("@")[2].lower() != settings.MESSAGING_DOMAIN.lower():
            return False
        # A reply address is signed: checked here, without a database or a thread.
        if read_reply_address(address) is not None:
            return True
        return await sync_to_async(_is_alias, thread_sensitive=False)(address)

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if len(data) > MAX_MESSAGE_BYTES:
            return "552 5.3.4 Message too big"
        try:
            status = await sync_to_async(deliver, thread_sensitive=False)(data, envelope.rcpt_tos)
        except Exception:
            logger.exception("smtpd: delivery failed; asking the sender to retry")
            return "451 4.3.0 Temporary failure; please try again"
        logger.info("smtpd: message %s", status)
        return "250 Message accepted"

"""Reply addresses: reply+<thread>-<side><recipient>-<mac>@MESSAGING_DOMAIN.

Compact and made of letters, digits and dashes only, so that every mail system keeps it intact
and the local part stays under RFC 5321's 64 characters; the HMAC (keyed by SECRET_KEY) makes it
impossible to forge, or to reuse for another thread or recipient.
"""

import base64
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac

REPLY_SALT = "email_gateway.reply"
_SIDES = {"b": "buyer", "s": "seller"}
_LOCAL = re.compile(r"^reply\+([0-9a-f]+)-([bs])([0-9a-f]+)-([a-z2-7]{16})$")


@dataclass(frozen=True)
class ReplyTarget:
    thread_id: int
    recipient_id: int  # a buyer's user id, or a seller account's id
    side: str


def _mac(payload: str) -> str:
    digest = salted_hmac(REPLY_SALT, payload, algorithm="sha256").digest()
    return base64.b32encode(digest).decode().lower()[:16]


def reply_address(*, thread_id: int, recipient_id: int, side: str) -> str:
    payload = f"{thread_id:x}-{side[0]}{recipient_id:x}"
    return f"reply+{payload}-{_mac(payload)}@{settings.MESSAGING_DOMAIN}"


def read_reply_address(address: str) -> ReplyTarget | None:
    """The target of one of our reply addresses, or None (not ours, forged, or damaged)."""
    local, _, domain = address.rpartition("@")
    match = _LOCAL.match(local.lower())
    if domain.lower() != settings.MESSAGING_DOMAIN.lower() or not match:
        return None
    thread, side, recipient, mac = match.groups()
    if not hmac.compare_digest(mac, _mac(f"{thread}-{side}{recipient}")):
        return None
    return ReplyTarget(thread_id=int(thread, 16), recipient_id=int(recipient, 16), side=_SIDES[side])

"""Turn one RFC 822 message into what the gateway needs: who, to whom, which thread, and only
the new text (quoted history and signatures removed), whatever the client, charset or encoding.

Quote headers are recognised by mail-parser-reply (en, de, fr, es, it and more); Portuguese and a
few client-specific separators are added here.
"""

import email
import functools
import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import getaddresses, parseaddr

import nh3
from mailparser_reply import EmailReplyParser

LANGUAGES = ["en", "de", "fr", "es", "it", "nl"]
_EXTRA_CUTS = re.compile(
    r"^\s*(?:"
    r"Em .{3,120} escreveu:|"  # Portuguese (Gmail, Apple Mail)
    r"El .{3,120} escribió:|"  # Spanish (Gmail)
    r"--|"  # the signature delimiter, "-- " (RFC 3676), its space often trimmed away
    r"De: .+\n(?:Enviad[ao]|Data|Sent): .+|"  # Portuguese/Spanish Outlook block
    r"-{2,}\s*(?:Original Message|Mensagem original|Mensaje original|Ursprüngliche Nachricht|"
    r"Message d'origine|Messaggio originale)\s*-{2,}|"
    r"_{20,}|"  # Outlook's rule above the quoted header
    r"Sent from my (?:iPhone|iPad|Android|mobile device)|Enviado desde mi .+|Von meinem .+ gesendet|"
    r"Envoyé de mon .+|Inviato da .+|Enviado do meu .+"
    r")\s*$",
    re.MULTILINE | re.IGNORECASE,
)
_VACATION_SUBJECT = re.compile(
    r"^(?:auto(?:matic)?[ -]?reply|out of (?:the )?office|abwesenheit|automatische antwort|"
    r"réponse automatique|absence|respuesta automática|fuera de la oficina|risposta automatica|"
    r"fuori ufficio|resposta automática|ausente)\b",
    re.IGNORECASE,
)
TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
_BLOCK_TAGS = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h\d)\s*/?>", re.IGNORECASE)
_QUOTE_BLOCKS = re.compile(
    r"<blockquote\b.*?</blockquote>|<div[^>]*class=\"?(?:gmail_quote|moz-cite-prefix)[^>]*>.*",
    re.IGNORECASE | re.DOTALL,
)


class _ReadingPolicy(EmailPolicy):
    """`policy.default`, except that a header is parsed once: the standard library parses it again
    on every read, and finding the body and attachments reads each Content-Type several times
    (a third of the parsing time of a typical reply)."""

    def header_fetch_parse(self, name, value):
        if hasattr(value, "name"):
            return value
        return _parsed_header(name, value)


@functools.lru_cache(maxsize=1024)
def _parsed_header(name: str, value: str):
    # Header objects are immutable strings, so one can serve every message that has the same line.
    return policy.default.header_fetch_parse(name, value)


READING_POLICY = _ReadingPolicy()


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def is_tnef(self) -> bool:
        """Outlook's "Rich Text" wrapper (winmail.dat): nobody outside Outlook can open it."""
        return self.content_type in TNEF_TYPES or self.filename.lower() == "winmail.dat"


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str
    in_reply_to: str
    references: list[str]
    from_address: str
    from_name: str
    to: list[str]
    subject: str
    reply_text: str
    attachments: list[ParsedAttachment]
    auto_submitted: bool
    is_bounce: bool
    content_hash: str

    def as_dict(self) -> dict:
        return {
            "message_id": self.message_id,
            "in_reply_to": self.in_reply_to,
            "references": self.references,
            "from": self.from_address,
            "to": self.to,
            "subject": self.subject,
            "reply_text": self.reply_text,
            "attachments": [
                {"filename": a.filename, "content_type": a.content_type, "size": a.size}
                for a in self.attachments
            ],
            "auto_submitted": self.auto_submitted,
            "is_bounce": self.is_bounce,
        }


def parse(raw: bytes) -> ParsedEmail:
    message = email.message_from_bytes(raw, policy=READING_POLICY)
    from_name, from_address = parseaddr(str(message.get("From", "")))
    recipients = getaddresses(
        # Delivered-To and X-Original-To: where an MTA says it delivered the email (a Bcc shows
        # in no other header).
        [
            str(value)
            for key in ("To", "Cc", "Delivered-To", "X-Original-To")
            for value in message.get_all(key, [])
        ]
    )
    subject = str(message.get("Subject", "")).strip()
    return ParsedEmail(
        message_id=str(message.get("Message-ID", "")).strip(),
        in_reply_to=str(message.get("In-Reply-To", "")).strip(),
        references=str(message.get("References", "")).split(),
        from_address=from_address.lower(),
        from_name=from_name,
        to=sorted({address.lower() for _, address in recipients if address}),
        subject=subject,
        reply_text=extract_reply(_body_text(message)),
        attachments=list(_attachments(message)),
        auto_submitted=_is_automatic(message, subject),
        is_bounce=_is_bounce(message, from_address),
        content_hash=hashlib.sha256(raw).hexdigest(),
    )


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset: decode what we can
        content = part.get_payload(decode=True).decode("utf-8", errors="replace")
    if part.get_content_type() == "text/html":
        return html_to_text(content)
    return content


def html_to_text(markup: str) -> str:
    """HTML-only mail as clean text: quoted blocks dropped, line breaks kept, no markup."""
    markup = _QUOTE_BLOCKS.sub("", markup)
    markup = _BLOCK_TAGS.sub("\n", markup)
    text = html_lib.unescape(nh3.clean(markup, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()


def extract_reply(text: str) -> str:
    """The new text only: quoted history, quote headers and signatures removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cut = _EXTRA_CUTS.search(text)
    if cut:
        text = text[: cut.start()]
    reply = EmailReplyParser(languages=LANGUAGES).parse_reply(text) or ""
    lines = [line for line in reply.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()


def _attachments(message: EmailMessage):
    for part in message.iter_attachments():
        data = part.get_payload(decode=True) or b""
        yield ParsedAttachment(
            filename=part.get_filename() or "attachment",
            content_type=part.get_content_type(),
            data=data,
        )


def _is_automatic(message: EmailMessage, subject: str) -> bool:
    """Out-of-office and other machine replies: ignored and logged, never answered."""
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (
        auto_submitted not in ("", "no")
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or any(header in message for header in ("X-Autoreply", "X-Autorespond"))
        or bool(_VACATION_SUBJECT.match(subject))
    )


def _is_bounce(message: EmailMessage, from_address: str) -> bool:
    return (
        not from_address
        or from_address.split("@")[0].lower() in ("mailer-daemon", "postmaster")
        or message.get_content_type() == "multipart/report"
    )

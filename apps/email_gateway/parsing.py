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
# The first line of every alert. A reply quotes the alert below the new text, in whatever
# language and format the client quotes in, so cutting at this line finds the history even
# where no quote header below is recognised.
REPLY_MARKER = "##- Please type your reply above this line -##"
_MARKER = re.compile(rf"^[> \t]*{re.escape(REPLY_MARKER)}", re.MULTILINE)
# Devices and apps that sign a message on their own ("Sent from my iPhone"): whole lines of at
# most a few more words, so that a sentence which merely starts the same way is kept.
_DEVICES = (
    r"iPhone|iPad|iPod|Android|mobile|phone|smartphone|tablet|BlackBerry|Windows Phone|Galaxy|"
    r"Samsung|Huawei|Xiaomi|Pixel|OnePlus|Motorola|Nokia|Fairphone|Handy|Mobiltelefon|móvil|"
    r"teléfono|portable|téléphone|cellulare|telefono|celular|telemóvel|telefoon|mobiel"
)
_DEVICE = rf"(?:{_DEVICES})(?:[ \t][\w+-]+){{0,2}}\.?"
_APPS = (
    r"Yahoo Mail|AOL Mail|Outlook|Mail|Gmail|Proton ?Mail|Samsung (?:Email|Mail)|Spark|BlueMail|GMX|WEB\.DE"
)
_PLATFORMS = r"iPhone|iPad|iOS|Android|Windows|Mac"
_EXTRA_CUTS = re.compile(
    # [ \t], not \s: \s would let the pattern slide over blank lines, which costs quadratic time.
    r"^[ \t]*(?:"
    r"Em .{3,120} escreveu:|"  # Portuguese (Gmail, Apple Mail)
    r"El .{3,120} escribió:|"  # Spanish (Gmail)
    r"Op .{3,120} schreef .{1,120}:|"  # Dutch (Gmail)
    r"--|"  # the signature delimiter, "-- " (RFC 3676), its space often trimmed away
    # An Outlook header block: From, then Sent or Date, in the languages Outlook writes (French
    # puts a no-break space before the colon). "From: 9am / To: 5pm" is opening hours, not this.
    r"(?:From|Von|De|Da|Van|Fra|Från)[ \u00a0]?: .+\n[ \t]*(?:Sent|Date|Gesendet|Datum|Envoyé|"
    r"Enviad[ao](?: el| em)?|Fecha|Inviato|Data|Verzonden|Verstuurd|Skickat|Sendt)[ \u00a0]?: .+|"
    r"-{2,}[ \t]*(?:Original Message|Mensagem original|Mensaje original|Ursprüngliche Nachricht|"
    r"Message d'origine|Messaggio originale|Oorspronkelijk bericht)[ \t]*-{2,}|"
    # Forwarded history (Gmail, Thunderbird and Apple Mail): what the thread was, not what is new.
    r"-{2,}[ \t]*(?:Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|"
    r"Messaggio inoltrato|Mensagem encaminhada|Doorgestuurd bericht)[ \t]*-{2,}|"
    r"Begin forwarded message:|Anfang der weitergeleiteten Nachricht:|Début du message réexpédié :|"
    r"_{20,}|"  # Outlook's rule above the quoted header
    rf"Sent from my {_DEVICE}|"
    rf"Sent from (?:{_APPS})(?:<[^<>\n]*>)?(?: (?:for|on) (?:{_PLATFORMS})(?: \d+)?)?\.?|"
    r"Sent (?:with|using|via) (?:Proton ?Mail|Spark|BlueMail|Tuta(?:nota)?)(?: secure email)?\.?|"
    rf"Get Outlook for (?:{_PLATFORMS})(?:<[^<>\n]*>)?\.?|"
    rf"(?:Enviado desde mi|Gesendet von meinem|Envoyé de(?:puis)? mon|Inviato da(?: mio)?|"
    rf"Enviado d[eo] meu|Verzonden (?:vanaf|met) mijn|Verstuurd vanaf mijn) {_DEVICE}|"
    rf"Von meinem {_DEVICE} gesendet|"
    r"(?:Obtener|Obter o) Outlook para (?:iOS|Android)|Outlook für (?:iOS|Android) beziehen|"
    r"Télécharger Outlook pour (?:iOS|Android)|Scarica Outlook per (?:iOS|Android)"
    r")[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
# A quote kept between new lines (the question an answer is written under) is a few lines
# without links or addresses: a whole alert quoted in the middle is history, not a question.
MAX_KEPT_QUOTE_LINES = 5
_LINK_OR_ADDRESS = re.compile(r"://|www\.|@", re.IGNORECASE)
# The quote parser's time grows with the square of its input; new text comes first or is short.
MAX_REPLY_SCAN_CHARS = 64 * 1024
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
    # The source's own line breaks mean nothing in HTML; only the tags below make lines (else
    # an Outlook header block, one <br> and one newline a line, would fall apart).
    markup = re.sub(r"\s+", " ", markup)
    markup = _BLOCK_TAGS.sub("\n", markup)
    text = html_lib.unescape(nh3.clean(markup, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()


def extract_reply(text: str) -> str:
    """The new text only: quoted history, quote headers and signatures removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Runs of blank lines as one: every pattern below then scans each line once.
    text = re.sub(r"\n(?:[ \t]*\n)+", "\n\n", text)[:MAX_REPLY_SCAN_CHARS]
    text = _without_quoted_alert(text)
    cut = _EXTRA_CUTS.search(text)
    if cut:
        text = text[: cut.start()]
    reply = EmailReplyParser(languages=LANGUAGES).parse_reply(text) or ""
    return _without_quoted_history(reply.splitlines())


def _without_quoted_alert(text: str) -> str:
    """Everything from our alert's first line on, which the client quoted below the new text,
    in whatever language and format. Quoted with ">", only that quote goes: an answer written
    under it (bottom-posting) stays."""
    marker = _MARKER.search(text)
    if marker is None:
        return text
    above = _without_attribution(text[: marker.start()])
    if not _is_quoted(marker.group()):
        return above  # quoted as it is (Outlook): the rest is the alert
    below = text[marker.end() :].split("\n")[1:]
    while below and _is_quoted(below[0]):
        below.pop(0)
    lines = above.split("\n")
    while lines and _is_quoted(lines[-1]):
        lines.pop()
    return "\n".join([*lines, *below])


def _without_quoted_history(lines: list[str]) -> str:
    """Quoted history goes, above the new text (bottom-posting, with the "On ... wrote:" line
    that names an address) and below it. A short quote between new lines stays: an answer
    written under the question keeps it, or "Yes." would answer nothing."""
    quoted_below = False
    while lines and (not lines[-1].strip() or _is_quoted(lines[-1])):
        quoted_below |= _is_quoted(lines.pop())
    if quoted_below:  # the quote's own header, in a language or wrapping not recognised above
        lines = _without_attribution("\n".join(lines)).splitlines()
    start = 0
    while start < len(lines) and (
        not lines[start].strip()
        or _is_quoted(lines[start])
        or (
            lines[start].rstrip().endswith(":")
            and _ADDRESS.search(lines[start])
            and start + 1 < len(lines)
            and _is_quoted(lines[start + 1])
        )
    ):
        start += 1
    kept, run = [], []
    for line in lines[start:]:
        if _is_quoted(line):
            run.append(line)
            continue
        if run and len(run) <= MAX_KEPT_QUOTE_LINES and not any(_LINK_OR_ADDRESS.search(q) for q in run):
            kept += run
        run = []
        kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


# "Label: value", or a line of addresses only: the rest of a To line the client wrapped.
_HEADER_LINE = re.compile(
    r"^[ \t]*(?:\*?[^\s:*]{1,20}(?: [^\s:*]{1,20})?\*?[ \u00a0]?:\*?(?: .*)?"
    r"|(?:[^<>\n]{0,60}<[^<>\s@]+@[^<>\s@]+>[;,]?[ \t]*)+)$"
)
_ADDRESS = re.compile(r"<[^<>\s@]+@[^<>\s@]+>")


def _without_attribution(text: str) -> str:
    """Text that ended where quoted history began, without the client's header for it, in any
    language: an "On <date>, <name> <address> wrote:" paragraph (at most three lines ending with
    a colon) or an Outlook block of "Label: value" lines, either naming <an address>."""
    paragraphs = text.rstrip().rsplit("\n\n", 1)
    last = paragraphs[-1]
    if last.endswith(":") and last.count("\n") < 3 and _ADDRESS.search(last):
        return paragraphs[0] if len(paragraphs) == 2 else ""
    lines = text.rstrip().split("\n")
    block = 0
    while block < min(len(lines), 8) and _HEADER_LINE.match(lines[-1 - block]):
        block += 1
    if block >= 2 and any(_ADDRESS.search(line) for line in lines[-block:]):
        return "\n".join(lines[:-block])
    return text


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


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

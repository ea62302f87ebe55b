"""Links: URLs, "www." addresses and bare domains ("mystore.shop", "bit.ly/x").

A bare "name.suffix" is a link when its suffix is on the public suffix list (tldextract's
bundled snapshot) and it is not a file name. Common suffixes count on their own; rarer ones
(".it", ".best", ".today" — also everyday words after a missing space) need more: a path,
a digit or hyphen in the name, an obfuscated dot, or a word like "visit" nearby. Links to
the platform's own domains are allowed; messenger links (wa.me, t.me …) are reported as
contact handles instead.
"""

from __future__ import annotations

import re

from ..domains import is_suffix, registrable, within
from ..hits import Hit
from ..lexicon import lexicon
from ..normalize import NormText

CATEGORY = "link"
HANDLE_CATEGORY = "contact_handle"

_URL = re.compile(
    r"(?<![a-z0-9])(?:h[tx*]{2}ps?|ftp)\s{0,2}:\s{0,2}/\s{0,2}/\s{0,2}(?P<host>[a-z0-9\-.]{1,253})"
    r"(?P<rest>[^\s<>\"'`]{0,2048})"
    r"|(?<![a-z0-9.\-@])(?P<www>www[0-9]{0,3}\.[a-z0-9\-.]{1,253})(?P<wrest>[^\s<>\"'`]{0,2048})"
)
# Bare domains are found from their ending: a dot and a possible suffix ("…\.shop"), then
# the labels before it are read backwards. Starting from the literal "." keeps the scan fast.
_SUFFIX = re.compile(r"\.(?P<tld>[a-z]{2,24})(?![a-z0-9\-@]|\.[a-z0-9])")
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.){1,6}")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
_SCHEME_HINT = re.compile(r":\s{0,2}/")
_PATH = re.compile(r"/[^\s<>\"'`]{0,2048}")
_HOST_REACH = 260
_MAX_SUFFIX_CANDIDATES = 2000
_TRAILING = ".,;:!?)]}'\"\u00bb\u201d\u2019"  # closing punctuation, incl. » ” and the curly apostrophe
_NOT_BEFORE_HOST = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.@_-/")
_CONTEXT_REACH = 40
_WORDS = re.compile(r"[a-z]+")


def find_links(view: NormText, platform_domains: tuple[str, ...]) -> list[Hit]:
    text = view.text
    if "." not in text:
        return []
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []
    # The URL regex opens with lookbehinds (slow to scan); most messages have no URL at all.
    urls = _URL.finditer(text) if ("www" in text or _SCHEME_HINT.search(text)) else ()
    for match in urls:
        host = (match.group("host") or match.group("www")).strip(".-")
        end = match.end() - _trailing(match.group())
        hit = _judge_host(host, view, match.start(), end, platform_domains, explicit=True)
        taken.append((match.start(), end))
        if hit:
            hits.append(hit)
    for count, match in enumerate(_SUFFIX.finditer(text)):
        if count >= _MAX_SUFFIX_CANDIDATES:
            break  # garbage like "co.co.co.…": enough of it has been looked at
        if not is_suffix(match.group("tld")):
            continue
        dot = match.start()
        start = _host_start(text, dot)
        if start is None:
            continue
        if (start and text[start - 1] in _NOT_BEFORE_HOST) or any(a <= start < b for a, b in taken):
            continue
        path = _PATH.match(text, match.end())
        end = path.end() if path else match.end()
        end -= _trailing(text[start:end])
        hit = _judge_host(text[start : match.end()], view, start, end, platform_domains, explicit=False)
        if hit:
            hits.append(hit)
    return hits


def _host_start(text: str, dot: int) -> int | None:
    """Where the labels in front of the suffix's dot begin (read backwards, no regex scan)."""
    start = dot
    while start > 0 and dot - start < _HOST_REACH and text[start - 1] in _HOST_CHARS:
        start -= 1
    while start < dot and text[start] in ".-":
        start += 1
    labels = _HOST.fullmatch(text, start, dot + 1)
    return start if labels and start < dot else None


def _trailing(found: str) -> int:
    return len(found) - len(found.rstrip(_TRAILING))


def _judge_host(
    host: str, view: NormText, start: int, end: int, platform_domains: tuple[str, ...], *, explicit: bool
) -> Hit | None:
    lex = lexicon()
    if within(host, platform_domains) or within(host, lex.allowed_hosts):
        return None
    orig_start, orig_end = view.span(start, end)
    if within(host, lex.messenger_hosts):
        return Hit(HANDLE_CATEGORY, orig_start, orig_end, 0.95)
    if explicit:
        return Hit(CATEGORY, orig_start, orig_end, 0.95)
    parts = registrable(host)
    if parts is None:
        return None
    domain, suffix = parts
    if within(host, lex.url_shorteners):
        return Hit(CATEGORY, orig_start, orig_end, 0.95)
    if suffix in lex.file_extensions or host.rsplit(".", 1)[-1] in lex.file_extensions:
        return None  # "invoice.zip", "setup.exe"
    confidence = _bare_confidence(view, start, end, host, domain, suffix)
    if confidence is None:
        return None
    return Hit(CATEGORY, orig_start, orig_end, confidence)


def _bare_confidence(
    view: NormText, start: int, end: int, host: str, domain: str, suffix: str
) -> float | None:
    lex = lexicon()
    text = view.text
    has_path = "/" in text[start:end]
    # An obfuscated dot ("shop dot com", "shop(.)com") maps to more than one original character.
    obfuscated = any(
        text[i] == "." and view.span(i, i + 1)[1] - view.span(i, i + 1)[0] > 1 for i in range(start, end)
    )
    if suffix in lex.strong_tlds or suffix.rsplit(".", 1)[-1] in lex.strong_tlds:
        if len(domain) == 1 and not (has_path or obfuscated):
            return None  # "a.co", "i.me"
        return 0.95 if obfuscated or has_path else 0.85
    if obfuscated or has_path:
        return 0.85
    if re.search(r"[0-9\-]", domain) and len(domain) >= 3:
        return 0.7
    before = set(_WORDS.findall(text[max(0, start - _CONTEXT_REACH) : start]))
    if before & lex.link_context:
        return 0.75
    return None

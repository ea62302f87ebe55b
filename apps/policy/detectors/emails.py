"""E-mail addresses, including ones spelled out ("jane at gmail dot com", "jane(at)gmail(dot)com").

Runs on the deobfuscated contact view (see deobfuscate.py), where those spellings already
read "jane@gmail.com"; the Hit still points at the original words.
"""

from __future__ import annotations

import re

from ..domains import registrable, within
from ..hits import Hit
from ..lexicon import lexicon
from ..normalize import NormText
from ..prefilter import gate_open

CATEGORY = "email"

# Bounded local part and a lookbehind that refuses to start mid-run keep this linear even on
# "aaaa…@" (no backtracking from every position).
# Spaces around "@" on both sides ("jane @ gmail.com"), or before it only when a mail
# provider follows ("jane @gmail.com"); "TikTok @shop.deals" is a handle, not an address.
_ADDRESS = re.compile(
    r"(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]{0,63}"
    r"(?:@|[ \t]{1,2}@[ \t]{1,2}"
    r"|[ \t]{1,2}@(?=(?:gmail|googlemail|yahoo|hotmail|outlook|icloud|proton|gmx|aol)\b))"
    r"(?P<domain>[a-z0-9][a-z0-9\-]{0,62}(?:\.[a-z0-9][a-z0-9\-]{0,62}){0,8})"
)
# "my gmail is jane.doe88": a provider account named without the @.
_PROVIDERS = (
    "gmail",
    "googlemail",
    "hotmail",
    "yahoo",
    "outlook",
    "icloud",
    "proton",
    "gmx",
    "yandex",
    "aol",
)
# The prefilter tells, in its one pass, whether these regexes can match at all (prefilter.py).
GATED = {"address": _ADDRESS, "provider": re.compile("|".join(_PROVIDERS))}
_PROVIDER_ACCOUNT = re.compile(
    r"(?<![a-z0-9])(?:gmail|googlemail|hotmail|yahoo|outlook|icloud|protonmail|proton|gmx|yandex|aol)"
    r"(?:\s+(?:address|account|acc|id|adress|direcci[oó]n|adresse|konto))?\s*(?:is|es|ist|est|:|-|=)\s*"
    r"(?P<account>[a-z0-9][a-z0-9._]{2,40}[a-z0-9])(?![a-z0-9@])"
)


def find_emails(
    view: NormText, platform_domains: tuple[str, ...], gates: set[str] | None = None
) -> list[Hit]:
    """`gates` are the prefilter's for this very text (None: search everything)."""
    text = view.text
    named_provider = gate_open(gates, "provider") and any(p in text for p in _PROVIDERS)
    if "@" not in text and not named_provider:
        return []
    hits = []
    position = 0 if gate_open(gates, "address") else len(text)
    while (match := _ADDRESS.search(text, position)) is not None:
        domain = match.group("domain").rstrip(".-")
        end = match.start("domain") + len(domain)
        confidence = _judge(domain, platform_domains)
        if confidence is None:
            # "me @ jenny.k" is no address, but "jenny.k@gmail.com" right after it may be:
            # resume at the rejected domain instead of after it.
            position = match.start("domain")
            continue
        start, stop = view.span(match.start(), end)
        hits.append(Hit(CATEGORY, start, stop, confidence))
        position = match.end()
    for match in _PROVIDER_ACCOUNT.finditer(text) if named_provider else ():
        if re.search(r"[0-9._]", match.group("account")):
            start, stop = view.span(match.start(), match.end())
            hits.append(Hit(CATEGORY, start, stop, 0.8))
    return hits


def _judge(domain: str, platform_domains: tuple[str, ...]) -> float | None:
    if within(domain, platform_domains):
        return None  # the platform's own relay addresses are how buyers and sellers talk
    if "." in domain and registrable(domain):
        return 0.95
    if domain.split(".")[0] in lexicon().email_providers:
        return 0.85  # "jane@gmail"
    return None

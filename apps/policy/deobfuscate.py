"""Undo the usual ways of hiding an address: "(at)", "[dot]", "name at gmail dot com",
"www . shop . com". The result is another NormText view that the e-mail, link and handle
detectors read; each "@"/"." it inserts maps back to the words it replaced.
"""

from __future__ import annotations

import re
from functools import cache

from .domains import is_suffix
from .lexicon import lexicon
from .normalize import NormText
from .prefilter import gate_open

_BRACKETS_OPEN, _BRACKETS_CLOSE = r"[\(\[\{<]", r"[\)\]\}>]"
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# Spelled dots that are also everyday words need the next word to really be a domain ending.
_COMMON_AFTER = frozenset(
    {"de", "es", "a", "la", "le", "les", "en", "y", "e", "et", "el", "du", "des", "que", "in"}
)
_SPACED_DOT_TLDS = frozenset(
    {"com", "net", "org", "co", "io", "biz", "info", "shop", "store", "online", "xyz"}
)
_DOMAIN_GOES_ON = re.compile(
    r"\s*(?:\.|@|[\(\[\{<]|\s(?:dot|punto|punkt|point|at|arroba|arobase|chez)\s|[-_*~]+(?:dot|at)[-_*~]+)"
)
_AT_FOLLOWS = re.compile(r"\s*(?:@|[\(\[\{<]\s*at\s*[\)\]\}>]|\s(?:at|arroba|arobase)\s)")
_LOCAL_STOPWORDS = frozenset(
    {
        "me", "us", "him", "her", "them", "you", "it", "look", "looking", "arrive", "arrived", "arrives",
        "available", "here", "there", "this", "that", "is", "was", "be", "been", "are", "were", "am", "home",
        "work", "sign", "signed", "log", "logged", "login", "registered", "found", "find", "check", "checked",
        "account", "accounts", "address", "mail", "email", "e-mail", "inbox", "reply", "replied",
    }
)  # fmt: skip


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    # Every pattern starts with a literal or a small class, so the regex engine can skip ahead
    # quickly; context (word boundaries, what is around) is checked in Python on the few hits.
    lex = lexicon()
    at_words = "|".join(sorted((re.escape(w) for w in lex.at_words if w != "@"), key=len, reverse=True))
    dot_words = "|".join(sorted((re.escape(w) for w in lex.dot_words if w != "."), key=len, reverse=True))
    return {
        "bracket_at": re.compile(rf"{_BRACKETS_OPEN}\s*(?:{at_words}|@)\s*{_BRACKETS_CLOSE}"),
        "bracket_dot": re.compile(rf"{_BRACKETS_OPEN}\s*(?:{dot_words}|\.)\s*{_BRACKETS_CLOSE}"),
        # A leading separator class (not a lookbehind) lets the engine skip ahead quickly.
        "word_dot": re.compile(rf"[\s\-_*~](?P<word>{dot_words})(?=[\s\-_*~])"),
        # Possessive, and only from the start of a run of spaces: linear even on 100k spaces.
        "spaced_dot": re.compile(r"(?<!\s)\s++\.\s*+|www\.\s++"),
        "word_at": re.compile(rf"[\s\-_*~](?P<word>{at_words})(?=[\s\-_*~])"),
    }


def GATED() -> dict[str, re.Pattern[str]]:
    """The regexes the prefilter checks in its one pass (prefilter.py)."""
    return _patterns()


_DOMAIN_RUN = re.compile(r"[a-z0-9.-]+")
_LOCAL_RUN = re.compile(r"[a-z0-9_.%+-]+$")
_GLUE_BEFORE = re.compile(r"(?:\s+|\s*[-_*~]+\s*)$")
_GLUE_AFTER = re.compile(r"\s+|\s*[-_*~]+\s*")


def contact_view(norm: NormText, gates: set[str] | None = None) -> NormText:
    """`gates` are the prefilter's for `norm` (None: search everything)."""
    patterns = _patterns()
    dotted = norm.rewrite(_dot_edits(norm.text, patterns, gates))
    # The gates speak of the normalised text, not of one with dots put in.
    return dotted.rewrite(_at_edits(dotted, patterns, gates if dotted is norm else None))


def _glued_word(text: str, match: re.Match[str]) -> tuple[int, int] | None:
    """Span of a spelled "dot"/"at" with the spaces or dashes around it, if it joins two words."""
    start, end = match.span("word")
    if (start and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha()):
        return None  # part of a longer word ("dotted", "that")
    before = _GLUE_BEFORE.search(text, max(0, start - 6), start)
    after = _GLUE_AFTER.match(text, end)
    if not before or not after or before.start() == 0 or after.end() >= len(text):
        return None
    if (
        not (text[before.start() - 1].isalnum() or text[before.start() - 1] in "_.")
        or not text[after.end()].isalnum()
    ):
        return None
    return before.start(), after.end()


def _with_spaces(text: str, start: int, end: int) -> tuple[int, int]:
    while start and text[start - 1] in " \t":
        start -= 1
    while end < len(text) and text[end] in " \t":
        end += 1
    return start, end


def _dot_edits(
    text: str, patterns: dict[str, re.Pattern[str]], gates: set[str] | None
) -> list[tuple[int, int, str]]:
    brackets = patterns["bracket_dot"].finditer(text) if gate_open(gates, "bracket_dot") else ()
    edits = [(*_with_spaces(text, *m.span()), ".") for m in brackets]
    # Plain substring tests first: most messages have no spelled or spaced dot at all.
    words = (
        patterns["word_dot"].finditer(text)
        if gate_open(gates, "word_dot") and any(w in text for w in _dot_words())
        else ()
    )
    spaced = (
        patterns["spaced_dot"].finditer(text)
        if gate_open(gates, "spaced_dot") and (" ." in text or "\n." in text or "www" in text)
        else ()
    )
    for match in words:
        span = _glued_word(text, match)
        if span:
            label = _LABEL.match(text, span[1])
            if label and _continues_domain(text, label.group(), label.end(), match.group("word")):
                edits.append((span[0], span[1], "."))
    for match in spaced:
        start, end = match.span()
        if not (start and text[start - 1].isalnum()) or end >= len(text) or not text[end].isalnum():
            continue
        label = _LABEL.match(text, end)
        # "www . shop . com" and "shop .com" are addresses; "arrived. Net weight" is prose.
        if match.group().startswith("www") or text[max(0, start - 3) : start] == "www":
            edits.append((start + 3 if match.group().startswith("www") else start, end, "."))
        elif (
            label
            and match.group()[0].isspace()
            and (label.group() in _SPACED_DOT_TLDS or _AT_FOLLOWS.match(text, label.end()))
        ):
            # "shop . com", or the local part of "jane . doe @ gmail . com".
            edits.append((start, end, "."))
    return _non_overlapping(edits)


@cache
def _dot_words() -> tuple[str, ...]:
    return tuple(w for w in lexicon().dot_words if w != ".")


def _continues_domain(text: str, label: str, end: int, word: str) -> bool:
    if word in ("point", "punto", "period") and label in _COMMON_AFTER:
        return False  # "point de retrait", "el punto es que"
    if is_suffix(label) and not text[end : end + 1].isalpha():
        return True
    # A further spelled or real dot ("www dot shop dot com"), or the "at" of an address
    # ("john dot smith at gmail").
    return bool(_DOMAIN_GOES_ON.match(text, end))


def _at_edits(
    view: NormText, patterns: dict[str, re.Pattern[str]], gates: set[str] | None
) -> list[tuple[int, int, str]]:
    text = view.text
    brackets = patterns["bracket_at"].finditer(text) if gate_open(gates, "bracket_at") else ()
    edits = [(*_with_spaces(text, *m.span()), "@") for m in brackets]
    providers = lexicon().email_providers
    for match in patterns["word_at"].finditer(text) if gate_open(gates, "word_at") else ():
        span = _glued_word(text, match)
        if not span:
            continue
        # Searched in place (pos/endpos), not on slices: a slice copies the rest of the text.
        domain = _DOMAIN_RUN.match(text, span[1])
        domain_text = domain.group().strip(".") if domain else ""
        local = _LOCAL_RUN.search(text, max(0, span[0] - 64), span[0])
        local_text = local.group() if local else ""
        first_label = domain_text.split(".")[0]
        if local_text in _LOCAL_STOPWORDS and first_label not in providers:
            continue
        spelled_dot = any(
            text[i] == "." and _is_spelled(view, i) for i in range(span[1], span[1] + len(domain_text))
        )
        username_like = bool(re.search(r"[0-9_.]", local_text))
        if (
            match.group("word") in ("arroba", "arobase")
            or spelled_dot
            or username_like
            # "jane at gmail": a bare provider name needs a name-like part before it
            # ("It arrived at gmail speed" is not an address).
            or (first_label in providers and ("." in domain_text or local_text not in _LOCAL_STOPWORDS))
        ):
            edits.append((span[0], span[1], "@"))
    return _non_overlapping(edits)


def _is_spelled(view: NormText, index: int) -> bool:
    start, end = view.span(index, index + 1)
    return end - start > 1


def _non_overlapping(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for edit in sorted(edits):
        if not kept or edit[0] >= kept[-1][1]:
            kept.append(edit)
    return kept

"""scan(): run every detector over a message and decide what happens to it."""

from __future__ import annotations

from typing import Any

from .actions import decide, redactable_categories
from .anchors import TextWords
from .conf import get_config
from .context import ScanContext
from .deobfuscate import contact_view
from .detectors.emails import find_emails
from .detectors.handles import find_handles
from .detectors.links import find_links
from .detectors.phone import find_phones
from .detectors.phrases import find_phrases
from .detectors.together import find_together
from .hits import Hit
from .lexicon import lexicon
from .normalize import NormText, fold, join_spaced_letters, normalize
from .numbers import digits_view
from .patterns import fold_leet
from .prefilter import prefilter
from .verdict import Finding, Verdict

_CONTACT_OVERLAP_ORDER = ("email", "contact_handle", "link", "phone")
_DIGITS = "0123456789"
_MIN_PHONE_DIGITS = 7


def scan(text: str, *, context: ScanContext) -> Verdict:
    """Check one message from `context.sender_role`; offsets in the Verdict index into `text`."""
    if not isinstance(text, str):
        raise TypeError(f"scan() needs str, not {type(text).__name__}")
    config = get_config()
    limit = int(config["MAX_SCAN_CHARS"])
    truncated = len(text) > limit
    hits = detect(text[:limit] if truncated else text, context, config)
    findings = tuple(
        Finding(h.category, h.start, h.end, text[h.start : h.end], round(h.confidence, 2)) for h in hits
    )
    role = context.sender_role
    return Verdict(
        action=decide(findings, role, config, truncated=truncated),
        categories=tuple(sorted({f.category for f in findings})),
        findings=findings,
        redactable=redactable_categories(role, config),
        truncated=truncated,
    )


def detect(text: str, context: ScanContext, config: dict[str, Any]) -> list[Hit]:
    """All evidence in `text`, overlaps resolved, sorted by position."""
    if not text or text.isspace():
        return []
    fast = prefilter()
    if fast is None:
        norm, candidates = normalize(text), None
    else:
        # The prefilter reads the text before spaced-out letters ("w h a t s a p p") are
        # joined, and tells whether there are any; if joining changes the text, it reads
        # the joined text again.
        folded = fold(text)
        candidates = fast.scan(folded.text)
        norm = join_spaced_letters(folded, candidates.gates)
        if norm is not folded:
            candidates = fast.scan(norm.text)
    words = TextWords(fold_leet(norm.text))
    hits = find_phrases(norm, words, context.sender_role, candidates)
    hits += find_together(norm, words, context.sender_role, candidates)
    gates = candidates.gates if candidates is not None else None
    contact = contact_view(norm, gates)
    # The gates speak of the normalised text only.
    hits += find_emails(contact, context.platform_domains, gates if contact is norm else None)
    hits += find_links(contact, context.platform_domains)
    hits += find_handles(contact)
    if candidates is not None:
        number_words = candidates.number_words
    else:
        number_words = not lexicon().number_stems.isdisjoint(words.stems)
    view = _digits_view_if_phone_possible(norm, number_words, gates)
    if view is not None:
        hits += find_phones(view, tuple(config["PHONE_REGIONS"]))
    return resolve(hits)


def warm_up() -> None:
    """Load and compile everything now (word lists, phone metadata, the suffix list) instead
    of on the first real message; for benchmarks and for worker start-up."""
    scan("warm up: call 555 867 5309, mail jane@example.org, see shop.example", context=ScanContext("seller"))


def _digits_view_if_phone_possible(
    norm: NormText, number_words: bool, gates: set[str] | None
) -> NormText | None:
    """The digits view, or None when the message cannot hold seven digits even with its
    number words ("five", "cinco" …) read as digits."""
    digits = _count_digits(norm.text)
    if not number_words and digits < _MIN_PHONE_DIGITS:
        return None
    view = digits_view(norm, number_words, gates)
    if view is not norm:
        digits = _count_digits(view.text)
    return view if digits >= _MIN_PHONE_DIGITS else None


def _count_digits(text: str) -> int:
    return sum(text.count(d) for d in _DIGITS)


def resolve(hits: list[Hit]) -> list[Hit]:
    """Merge overlapping hits of one category; drop contact hits explained by a better one.

    An address's domain is not also a link, a URL's digits are not also a phone number.
    """
    merged = _merge_same_category(hits)
    by_category: dict[str, list[Hit]] = {}
    for hit in merged:
        by_category.setdefault(hit.category, []).append(hit)
    dropped: set[Hit] = set()
    for rank, category in enumerate(_CONTACT_OVERLAP_ORDER):
        stronger = [h for c in _CONTACT_OVERLAP_ORDER[:rank] for h in by_category.get(c, [])]
        for hit in by_category.get(category, []):
            if category == "phone":
                covering = [h for h in stronger if h.category in ("email", "link")]
            else:
                covering = stronger
            if any(hit.within(other) or (category == "link" and hit.overlaps(other)) for other in covering):
                dropped.add(hit)
    return sorted((h for h in merged if h not in dropped), key=lambda h: (h.start, h.end, h.category))


def _merge_same_category(hits: list[Hit]) -> list[Hit]:
    merged: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.category, h.start, h.end)):
        last = merged[-1] if merged else None
        if last and last.category == hit.category and hit.start < last.end:
            merged[-1] = Hit(
                hit.category, last.start, max(last.end, hit.end), max(last.confidence, hit.confidence)
            )
        else:
            merged.append(hit)
    return merged

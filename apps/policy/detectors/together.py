"""Co-occurrence rules: an incentive, a review word and a link between them in one sentence.

Offers of money for reviews are phrased too many ways for fixed word order ("$20 gift card
for a 5-star review", "update your rating and we'll refund you in full", "full refund if
you remove the review"). A rule fires when all its terms occur in one sentence with the
link term between the other two, unless a veto (a negation such as "we cannot …") is
there too. Rules only run on sentences that hold their anchor (review) word.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from ..anchors import TextWords
from ..hits import Hit
from ..lexicon import TogetherRule, lexicon
from ..normalize import NormText
from ..prefilter import Candidates, may_end_within

# Punctuation, a blank line, or a line break before a bullet. The single class up front lets
# the regex engine skip to candidates at C speed (the lookbehinds say which branch it was).
_SENTENCE_END = re.compile(
    r"[.!?;\n](?:(?<=[.!?;])[.!?;]*(?=\s|$)|(?<=\n)[^\S\n]*+\n|(?<=\n)(?=[^\S\n]*+[-*•]))"
)


@dataclass(frozen=True, slots=True)
class _Sentences:
    starts: list[int]
    ends: list[int]

    def around(self, position: int) -> tuple[int, int]:
        index = bisect_right(self.starts, position) - 1
        return self.starts[index], self.ends[index]

    def holding(self, ends: list[int]) -> set[int]:
        """Indexes of the sentences that text ending at one of `ends` may belong to."""
        return {bisect_right(self.starts, end - 1) - 1 for end in ends}


def _sentences(text: str) -> _Sentences:
    starts, ends = [0], []
    for match in _SENTENCE_END.finditer(text):
        ends.append(match.start())
        starts.append(match.end())
    ends.append(len(text))
    return _Sentences(starts, ends)


# ". " or "? " and the like: wherever it stands, a sentence ends right after the punctuation.
_CERTAIN_END = re.compile(r"[.!?;]\s")
_MAX_PAIRS = 64


def _always_apart(text: str, first: list[int] | None, second: list[int] | None) -> bool:
    """Whether text ending at any of `first` is always in another sentence than text ending at
    any of `second`: cheaper than splitting the whole text into sentences."""
    if first is None or second is None or len(first) * len(second) > _MAX_PAIRS:
        return False
    for a in first:
        for b in second:
            low, high = (a, b) if a < b else (b, a)
            if not _CERTAIN_END.search(text, low, high):
                return False
    return True


@cache
def _rules() -> tuple[TogetherRule, ...]:
    return lexicon().together


def find_together(
    norm: NormText, words: TextWords, role: str, candidates: Candidates | None = None
) -> list[Hit]:
    text = norm.text
    sentences: _Sentences | None = None

    hits: list[Hit] = []
    for rule in _rules():
        if role not in rule.roles:
            continue
        # Where the prefilter saw the rule's two terms end (None: anywhere).
        anchor_ends = candidates.ends(rule.anchor) if candidates is not None else None
        other_ends = candidates.ends(rule.other) if candidates is not None else None
        if anchor_ends == [] or other_ends == []:
            continue
        if _always_apart(text, anchor_ends, other_ends):
            continue
        if sentences is None:
            sentences = _sentences(text)
        if (
            anchor_ends is not None
            and other_ends is not None
            and sentences.holding(anchor_ends).isdisjoint(sentences.holding(other_ends))
        ):
            continue  # the two terms never meet in one sentence
        if rule.gate.isdisjoint(words.stems):
            continue
        seen: set[tuple[int, int]] = set()
        for position in words.term_starts(rule.anchor):
            bounds = sentences.around(position)
            if bounds in seen:
                continue
            seen.add(bounds)
            if not (may_end_within(anchor_ends, *bounds) and may_end_within(other_ends, *bounds)):
                continue
            span = _match_rule(rule, text, *bounds, words)
            if span:
                start, end = norm.span(*span)
                hits.append(Hit(rule.category, start, end, rule.confidence))
    return hits


def _match_rule(
    rule: TogetherRule, text: str, low: int, high: int, words: TextWords
) -> tuple[int, int] | None:
    # Cheapest first: the link words, then the anchor, then the long incentive list.
    links = sorted(rule.link.spans(text, low, high, words)) if rule.link else []
    exchange = bool(rule.exchange and rule.exchange.spans(text, low, high, words))
    if rule.link is not None and not links and not exchange:
        return None
    anchors = rule.anchor.spans(text, low, high, words)
    others = rule.other.spans(text, low, high, words) if anchors else []
    if not others:
        return None
    if rule.veto is not None and rule.veto.spans(text, low, high, words):
        return None
    if rule.link is None or exchange:
        # No link needed, or "in exchange for"/"per review" ties them wherever it stands.
        spans = anchors + others
        return min(s for s, _ in spans), max(e for _, e in spans)
    link_starts = [s for s, _ in links]
    for a_start, a_end in anchors:
        for o_start, o_end in others:
            left_end, right_start = min(a_end, o_end), max(a_start, o_start)
            # A link that starts between the two terms ties them together ("review and
            # we'll refund": the link may run on into the incentive).
            i = bisect_left(link_starts, left_end)
            if i < len(links) and links[i][0] < right_start:
                return min(a_start, o_start), max(a_end, o_end)
    return None

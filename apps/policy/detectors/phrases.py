"""Phrase patterns from data/phrases/*.toml: review requests, incentives, marketing, abuse,
and invitations to move to a messaging app.

Patterns only run near one of their anchor stems (see anchors.StemIndex), so a message
without "review", "code", "whatsapp" … costs one regex pass however many patterns exist.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from ..anchors import TextWords
from ..hits import Hit
from ..lexicon import lexicon
from ..normalize import NormText
from ..patterns import Phrase
from ..prefilter import Candidates


@cache
def _phrases_by_stem(role: str) -> dict[str, tuple[Phrase, ...]]:
    """Gate stem -> the phrases it gates, for one sender role."""
    index: dict[str, list[Phrase]] = defaultdict(list)
    for phrase in lexicon().phrases:
        if role in phrase.roles:
            for stem in phrase.anchors[0] if phrase.anchors else ():
                index[stem].append(phrase)
    return {stem: tuple(phrases) for stem, phrases in index.items()}


def find_phrases(
    norm: NormText, words: TextWords, role: str, candidates: Candidates | None = None
) -> list[Hit]:
    """Every phrase match for this sender role, as Hits on the original text.

    `words` are the words of the leetspeak skeleton of `norm.text`, `candidates` what the
    prefilter left possible (None: all).
    """
    if candidates is None:
        stems = words.stems
        by_stem = _phrases_by_stem(role)
        gated: set[Phrase] = set()
        for stem in stems.intersection(by_stem):
            gated.update(by_stem[stem])
    else:
        # The same phrases as above, but starting from the prefilter's few candidates.
        gated = {p for p in candidates.phrases if p.anchors and role in p.roles}
        stems = words.stems if gated else set()
        gated = {p for p in gated if not p.anchors[0].isdisjoint(stems)}
    # A phrase gated by several present stems is checked once.
    triggered = [p for p in gated if all(not group.isdisjoint(stems) for group in p.anchors[1:])]
    text = norm.text
    spans: set[tuple[str, int, int, float]] = set()
    for phrase in triggered:
        gates = [p for stem in phrase.anchors[0].intersection(stems) for p in words.starts(stem)]
        for match in _matches(phrase, text, _start_positions(phrase, words, stems, gates)):
            if match.end() > match.start():
                spans.add((phrase.category, match.start(), match.end(), phrase.confidence))
    for phrase in lexicon().unanchored:
        if role in phrase.roles and (candidates is None or candidates.may_match(phrase)):
            for match in phrase.regex.finditer(text):
                if match.end() > match.start():
                    spans.add((phrase.category, match.start(), match.end(), phrase.confidence))
    hits = []
    for category, start, end, confidence in sorted(spans):
        orig_start, orig_end = norm.span(start, end)
        hits.append(Hit(category, orig_start, orig_end, confidence))
    return hits


def _start_positions(phrase: Phrase, words: TextWords, stems: set[str], gates: list[int]) -> list[int]:
    """Where the pattern's first required word occurs close enough before a gate word.

    The first word is often common ("please", "your"); looking for it only just before the
    rarer gate word keeps the work proportional to the gate's occurrences.
    """
    if phrase.anchors[0] == phrase.anchors[1]:
        return gates
    where: list[int] = []
    starts = phrase.anchors[1].intersection(stems)
    for low, high in _windows(gates, phrase.gate_gap, 1, 1 << 62):
        for stem in starts:
            where.extend(words.starts_between(stem, low, high))
    return where


def _matches(phrase: Phrase, text: str, anchor_positions: list[int]) -> list[re.Match[str]]:
    if phrase.lead == 0:
        # The pattern starts with its anchor: try it exactly there, not across a window.
        found = (phrase.regex.match(text, position) for position in sorted(set(anchor_positions)))
        return [m for m in found if m]
    matches = []
    for low, high in _windows(anchor_positions, phrase.lead, phrase.reach, len(text)):
        matches.extend(phrase.regex.finditer(text, low, high))
    return matches


def _windows(positions: list[int], lead: int, reach: int, length: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for position in sorted(positions):
        low, high = max(0, position - lead), min(length, position + reach)
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged

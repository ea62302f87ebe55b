"""Spelled-out numbers as digits: "five five five, one two three" -> "5 5 5, 1 2 3".

The phone detector reads this "digits view" of the normalised text, so a number written in
words (English, Spanish, German, French), with "oh" for zero, "double five", "treinta y
cinco" or "soixante-dix-huit", is judged like the same number typed in digits. Letters that
stand in for digits inside a run of digits ("555-O12-34l5") are fixed here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .anchors import trie_regex
from .lexicon import NumberWord, lexicon
from .normalize import NormText
from .prefilter import gate_open

# At most this many characters (spaces, punctuation, "and"/"y"/"et") between two number words.
_MAX_GAP = 12
# A digit first (not a lookbehind), so the engine skips quickly to the digits.
_LETTER_DIGITS = re.compile(r"[0-9](?:[\s.\-](?P<b>[oil|])(?=[0-9])|(?P<a>[oil|])(?=[\s.\-]?[0-9]))")
_LETTER_VALUE = {"o": "0", "i": "1", "l": "1", "|": "1"}
# The prefilter tells, in its one pass, whether this regex can match at all (prefilter.py).
GATED = {"letter_digits": _LETTER_DIGITS}


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    word: NumberWord


@cache
def _number_regex() -> re.Pattern[str]:
    return re.compile(trie_regex(lexicon().numbers))


def digits_view(norm: NormText, number_words: bool = True, gates: set[str] | None = None) -> NormText:
    """`norm` with number words and look-alike letters in digit runs replaced by digits.

    `number_words=False` skips the word search when the caller knows there are none; `gates`
    are the prefilter's (None: search everything).
    """
    text = norm.text
    edits = []
    for match in _LETTER_DIGITS.finditer(text) if gate_open(gates, "letter_digits") else ():
        group = "a" if match.group("a") else "b"
        edits.append((match.start(group), match.end(group), _LETTER_VALUE[match.group(group)]))
    tokens = _number_tokens(text) if number_words else []
    if tokens:
        for group in _groups(text, tokens):
            edits.extend(_parse_group(text, group))
    if not edits:
        return norm
    edits.sort()
    # The same "o" can be both a look-alike digit and a spelled zero: keep one edit.
    kept: list[tuple[int, int, str]] = []
    for edit in edits:
        if not kept or edit[0] >= kept[-1][1]:
            kept.append(edit)
    return norm.rewrite(kept)


def _number_tokens(text: str) -> list[_Token]:
    numbers = lexicon().numbers
    tokens = []
    for match in _number_regex().finditer(text):
        start, end = match.span()
        # Whole words only: "one" in "someone", "ten" in "often" are not numbers.
        if (start and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha()):
            continue
        tokens.append(_Token(start, end, numbers[match.group()]))
    return tokens


def _groups(text: str, tokens: list[_Token]) -> list[list[_Token]]:
    joiners = lexicon().number_joiners
    groups: list[list[_Token]] = [[tokens[0]]]
    for token in tokens[1:]:
        gap = text[groups[-1][-1].end : token.start]
        if len(gap) <= _MAX_GAP and _is_gap(gap, joiners):
            groups[-1].append(token)
        else:
            groups.append([token])
    return groups


def _is_gap(gap: str, joiners: frozenset[str]) -> bool:
    words = [w for w in re.split(r"[\s,.;:/\-\u2013_*|+()]+", gap) if w]
    return len(words) <= 1 and all(w in joiners for w in words)


def _parse_group(text: str, group: list[_Token]) -> list[tuple[int, int, str]]:
    edits: list[tuple[int, int, str]] = []
    i = 0
    while i < len(group):
        consumed, value = _parse_number(group, i)
        if value is None:
            token = group[i]
            if token.word.kind == "zero_letter" and _between_numbers(text, group, i):
                edits.append((token.start, token.end, "0"))
            i += 1
            continue
        edits.append((group[i].start, group[i + consumed - 1].end, value))
        i += consumed
    return edits


def _parse_number(group: list[_Token], i: int) -> tuple[int, str | None]:
    """(tokens consumed, digits) for the number starting at group[i]."""
    word = group[i].word
    following = group[i + 1].word if i + 1 < len(group) else None
    if word.kind == "times" and following and following.kind == "unit":
        return 2, str(following.value) * word.value
    if word.kind == "unit" and following and following.kind == "hundred":
        return 2, str(word.value * 100)
    if (
        word.kind == "unit"
        and word.value == 4
        and following
        and following.kind == "tens"
        and following.value == 20
    ):
        consumed, rest = _tens_tail(group, i + 2, 80)  # French "quatre-vingt(-dix)"
        return 2 + consumed, str(80 + rest)
    if word.kind == "tens":
        consumed, rest = _tens_tail(group, i + 1, word.value)
        return 1 + consumed, str(word.value + rest)
    if (
        word.kind == "teen"
        and word.value == 10
        and following
        and following.kind == "unit"
        and following.value >= 7
    ):
        return 2, str(10 + following.value)  # French "dix-sept"
    if word.kind in ("unit", "teen", "hundred"):
        return 1, str(word.value)
    return 1, None


def _tens_tail(group: list[_Token], i: int, tens: int) -> tuple[int, int]:
    """Units (or, after 60/80, French teens like "soixante-dix-huit") that complete `tens`."""
    if i >= len(group):
        return 0, 0
    word = group[i].word
    if word.kind == "unit" and 1 <= word.value <= 9:
        return 1, word.value
    if tens in (60, 80) and word.kind == "teen" and 10 <= word.value <= 19:
        following = group[i + 1].word if i + 1 < len(group) else None
        if word.value == 10 and following and following.kind == "unit" and 1 <= following.value <= 9:
            return 2, 10 + following.value
        return 1, word.value
    return 0, 0


def _between_numbers(text: str, group: list[_Token], i: int) -> bool:
    """An "o"/"oh" is a zero only with a number on at least one side and nothing else near."""

    def numeric(token: _Token) -> bool:
        return token.word.kind != "zero_letter"

    if (i > 0 and numeric(group[i - 1])) or (i + 1 < len(group) and numeric(group[i + 1])):
        return True
    before = text[max(0, group[i].start - 4) : group[i].start].rstrip(" -.,")[-1:]
    after = text[group[i].end : group[i].end + 4].lstrip(" -.,")[:1]
    return before.isdigit() or after.isdigit()

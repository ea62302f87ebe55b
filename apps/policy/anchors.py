"""Finding where a pattern can match without scanning the whole message.

Python's regex engine has no multi-pattern search: running two hundred patterns over every
message, each trying every position, would cost milliseconds. Instead each pattern names
*anchors* (word beginnings it cannot match without, see patterns.py). A message is split
into words once (`TextWords`), `StemIndex` tells which anchors occur, and a pattern is only
tried where its first required word starts. `Term` does the same for the alternations of
the co-occurrence rules.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .patterns import (
    _SHORT,
    WILDCARD,
    closing_paren,
    compile_phrase,
    expand_macros,
    is_optional_group,
    sequence_stems,
    split_alternatives,
    split_words,
)


@dataclass(frozen=True, slots=True)
class Term:
    """An alternation of phrases, searchable without scanning every position.

    Alternatives that start with a known word are tried only where a word starts with one of
    their stems (`at_stems`); the rest (amounts like "$20", "15%") form `elsewhere`, which
    starts with a digit or symbol class the regex engine can skip to quickly.
    """

    stems: frozenset[str]
    at_stems: re.Pattern[str] | None
    elsewhere: re.Pattern[str] | None

    def spans(self, text: str, low: int, high: int, words: TextWords) -> list[tuple[int, int]]:
        """Matches within [low, high); `words` knows where the stems occur in `text`."""
        found: list[tuple[int, int]] = []
        if self.at_stems is not None:
            for position in _between(words.term_starts(self), low, high):
                match = self.at_stems.match(text, position, high)
                if match and match.end() > position:
                    found.append(match.span())
        if self.elsewhere is not None:
            found.extend(m.span() for m in self.elsewhere.finditer(text, low, high) if m.end() > m.start())
        return found


def _between(positions: list[int], low: int, high: int) -> list[int]:
    return positions[bisect_left(positions, low) : bisect_left(positions, high)]


def compile_term(source: str, macros: Mapping[str, str], common: frozenset[str] = frozenset()) -> Term:
    """A Term from a pattern whose top level is one group of alternatives, "(a|b c|…)"."""
    expanded = expand_macros(source, macros).strip()
    while expanded.startswith("(") and closing_paren(expanded) == len(expanded) - 1:
        expanded = expanded[3:-1] if expanded.startswith("(?:") else expanded[1:-1]
    stemmed, other, stems = [], [], set()
    for alternative in _flatten_alternatives(expanded):
        first = split_words(alternative)[0]
        found = None if is_optional_group(first) or WILDCARD.fullmatch(first) else sequence_stems(first)
        if found:
            stemmed.append(alternative)
            stems |= found
        else:
            other.append(alternative)

    def build(alternatives: list[str]) -> re.Pattern[str] | None:
        if not alternatives:
            return None
        return re.compile("|".join(f"(?:{compile_phrase(f'({a})', {}, common).regex})" for a in alternatives))

    return Term(frozenset(stems), build(stemmed), build(other))


def _flatten_alternatives(expression: str) -> list[str]:
    """Top-level alternatives, with nested single-group alternatives spliced in."""
    flat: list[str] = []
    for alternative in split_alternatives(expression):
        alternative = alternative.strip()
        if (
            alternative.startswith("(")
            and not alternative.startswith("(?")
            and closing_paren(alternative) == len(alternative) - 1
        ):
            flat.extend(_flatten_alternatives(alternative[1:-1]))
        else:
            flat.append(alternative)
    return flat


class TextWords:
    """The distinct words of folded text (as UTF-8 bytes), and (computed on demand, cached)
    where a stem begins one. Splitting bytes is several times faster than a regex pass with
    match objects."""

    def __init__(self, folded: str) -> None:
        self.text = folded
        self.present: set[str] = set()  # the anchor stems among the words, set by StemIndex.find
        self._cache: dict[str, list[int]] = {}
        self._terms: dict[int, list[int]] = {}

    @cached_property
    def words(self) -> set[bytes]:
        # Words stay UTF-8 bytes: splitting at ASCII separators happens at C speed and the
        # stem index looks words up as they are, without decoding each one. Only the few
        # chunks holding non-ASCII characters (letters or not) go through the regex.
        folded = self.text
        separated = folded.encode("utf-8", "surrogatepass").translate(_WORD_BYTES)
        raw = set(separated.split())
        if not folded.isascii():
            # Chunks are separated by single spaces now; each found from its first non-ASCII byte.
            chunks = {
                separated[separated.rfind(b" ", 0, m.start()) + 1 : m.end()]
                for m in _NON_ASCII_TAIL.finditer(separated)
            }
            for chunk in chunks:
                raw.discard(chunk)
                text = chunk.decode("utf-8", "surrogatepass")
                raw.update(w.encode("utf-8", "surrogatepass") for w in _WORD_CHARS.findall(text))
        return raw

    @cached_property
    def stems(self) -> set[str]:
        """The anchor stems that begin some word (computed on first use: with the prefilter,
        most messages never need them)."""
        from .lexicon import lexicon  # lexicon imports this module

        return lexicon().stem_index.find(self)

    def starts(self, stem: str) -> list[int]:
        """Sorted positions where a word starts with `stem` (is `stem`, if it is short)."""
        found = self._cache.get(stem)
        if found is None:
            found = self._cache[stem] = word_starts(self.text, stem)
        return found

    def starts_between(self, stem: str, low: int, high: int) -> list[int]:
        found = self._cache.get(stem)
        if found is None:
            return word_starts(self.text, stem, low, high)
        return _between(found, low, high)

    def term_starts(self, term: Term) -> list[int]:
        """Sorted positions where one of `term`'s stems begins a word; computed once per text
        (a term is tried in every sentence that holds the rule's review word)."""
        found = self._terms.get(id(term))
        if found is None:
            starts = self.starts
            found = self._terms[id(term)] = sorted(
                {p for stem in term.stems.intersection(self.present) for p in starts(stem)}
            )
        return found


class StemIndex:
    """Which anchor stems begin some word of a message.

    Python's regex engine has no multi-pattern (Aho-Corasick) search, and a 1,000-stem trie
    regex costs ~0.3 ms per 2 KB. Instead each distinct word's stems are looked up once
    (its prefixes against a set) and remembered: the vocabulary of messages repeats, so
    nearly every word is a dict hit. Stems shorter than _SHORT must be whole words.
    """

    def __init__(self, stems: Iterable[str]) -> None:
        unique = set(stems)
        self._short = frozenset(s for s in unique if len(s) < _SHORT)
        self._long = frozenset(unique - self._short)
        self._lengths = tuple(sorted({len(s) for s in self._long}))
        # Every long stem is at least _SHORT characters: a word not starting like one of them
        # (most words, and the order and tracking numbers that leetspeak folds into letters)
        # needs no further look.
        self._heads = frozenset(s[:_SHORT] for s in self._long)
        self._by_word: dict[bytes, tuple[str, ...]] = {}

    def find(self, words: TextWords) -> set[str]:
        """The stems that begin some word of the message (also kept as `words.present`)."""
        by_word = self._by_word
        vocabulary = words.words
        # The dict itself, not .keys(): set.difference walks a keys view whole (the cache holds
        # up to _WORD_CACHE_LIMIT words), but only looks words up in a dict.
        missing = vocabulary.difference(by_word)
        if missing:
            if len(by_word) + len(missing) > _WORD_CACHE_LIMIT:
                by_word.clear()  # crude but bounded: senders choose the words
                missing = vocabulary
            for word in missing:
                by_word[word] = self._stems_of(word)
        # All in C: one dict lookup per word, then one union.
        present = set().union(*map(by_word.__getitem__, vocabulary))
        words.present = present
        return present

    def _stems_of(self, encoded: bytes) -> tuple[str, ...]:
        word = encoded.decode("utf-8", "surrogatepass")
        if word[:_SHORT] not in self._heads:
            return (word,) if word in self._short else ()
        found = self._long.intersection([word[:n] for n in self._lengths if n <= len(word)])
        return (*found, word) if word in self._short else tuple(found)


_WORD_CACHE_LIMIT = 100_000
_WORD_CHARS = re.compile(r"[^\W_]+")
_NON_ASCII_TAIL = re.compile(rb"[\x80-\xff][^ ]*")
# For UTF-8: ASCII non-letters become spaces, bytes of multi-byte characters stay.
_WORD_BYTES = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + bytes(range(128, 256))


def word_starts(text: str, stem: str, low: int = 0, high: int | None = None) -> list[int]:
    """Positions in `text[low:high]` where a word starts with `stem` (a whole word if short)."""
    finder = _stem_finder(stem)
    matches = (
        finder.finditer(text) if high is None and not low else finder.finditer(text, low, high or len(text))
    )
    return [match.start() for match in matches]


@lru_cache(maxsize=8192)
def _stem_finder(stem: str) -> re.Pattern[str]:
    # The literal comes first so the engine can jump between occurrences at C speed; the
    # word-start check is a lookbehind placed after it.
    escaped = re.escape(stem)
    regex = rf"{escaped}(?<![^\W_]{escaped})"
    if len(stem) < _SHORT:
        regex += r"(?![^\W_])"
    return re.compile(regex)


def trie_regex(words: Iterable[str]) -> str:
    """A regex alternation shaped like a trie, longest alternatives first (fast to reject)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_to_regex(trie)


def _trie_to_regex(node: dict[str, dict]) -> str:
    ends_here = "" in node
    branches = [re.escape(char) + _trie_to_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        return f"(?:{body})?" if len(branches) == 1 else body + "?"
    return body

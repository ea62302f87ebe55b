"""Two Hyperscan passes that rule out the phrase patterns and co-occurrence terms that cannot
match a message, before Python's `re` runs the few that can.

Anchors (anchors.py) already skip patterns whose words are absent, but ordinary order talk
holds the words of twenty patterns or so ("leave", "review", "your", "order") without
matching any. Hyperscan runs all of them at once, as supersets (superset.py) of the real
patterns, over the text with digits read as letters: a pattern it does not report cannot
match, so skipping it changes no verdict. For co-occurrence terms it also reports where
matches end, so a rule only runs on the sentences holding both of its terms. A second pass over
the plain text finds the terms' amounts ("$20"), whether the message holds number words
("five"), and "gates": whether the regexes other detectors run over the whole text (spelled
"at"/"dot", addresses, look-alike digits, spaced-out letters) can match at all.

Hyperscan is optional (it ships wheels for x86-64 Linux and for macOS); without it, or for a
pattern it cannot take, everything runs as before. The compiled database is cached on disk
per user, since compiling takes about ten seconds.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .anchors import Term
from .patterns import _SHORT, FOLD_BYTES, LEET_DIGITS, Phrase
from .superset import WIDE_ALNUM, WIDE_OTHER, Unsupported, byte_class, encode, superset

logger = logging.getLogger(__name__)

try:
    import hyperscan
except ImportError:  # pragma: no cover - exercised on platforms without wheels
    hyperscan = None


@dataclass(slots=True)
class Candidates:
    """What one message could match. `term_ends` gives, per term, the offsets where a match
    may end (None: anywhere); a term missing from it cannot match."""

    phrases: set[Phrase]
    term_ends: dict[int, list[int] | None] = field(default_factory=dict)
    # Whether a word starts with a number word ("five", "cinco"), as anchors.StemIndex tells.
    number_words: bool = False
    # The gates (named regexes other detectors run over the whole text) that may match.
    gates: set[str] = field(default_factory=set)

    def may_match(self, phrase: Phrase) -> bool:
        return phrase in self.phrases

    def ends(self, term: Term) -> list[int] | None:
        return self.term_ends.get(id(term), [])


def gate_open(gates: set[str] | None, name: str) -> bool:
    """Whether the regex gated as `name` may match the normalised text (None: no prefilter)."""
    return gates is None or name in gates


def may_end_within(ends: list[int] | None, low: int, high: int) -> bool:
    """Whether a match ending at one of `ends` could lie in [low, high)."""
    if ends is None:
        return True
    index = bisect_left(ends, low + 1)
    return index < len(ends) and ends[index] <= high


class Prefilter:
    def __init__(
        self,
        phrases: Iterable[Phrase],
        terms: Iterable[Term],
        number_stems: Iterable[str],
        gates: Mapping[str, re.Pattern[str]],
    ) -> None:
        self._always: set[Phrase] = set()
        self._always_terms: list[int] = []
        self._phrases: list[Phrase] = []
        folded: list[tuple[bytes, int]] = []
        for phrase in phrases:
            expression = _expression(phrase.regex, _SKELETON)
            if expression is None:
                self._always.add(phrase)
                continue
            self._phrases.append(phrase)
            folded.append((expression, hyperscan.HS_FLAG_SINGLEMATCH))
        # A term's word alternatives are read in the skeleton like the phrases; its amounts
        # ("$20", "15 %") in the plain text, where "$" and digits are not letters.
        plain: list[tuple[bytes, int]] = []
        words_of, amounts_of = [], []
        for term in terms:
            words = _expression(term.at_stems, _SKELETON, exact_ends=True) if term.at_stems else b""
            amounts = _expression(term.elsewhere, _IDENTITY, exact_ends=True) if term.elsewhere else b""
            if words is None or amounts is None:
                self._always_terms.append(id(term))
                continue
            if words:
                folded.append((words, 0))
                words_of.append(id(term))
            if amounts:
                plain.append((amounts, 0))
                amounts_of.append(id(term))
        # Gates: whether another detector's full-text regex can match at all.
        self._always_gates: set[str] = set()
        self._gate_of: list[str] = []
        for name, regex in gates.items():
            expression = _expression(regex, _IDENTITY)
            if expression is None:
                self._always_gates.add(name)
                continue
            plain.append((expression, hyperscan.HS_FLAG_SINGLEMATCH))
            self._gate_of.append(name)
        # Number words: any one of them is enough.
        plain += [(e, hyperscan.HS_FLAG_SINGLEMATCH) for e in _word_starts(number_stems)]
        # Expression ids past the phrases' -> id() of their term; in the plain set, past the
        # amounts' -> the gate's name, then number words.
        self._term_of = words_of
        self._amounts_of = amounts_of
        self._folded = _Database("skeleton", folded)
        self._plain = _Database("plain", plain)

    def scan(self, text: str) -> Candidates:
        """What the normalised `text` could match."""
        plain = encode(text)
        found = Candidates(
            set(self._always), dict.fromkeys(self._always_terms), gates=set(self._always_gates)
        )
        count, amounts = len(self._phrases), len(self._amounts_of)
        gated = amounts + len(self._gate_of)
        matched: set[int] = set()
        term_ends: list[tuple[int, int]] = []  # (term, byte offset)

        def on_folded(expression: int, _start: int, end: int, _flags: int, _context: object) -> None:
            if expression < count:
                matched.add(expression)
            else:
                term_ends.append((self._term_of[expression - count], end))

        def on_plain(expression: int, _start: int, end: int, _flags: int, _context: object) -> None:
            if expression < amounts:
                term_ends.append((self._amounts_of[expression], end))
            elif expression < gated:
                found.gates.add(self._gate_of[expression - amounts])
            else:
                found.number_words = True

        self._folded.scan(plain.translate(_SKELETON), on_folded)
        self._plain.scan(plain, on_plain)
        found.phrases.update(self._phrases[i] for i in matched)
        ends = found.term_ends
        for term, end in sorted(term_ends, key=lambda pair: pair[1]):
            if term not in ends:
                ends[term] = [end]
            elif (offsets := ends[term]) is not None:
                offsets.append(end)
        return found


class _Database:
    """A compiled expression set and one scratch space per thread (a scratch serves one scan
    at a time)."""

    def __init__(self, name: str, expressions: list[tuple[bytes, int]]) -> None:
        self._database = _compile(name, [e for e, _ in expressions], [f for _, f in expressions])
        self._local = threading.local()

    def scan(self, data: bytes, on_match) -> None:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        self._database.scan(data, match_event_handler=on_match, scratch=scratch)


_IDENTITY = bytes(range(256))
# Phrases are matched in a skeleton where digits read as the letters they stand in for
# ("r3v13w" -> "review"), so most of a pattern is plain literals, which Hyperscan finds
# fastest. Symbols ("@", "$", "!") stay symbols: read as letters, they would let a word
# boundary pass between letters ("pd" would be found in "update").
_SKELETON = bytes.maketrans("".join(LEET_DIGITS).encode(), "".join(LEET_DIGITS.values()).encode())


def _word_starts(stems: Iterable[str]) -> list[bytes]:
    """Expressions that find, in the plain text, a word of the leetspeak-folded text that starts
    with one of `stems`: exactly as anchors.TextWords splits the folded text into words (runs
    of letters and digits), a stem shorter than _SHORT being a whole word. A byte of the plain
    text stands for the folded character FOLD_BYTES makes of it."""

    def folded(byte: int) -> int:
        return FOLD_BYTES[byte]

    boundary = byte_class(
        b
        for b in range(256)
        if folded(b) == WIDE_OTHER or (folded(b) != WIDE_ALNUM and not chr(folded(b)).isalnum())
    )
    expressions = []
    for stem in stems:
        if not stem.isalnum():
            continue  # a word never starts with a space or a hyphen
        if max(map(ord, stem)) > 0xFF:
            raise Unsupported(f"stem past Latin-1: {stem!r}")
        classes = [[b for b in range(256) if folded(b) == ord(c)] for c in stem]
        if not all(classes):
            continue  # folding never makes this character, so no word holds the stem
        literal = b"".join(map(byte_class, classes))
        tail = b"(?:$|" + boundary + b")" if len(stem) < _SHORT else b""
        expressions.append(b"(?:^|" + boundary + b")" + literal + tail)
    return expressions


def _expression(regex: re.Pattern[str], fold: bytes, *, exact_ends: bool = False) -> bytes | None:
    """The Hyperscan superset of `regex` over text translated by `fold`, or None when it must
    always run (a construct we cannot widen safely, or a superset matching the empty string)."""
    try:
        expression = superset(regex.pattern, fold, exact_ends=exact_ends)
    except Unsupported:
        return None
    # The superset is also valid Python syntax for bytes: ask whether it matches nothing.
    return None if re.fullmatch(expression, b"") else expression


def _compile(name: str, expressions: list[bytes], flags: list[int]):
    ids = list(range(len(expressions)))
    digest = hashlib.sha256(hyperscan.__version__.encode())
    for expression, flag in zip(expressions, flags, strict=True):
        digest.update(b"%d:%s\0" % (flag, expression))
    path = _cache_dir() / f"policy-prefilter-{name}-{digest.hexdigest()[:24]}.hsdb"
    try:
        return hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except (OSError, hyperscan.error):
        pass
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=expressions, ids=ids, elements=len(expressions), flags=flags)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(hyperscan.dumpb(database))
        partial.replace(path)
        for stale in path.parent.glob(f"policy-prefilter-{name}-*.hsdb"):
            if stale != path:
                stale.unlink(missing_ok=True)  # compiled from earlier word lists
    except OSError as exc:
        logger.info("policy prefilter: not cached (%s)", exc)
    return database


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = Path.home() / ".cache"
        except (RuntimeError, KeyError):  # no home folder: a path that cannot be written
            base = "/nonexistent"
    return Path(base) / "messaging-center"


@cache
def prefilter() -> Prefilter | None:
    """The prefilter for the lexicon's phrases and terms, or None without Hyperscan."""
    if hyperscan is None or os.environ.get("POLICY_PREFILTER", "").lower() in ("0", "off", "false"):
        return None
    from .deobfuscate import GATED as CONTACT_GATES
    from .detectors.emails import GATED as EMAIL_GATES
    from .lexicon import lexicon
    from .normalize import GATED as NORMALIZE_GATES
    from .numbers import GATED as NUMBER_GATES

    lex = lexicon()
    terms = [term for rule in lex.together for term in (rule.anchor, rule.other)]
    gates = {**CONTACT_GATES(), **EMAIL_GATES, **NUMBER_GATES, **NORMALIZE_GATES}
    try:
        return Prefilter(lex.phrases, terms, lex.number_stems, gates)
    except (hyperscan.error, Unsupported) as exc:  # pragma: no cover - the word lists changed
        logger.warning("policy prefilter disabled: %s", exc)
        return None

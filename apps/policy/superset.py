"""Rewrite a Python regular expression as a byte-level expression that matches MORE.

The prefilter (prefilter.py) asks Hyperscan which patterns could match a message at all, in
one pass over the text. Hyperscan knows no lookarounds and reads bytes, and Python's `re`
reads characters. The text is given to Hyperscan one byte per character (`encode`: Latin-1,
and one of two bytes for every other character, a letter or digit or not), and each pattern
is rewritten from its parse tree into a superset:

* lookarounds, anchors and word boundaries are dropped (the rest matches wherever the
  original did, and perhaps elsewhere), except at the ends of the pattern: a one-character
  lookbehind in front becomes "start of text, or a character it allows", and a lookahead at
  the end (of the pattern, or of a branch that ends it) is matched as text, when the caller
  only asks *whether* a pattern matches, not where a match ends. Without these, "pd" would be
  found in "update";
* character classes keep their exact Latin-1 members, plus the two bytes that stand for
  other characters when they could match one (never fewer strings, perhaps more);
* repeats become a run of the bytes their body can consume (`(?:SEP WORD){0,3}`, "up to
  three words", becomes any run of characters other than ".!?"): much smaller and faster
  automata, at a small cost in precision;
* a pattern that opens with "any word" (a repeat of a broad class) is looked for from its
  first selective part on: whatever matches a pattern also matches its tail;
* the caller may read the text through a translation table (the prefilter turns digits into
  the letters they stand for); the pattern's characters go through the same table, so `[e3]`
  becomes `e` and literals stay long, which is what makes Hyperscan fast.

"Matches more" is all the prefilter needs: a pattern it rules out cannot match, and the real
`re` pattern still decides every match and its offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

from .normalize import non_ascii_characters

# The bytes that stand for every character past Latin-1: a letter or digit, or anything
# else. (U+0080 and U+0081 themselves are control characters, which normalising removes.)
WIDE_ALNUM, WIDE_OTHER = 0x80, 0x81
_ANY = rb"[\x00-\xff]"


def encode(text: str) -> bytes:
    """`text` as Hyperscan reads it: one byte per character, so offsets stay the same
    (Latin-1, and WIDE_ALNUM or WIDE_OTHER past it)."""
    if text.isascii():
        return text.encode("ascii")
    # The few distinct characters past Latin-1 ("€", "—", emoji) are replaced with C-speed
    # str.replace; an encoding error handler would be called for every occurrence.
    for char in wide_characters(text):
        text = text.replace(char, chr(WIDE_ALNUM if char.isalnum() else WIDE_OTHER))
    return text.encode("latin-1")


def wide_characters(text: str) -> set[str]:
    """The distinct characters of `text` past Latin-1, read off its UTF-8 bytes at C speed."""
    if text.isascii():
        return set()
    return {c for c in non_ascii_characters(text.encode("utf-8", "surrogatepass")) if c > "\xff"}


class Unsupported(ValueError):
    """A construct with no safe superset here (the pattern then always runs)."""


def superset(pattern: str, fold: bytes, *, exact_ends: bool = False) -> bytes:
    """A Hyperscan expression that matches wherever `pattern` matches, in the text as
    `encode` gives it, translated by `fold` (a 256-byte table).

    With `exact_ends`, every match of `pattern` also ends where a match of the expression
    ends (so a trailing lookahead is dropped, never matched as text).
    """
    tree = sre_parse.parse(pattern)
    if tree.state.flags & ~(re.UNICODE | re.VERBOSE):
        raise Unsupported("flags")
    items = list(tree)
    head = 0
    while head < len(items) and items[head][0] in _ASSERTIONS:
        head += 1
    writer = _Writer(fold)
    # Whatever matches the pattern also matches its tail: a pattern that opens with "any
    # word" ("{ident} on WhatsApp") is looked for from its first selective part on, which
    # spares Hyperscan from following every word of the text.
    start = head
    while start < len(items) - 1 and writer.loose(*items[start]):
        start += 1
    prefix = writer.before(items[:head]) if start == head else b""
    if exact_ends:
        return prefix + writer.sequence(items[start:])
    return prefix + writer.ending(items[start:])


class _Writer:
    def __init__(self, fold: bytes) -> None:
        self.fold = fold

    def before(self, assertions: list) -> bytes:
        """Leading assertions: the last one-character lookbehind, as the character it lets
        precede the match (or the start of the text). The rest are dropped."""
        for op, av in reversed(assertions):
            allowed = self._one_char(op, av, direction=-1)
            if allowed is not None:
                return b"(?:^|" + allowed + b")"
        return b""

    def ending(self, items: list) -> bytes:
        """`items` end the pattern: lookaheads at the very end (also at the end of each branch
        of a final group) are matched as text."""
        tail = len(items)
        while tail > 0 and items[tail - 1][0] in _ASSERTIONS:
            tail -= 1
        body, assertions = items[:tail], items[tail:]
        if assertions or not body:
            return self.sequence(body) + self.after(assertions)
        op, av = body[-1]
        if op is sre.BRANCH:
            last = b"|".join(self.ending(list(branch)) for branch in av[1])
        elif op is sre.SUBPATTERN and not av[1] & ~(re.UNICODE | re.VERBOSE):
            last = self.ending(list(av[3]))
        else:
            return self.sequence(body)
        return self.sequence(body[:-1]) + b"(?:" + last + b")"

    def after(self, assertions: list) -> bytes:
        """Trailing assertions: a lookahead, matched as text (or as the character it lets
        follow, or the end of the text)."""
        for op, av in assertions:
            if op is sre.ASSERT and av[0] == 1:
                return b"(?:" + self.sequence(av[1]) + b")"
        for op, av in assertions:
            allowed = self._one_char(op, av, direction=1)
            if allowed is not None:
                return b"(?:$|" + allowed + b")"
        return b""

    def _one_char(self, op, av, *, direction: int) -> bytes | None:
        """For a lookaround on one character: a class of the characters it lets through."""
        if op not in (sre.ASSERT, sre.ASSERT_NOT) or av[0] != direction or len(av[1]) != 1:
            return None
        (inner_op, inner), refuse = av[1][0], op is sre.ASSERT_NOT
        if inner_op is sre.LITERAL or inner_op is sre.NOT_LITERAL:
            items, negate = [(sre.LITERAL, inner)], inner_op is sre.NOT_LITERAL
        elif inner_op is sre.IN:
            negate = bool(inner) and inner[0][0] is sre.NEGATE
            items = inner[1:] if negate else inner
        else:
            return None
        # (?<![a-z]) lets through what [^a-z] matches; (?<=[a-z]) what [a-z] matches.
        return self.char_class(items, negate=negate != refuse)

    def sequence(self, items) -> bytes:
        return b"".join(self.node(op, av) for op, av in items)

    def node(self, op, av) -> bytes:
        if op is sre.LITERAL:
            return _escape(self._fold(av) if av < 256 else _wide(av))
        if op is sre.NOT_LITERAL:
            return self.char_class([(sre.LITERAL, av)], negate=True)
        if op is sre.IN:
            negate = bool(av) and av[0][0] is sre.NEGATE
            return self.char_class(av[1:] if negate else av, negate=negate)
        if op is sre.ANY:
            return _ANY
        if op is sre.BRANCH:
            return b"(?:" + b"|".join(self.sequence(branch) for branch in av[1]) + b")"
        if op is sre.SUBPATTERN:
            _group, add_flags, _del_flags, body = av
            if add_flags & ~(re.UNICODE | re.VERBOSE):
                raise Unsupported("inline flags")
            return b"(?:" + self.sequence(body) + b")"
        if op is sre.ATOMIC_GROUP:
            return b"(?:" + self.sequence(av) + b")"
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, body = av
            if high == 1:
                return b"(?:" + self.sequence(body) + b")" + (b"?" if low == 0 else b"")
            # "A few words" or "up to 30 letters": any run of the characters they are made of.
            nonempty = low > 0 and body.getwidth()[0] > 0
            return byte_class(self.alphabet(body)) + (b"+" if nonempty else b"*")
        if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            return b""
        if op is sre.GROUPREF:
            return _ANY + b"*"
        raise Unsupported(str(op))

    def loose(self, op, av) -> bool:
        """Whether the item may begin with a run of many different characters ("any word",
        a separator): at the start of a pattern, it would match nearly everywhere."""
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            if av[1] > 1 and len(self.alphabet(av[2])) >= _LOOSE:
                return True
            return bool(av[2]) and self.loose(*av[2][0])
        if op is sre.BRANCH:
            return any(branch and self.loose(*branch[0]) for branch in av[1])
        if op is sre.SUBPATTERN:
            return bool(av[3]) and self.loose(*av[3][0])
        return False

    def alphabet(self, items) -> set[int]:
        """Every byte a match of `items` can consume."""
        found: set[int] = set()
        for op, av in items:
            if op is sre.LITERAL:
                found.add(self._fold(av) if av < 256 else _wide(av))
            elif op is sre.NOT_LITERAL:
                found |= self.members([(sre.LITERAL, av)], negate=True)
            elif op is sre.IN:
                negate = bool(av) and av[0][0] is sre.NEGATE
                found |= self.members(av[1:] if negate else av, negate=negate)
            elif op is sre.ANY or op is sre.GROUPREF:
                found |= set(range(256))
            elif op is sre.BRANCH:
                for branch in av[1]:
                    found |= self.alphabet(branch)
            elif op is sre.SUBPATTERN:
                found |= self.alphabet(av[3])
            elif op is sre.ATOMIC_GROUP:
                found |= self.alphabet(av)
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                found |= self.alphabet(av[2])
            elif op not in _ASSERTIONS:
                raise Unsupported(str(op))
        return found

    def members(self, items, *, negate: bool) -> set[int]:
        # The exact Latin-1 members, asked of Python's own engine (so \w, \s, ranges and
        # escapes mean precisely what they mean to `re`), then folded like the text.
        members = {self._fold(c) for c in _latin1_members(items, negate)}
        if negate or _may_match_wide(items):
            members |= {WIDE_ALNUM, WIDE_OTHER}
        return members

    def char_class(self, items, *, negate: bool) -> bytes:
        members = self.members(items, negate=negate)
        if not members:
            raise Unsupported("empty class")
        return byte_class(members)

    def _fold(self, byte: int) -> int:
        return self.fold[byte]


def _latin1_members(items, negate: bool) -> frozenset[int]:
    return _probe(_unparse_class(items, negate))


@lru_cache(maxsize=4096)
def _probe(char_class: str) -> frozenset[int]:
    # The same few classes (separators, leetspeak letters) recur thousands of times.
    probe = re.compile(char_class)
    return frozenset(c for c in range(256) if probe.fullmatch(chr(c)))


def _unparse_class(items, negate: bool) -> str:
    out = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(f"\\U{av:08x}")
        elif op is sre.RANGE:
            out.append(f"\\U{av[0]:08x}-\\U{av[1]:08x}")
        elif op is sre.CATEGORY:
            out.append(_CATEGORIES[av])
        else:
            raise Unsupported(str(op))
    return "[" + ("^" if negate else "") + "".join(out) + "]"


_ASSERTIONS = (sre.ASSERT, sre.ASSERT_NOT, sre.AT)
_LOOSE = 20  # characters a repeated class must allow to count as "any word"

_CATEGORIES = {
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
}


def _wide(code: int) -> int:
    return WIDE_ALNUM if chr(code).isalnum() else WIDE_OTHER


def _may_match_wide(items) -> bool:
    for op, av in items:
        if op is sre.CATEGORY:
            return True
        if op is sre.LITERAL and av >= 256:
            return True
        if op is sre.RANGE and av[1] >= 256:
            return True
    return False


def _escape(byte: int) -> bytes:
    return bytes([byte]) if byte < 128 and chr(byte).isalnum() else b"\\x%02x" % byte


def byte_class(codes: Iterable[int]) -> bytes:
    """A Hyperscan class of these bytes, runs written as ranges."""
    codes = sorted(set(codes))
    runs: list[bytes] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        if j == i:
            runs.append(_escape(codes[i]))
        else:
            runs.append(_escape(codes[i]) + (b"-" if j > i + 1 else b"") + _escape(codes[j]))
        i = j + 1
    return b"[" + b"".join(runs) + b"]"

"""Normalise text for matching while remembering where every character came from.

A message is folded (NFKC, casefold, accents and format characters dropped, look-alike
letters and foreign digits mapped to ASCII) into a `NormText`. Each normalised character
keeps the [start, end) span of the original characters it came from, so a finding made on
the normalised text highlights the right characters of what the sender actually typed.
Further views (spelled-out numbers as digits, "(at)"/"(dot)" as "@"/".") are derived with
`NormText.rewrite`, which composes the maps.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"

# Control characters other than tab/newline/carriage return become spaces: they separate
# tokens like whitespace would, and one character stays one character.
_CONTROL_TO_SPACE = {c: " " for c in range(32) if chr(c) not in "\t\n\r"} | {127: " "}
_CONTROL_BYTES = bytes(32 if (c < 32 and chr(c) not in "\t\n\r") or c == 127 else c for c in range(256))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SEGMENTS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")
_CONTROL_BYTES_FOUND = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ASCII_BYTES = bytes(range(128))
_CHAR_CACHE_LIMIT = 50_000

# "w h a t s a p p", "r-3-v-1-3-w", "w w w . s h o p . c o m": single characters held apart
# by a separator. Four or more in a row are joined back up.
_SPACED = re.compile(r"(?<![\w@$])[a-z0-9@$](?:[ \-_*]{1,2}[a-z0-9@.$]){3,}(?![\w@$])")
_SPACED_SEPARATORS = re.compile(r"[ \-_*]+")
# "r.e.v.i.e.w": letters held apart by dots alone.
_DOTTED = re.compile(r"(?<![\w.])[a-z](?:\.[a-z]){3,}\.?(?![\w])")
_LETTER = re.compile(r"[a-z]")
# Cheap pre-checks (they start with a literal or a small class, so the engine skips ahead).
_SPACED_HINT = re.compile(r"[ \-_*][a-z0-9@.$][ \-_*]{1,2}[a-z0-9@.$][ \-_*]{1,2}[a-z0-9@.$](?![a-z0-9])")
_DOTTED_HINT = re.compile(r"\.[a-z]\.[a-z]\.")


@dataclass(frozen=True, slots=True)
class NormText:
    """Normalised text plus, per character, the span of original text it stands for.

    `starts`/`ends` are None when the normalised text lines up 1:1 with the original.
    """

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) for normalised [start, end)."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            position = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return position, position
        return self.starts[start], self.ends[end - 1]

    def rewrite(self, edits: list[tuple[int, int, str]]) -> NormText:
        """Replace [a, b) with each edit's text; edits must be sorted and must not overlap.

        Replacement characters all map to the original span of what they replace.
        """
        if not edits:
            return self
        text = self.text
        parts: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        cursor = 0
        for a, b, replacement in edits:
            parts.append(text[cursor:a])
            self._extend_maps(starts, ends, cursor, a)
            if replacement:
                orig_start, orig_end = self.span(a, b)
                parts.append(replacement)
                starts.extend([orig_start] * len(replacement))
                ends.extend([orig_end] * len(replacement))
            cursor = b
        parts.append(text[cursor:])
        self._extend_maps(starts, ends, cursor, len(text))
        return NormText("".join(parts), starts, ends)

    def _extend_maps(self, starts: list[int], ends: list[int], a: int, b: int) -> None:
        if a >= b:
            return
        if self.starts is None or self.ends is None:
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
        else:
            starts.extend(self.starts[a:b])
            ends.extend(self.ends[a:b])


def normalize(text: str) -> NormText:
    return join_spaced_letters(fold(text))


def fold(text: str) -> NormText:
    """The first step of `normalize`: everything but joining spaced-out letters."""
    return _fold_ascii(text) if text.isascii() else _fold_unicode(text)


def _fold_ascii(text: str) -> NormText:
    return NormText(text.lower().encode("ascii").translate(_CONTROL_BYTES).decode("ascii"))


def _fold_unicode(text: str) -> NormText:
    # Most non-ASCII text is accented letters that fold to one character each ("é" -> "e"):
    # then one str.translate does it all and offsets stay 1:1.
    # (str.translate with a dict is slow on non-ASCII strings; a few str.replace calls, one
    # per distinct character, are not.)
    # Control characters and the distinct non-ASCII ones are read off the UTF-8 bytes.
    data = text.encode("utf-8", "surrogatepass")
    control = _CONTROL_BYTES_FOUND.search(data) is not None
    folded = text
    for char in non_ascii_characters(data):
        replacement, attaches = fold_char(char)
        if len(replacement) != 1 or attaches:
            return _fold_per_char(text)
        folded = folded.replace(char, replacement)
        control = control or _CONTROL.match(replacement) is not None
    folded = folded.lower()
    if control:
        folded = _CONTROL.sub(" ", folded)
    return NormText(folded) if len(folded) == len(text) else _fold_per_char(text)


def non_ascii_characters(utf8: bytes) -> set[str]:
    """The distinct non-ASCII characters of UTF-8 text, read off its bytes at C speed (set(text)
    or a regex over a wide string would take each character in turn)."""
    return set(utf8.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))


def _fold_per_char(text: str) -> NormText:
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for segment in _SEGMENTS.finditer(text):
        a, b = segment.span()
        chunk = segment.group()
        if chunk[0] < "\x80":
            parts.append(chunk.lower().translate(_CONTROL_TO_SPACE))
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
            continue
        for index, char in enumerate(chunk, a):
            folded, attaches = fold_char(char)
            if folded:
                parts.append(folded)
                starts.extend([index] * len(folded))
                ends.extend([index + 1] * len(folded))
            elif attaches and ends and ends[-1] == index:
                # A combining mark or keycap belongs to the character before it: a finding
                # that ends on "5" of "5️⃣" must cover the whole keycap.
                ends[-1] = index + 1
    return NormText("".join(parts), starts, ends)


_char_cache: dict[str, tuple[str, bool]] = {}


def fold_char(char: str) -> tuple[str, bool]:
    """(folded text, whether a dropped character attaches to the previous one)."""
    hit = _char_cache.get(char)
    if hit is None:
        hit = _fold_char_uncached(char)
        if len(_char_cache) < _CHAR_CACHE_LIMIT:
            _char_cache[char] = hit
    return hit


def _fold_char_uncached(char: str) -> tuple[str, bool]:
    confusables = _confusables()
    if char in confusables:
        return confusables[char], False
    category = unicodedata.category(char)
    if category in ("Mn", "Me"):
        return "", True
    if category == "Cf":
        return "", False
    if category in ("Zl", "Zp"):
        return "\n", False
    if category in ("Cc", "Cs", "Co", "Cn", "So"):
        # Emoji and other pictographs separate words (and digits: "5📞5📞5"); the ones that
        # stand for letters or digits are in the confusables table, looked up first.
        return " ", False
    digit = unicodedata.digit(char, None)
    if digit is not None:
        # Arabic-Indic, Devanagari, dingbat and other digits NFKC leaves as they are.
        return str(digit), False
    folded = unicodedata.normalize("NFKC", char).casefold()
    folded = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    folded = "".join(confusables.get(c, c) for c in folded)
    return unicodedata.normalize("NFC", folded), False


@cache
def _confusables() -> dict[str, str]:
    with (_DATA / "confusables.toml").open("rb") as fh:
        data = tomllib.load(fh)
    table: dict[str, str] = dict(data["map"])
    for first, last, target in data["ranges"].values():
        for offset in range(ord(last) - ord(first) + 1):
            table[chr(ord(first) + offset)] = chr(ord(target) + offset)
    # Uppercase look-alikes: fold them the same way (Cyrillic capital ER -> "p").
    for key, value in list(table.items()):
        upper = key.upper()
        if len(upper) == 1 and upper != key:
            table.setdefault(upper, value)
    return table


# The prefilter tells, in its one pass, whether these hints can match at all (prefilter.py).
GATED = {"spaced_letters": _SPACED_HINT, "dotted_letters": _DOTTED_HINT}


def join_spaced_letters(norm: NormText, gates: set[str] | None = None) -> NormText:
    """The second step of `normalize`; `gates` are the prefilter's for `norm` (None: look)."""
    from .prefilter import gate_open  # the prefilter normalises its word lists

    text = norm.text
    edits: list[tuple[int, int, str]] = []
    spaced_hint = gate_open(gates, "spaced_letters") and _SPACED_HINT.search(text)
    spaced = _SPACED.finditer(text) if spaced_hint else ()
    for match in spaced:
        # Only letter-bearing runs: "5 5 5 1 2 3" stays for the phone detector to judge.
        if len(_LETTER.findall(match.group())) < 3:
            continue
        base = match.start()
        for sep in _SPACED_SEPARATORS.finditer(match.group()):
            edits.append((base + sep.start(), base + sep.end(), ""))
    dotted_hint = gate_open(gates, "dotted_letters") and _DOTTED_HINT.search(text)
    for match in _DOTTED.finditer(text) if dotted_hint else ():
        base = match.start()
        edits.extend((base + i, base + i + 1, "") for i, c in enumerate(match.group()) if c == ".")
    if not edits:
        return norm
    edits.sort()
    return norm.rewrite(_drop_overlaps(edits))


def _drop_overlaps(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for edit in edits:
        if not kept or edit[0] >= kept[-1][1]:
            kept.append(edit)
    return kept

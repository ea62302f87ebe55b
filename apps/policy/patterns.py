"""A small pattern language for phrase lists, compiled to leetspeak-tolerant regular expressions.

Phrase files are written for people, so a pattern reads like the phrase it catches:

    (please|kindly)? leave (us|me)? ~2 (review|rating|feedback)

* words separated by spaces match words separated by a few non-letters (`SEP`);
* `(a|b)` is a group; spaces inside a group also mean `SEP`; `(…)?` as a whole word is optional;
* `a ?b`: the separator before `b` may be missing ("20 ?%" matches "20%" and "20 %");
* `~N` skips up to N words (default 3) but never crosses the end of a sentence;
* `*` right after a letter lets the word go on (`recommend*`); `-` is an optional separator
  (`5-star` matches "5 star", "5-star", "5star"); `'` is optional (`don't`, `dont`);
* `{name}` expands a macro; anything else is regular-expression syntax (`[0-9]`, `\\d`, `?`,
  `+`); a literal `+` is written `\\+`.

Every letter becomes a class of its leetspeak stand-ins (`e` -> `[e3]`), so "r3v13w" and
"f33dback" match without listing them. (Classes stay ASCII: a non-Latin-1 member makes the
regex compiler build a full Unicode bitmap per class, seconds of start-up for no gain.)
Patterns are matched against normalised text (see normalize.py), so they are written in
lowercase without accents, or with accents that are folded the same way the text is.

Running a hundred patterns over every message would be slow, so each pattern also yields
*anchors*: sets of word beginnings that must occur (after leetspeak folding) for it to match.
anchors.py finds all anchors at once, and a pattern is only tried where its first required
word occurs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .normalize import fold_char

LEET: dict[str, str] = {
    "a": "a4@",
    "b": "b8",
    "e": "e3",
    "g": "g9",
    "i": "i1!|l",
    "l": "l1|i",
    "o": "o0",
    "s": "s5$",
    "t": "t7+",
    "u": "uv*#",
    "z": "z2",
}
# The skeleton every leetspeak spelling of a word folds to ("r3v13w" -> "review",
# "te1egram" -> "teiegram"); `i` and `l` fold together because "1" stands for both.
_FOLD_PAIRS = {
    "4": "a", "@": "a", "8": "b", "3": "e", "9": "g", "1": "i", "!": "i", "|": "i",
    "l": "i", "0": "o", "5": "s", "$": "s", "7": "t", "+": "t", "2": "z", "*": "u", "#": "u",
}  # fmt: skip
# The pairs where a digit or a letter stands for a letter (no symbols).
LEET_DIGITS = {k: v for k, v in _FOLD_PAIRS.items() if k.isalnum()}
FOLD_BYTES = bytes.maketrans(
    "".join(k for k in _FOLD_PAIRS if k.isascii()).encode(),
    "".join(v for k, v in _FOLD_PAIRS.items() if k.isascii()).encode(),
)

# Between two words of a phrase: spaces, commas, dashes, quotes … but not a sentence end.
SEP = r"[^\w.!?@$|]{1,4}"
_WORD = r"[\w'@$|]+"
_OPTIONAL_SEP = r"[^\w.!?@$|]{0,3}"
_UMLAUTS = {"ä": "(?:a|ae)", "ö": "(?:o|oe)", "ü": "(?:u|ue)", "ß": "ss"}
_UMLAUT_BASE = {"ä": "a", "ö": "o", "ü": "u"}
_MACRO = re.compile(r"\{([a-z_]+)\}")
_QUANTIFIER = re.compile(r"\{\d+(?:,\d*)?\}")
WILDCARD = re.compile(r"~(\d*)")
_GROUP_PREFIXES = ("(?:", "(?=", "(?!", "(?<=", "(?<!")
_SHORT = 3  # stems shorter than this ("ig", "fb") only count as whole words
_COMMON_COST = 50


def fold_leet(text: str) -> str:
    """Leetspeak skeleton of normalised text, character for character (same length)."""
    if text.isascii():
        return text.encode("ascii").translate(FOLD_BYTES).decode("ascii")
    # UTF-8 keeps ASCII as single bytes and everything else >= 0x80, which the table leaves
    # alone: far faster than str.translate with a dict.
    return text.encode("utf-8", "surrogatepass").translate(FOLD_BYTES).decode("utf-8", "surrogatepass")


def expand_macros(source: str, macros: Mapping[str, str], depth: int = 0) -> str:
    if depth > 8:
        raise ValueError(f"Macro recursion too deep in {source!r}")

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise ValueError(f"Unknown macro {{{name}}} in {source!r}")
        return f"({macros[name]})"

    expanded = _MACRO.sub(replace, source)
    return expanded if expanded == source else expand_macros(expanded, macros, depth + 1)


def split_words(source: str) -> list[str]:
    """Split a pattern at top-level whitespace (spaces inside groups and classes stay)."""
    words: list[str] = []
    current: list[str] = []
    depth = 0
    in_class = False
    escaped = False
    for char in source.strip():
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char.isspace() and depth == 0:
            if current:
                words.append("".join(current))
                current = []
            continue
        current.append(char)
    if current:
        words.append("".join(current))
    if depth != 0 or in_class:
        raise ValueError(f"Unbalanced pattern: {source!r}")
    return words


def compile_word(word: str) -> str:
    """Regex for one pattern word (see the module docstring for the syntax)."""
    out: list[str] = []
    i = 0
    after_letter = False  # "recommend*" continues a word; "\\s*" is a plain star
    while i < len(word):
        char = word[i]
        if char == "\\":
            out.append(word[i : i + 2])
            i += 2
            after_letter = False
            continue
        if char == "[":
            end = word.index("]", i + 1)
            out.append(word[i : end + 1])
            i = end + 1
            after_letter = False
            continue
        if char == "(":
            # Groups are compiled recursively, so that words inside a group follow the same
            # rules as at the top level ("a (little)? gift" matches "a gift").
            prefix = next((p for p in _GROUP_PREFIXES if word.startswith(p, i)), None) or "("
            end = i + closing_paren(word[i:])
            inner = word[i + len(prefix) : end]
            alternatives = [_compile_alternative(a) for a in split_alternatives(inner)]
            out.append(("(?:" if prefix == "(" else prefix) + "|".join(alternatives) + ")")
            i = end + 1
            after_letter = False
            continue
        quantifier = _QUANTIFIER.match(word, i) if char == "{" else None
        if quantifier:
            out.append(quantifier.group())
            i = quantifier.end()
            continue
        if char == "*" and after_letter:
            out.append(r"\w{0,20}")  # "recommend*": the word may go on
        else:
            out.append(_compile_char(char))
        after_letter = char.isalnum()
        i += 1
    return "".join(out)


def _compile_char(char: str) -> str:
    if char in ")|?*+":
        return char
    if char.isspace():
        return f"(?:{SEP})"  # grouped, so that " ?" makes the whole separator optional
    if char == "-":
        return _OPTIONAL_SEP
    if char == "'":
        return "'?"
    if char in LEET:
        return "[" + LEET[char] + "]"
    if char.isascii() and char.isalnum():
        return char
    if char in _UMLAUTS:
        return _UMLAUTS[char]
    if not char.isascii():
        folded = fold_char(char)[0]
        return "".join(_compile_char(c) for c in folded) if folded != char else re.escape(char)
    return re.escape(char)


@dataclass(frozen=True, slots=True)
class CompiledPhrase:
    """A pattern's regex plus what is needed to run it only where it can match.

    `anchors`: (gate, start) sets of stems, each of which must begin a word of the (folded)
    text; the gate is the most selective, matches are tried around the start's occurrences.
    `lead`: how many characters before an occurrence of the start a match can begin (0:
    exactly there). `reach`: how many characters after it a match can end.
    """

    regex: str
    anchors: tuple[frozenset[str], ...]
    lead: int
    reach: int
    gate_gap: int = 0  # at most this many characters from a start word to the gate word


def _compile_sequence(words: list[str]) -> str:
    """Words joined by separators; an optional word takes its separator with it."""
    parts: list[str] = []
    started = False  # has a required word been emitted (so the next word needs a separator)?
    for word in words:
        wildcard = WILDCARD.fullmatch(word)
        if wildcard:
            count = int(wildcard.group(1) or 3)
            parts.append(f"(?:{SEP}{_WORD}){{0,{count}}}" if started else f"(?:{_WORD}{SEP}){{0,{count}}}")
            continue
        if started and word.startswith("?"):
            # "20 ?%": the space before this word may be missing ("20%").
            parts.append(f"(?:{SEP})?{compile_word(word[1:])}")
            continue
        optional = is_optional_group(word)
        body = compile_word(word[:-1] if optional else word)
        if optional:
            parts.append(f"(?:{SEP}{body})?" if started else f"(?:{body}{SEP})?")
        else:
            parts.append(f"{SEP}{body}" if started else body)
            started = True
    return "".join(parts)


def _compile_alternative(alternative: str) -> str:
    words = split_words(alternative)
    if not words:
        return ""
    # "(número de )?whatsapp": a space at the edge of a group still separates words.
    lead = f"(?:{SEP})" if alternative[:1].isspace() else ""
    tail = f"(?:{SEP})" if alternative[-1:].isspace() else ""
    return lead + _compile_sequence(words) + tail


def compile_phrase(
    source: str, macros: Mapping[str, str], common: frozenset[str] = frozenset()
) -> CompiledPhrase:
    """Compile one pattern. `common` lists (folded) everyday words, which make poor anchors:
    a pattern anchored on one would run on nearly every message."""
    words = split_words(expand_macros(source, macros))
    if not words:
        raise ValueError("Empty pattern")
    if any(len(split_alternatives(word)) > 1 for word in words):
        raise ValueError("A '|' outside a group would split the whole pattern; use (a|b)")
    parts = [_compile_sequence(words)]
    # A pattern that starts with a letter must start a word. One that starts with a digit or a
    # currency sign needs no lookbehind, and without one the regex engine can skip ahead to
    # the possible first characters instead of trying every position.
    regex = ("(?<![a-z0-9])" if _may_start_with_letter(words[0]) else "") + "".join(parts)
    if not words[-1].endswith("*"):
        regex += "(?![a-z0-9])"
    anchors, index, gate_index = _anchors(words, common)
    if index is None or gate_index is None:
        return CompiledPhrase(regex, (), 0, 0)
    lead = sum(_max_width(w) for w in words[:index])
    reach = sum(_max_width(w) for w in words[index:])
    gap = sum(_max_width(w) for w in words[index:gate_index])
    return CompiledPhrase(regex, anchors, lead, reach, gap)


def _may_start_with_letter(word: str) -> bool:
    word = word.lstrip("(")
    if word.startswith("?:"):
        word = word[2:]
    if is_optional_group(word) or WILDCARD.fullmatch(word):
        return True
    for alternative in split_alternatives(word.rstrip(")")) if "|" in word else [word]:
        alternative = alternative.lstrip("(")
        if not (alternative.startswith(("[0-9]", "[$€£]", "\\$", "€", "£")) or alternative[:1].isdigit()):
            return True
    return False


# Upper bounds on how much text a pattern word can cover, for sizing the search window.
_WORD_WIDTH, _WILDCARD_WORD_WIDTH = 48, 28


def _max_width(word: str) -> int:
    wildcard = WILDCARD.fullmatch(word)
    if wildcard:
        return int(wildcard.group(1) or 3) * _WILDCARD_WORD_WIDTH
    return _WORD_WIDTH


def is_optional_group(word: str) -> bool:
    if not (word.startswith("(") and word.endswith(")?")):
        return False
    depth = 0
    for position, char in enumerate(word[:-1]):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and position < len(word) - 2:
            return False  # "(a)b(c)?" is not one group
    return True


def _anchors(
    words: list[str], common: frozenset[str]
) -> tuple[tuple[frozenset[str], ...], int | None, int | None]:
    """(gate, start, *other required) stem sets and the word indexes of start and gate.

    The gate is the most selective required word: nothing runs unless it is in the text.
    The start is the first required word: the regex is tried only where it occurs, which is
    far cheaper than scanning a window (a pattern that opens with a lookbehind and leetspeak
    classes defeats the regex engine's fast skipping).
    """
    candidates: list[tuple[int, int, frozenset[str]]] = []
    for index, word in enumerate(words):
        if WILDCARD.fullmatch(word) or is_optional_group(word):
            continue
        stems = sequence_stems(word)
        if stems:
            candidates.append((_cost(stems, common), index, frozenset(stems)))
    if not candidates:
        return (), None, None
    gate = min(candidates, key=lambda c: (c[0], c[1]))
    start = min(candidates, key=lambda c: c[1])
    # Every other required word must be present too: a cheap extra filter before any regex.
    rest = tuple(c[2] for c in candidates if c is not gate and c is not start)
    return (gate[2], start[2], *rest), start[1], gate[1]


def _cost(stems: Iterable[str], common: frozenset[str]) -> int:
    """Roughly how often the stems turn up in ordinary messages."""
    return sum(_COMMON_COST if stem in common or len(stem) < 2 else 1 for stem in stems)


def _expression_stems(expression: str) -> set[str] | None:
    stems: set[str] = set()
    for alternative in split_alternatives(expression):
        found = sequence_stems(alternative)
        if not found:
            return None
        stems |= found
    return stems


def sequence_stems(sequence: str) -> set[str] | None:
    """Stems one of which starts every match of `sequence` (None when there is no such set)."""
    sequence = sequence.lstrip()
    if sequence.startswith("("):
        end = closing_paren(sequence)
        rest = sequence[end + 1 :]
        if sequence.startswith(("(?=", "(?!", "(?<=", "(?<!")) or _zero_width(sequence[: end + 1]):
            return sequence_stems(rest)  # lookarounds consume nothing
        if rest[:1] in ("?", "*") or rest.startswith("{0"):
            return sequence_stems(rest[1:]) if rest[:1] == "?" else None
        inner = sequence[3:end] if sequence.startswith("(?:") else sequence[1:end]
        return _expression_stems(inner)
    return _literal_stems(sequence)


def _zero_width(group: str) -> bool:
    """A group made only of lookarounds, like the expansion of a {start} macro."""
    inner = group[3:-1] if group.startswith("(?:") else group[1:-1]
    while inner.startswith(("(?=", "(?!", "(?<=", "(?<!")):
        inner = inner[closing_paren(inner) + 1 :]
    return not inner and group != "()"


def closing_paren(text: str) -> int:
    depth = 0
    in_class = escaped = False
    for position, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position
    raise ValueError(f"Unbalanced group: {text!r}")


def split_alternatives(body: str) -> list[str]:
    alternatives, current, depth = [], [], 0
    in_class = escaped = False
    for char in body:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "|" and depth == 0:
            alternatives.append("".join(current))
            current = []
            continue
        elif char in "()":
            depth += 1 if char == "(" else -1
        current.append(char)
    alternatives.append("".join(current))
    return alternatives


def _literal_stems(sequence: str) -> set[str] | None:
    """The letters every match of `sequence` starts with, folded like the text (or None).

    Anchors are looked up as word beginnings; one shorter than _SHORT only as a whole word.
    An umlaut gives two stems, as the text may spell "ü" as "u" or "ue".
    """
    number_prefix = re.match(r"\d+-", sequence)
    if number_prefix:
        return _literal_stems(sequence[number_prefix.end() :])  # "5-stars": "stars" is a word
    prefixes = [""]
    whole_word = True
    for position, char in enumerate(sequence):
        if char in _UMLAUTS and char != "ß":
            prefixes = [p + v for p in prefixes for v in (_UMLAUT_BASE[char], _UMLAUT_BASE[char] + "e")]
            continue
        if not char.isalnum() and char != "ß":
            # A space or apostrophe ends the word ("we'd" is "we" + "d" in the text);
            # "-", "[" … mean it goes on.
            whole_word = char in " '"
            break
        if sequence[position + 1 : position + 2] in ("?", "{"):
            whole_word = False  # "colou?r": the "u" is optional
            break
        folded = fold_char(char)[0] if not char.isascii() else char
        prefixes = [p + folded for p in prefixes]
    if not prefixes[0] or (min(map(len, prefixes)) < _SHORT and not whole_word):
        return None
    return {fold_leet(p) for p in prefixes}


@dataclass(frozen=True, slots=True, eq=False)
class Phrase:
    """One compiled pattern with its category, confidence and who it applies to."""

    category: str
    regex: re.Pattern[str]
    anchors: tuple[frozenset[str], ...]
    lead: int
    reach: int
    gate_gap: int
    confidence: float
    roles: frozenset[str]
    source: str

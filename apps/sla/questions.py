"""Groups of similar buyer questions, found without any outside service.

Each text becomes a set of normalised words (lower case, no punctuation or numbers, no stop
words, plural and -ing/-ed endings folded); two texts are similar when the sets overlap enough
(Jaccard similarity). Grouping is greedy and single-pass: each text joins the most similar
existing group whose first text it resembles, or starts a new group. An inverted index from word
to groups keeps that near-linear for the few thousand texts a page considers.
"""

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

SIMILARITY_THRESHOLD = 0.5

_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers him his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours out over own same she should so some
    such than that the their theirs them then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your yours
    yourself hi hello hey dear thanks thank please regards cheers ok okay one get got would like
    know let tell order ordered item yes still bought well
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_NOT_LETTERS = re.compile(r"[^a-z]+")


def words(text: str) -> frozenset[str]:
    """The normalised words of `text` that say what it is about."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    found = set()
    for word in _NOT_LETTERS.split(folded.replace("'", "")):
        if len(word) < 3 or word in STOP_WORDS:
            continue
        found.add(_stem(word))
    return frozenset(found)


def _stem(word: str) -> str:
    """Fold the endings that make the same question look different ("fits", "fitting")."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def similarity(first: frozenset[str], second: frozenset[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


@dataclass
class Group:
    leader: frozenset[str]
    members: list[int] = field(default_factory=list)


def group_similar(texts: Sequence[str], *, threshold: float = SIMILARITY_THRESHOLD) -> list[list[int]]:
    """Indexes of `texts` grouped by similarity, largest group first (ties: earliest first).

    Only groups that can reach `threshold` are compared (prefix filtering): with the words of
    every set ordered rarest first, two sets with Jaccard >= t share a word among the first
    len - ceil(t * len) + 1 of each, so the index holds just those words of each group's leader.
    """
    token_sets = [words(text) for text in texts]
    frequency = Counter(word for tokens in token_sets for word in tokens)

    def prefix(tokens: frozenset[str]) -> list[str]:
        ordered = sorted(tokens, key=lambda word: (frequency[word], word))
        return ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]

    groups: list[Group] = []
    by_word: dict[str, list[int]] = defaultdict(list)
    for index, tokens in enumerate(token_sets):
        if not tokens:
            continue  # nothing but greetings and numbers
        best, best_score = None, 0.0
        for candidate in sorted({group for word in prefix(tokens) for group in by_word[word]}):
            score = similarity(tokens, groups[candidate].leader)
            if score > best_score:
                best, best_score = candidate, score
        if best is None or best_score < threshold:
            best = len(groups)
            groups.append(Group(leader=tokens))
            for word in prefix(tokens):
                by_word[word].append(best)
        groups[best].members.append(index)
    ordered = sorted(enumerate(groups), key=lambda pair: (-len(pair[1].members), pair[0]))
    return [group.members for _, group in ordered]

"""Load the word lists and phrase patterns under data/ and compile them, once per process.

data/common.toml holds what does not depend on the language (messaging platforms, e-mail
providers, top-level domains); data/phrases/<lang>.toml holds each language's number
words, "at"/"dot" spellings, macros and phrase patterns per category.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .anchors import StemIndex, Term, compile_term
from .categories import CATEGORIES
from .context import ROLES
from .normalize import normalize
from .patterns import Phrase, compile_phrase, fold_leet

DATA_DIR = Path(__file__).resolve().parent / "data"
PHRASE_DIR = DATA_DIR / "phrases"
_PHRASE_CATEGORIES = ("contact_handle", "review_request", "review_incentive", "marketing", "abuse")


@dataclass(frozen=True, slots=True)
class NumberWord:
    kind: str  # "unit", "teen", "tens", "hundred", "times", "zero_letter"
    value: int


@dataclass(frozen=True, slots=True, eq=False)
class TogetherRule:
    """See detectors/together.py: terms that must meet in one sentence."""

    category: str
    confidence: float
    roles: frozenset[str]
    gate: frozenset[str]
    anchor: Term
    other: Term
    link: Term | None
    exchange: Term | None
    veto: Term | None


@dataclass(frozen=True)
class Lexicon:
    languages: tuple[str, ...]
    phrases: tuple[Phrase, ...]
    together: tuple[TogetherRule, ...]
    stem_index: StemIndex
    number_stems: frozenset[str]
    unanchored: tuple[Phrase, ...]
    numbers: dict[str, NumberWord]
    number_joiners: frozenset[str]
    at_words: frozenset[str]
    dot_words: frozenset[str]
    email_providers: frozenset[str]
    messenger_hosts: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    strong_tlds: frozenset[str]
    file_extensions: frozenset[str]
    link_context: frozenset[str]
    url_shorteners: tuple[str, ...]


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _fold_word(word: str) -> str:
    return normalize(word).text.strip()


@cache
def lexicon() -> Lexicon:
    common = _read(DATA_DIR / "common.toml")
    files = sorted(PHRASE_DIR.glob("*.toml"))
    languages = tuple(path.stem for path in files)
    shared_macros = {**common.get("macros", {}), **_platform_macros(common["platforms"])}
    everyday = frozenset(fold_leet(_fold_word(w)) for w in common["anchors"]["everyday_words"])
    phrases: list[Phrase] = []
    together: list[TogetherRule] = []
    numbers: dict[str, NumberWord] = {}
    joiners: set[str] = set()
    at_words: set[str] = set(common["email"]["at"])
    dot_words: set[str] = set(common["email"]["dot"])
    for path in files:
        data = _read(path)
        macros = {**shared_macros, **data.get("macros", {})}
        for category in _PHRASE_CATEGORIES:
            for group in data.get(category, []):
                phrases.extend(_compile_group(category, group, macros, path.stem, everyday))
        together.extend(_compile_together(rule, macros, everyday) for rule in data.get("together", []))
        _collect_numbers(data.get("numbers", {}), numbers, joiners)
        at_words.update(_fold_word(w) for w in data.get("email", {}).get("at", []))
        dot_words.update(_fold_word(w) for w in data.get("email", {}).get("dot", []))
    anchored = [p for p in phrases if p.anchors]
    number_stems = frozenset(fold_leet(word) for word in numbers)
    links = common["links"]
    return Lexicon(
        languages=languages,
        phrases=tuple(phrases),
        together=_merge_together(together),
        # Number words share the one pass over the text: the phone detector counts them.
        stem_index=StemIndex(
            [stem for p in anchored for group in p.anchors for stem in group]
            + [
                stem
                for rule in together
                for term in (rule.anchor, rule.other, rule.link, rule.exchange, rule.veto)
                if term is not None
                for stem in term.stems
            ]
            + list(number_stems)
        ),
        number_stems=number_stems,
        unanchored=tuple(p for p in phrases if not p.anchors),
        numbers=numbers,
        number_joiners=frozenset(joiners),
        at_words=frozenset(at_words),
        dot_words=frozenset(dot_words),
        email_providers=frozenset(common["email"]["providers"]),
        messenger_hosts=tuple(host for p in common["platforms"] for host in p.get("hosts", [])),
        allowed_hosts=tuple(links["always_allowed"]),
        strong_tlds=frozenset(links["strong_tlds"]),
        file_extensions=frozenset(links["file_extensions"]),
        link_context=frozenset(_fold_word(w) for w in links["context_words"]),
        url_shorteners=tuple(links["shorteners"]),
    )


def _platform_macros(platforms: list[dict[str, Any]]) -> dict[str, str]:
    strong = [alias for p in platforms for alias in p.get("strong", [])]
    weak = [alias for p in platforms for alias in p.get("weak", [])]
    ambiguous = [alias for p in platforms for alias in p.get("ambiguous", [])]
    # Longest first, so "whats app" wins over "whats" when both could match.
    by_length = lambda names: "|".join(sorted(set(names), key=lambda n: (-len(n), n)))  # noqa: E731
    return {
        "platform_strong": by_length(strong),
        "platform_weak": by_length(weak),
        "platform_ambiguous": by_length(ambiguous),
        "platform_named": by_length(strong + weak),
        "platform": by_length(strong + weak + ambiguous),
    }


def _compile_group(
    category: str, group: dict[str, Any], macros: dict[str, str], lang: str, everyday: frozenset[str]
) -> list[Phrase]:
    confidence = float(group.get("confidence", 0.9))
    roles = frozenset(group.get("roles", ROLES))
    if category not in CATEGORIES or not roles <= set(ROLES) or not 0 <= confidence <= 1:
        raise ValueError(f"Bad phrase group in {lang}.toml [{category}]")
    compiled = []
    for source in group["patterns"]:
        try:
            c = compile_phrase(source, macros, everyday)
            compiled.append(
                Phrase(
                    category,
                    re.compile(c.regex),
                    c.anchors,
                    c.lead,
                    c.reach,
                    c.gate_gap,
                    confidence,
                    roles,
                    f"{lang}: {source}",
                )
            )
        except (ValueError, re.error) as exc:
            raise ValueError(f"Bad pattern in {lang}.toml [{category}]: {source!r}: {exc}") from exc
    return compiled


def _compile_together(rule: dict[str, Any], macros: dict[str, str], everyday: frozenset[str]) -> TogetherRule:
    def compiled(key: str) -> Term | None:
        return compile_term(rule[key], macros, everyday) if rule.get(key) else None

    # The "review" term gates the rule: one of its stems must be in the text before anything runs.
    anchor = compile_term(rule["review"], macros, everyday)
    if anchor.elsewhere is not None or not anchor.stems:
        raise ValueError(f"together rule: every 'review' alternative needs a word stem: {rule['review']!r}")
    return TogetherRule(
        category=rule["category"],
        confidence=float(rule.get("confidence", 0.85)),
        roles=frozenset(rule.get("roles", ROLES)),
        gate=anchor.stems,
        anchor=compiled("review"),  # type: ignore[arg-type]
        other=compiled("incentive"),  # type: ignore[arg-type]
        link=compiled("link"),
        exchange=compiled("exchange"),
        veto=compiled("exclude"),
    )


def _merge_together(rules: list[TogetherRule]) -> tuple[TogetherRule, ...]:
    """One rule per category and roles: one regex pass per term instead of one per language."""
    groups: dict[tuple[str, frozenset[str]], list[TogetherRule]] = {}
    for rule in rules:
        groups.setdefault((rule.category, rule.roles), []).append(rule)

    def union_regex(patterns: list[re.Pattern[str] | None]) -> re.Pattern[str] | None:
        sources = [p.pattern for p in patterns if p is not None]
        return re.compile("|".join(f"(?:{s})" for s in sources)) if sources else None

    def union(terms: list[Term | None]) -> Term | None:
        present = [t for t in terms if t is not None]
        if not present:
            return None
        return Term(
            frozenset().union(*(t.stems for t in present)),
            union_regex([t.at_stems for t in present]),
            union_regex([t.elsewhere for t in present]),
        )

    merged = []
    for (category, roles), group in groups.items():
        merged.append(
            TogetherRule(
                category=category,
                confidence=min(r.confidence for r in group),
                roles=roles,
                gate=frozenset().union(*(r.gate for r in group)),
                anchor=union([r.anchor for r in group]),  # type: ignore[arg-type]
                other=union([r.other for r in group]),  # type: ignore[arg-type]
                # A rule without a link term (marketing) stays without one.
                link=union([r.link for r in group]) if all(r.link for r in group) else None,
                exchange=union([r.exchange for r in group]),
                veto=union([r.veto for r in group]),
            )
        )
    return tuple(merged)


def _collect_numbers(data: dict[str, Any], numbers: dict[str, NumberWord], joiners: set[str]) -> None:
    for kind in ("unit", "teen", "tens", "hundred", "times"):
        for word, value in data.get(kind, {}).items():
            numbers.setdefault(_fold_word(word), NumberWord(kind, int(value)))
    for word in data.get("zero_letters", []):
        numbers.setdefault(_fold_word(word), NumberWord("zero_letter", 0))
    # German writes 21 as "einundzwanzig": unit + "und" + tens in one word.
    for unit_word, unit_value in data.get("compound_units", {}).items():
        for tens_word, tens_value in data.get("tens", {}).items():
            for glue in data.get("compound_glue", []):
                word = _fold_word(f"{unit_word}{glue}{tens_word}")
                numbers.setdefault(word, NumberWord("teen", int(tens_value) + int(unit_value)))
    joiners.update(_fold_word(w) for w in data.get("joiners", []))

"""What a scan concluded: per-finding evidence and the action for the whole message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .categories import CONTACT_CATEGORIES, DESCRIPTIONS

REDACTION_MARKER = "[removed]"
_EXCERPT_LIMIT = 60
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Finding:
    category: str
    start: int
    end: int
    excerpt: str
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "excerpt": self.excerpt,
            "confidence": self.confidence,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    action: str
    categories: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    # Categories whose findings `redact()` replaces; scan() fills it from the action table.
    redactable: frozenset[str] = field(default=CONTACT_CATEGORIES)
    # True when the message was longer than the scan cap and its tail went unread.
    truncated: bool = False

    @property
    def clean(self) -> bool:
        return not self.findings and not self.truncated

    def redact(self, text: str) -> str:
        """Replace every redactable finding in `text` (the scanned original) with the marker."""
        spans = sorted((f.start, f.end) for f in self.findings if f.category in self.redactable)
        if not spans:
            return text
        out: list[str] = []
        cursor = 0
        for start, end in _merge(spans):
            if end <= cursor:
                continue
            out.append(text[cursor : max(start, cursor)])
            out.append(REDACTION_MARKER)
            cursor = end
        out.append(text[cursor:])
        return "".join(out)

    def as_dict(self, id: Any = None) -> dict[str, Any]:
        return {
            "id": id,
            "action": self.action,
            "categories": list(self.categories),
            "findings": [f.as_dict() for f in self.findings],
        }

    def reasons(self) -> list[str]:
        """One sentence fragment per distinct finding, e.g. 'a phone number (“555 123 4567”)'."""
        seen: set[str] = set()
        reasons: list[str] = []
        for finding in self.findings:
            reason = f"{DESCRIPTIONS.get(finding.category, finding.category)} (“{_shorten(finding.excerpt)}”)"
            if reason not in seen:
                seen.add(reason)
                reasons.append(reason)
        if self.truncated:
            reasons.append("a message too long to check automatically")
        return reasons


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _shorten(excerpt: str) -> str:
    flat = _SPACES.sub(" ", excerpt).strip()
    if len(flat) > _EXCERPT_LIMIT:
        return flat[: _EXCERPT_LIMIT - 1] + "…"
    return flat

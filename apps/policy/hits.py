"""What a detector reports: a category, a span of the ORIGINAL text, and a confidence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Hit:
    category: str
    start: int
    end: int
    confidence: float

    def overlaps(self, other: Hit) -> bool:
        return self.start < other.end and other.start < self.end

    def within(self, other: Hit) -> bool:
        return other.start <= self.start and self.end <= other.end

"""Who is sending, and which links belong to the platform itself."""

from __future__ import annotations

from dataclasses import dataclass

ROLES: tuple[str, ...] = ("buyer", "seller")


@dataclass(frozen=True, slots=True)
class ScanContext:
    """`sender_role`: "buyer" or "seller". `platform_domains`: links to these domains and
    their subdomains are allowed. `language`: an optional hint ("en", "es", "de", "fr"); the
    phrase lists of every language are applied anyway, as messages mix languages."""

    sender_role: str
    platform_domains: tuple[str, ...] = ()
    language: str | None = None

    def __post_init__(self) -> None:
        if self.sender_role not in ROLES:
            raise ValueError(f"sender_role must be one of {ROLES}, not {self.sender_role!r}")
        # Domains are compared against casefolded text, so store them the same way.
        cleaned = tuple(
            dict.fromkeys(d.strip().strip(".").lower() for d in self.platform_domains if d and d.strip(". "))
        )
        object.__setattr__(self, "platform_domains", cleaned)

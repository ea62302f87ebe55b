"""Shortcuts for the policy tests: scan as a buyer or seller on a platform at example.com."""

from apps.policy import ScanContext, Verdict, scan

PLATFORM = ("messages.example.com", "example.com")


def run(text: str, role: str = "seller") -> Verdict:
    return scan(text, context=ScanContext(sender_role=role, platform_domains=PLATFORM))


def categories(text: str, role: str = "seller") -> set[str]:
    return set(run(text, role).categories)


def excerpts(text: str, category: str, role: str = "seller") -> list[str]:
    return [f.excerpt for f in run(text, role).findings if f.category == category]

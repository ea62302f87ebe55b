"""Turn findings into actions using the configured table (block > hold > redact > allow)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .categories import CONTACT_CATEGORIES, SEVERITY
from .verdict import Finding


def finding_action(finding: Finding, role: str, config: dict[str, Any]) -> str:
    action = config["ACTIONS"][role].get(finding.category, "block")
    if action in ("block", "redact") and finding.confidence < config["LOW_CONFIDENCE_THRESHOLD"]:
        # Unsure evidence is for a person to judge, not for silent deletion.
        return config["LOW_CONFIDENCE_ACTION"]
    return action


def decide(findings: Iterable[Finding], role: str, config: dict[str, Any], *, truncated: bool) -> str:
    action = config["OVERFLOW_ACTION"] if truncated else "allow"
    for finding in findings:
        candidate = finding_action(finding, role, config)
        if SEVERITY[candidate] > SEVERITY[action]:
            action = candidate
    return action


def redactable_categories(role: str, config: dict[str, Any]) -> frozenset[str]:
    """Contact details are always masked by Verdict.redact(), plus anything the table redacts."""
    table = config["ACTIONS"][role]
    return CONTACT_CATEGORIES | frozenset(c for c, a in table.items() if a == "redact")

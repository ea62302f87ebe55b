"""Policy filter for buyer/seller messages.

    from apps.policy import scan, ScanContext
    verdict = scan(text, context=ScanContext(sender_role="buyer", platform_domains=("example.com",)))
    verdict.action        # "allow" | "redact" | "hold" | "block"
    verdict.redact(text)  # contact details replaced with "[removed]"

Pure Python: importing this package needs no Django setup (settings are read lazily by
conf.get_config(), with built-in defaults when Django is not configured). Word lists and
patterns are compiled on the first scan.
"""

from .categories import CATEGORIES, CONTACT_CATEGORIES
from .context import ScanContext
from .scan import scan
from .verdict import REDACTION_MARKER, Finding, Verdict

__all__ = [
    "CATEGORIES",
    "CONTACT_CATEGORIES",
    "REDACTION_MARKER",
    "Finding",
    "ScanContext",
    "Verdict",
    "scan",
]

"""How many attachments a message may carry and how large they may be together.

Defaults live here; a deployment overrides them in ``settings.MESSAGING["ATTACHMENTS"]``.
The value is computed once and recomputed when a test (or anything else) changes the
settings, so the hot path never re-validates the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

DEFAULT_MAX_FILES = 5
DEFAULT_MAX_TOTAL_BYTES = 10 * 1024 * 1024
_KEYS = {"MAX_FILES": DEFAULT_MAX_FILES, "MAX_TOTAL_BYTES": DEFAULT_MAX_TOTAL_BYTES}


@dataclass(frozen=True, slots=True)
class AttachmentLimits:
    max_files: int
    max_total_bytes: int


_cache: AttachmentLimits | None = None


def attachment_limits() -> AttachmentLimits:
    """The limits in force, read once from the settings and cached until they change."""
    global _cache
    if _cache is None:
        _cache = _build(dict(getattr(settings, "MESSAGING", {}) or {}).get("ATTACHMENTS", {}) or {})
    return _cache


def reset_attachment_limits(**_kwargs: Any) -> None:
    global _cache
    _cache = None


def _build(user: dict[str, Any]) -> AttachmentLimits:
    # A misspelt key would otherwise be ignored silently and the default would apply.
    unknown = set(user) - set(_KEYS)
    if unknown:
        raise ImproperlyConfigured(
            f"Unknown MESSAGING['ATTACHMENTS'] setting(s): {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(_KEYS))}"
        )
    values = _KEYS | user
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ImproperlyConfigured(f"MESSAGING['ATTACHMENTS']['{key}'] must be a positive integer")
    return AttachmentLimits(max_files=values["MAX_FILES"], max_total_bytes=values["MAX_TOTAL_BYTES"])


def _on_setting_changed(setting: str, **_kwargs: Any) -> None:
    if setting == "MESSAGING":
        reset_attachment_limits()


setting_changed.connect(_on_setting_changed, weak=False, dispatch_uid="apps.conversations.attachments.limits")

"""Settings for response deadlines: defaults here, overrides in settings.MESSAGING["SLA"].

Wrong values are reported by the system checks in `checks.py`; this accessor only merges.
"""

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

DEFAULTS: dict[str, Any] = {
    # How long before the 24-hour deadline the seller is reminded of an unanswered message;
    # the inbox counts a thread as "about to go late" inside the same window.
    "REMINDER_BEFORE_HOURS": 4,
    # Clocks the sweep locks and marks per transaction: short transactions keep row locks
    # brief while a backlog (after an outage) is worked off.
    "SWEEP_BATCH_SIZE": 500,
}

_cache: dict[str, Any] | None = None


def user_settings() -> dict[str, Any]:
    return dict((getattr(settings, "MESSAGING", None) or {}).get("SLA") or {})


def get_config() -> dict[str, Any]:
    """The merged configuration, computed once and reset whenever the settings change."""
    global _cache
    if _cache is None:
        _cache = DEFAULTS | {key: value for key, value in user_settings().items() if key in DEFAULTS}
    return _cache


def reset_config(**_kwargs: Any) -> None:
    global _cache
    _cache = None


def _on_setting_changed(*, setting: str, **_kwargs: Any) -> None:
    if setting == "MESSAGING":
        reset_config()


setting_changed.connect(_on_setting_changed, weak=False, dispatch_uid="apps.sla.conf.reset")

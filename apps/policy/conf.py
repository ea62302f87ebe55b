"""Settings for the policy filter: defaults here, overrides in settings.MESSAGING["POLICY"].

Django is optional: without configured settings (scripts, benchmarks) the defaults apply.
"""

from __future__ import annotations

import copy
from typing import Any

from .categories import ACTIONS, CATEGORIES
from .context import ROLES, ScanContext

_CONTACT_REDACT = {"phone": "redact", "email": "redact", "contact_handle": "redact", "link": "redact"}

DEFAULTS: dict[str, Any] = {
    # Extra domains (besides MESSAGING_DOMAIN) whose links may be sent, e.g. the shop's own site.
    "ALLOWED_DOMAINS": [],
    # role -> category -> action; a settings override only needs the cells it changes.
    "ACTIONS": {
        "seller": dict.fromkeys(CATEGORIES, "block") | {"abuse": "hold"},
        "buyer": dict.fromkeys(CATEGORIES, "block") | _CONTACT_REDACT | {"abuse": "hold"},
    },
    # A finding less certain than this goes to a moderator instead of being blocked or redacted.
    "LOW_CONFIDENCE_THRESHOLD": 0.6,
    "LOW_CONFIDENCE_ACTION": "hold",
    # National phone formats are tried for these regions (international +CC numbers always are).
    "PHONE_REGIONS": ["US", "CA", "GB", "DE", "FR", "ES", "IT", "MX", "IN", "AU", "BR"],
    # Text past this many characters is not scanned; a longer message is held, never allowed.
    "MAX_SCAN_CHARS": 200_000,
    "OVERFLOW_ACTION": "hold",
}

_cache: dict[str, Any] | None = None


def get_config() -> dict[str, Any]:
    """The merged configuration, computed once and reset whenever the settings change."""
    global _cache
    if _cache is None:
        _cache = _build(_user_settings())
    return _cache


def reset_config(**_kwargs: Any) -> None:
    global _cache
    _cache = None


def _user_settings() -> dict[str, Any]:
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is a project dependency
        return {}
    if not settings.configured:
        return {}
    _connect_reset()
    return dict(getattr(settings, "MESSAGING", {}) or {}).get("POLICY", {}) or {}


def _build(user: dict[str, Any]) -> dict[str, Any]:
    config = copy.deepcopy(DEFAULTS)
    for key, value in user.items():
        if key == "ACTIONS":
            continue
        if key not in DEFAULTS:
            raise ValueError(f"Unknown MESSAGING['POLICY'] setting: {key}")
        config[key] = value
    for role, table in (user.get("ACTIONS") or {}).items():
        if role not in ROLES:
            raise ValueError(f"MESSAGING['POLICY']['ACTIONS'] has an unknown role: {role}")
        for category, action in table.items():
            if category not in CATEGORIES or action not in ACTIONS:
                raise ValueError(f"Bad action table entry for {role}: {category} -> {action}")
            config["ACTIONS"][role][category] = action
    for key in ("LOW_CONFIDENCE_ACTION", "OVERFLOW_ACTION"):
        if config[key] not in ACTIONS:
            raise ValueError(f"MESSAGING['POLICY']['{key}'] must be one of {ACTIONS}")
    config["PHONE_REGIONS"] = tuple(r.upper() for r in config["PHONE_REGIONS"])
    return config


def context_for(sender_role: str, language: str | None = None) -> ScanContext:
    """A ScanContext for the current site: MESSAGING_DOMAIN plus the allowed domains setting."""
    from django.conf import settings

    domains = [getattr(settings, "MESSAGING_DOMAIN", "") or ""]
    domains.extend(get_config()["ALLOWED_DOMAINS"])
    return ScanContext(sender_role=sender_role, platform_domains=tuple(domains), language=language)


def _on_setting_changed(setting: str, **kwargs: Any) -> None:
    if setting in {"MESSAGING", "MESSAGING_DOMAIN"}:
        reset_config()


def _connect_reset() -> None:
    # Connected when settings are first read rather than at import: `import apps.policy`
    # then costs no Django (and asyncio) import. The dispatch_uid makes repeats no-ops.
    from django.core.signals import setting_changed

    setting_changed.connect(_on_setting_changed, dispatch_uid="apps.policy.conf.reset")

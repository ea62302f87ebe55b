"""Moderation knobs: defaults here, overrides in settings.MESSAGING["MODERATION"]."""

from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

DEFAULTS = {
    # Strikes counted over this many days...
    "STRIKE_WINDOW_DAYS": 30,
    # ...restrict messaging (everything held for review) at this many, for this long...
    "RESTRICT_AT_STRIKES": 3,
    "RESTRICT_DAYS": 7,
    # ...and suspend it, until a moderator reinstates it, at this many.
    "SUSPEND_AT_STRIKES": 6,
}


@cache
def get_config() -> dict:
    overrides = (getattr(settings, "MESSAGING", {}) or {}).get("MODERATION", {}) or {}
    unknown = set(overrides) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"Unknown MESSAGING['MODERATION'] settings: {sorted(unknown)}")
    return {**DEFAULTS, **overrides}


@receiver(setting_changed)
def _reset(*, setting, **kwargs):
    if setting == "MESSAGING":
        get_config.cache_clear()

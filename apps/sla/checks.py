"""System checks for settings.MESSAGING["SLA"]: a nonsense value stops the project at startup
instead of silently sending reminders at the wrong time."""

from numbers import Real

from django.core.checks import Error, Warning, register

from .conf import DEFAULTS, user_settings


@register()
def check_sla_settings(app_configs=None, **kwargs) -> list:
    configured = user_settings()
    problems = []
    hours = configured.get("REMINDER_BEFORE_HOURS", DEFAULTS["REMINDER_BEFORE_HOURS"])
    if isinstance(hours, bool) or not isinstance(hours, Real) or not 0 < hours < 24:
        problems.append(
            Error(
                f"MESSAGING['SLA']['REMINDER_BEFORE_HOURS'] is {hours!r}.",
                hint="Use a number of hours greater than 0 and less than 24 (the response window).",
                id="sla.E001",
            )
        )
    batch = configured.get("SWEEP_BATCH_SIZE", DEFAULTS["SWEEP_BATCH_SIZE"])
    if isinstance(batch, bool) or not isinstance(batch, int) or not 1 <= batch <= 10_000:
        problems.append(
            Error(
                f"MESSAGING['SLA']['SWEEP_BATCH_SIZE'] is {batch!r}.",
                hint="Use a whole number from 1 to 10000.",
                id="sla.E002",
            )
        )
    for key in sorted(set(configured) - set(DEFAULTS)):
        problems.append(
            Warning(
                f"MESSAGING['SLA'] has an unknown setting {key!r}; it is ignored.",
                hint=f"Known settings: {', '.join(sorted(DEFAULTS))}.",
                id="sla.W001",
            )
        )
    return problems

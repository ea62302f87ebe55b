from django.core.checks import Error, register

from .conf import get_config


@register()
def moderation_settings(app_configs, **kwargs):
    try:
        config = get_config()
    except ValueError as error:
        return [Error(str(error), hint="See README: MESSAGING['MODERATION'].", id="moderation.E001")]
    problems = []
    for key, value in config.items():
        if not isinstance(value, int) or value < 1:
            problems.append(
                Error(
                    f"MESSAGING['MODERATION']['{key}'] must be a positive whole number.", id="moderation.E002"
                )
            )
    if not problems and config["SUSPEND_AT_STRIKES"] <= config["RESTRICT_AT_STRIKES"]:
        problems.append(
            Error(
                "SUSPEND_AT_STRIKES must be above RESTRICT_AT_STRIKES.",
                hint="With the defaults: restrict at 3, suspend at 6.",
                id="moderation.E003",
            )
        )
    return problems

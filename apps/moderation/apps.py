from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "apps.moderation"
    verbose_name = "Moderation"

    def ready(self):
        from . import checks, subscribers  # noqa: F401 - registers checks and event handlers

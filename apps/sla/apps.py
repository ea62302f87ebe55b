from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "apps.sla"
    verbose_name = "Response deadlines"

    def ready(self) -> None:
        # conversations never imports this app: it learns what happened through the events.
        from . import checks, subscribers  # noqa: F401
        from .aggregates import register_sqlite_functions

        subscribers.connect()
        register_sqlite_functions()

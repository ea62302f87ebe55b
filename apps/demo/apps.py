from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run` and benchmarks. Sits above every other app; nothing imports it."""

    name = "apps.demo"
    verbose_name = "Demo data"

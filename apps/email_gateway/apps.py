from django.apps import AppConfig


class EmailGatewayConfig(AppConfig):
    name = "apps.email_gateway"
    verbose_name = "Email gateway"

    def ready(self):
        from . import subscribers  # noqa: F401 - connects the ESP inbound webhook to ingest

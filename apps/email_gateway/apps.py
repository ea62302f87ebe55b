from django.apps import AppConfig


class EmailGatewayConfig(AppConfig):
    name = "apps.email_gateway"
    verbose_name = "Email gateway"

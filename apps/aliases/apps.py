from django.apps import AppConfig


class AliasesConfig(AppConfig):
    name = "apps.aliases"
    verbose_name = "Buyer aliases"

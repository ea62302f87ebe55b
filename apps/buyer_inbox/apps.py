from django.apps import AppConfig


class BuyerInboxConfig(AppConfig):
    name = "apps.buyer_inbox"
    verbose_name = "Buyer pages"

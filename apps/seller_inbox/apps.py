from django.apps import AppConfig


class SellerInboxConfig(AppConfig):
    name = "apps.seller_inbox"
    verbose_name = "Seller inbox"

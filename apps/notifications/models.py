from django.conf import settings
from django.db import models

from apps.accounts.models import SellerAccount


class SellerAlertSettings(models.Model):
    """Which email alerts a seller account gets, and where. As on Amazon, buyer-message alerts
    are off until the seller turns them on (the inbox shows a banner until then)."""

    seller = models.OneToOneField(SellerAccount, on_delete=models.CASCADE, related_name="alert_settings")
    email = models.EmailField("Notification email", blank=True)
    buyer_messages = models.BooleanField("Buyer messages", default=False)
    returns = models.BooleanField("Return and refund messages", default=False)
    reminders = models.BooleanField("Late-response reminders", default=False)

    def __str__(self) -> str:
        return f"alerts of {self.seller}"


class BuyerAlertSettings(models.Model):
    """Buyers get an email for every seller message unless they turn it off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_settings"
    )
    message_alerts = models.BooleanField("Email me when a seller writes", default=True)

    def __str__(self) -> str:
        return f"alerts of {self.user_id}"

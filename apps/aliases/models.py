from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.accounts.models import SellerAccount


class Alias(models.Model):
    """A buyer's one anonymous address for one seller, stable across all their orders.

    The local part is random (base32, never derived from the buyer), so it reveals nothing and
    can't be guessed; the domain is MESSAGING_DOMAIN at the time of use.
    """

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="aliases")
    seller = models.ForeignKey(SellerAccount, on_delete=models.PROTECT, related_name="buyer_aliases")
    local_part = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(fields=["buyer", "seller"], name="aliases_one_per_buyer_and_seller")
        ]

    def __str__(self) -> str:
        return self.address

    @property
    def address(self) -> str:
        return f"{self.local_part}@{settings.MESSAGING_DOMAIN}"

from django.db import IntegrityError, transaction

from apps.accounts.models import SellerAccount, User
from apps.core.ids import random_base32

from .models import Alias

LOCAL_PART_LENGTH = 16  # 80 random bits


def new_local_part() -> str:
    return random_base32(LOCAL_PART_LENGTH)


def alias_for(*, buyer: User, seller: SellerAccount) -> Alias:
    """The buyer's alias with this seller, made on first contact and the same ever after."""
    existing = Alias.objects.filter(buyer=buyer, seller=seller).first()
    if existing:
        return existing
    for _ in range(5):
        try:
            with transaction.atomic():
                return Alias.objects.create(buyer=buyer, seller=seller, local_part=new_local_part())
        except IntegrityError:
            # Either another request made this buyer's alias a moment ago, or (80 random bits)
            # an astronomically unlikely local-part collision: look again, then retry.
            existing = Alias.objects.filter(buyer=buyer, seller=seller).first()
            if existing:
                return existing
    raise RuntimeError("Could not allocate an alias.")

from django.db.models import QuerySet
from django.urls import reverse

from .models import MODERATE_PERMISSION, SellerAccount, User


def seller_accounts_for(user: User) -> QuerySet[SellerAccount]:
    return SellerAccount.objects.filter(memberships__user=user)


def is_seller_staff(user: User) -> bool:
    return user.is_authenticated and user.seller_memberships.exists()


def can_moderate(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(MODERATE_PERMISSION)


def home_url(user: User) -> str:
    """Where a user lands after logging in: moderators moderate, sellers answer, buyers shop."""
    if can_moderate(user):
        return reverse("moderation:queue")
    if is_seller_staff(user):
        return reverse("seller_inbox:inbox")
    return reverse("buyer_inbox:orders")

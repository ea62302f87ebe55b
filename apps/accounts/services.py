"""Every write to accounts goes through here (the admin, seed_demo and the marketplace feed)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import SellerAccount, SellerMembership, User

MODERATORS_GROUP = "Moderators"


def create_user(
    *,
    email: str,
    first_name: str,
    last_name: str = "",
    password: str | None = None,
    company_name: str = "",
    time_zone: str = "",
) -> User:
    return User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        company_name=company_name,
        time_zone=time_zone,
    )


@transaction.atomic
def create_seller_account(*, name: str, owner: User) -> SellerAccount:
    seller = SellerAccount.objects.create(name=name)
    SellerMembership.objects.create(seller=seller, user=owner, role=SellerMembership.Role.OWNER)
    return seller


def add_seller_staff(*, seller: SellerAccount, user: User) -> SellerMembership:
    membership, _ = SellerMembership.objects.get_or_create(
        seller=seller, user=user, defaults={"role": SellerMembership.Role.STAFF}
    )
    return membership


def moderators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    permission = Permission.objects.get(content_type__app_label="accounts", codename="moderate_messages")
    group.permissions.add(permission)
    return group


@transaction.atomic
def make_moderator(*, user: User) -> User:
    """Moderators are staff (they use the admin) with the moderation permission via their group."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(moderators_group())
    return user

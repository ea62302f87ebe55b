"""Every write to accounts goes through here (the admin, seed_demo and the marketplace feed)."""

from datetime import datetime

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from .models import (
    MessagingStanding,
    MessagingStandingChange,
    SellerAccount,
    SellerMembership,
    SellerOptOut,
    User,
)

MODERATORS_GROUP = "Moderators"
# What moderators may look at in the admin besides their own permission (read-only there).
MODERATOR_VIEW_PERMISSIONS = [
    "view_thread",
    "view_message",
    "view_attachment",
    "view_threadstatuschange",
    "view_reviewitem",
    "view_moderationaction",
    "view_violation",
    "view_staffread",
    "view_selleraccount",
    "view_messagingstandingchange",
    "view_order",
    "view_orderitem",
    "view_product",
]


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
    group.permissions.add(permission, *Permission.objects.filter(codename__in=MODERATOR_VIEW_PERMISSIONS))
    return group


@transaction.atomic
def make_moderator(*, user: User) -> User:
    """Moderators are staff (they use the admin) with the moderation permission via their group."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(moderators_group())
    return user


@transaction.atomic
def change_messaging_standing(
    *,
    seller: SellerAccount,
    standing: str,
    reason: str,
    by: User | None = None,
    until: datetime | None = None,
) -> SellerAccount:
    """Restrict (until a time), suspend (until reinstated) or reinstate a seller's messaging."""
    if not reason.strip():
        raise ValueError("A change of messaging standing needs a reason.")
    if standing == MessagingStanding.RESTRICTED and (until is None or until <= timezone.now()):
        raise ValueError("A restriction needs an end in the future.")
    seller = SellerAccount.objects.select_for_update().get(pk=seller.pk)
    previous = seller.messaging_standing()
    seller.messaging_suspended_at = timezone.now() if standing == MessagingStanding.SUSPENDED else None
    seller.messaging_restricted_until = until if standing == MessagingStanding.RESTRICTED else None
    seller.messaging_standing_reason = "" if standing == MessagingStanding.GOOD else reason
    seller.save(
        update_fields=["messaging_suspended_at", "messaging_restricted_until", "messaging_standing_reason"]
    )
    MessagingStandingChange.objects.create(
        seller=seller, from_standing=previous, to_standing=standing, until=until, reason=reason, by=by
    )
    return seller


def set_unsolicited_opt_out(*, buyer: User, opted_out: bool) -> User:
    """Applies to every seller at once, from the next message on."""
    User.objects.filter(pk=buyer.pk).update(unsolicited_opt_out=opted_out)
    buyer.unsolicited_opt_out = opted_out
    return buyer


def set_seller_opt_out(*, buyer: User, seller: SellerAccount, opted_out: bool) -> None:
    if opted_out:
        SellerOptOut.objects.get_or_create(buyer=buyer, seller=seller)
    else:
        SellerOptOut.objects.filter(buyer=buyer, seller=seller).delete()


def is_opted_out(*, buyer: User, seller: SellerAccount) -> bool:
    return (
        User.objects.filter(pk=buyer.pk, unsolicited_opt_out=True).exists()
        or SellerOptOut.objects.filter(buyer=buyer, seller=seller).exists()
    )

import pytest
from django.db import IntegrityError

from apps.accounts import services
from apps.accounts.models import MODERATE_PERMISSION, User
from apps.accounts.selectors import home_url, seller_accounts_for
from tests.factories import make_buyer

pytestmark = pytest.mark.django_db


def test_email_is_unique_whatever_its_case():
    services.create_user(email="Kim@Example.test", first_name="Kim")
    with pytest.raises(IntegrityError):
        User.objects.create(email="kim@EXAMPLE.test", first_name="Kim")


def test_create_user_stores_the_email_lower_case():
    user = services.create_user(email="Kim@Example.TEST", first_name="Kim", password="s3cret-pass")
    assert user.email == "kim@example.test"
    assert user.check_password("s3cret-pass")


def test_several_staff_share_one_seller_account(seller, seller_user):
    colleague = make_buyer()
    services.add_seller_staff(seller=seller, user=colleague)
    assert list(seller_accounts_for(colleague)) == [seller]
    assert list(seller_accounts_for(seller_user)) == [seller]
    assert home_url(colleague) == "/seller/messages/"


def test_adding_the_same_staff_twice_keeps_one_membership(seller):
    colleague = make_buyer()
    services.add_seller_staff(seller=seller, user=colleague)
    services.add_seller_staff(seller=seller, user=colleague)
    assert seller.memberships.filter(user=colleague).count() == 1


def test_make_moderator_grants_staff_and_the_moderation_permission():
    user = make_buyer()
    assert not user.has_perm(MODERATE_PERMISSION)
    services.make_moderator(user=user)
    user = User.objects.get(pk=user.pk)  # permissions are cached on the instance
    assert user.is_staff
    assert user.has_perm(MODERATE_PERMISSION)


def test_business_buyer_is_recognised():
    assert make_buyer(company_name="Northwind Traders").is_business
    assert not make_buyer().is_business

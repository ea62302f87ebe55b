import re

import pytest
from django.urls import reverse

from apps.aliases.models import Alias
from apps.aliases.selectors import resolve
from apps.aliases.services import alias_for
from tests.conftest import open_thread
from tests.factories import make_order, make_seller

pytestmark = pytest.mark.django_db


def test_first_contact_makes_one_stable_alias_per_buyer_and_seller(buyer, seller, settings):
    first = open_thread(buyer=buyer, order=make_order(buyer=buyer, seller=seller)).message.thread
    second = open_thread(buyer=buyer, order=make_order(buyer=buyer, seller=seller)).message.thread
    other = open_thread(buyer=buyer, order=make_order(buyer=buyer, seller=make_seller())).message.thread
    assert first.buyer_alias == second.buyer_alias
    assert other.buyer_alias != first.buyer_alias
    assert Alias.objects.count() == 2
    assert re.fullmatch(r"[a-z2-7]{16}@" + re.escape(settings.MESSAGING_DOMAIN), first.buyer_alias.address)


def test_the_alias_reveals_nothing_about_the_buyer(buyer, seller):
    local_part = alias_for(buyer=buyer, seller=seller).local_part
    for fragment in (buyer.first_name.lower(), buyer.last_name.lower(), buyer.email.split("@")[0].lower()):
        assert fragment[:4] not in local_part


def test_an_address_resolves_to_its_alias_in_any_case(buyer, seller):
    alias = alias_for(buyer=buyer, seller=seller)
    assert resolve(alias.address.upper()) == alias
    assert resolve("nobody@example.test") is None


def test_the_seller_sees_the_alias_and_first_name_never_the_email_or_last_name(
    client, buyer, seller_user, thread
):
    client.force_login(seller_user)
    for url in (reverse("seller_inbox:inbox"), reverse("seller_inbox:thread", args=[thread.public_id])):
        page = client.get(url).content.decode()
        assert thread.buyer_alias.address in page
        assert buyer.first_name in page
        assert buyer.email not in page
        assert buyer.last_name not in page

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.orders.models import Order
from tests.factories import ProductFactory, make_buyer, make_order

pytestmark = pytest.mark.django_db


def make_orders(buyer, seller, count):
    product = ProductFactory(seller=seller)
    now = timezone.now()
    return [
        make_order(buyer=buyer, seller=seller, products=[product], placed_at=now - timedelta(hours=index))
        for index in range(count)
    ]


def test_your_orders_lists_newest_first_with_seller_and_items(client, buyer, seller):
    older, newer = make_orders(buyer, seller, 2)[::-1]
    client.force_login(buyer)
    page = client.get(reverse("buyer_inbox:orders")).content.decode()
    assert "Your orders" in page
    assert page.index(newer.number) < page.index(older.number)
    assert seller.name in page
    assert newer.items.first().title in page


def test_your_orders_shows_only_the_buyers_own_orders(client, buyer, seller):
    mine = make_order(buyer=buyer, seller=seller)
    theirs = make_order(seller=seller)
    client.force_login(buyer)
    page = client.get(reverse("buyer_inbox:orders")).content.decode()
    assert mine.number in page
    assert theirs.number not in page


def test_your_orders_pages_with_a_cursor_and_never_repeats_an_order(client, buyer, seller):
    orders = make_orders(buyer, seller, 45)
    client.force_login(buyer)
    seen, url = [], reverse("buyer_inbox:orders")
    while url:
        response = client.get(url)
        page = response.context["page"]
        seen += [order.number for order in page.items]
        url = f"{reverse('buyer_inbox:orders')}?after={page.next_cursor}" if page.has_next else None
    assert seen == [order.number for order in orders]  # made newest first


@pytest.mark.parametrize("count", [5, 50])
def test_your_orders_costs_the_same_queries_for_5_or_50_orders(
    client, buyer, seller, count, django_assert_num_queries
):
    make_orders(buyer, seller, count)
    client.force_login(buyer)
    # session, user, navigation (seller? moderator: user perms + group perms), orders, items
    with django_assert_num_queries(7):
        response = client.get(reverse("buyer_inbox:orders"))
    assert response.status_code == 200


def test_a_mangled_cursor_shows_the_first_page(client, buyer, seller):
    first = make_order(buyer=buyer, seller=seller)
    client.force_login(buyer)
    response = client.get(reverse("buyer_inbox:orders") + "?after=%%%not-a-cursor")
    assert response.status_code == 200
    assert first.number in response.content.decode()


def test_order_page_shows_items_status_dates_and_seller(client, buyer, seller):
    order = make_order(buyer=buyer, seller=seller, status="delivered")
    client.force_login(buyer)
    page = client.get(reverse("buyer_inbox:order", args=[order.number])).content.decode()
    assert f"Order {order.number}" in page
    assert "Delivered" in page
    assert seller.name in page
    assert "UPS" in page
    assert "1Z999AA10123456784" in page
    assert order.items.first().title in page


def test_business_buyers_see_their_company_on_the_order(client, seller):
    company_buyer = make_buyer(company_name="Northwind Traders Ltd")
    order = make_order(buyer=company_buyer, seller=seller)
    client.force_login(company_buyer)
    assert (
        "Northwind Traders Ltd"
        in client.get(reverse("buyer_inbox:order", args=[order.number])).content.decode()
    )


def test_another_buyers_order_is_404(client, buyer, seller):
    order = make_order(seller=seller)
    client.force_login(buyer)
    assert client.get(reverse("buyer_inbox:order", args=[order.number])).status_code == 404


def test_the_orders_seller_gets_404_on_the_buyer_page(client, seller_user, order):
    client.force_login(seller_user)
    assert client.get(reverse("buyer_inbox:order", args=[order.number])).status_code == 404


def test_unknown_order_is_404(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("buyer_inbox:order", args=["999-9999999-9999999"])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, order):
    for url in (reverse("buyer_inbox:orders"), reverse("buyer_inbox:order", args=[order.number])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Order.objects.count() == 1

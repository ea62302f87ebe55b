from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.pagination import paginate_keyset
from apps.orders.models import Order
from tests.factories import ProductFactory, make_buyer, make_order, make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders_with_ties():
    """Ten orders, several placed at the very same moment: the id must break the tie."""
    seller, buyer = make_seller(), make_buyer()
    product = ProductFactory(seller=seller)
    moment = timezone.now() - timedelta(days=1)
    return [
        make_order(
            buyer=buyer, seller=seller, products=[product], placed_at=moment - timedelta(hours=index // 3)
        )
        for index in range(10)
    ]


def walk(per_page):
    cursor, numbers = None, []
    while True:
        page = paginate_keyset(
            Order.objects.all(), ordering=("-placed_at", "-id"), cursor=cursor, per_page=per_page
        )
        numbers += [order.number for order in page.items]
        if not page.has_next:
            return numbers
        cursor = page.next_cursor


@pytest.mark.parametrize("per_page", [1, 3, 4, 10, 11])
def test_walking_every_page_yields_each_row_once_in_order(orders_with_ties, per_page):
    expected = list(Order.objects.order_by("-placed_at", "-id").values_list("number", flat=True))
    assert walk(per_page) == expected


def test_ascending_ordering_works_too(orders_with_ties):
    first = paginate_keyset(Order.objects.all(), ordering=("placed_at", "id"), cursor=None, per_page=4)
    second = paginate_keyset(
        Order.objects.all(), ordering=("placed_at", "id"), cursor=first.next_cursor, per_page=4
    )
    expected = list(Order.objects.order_by("placed_at", "id").values_list("number", flat=True))
    assert [o.number for o in first.items + second.items] == expected[:8]
    assert first.is_first
    assert not second.is_first


@pytest.mark.parametrize("cursor", ["garbage", "W10", "WyJ4IiwgMV0", ""])
def test_a_bad_cursor_means_the_first_page(orders_with_ties, cursor):
    page = paginate_keyset(Order.objects.all(), ordering=("-placed_at", "-id"), cursor=cursor, per_page=3)
    assert page.is_first
    assert [o.number for o in page.items] == walk(3)[:3]

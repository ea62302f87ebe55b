import re
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.orders import services
from apps.orders.exceptions import InvalidTransition, OrderError
from apps.orders.models import Order, OrderStatus
from tests.factories import ProductFactory, make_buyer, make_order, make_seller

pytestmark = pytest.mark.django_db


def test_new_order_has_an_amazon_style_number_items_and_total(buyer, seller):
    mug, lamp = ProductFactory(seller=seller, price="10.00"), ProductFactory(seller=seller, price="2.50")
    order = services.create_order(
        buyer=buyer,
        seller=seller,
        items=[services.LineItem(product=mug, quantity=2), services.LineItem(product=lamp, quantity=1)],
    )
    assert re.fullmatch(r"\d{3}-\d{7}-\d{7}", order.number)
    assert order.status == OrderStatus.PLACED
    assert str(order.total) == "22.50"
    assert [(i.title, i.quantity) for i in order.items.order_by("id")] == [(mug.title, 2), (lamp.title, 1)]


def test_items_must_come_from_the_orders_seller(buyer, seller, other_seller):
    with pytest.raises(OrderError, match="sold by the order's seller"):
        services.create_order(
            buyer=buyer, seller=seller, items=[services.LineItem(product=ProductFactory(seller=other_seller))]
        )
    assert not Order.objects.exists()


def test_an_order_needs_items(buyer, seller):
    with pytest.raises(OrderError, match="at least one item"):
        services.create_order(buyer=buyer, seller=seller, items=[])


def test_lifecycle_stamps_each_step_and_records_history(buyer, seller):
    order = make_order(buyer=buyer, seller=seller, placed_at=timezone.now() - timedelta(days=3))
    shipped_at = timezone.now() - timedelta(days=2)
    order = services.advance_order(
        order=order, to_status="shipped", at=shipped_at, carrier="UPS", tracking_number="1Z999AA10123456784"
    )
    order = services.advance_order(order=order, to_status="delivered")
    assert order.shipped_at == shipped_at
    assert order.delivered_at is not None
    assert (order.carrier, order.tracking_number) == ("UPS", "1Z999AA10123456784")
    history = list(order.status_changes.values_list("from_status", "to_status"))
    assert history == [("", "placed"), ("placed", "shipped"), ("shipped", "delivered")]


def test_a_step_cannot_be_dated_before_the_previous_one(buyer, seller):
    order = make_order(buyer=buyer, seller=seller)
    with pytest.raises(OrderError, match="before its last change"):
        services.advance_order(order=order, to_status="shipped", at=order.placed_at - timedelta(minutes=1))


@pytest.mark.parametrize(
    ("status", "forbidden"),
    [("placed", "delivered"), ("cancelled", "shipped"), ("delivered", "placed"), ("refunded", "returned")],
)
def test_impossible_transitions_are_refused_and_leave_no_trace(status, forbidden):
    order = make_order(status=status)
    changes = order.status_changes.count()
    with pytest.raises(InvalidTransition):
        services.advance_order(order=order, to_status=forbidden)
    order.refresh_from_db()
    assert order.status == status
    assert order.status_changes.count() == changes


def test_import_orders_inserts_history_and_timestamps_in_bulk(django_assert_max_num_queries):
    seller = make_seller()
    buyer = make_buyer()
    product = ProductFactory(seller=seller)
    now = timezone.now()
    rows = [
        services.ImportedOrder(
            number=f"111-0000000-{index:07d}",
            buyer=buyer,
            seller=seller,
            items=[services.LineItem(product=product, quantity=1)],
            history=[
                ("placed", now - timedelta(days=3)),
                ("shipped", now - timedelta(days=2)),
                ("delivered", now - timedelta(days=1)),
            ],
            carrier="FedEx",
            tracking_number="123456789012",
        )
        for index in range(30)
    ]
    with django_assert_max_num_queries(8):
        assert services.import_orders(rows) == 30
    order = Order.objects.get(number="111-0000000-0000007")
    assert order.status == "delivered"
    assert order.delivered_at == now - timedelta(days=1)
    assert order.status_changes.count() == 3


def test_import_orders_refuses_an_impossible_history():
    seller = make_seller()
    row = services.ImportedOrder(
        number="111-0000000-0000001",
        buyer=make_buyer(),
        seller=seller,
        items=[services.LineItem(product=ProductFactory(seller=seller))],
        history=[("placed", timezone.now()), ("delivered", timezone.now())],
    )
    with pytest.raises(InvalidTransition):
        services.import_orders([row])
    assert not Order.objects.exists()

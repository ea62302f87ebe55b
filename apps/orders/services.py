"""Create and advance orders: the marketplace feeds orders in here; the admin and seed_demo too."""

import itertools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import SellerAccount, User

from .exceptions import InvalidTransition, OrderError
from .models import Order, OrderItem, OrderStatus, OrderStatusChange, Product

# Which status may follow which; the timestamp field each status sets.
TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.PLACED: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED, OrderStatus.RETURNED}),
    OrderStatus.DELIVERED: frozenset({OrderStatus.COMPLETED, OrderStatus.RETURNED, OrderStatus.REFUNDED}),
    OrderStatus.COMPLETED: frozenset({OrderStatus.RETURNED, OrderStatus.REFUNDED}),
    OrderStatus.RETURNED: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.REFUNDED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}
TIMESTAMP_FIELD = {
    OrderStatus.SHIPPED: "shipped_at",
    OrderStatus.DELIVERED: "delivered_at",
    OrderStatus.COMPLETED: "completed_at",
    OrderStatus.RETURNED: "returned_at",
    OrderStatus.REFUNDED: "refunded_at",
    OrderStatus.CANCELLED: "cancelled_at",
}


@dataclass(frozen=True)
class LineItem:
    product: Product
    quantity: int = 1


def generate_order_number() -> str:
    """An Amazon-style number, 123-1234567-1234567, random so that it reveals no volume."""
    return f"{secrets.randbelow(900) + 100:03d}-{secrets.randbelow(10**7):07d}-{secrets.randbelow(10**7):07d}"


def create_product(*, seller: SellerAccount, title: str, sku: str, price: Decimal) -> Product:
    return Product.objects.create(seller=seller, title=title, sku=sku, price=price)


def create_order(
    *,
    buyer: User,
    seller: SellerAccount,
    items: Sequence[LineItem],
    placed_at: datetime | None = None,
    number: str | None = None,
) -> Order:
    if not items:
        raise OrderError("An order needs at least one item.")
    if any(item.product.seller_id != seller.pk for item in items):
        raise OrderError("Every item must be sold by the order's seller.")
    if any(item.quantity < 1 for item in items):
        raise OrderError("Quantities must be at least 1.")
    placed_at = placed_at or timezone.now()
    total = sum((Decimal(item.product.price) * item.quantity for item in items), Decimal(0))
    for attempt in range(5):
        try:
            with transaction.atomic():
                order = Order.objects.create(
                    number=number or generate_order_number(),
                    buyer=buyer,
                    seller=seller,
                    placed_at=placed_at,
                    total=total,
                )
                OrderItem.objects.bulk_create(
                    OrderItem(
                        order=order,
                        product=item.product,
                        title=item.product.title,
                        quantity=item.quantity,
                        unit_price=item.product.price,
                    )
                    for item in items
                )
                OrderStatusChange.objects.create(
                    order=order, from_status="", to_status=OrderStatus.PLACED, changed_at=placed_at
                )
                return order
        except IntegrityError:
            # A random number collided (or the caller's number exists): retry only the former.
            if number is not None or attempt == 4:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def advance_order(
    *,
    order: Order,
    to_status: str,
    at: datetime | None = None,
    carrier: str = "",
    tracking_number: str = "",
    note: str = "",
) -> Order:
    """Move an order along its lifecycle, stamping the time and writing a history row."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if to_status not in TRANSITIONS.get(order.status, frozenset()):
        raise InvalidTransition(
            f"Order {order.number} is {order.get_status_display().lower()}; it cannot become {to_status}."
        )
    at = at or timezone.now()
    last_change = order.status_changes.order_by("-changed_at").values_list("changed_at", flat=True).first()
    if last_change and at < last_change:
        raise OrderError(f"Order {order.number} cannot become {to_status} before its last change.")
    previous = order.status
    order.status = to_status
    setattr(order, TIMESTAMP_FIELD[to_status], at)
    update_fields = ["status", TIMESTAMP_FIELD[to_status]]
    if to_status == OrderStatus.SHIPPED:
        order.carrier, order.tracking_number = carrier, tracking_number
        update_fields += ["carrier", "tracking_number"]
    order.save(update_fields=update_fields)
    OrderStatusChange.objects.create(
        order=order, from_status=previous, to_status=to_status, changed_at=at, note=note
    )
    return order


@dataclass(frozen=True)
class ImportedOrder:
    """One order of a bulk feed: its items and its lifecycle so far, oldest step first."""

    number: str
    buyer: User
    seller: SellerAccount
    items: Sequence[LineItem]
    history: Sequence[tuple[str, datetime]]  # [("placed", t0), ("shipped", t1), ...]
    carrier: str = ""
    tracking_number: str = ""


def _validate_history(history: Sequence[tuple[str, datetime]]) -> None:
    if not history or history[0][0] != OrderStatus.PLACED:
        raise OrderError("An order's history starts with 'placed'.")
    for (before, _), (after, _) in itertools.pairwise(history):
        if after not in TRANSITIONS[before]:
            raise InvalidTransition(f"{before} cannot become {after}.")


def import_orders(rows: Sequence[ImportedOrder], *, batch_size: int = 2000) -> int:
    """Insert many orders at once (a marketplace backfill, or demo data) with the same rules
    as create_order/advance_order, in a few bulk statements per batch instead of a few per order."""
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        with transaction.atomic():
            orders = [_order_from_import(row) for row in batch]
            Order.objects.bulk_create(orders, batch_size=batch_size)
            items, changes = [], []
            for order, row in zip(orders, batch, strict=True):
                items += [
                    OrderItem(
                        order=order,
                        product=item.product,
                        title=item.product.title,
                        quantity=item.quantity,
                        unit_price=item.product.price,
                    )
                    for item in row.items
                ]
                previous = ""
                for status, at in row.history:
                    changes.append(
                        OrderStatusChange(order=order, from_status=previous, to_status=status, changed_at=at)
                    )
                    previous = status
            OrderItem.objects.bulk_create(items, batch_size=batch_size)
            OrderStatusChange.objects.bulk_create(changes, batch_size=batch_size)
    return len(rows)


def _order_from_import(row: ImportedOrder) -> Order:
    _validate_history(row.history)
    order = Order(
        number=row.number,
        buyer=row.buyer,
        seller=row.seller,
        placed_at=row.history[0][1],
        status=row.history[-1][0],
        carrier=row.carrier,
        tracking_number=row.tracking_number,
        total=sum((item.product.price * item.quantity for item in row.items), Decimal(0)),
    )
    for status, at in row.history[1:]:
        setattr(order, TIMESTAMP_FIELD[status], at)
    return order

from django.db.models import Prefetch, QuerySet

from apps.accounts.models import User
from apps.core.pagination import KeysetPage, paginate_keyset

from .models import Order, OrderItem

ORDERS_PER_PAGE = 20


def buyer_orders_page(*, buyer: User, cursor: str | None, per_page: int = ORDERS_PER_PAGE) -> KeysetPage:
    """A buyer's orders, newest first, with seller and items: three queries whatever the page."""
    queryset = (
        Order.objects.filter(buyer=buyer)
        .select_related("seller")
        .prefetch_related(Prefetch("items", queryset=OrderItem.objects.order_by("id")))
    )
    return paginate_keyset(queryset, ordering=("-placed_at", "-id"), cursor=cursor, per_page=per_page)


def buyer_order(*, buyer: User, number: str) -> Order:
    """One of the buyer's orders; Order.DoesNotExist for missing and foreign alike."""
    return _order_detail_queryset().get(buyer=buyer, number=number)


def _order_detail_queryset() -> QuerySet[Order]:
    return Order.objects.select_related("seller", "buyer").prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.select_related("product").order_by("id")),
        "status_changes",
    )


def seller_order(*, seller, number: str) -> Order:
    """One of the seller's orders; Order.DoesNotExist for missing and foreign alike."""
    return _order_detail_queryset().get(seller=seller, number=number)

"""The test vocabulary: people, shops, products and orders, built through the real services."""

from datetime import datetime
from decimal import Decimal

import factory

from apps.accounts import services as account_services
from apps.accounts.models import SellerAccount, User
from apps.orders import services as order_services
from apps.orders.models import Order, Product

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password", PASSWORD)
        return model_class.objects.create_user(*args, password=password, **kwargs)


class SellerAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerAccount

    name = factory.Sequence(lambda n: f"Shop {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    seller = factory.SubFactory(SellerAccountFactory)
    title = factory.Sequence(lambda n: f"Widget model {n}")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    price = Decimal("19.99")


def make_buyer(**fields) -> User:
    return UserFactory(**fields)


def make_seller(*, name: str = "", owner: User | None = None) -> SellerAccount:
    owner = owner or UserFactory()
    return account_services.create_seller_account(name=name or f"Shop of {owner.first_name}", owner=owner)


def seller_owner(seller: SellerAccount) -> User:
    return seller.members.order_by("seller_memberships__created_at").first()


def make_moderator(**fields) -> User:
    return account_services.make_moderator(user=UserFactory(**fields))


def make_order(
    *,
    buyer: User | None = None,
    seller: SellerAccount | None = None,
    products: list[Product] | None = None,
    status: str = "placed",
    placed_at: datetime | None = None,
) -> Order:
    """An order taken as far along its lifecycle as `status`, through the real services."""
    buyer = buyer or make_buyer()
    seller = seller or make_seller()
    products = products or [ProductFactory(seller=seller)]
    order = order_services.create_order(
        buyer=buyer,
        seller=seller,
        items=[order_services.LineItem(product=p, quantity=1) for p in products],
        placed_at=placed_at,
    )
    path = {
        "placed": [],
        "shipped": ["shipped"],
        "delivered": ["shipped", "delivered"],
        "completed": ["shipped", "delivered", "completed"],
        "returned": ["shipped", "delivered", "returned"],
        "refunded": ["shipped", "delivered", "refunded"],
        "cancelled": ["cancelled"],
    }[status]
    for step in path:
        extra = {"carrier": "UPS", "tracking_number": "1Z999AA10123456784"} if step == "shipped" else {}
        order = order_services.advance_order(order=order, to_status=step, **extra)
    return order

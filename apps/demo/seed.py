"""Deterministic demo data: the same seed gives the same people, shops, products and orders.

Times are laid out relative to the moment of seeding so that the demo always shows fresh
orders next to old ones. Everything is inserted in bulk so that large values run in minutes.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import SellerAccount, SellerMembership, User
from apps.accounts.services import moderators_group
from apps.orders.models import Order, OrderStatus, Product
from apps.orders.services import ImportedOrder, LineItem, import_orders

from . import catalogue
from .conversations import ConversationSeeder
from .deadlines import seed_deadlines
from .moderation import seed_moderation

# The lifecycles an order can have reached, and how often the demo shows each.
LIFECYCLES: list[tuple[tuple[str, ...], int]] = [
    ((OrderStatus.PLACED,), 1),
    ((OrderStatus.PLACED, OrderStatus.SHIPPED), 2),
    ((OrderStatus.PLACED, OrderStatus.SHIPPED, OrderStatus.DELIVERED), 4),
    ((OrderStatus.PLACED, OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.COMPLETED), 6),
    ((OrderStatus.PLACED, OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.RETURNED), 1),
    (
        (
            OrderStatus.PLACED,
            OrderStatus.SHIPPED,
            OrderStatus.DELIVERED,
            OrderStatus.RETURNED,
            OrderStatus.REFUNDED,
        ),
        1,
    ),
    ((OrderStatus.PLACED, OrderStatus.CANCELLED), 1),
]
# Days after the previous step at which each step happens.
STEP_DELAY_DAYS = {
    OrderStatus.SHIPPED: (0.5, 2),
    OrderStatus.DELIVERED: (1, 5),
    OrderStatus.COMPLETED: (3, 7),
    OrderStatus.RETURNED: (2, 14),
    OrderStatus.REFUNDED: (1, 4),
    OrderStatus.CANCELLED: (0.1, 1),
}


@dataclass
class SeedSize:
    sellers: int = 4
    buyers: int = 12
    orders: int = 60
    threads: int = 40
    messages: int = 150
    seed: int = 1


@dataclass
class SeedResult:
    users: int = 0
    sellers: int = 0
    products: int = 0
    orders: int = 0
    threads: int = 0
    messages: int = 0
    notes: list[str] = field(default_factory=list)


class DemoSeeder:
    def __init__(self, size: SeedSize, *, now: datetime | None = None):
        self.size = size
        self.rng = random.Random(size.seed)
        self.now = now or timezone.now()
        self.result = SeedResult()
        self.used_numbers: set[str] = set()

    def run(self) -> SeedResult:
        with transaction.atomic():
            people = self._create_people()
            sellers = self._create_sellers(people)
            products = self._create_products(sellers)
        self._create_orders(people, sellers, products)
        self._create_conversations(people, sellers)
        seed_deadlines(seller=sellers[0], now=self.now)
        seed_moderation(seller=sellers[0], seller_user=people["seller"])
        return self.result

    # --- people and shops -------------------------------------------------------------

    def _create_people(self) -> dict[str, list[User] | User]:
        password = make_password(catalogue.DEMO_PASSWORD)
        named = {
            key: User(email=email, first_name=first, last_name=last, company_name=company, password=password)
            for key, (email, first, last, company) in catalogue.DEMO_USERS.items()
        }
        extra_buyers = [
            User(
                email=f"buyer{index}@demo.test",
                first_name=self.rng.choice(catalogue.FIRST_NAMES),
                last_name=self.rng.choice(catalogue.LAST_NAMES),
                password=password,
            )
            for index in range(3, max(self.size.buyers, 2) + 1)
        ]
        extra_sellers = [
            User(
                email=f"seller{index}@demo.test",
                first_name=self.rng.choice(catalogue.FIRST_NAMES),
                last_name=self.rng.choice(catalogue.LAST_NAMES),
                password=password,
            )
            for index in range(3, max(self.size.sellers, 2) + 1)
        ]
        named["moderator"].is_staff = True
        User.objects.bulk_create([*named.values(), *extra_buyers, *extra_sellers], batch_size=2000)
        named["moderator"].groups.add(moderators_group())
        self.result.users = len(named) + len(extra_buyers) + len(extra_sellers)
        return {
            **named,
            "buyers": [named["buyer"], named["buyer2"], *extra_buyers],
            "seller_owners": [named["seller"], named["seller2"], *extra_sellers],
        }

    def _create_sellers(self, people) -> list[SellerAccount]:
        owners = people["seller_owners"]
        sellers = [SellerAccount(name=self._seller_name(index)) for index in range(len(owners))]
        SellerAccount.objects.bulk_create(sellers)
        memberships = [
            SellerMembership(seller=seller, user=owner, role=SellerMembership.Role.OWNER)
            for seller, owner in zip(sellers, owners, strict=True)
        ]
        memberships.append(
            SellerMembership(seller=sellers[0], user=people["seller_staff"], role=SellerMembership.Role.STAFF)
        )
        SellerMembership.objects.bulk_create(memberships)
        self.result.sellers = len(sellers)
        return sellers

    @staticmethod
    def _seller_name(index: int) -> str:
        names = catalogue.SELLER_NAMES
        return names[index % len(names)] + ("" if index < len(names) else f" #{index // len(names) + 1}")

    def _create_products(self, sellers: list[SellerAccount]) -> dict[int, list[Product]]:
        products = []
        for seller in sellers:
            for index, (title, price) in enumerate(self.rng.sample(catalogue.PRODUCTS, 6)):
                products.append(
                    Product(
                        seller=seller,
                        title=title,
                        sku=f"SKU-{index + 1:02d}-{seller.pk:04d}",
                        price=Decimal(price),
                    )
                )
        Product.objects.bulk_create(products, batch_size=2000)
        by_seller: dict[int, list[Product]] = {}
        for product in products:
            by_seller.setdefault(product.seller_id, []).append(product)
        self.result.products = len(products)
        return by_seller

    # --- orders -----------------------------------------------------------------------

    def _create_orders(self, people, sellers, products) -> None:
        rows = self._showcase_orders(people, sellers, products)
        buyers = people["buyers"]
        weights = [weight for _, weight in LIFECYCLES]
        # One thread per order: large thread counts get extra orders with the demo seller, so that
        # they land in one inbox (the "large seller" the benchmarks measure).
        # (+1: the demo buyer's newest order stays without a thread.)
        extra_for_demo_seller = max(0, self.size.threads - self.size.orders - len(rows) + 1)
        for index in range(self.size.orders + extra_for_demo_seller):
            lifecycle = self.rng.choices([steps for steps, _ in LIFECYCLES], weights)[0]
            placed = self.now - timedelta(days=self.rng.uniform(0.2, 120))
            seller = self.rng.choice(sellers) if index < self.size.orders else sellers[0]
            rows.append(self._order(self.rng.choice(buyers), seller, products, lifecycle, placed))
            if len(rows) >= 20_000:
                self.result.orders += import_orders(rows)
                rows = []
        self.result.orders += import_orders(rows)

    def _create_conversations(self, people, sellers) -> None:
        """Threads on the demo buyer's orders first (all but the newest, which stays free for
        trying "Contact seller"), then on random orders."""
        orders = list(
            Order.objects.only(
                "id", "number", "buyer_id", "seller_id", "placed_at", "carrier", "tracking_number"
            ).order_by("id")
        )
        demo_buyer = people["buyer"].pk
        showcase = sorted((o for o in orders if o.buyer_id == demo_buyer), key=lambda o: o.placed_at)[:-1]
        others = [o for o in orders if o.buyer_id != demo_buyer]
        self.rng.shuffle(others)
        seeder = ConversationSeeder(self.rng, self.now)
        threads, messages = seeder.run(
            showcase + others,
            threads=self.size.threads,
            messages=self.size.messages,
            with_attachments=self.size.threads <= 1000,
        )
        self.result.threads, self.result.messages = threads, messages

    def _showcase_orders(self, people, sellers, products) -> list[ImportedOrder]:
        """The demo buyer has an order in every state with the demo seller, a couple with the other."""
        buyer, seller, seller2 = people["buyer"], sellers[0], sellers[1]
        rows = []
        for days_ago, (steps, _) in zip((1, 3, 6, 12, 40, 25, 30), LIFECYCLES, strict=True):
            rows.append(self._order(buyer, seller, products, steps, self.now - timedelta(days=days_ago)))
        rows.append(self._order(buyer, seller2, products, LIFECYCLES[3][0], self.now - timedelta(days=9)))
        rows.append(
            self._order(people["buyer2"], seller, products, LIFECYCLES[2][0], self.now - timedelta(days=5))
        )
        return rows

    def _order(self, buyer, seller, products, steps, placed_at) -> ImportedOrder:
        history = [(steps[0], placed_at)]
        at = placed_at
        for status in steps[1:]:
            low, high = STEP_DELAY_DAYS[status]
            at = at + timedelta(days=self.rng.uniform(low, high))
            if at >= self.now:
                break  # the order has not got that far yet
            history.append((status, at))
        shipped = any(status == OrderStatus.SHIPPED for status, _ in history)
        carrier = self.rng.choice(catalogue.CARRIERS) if shipped else ""
        chosen = self.rng.sample(products[seller.pk], self.rng.randint(1, 3))
        return ImportedOrder(
            number=self._order_number(),
            buyer=buyer,
            seller=seller,
            items=[LineItem(product=product, quantity=self.rng.randint(1, 3)) for product in chosen],
            history=history,
            carrier=carrier,
            tracking_number=self._tracking_number(carrier) if carrier else "",
        )

    def _order_number(self) -> str:
        while True:
            rng = self.rng
            number = f"{rng.randint(100, 999)}-{rng.randint(0, 9999999):07d}-{rng.randint(0, 9999999):07d}"
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return number

    def _tracking_number(self, carrier: str) -> str:
        digits = lambda n: "".join(self.rng.choice("0123456789") for _ in range(n))  # noqa: E731
        if carrier == "UPS":
            return "1Z" + "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16))
        if carrier == "USPS":
            return "9400" + digits(18)
        if carrier == "FedEx":
            return digits(12)
        return digits(10)


def database_is_empty() -> bool:
    return not User.objects.exists()


def demo_logins() -> list[tuple[str, str]]:
    roles = {
        "buyer": "buyer",
        "buyer2": "business buyer",
        "seller": "seller (owner)",
        "seller_staff": "seller (staff, same shop)",
        "seller2": "another seller",
        "moderator": "moderator",
    }
    return [(catalogue.DEMO_USERS[key][0], role) for key, role in roles.items()]

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import MODERATE_PERMISSION, SellerAccount, User
from apps.accounts.selectors import home_url
from apps.conversations.models import Attachment, Message, Thread
from apps.demo.seed import DemoSeeder, SeedSize
from apps.orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def snapshot():
    return sorted(Order.objects.values_list("number", "buyer__email", "seller__name", "status"))


def wipe():
    from apps.moderation.models import ModerationAction, ReviewItem, StaffRead, Violation
    from apps.sla.models import DeadlineNotice, ResponseClock

    for model in (ModerationAction, ReviewItem, StaffRead, Violation, DeadlineNotice, ResponseClock):
        model.objects.all().delete()
    from apps.aliases.models import Alias

    Attachment.objects.all().delete()
    Message.objects.all().delete()
    Thread.objects.all().delete()
    Alias.objects.all().delete()
    Order.objects.all().delete()
    from apps.orders.models import Product

    Product.objects.all().delete()
    SellerAccount.objects.all().delete()
    User.objects.all().delete()


def test_seed_demo_prints_the_demo_logins_and_they_work(client):
    output = seed()
    for email in (
        "buyer@demo.test",
        "buyer2@demo.test",
        "seller@demo.test",
        "seller2@demo.test",
        "moderator@demo.test",
    ):
        assert email in output
        assert client.login(username=email, password="demo-pass-123")
    assert "demo-pass-123" in output


def test_demo_roles_land_on_their_homes():
    seed()
    assert home_url(User.objects.get(email="buyer@demo.test")) == "/orders/"
    assert home_url(User.objects.get(email="seller@demo.test")) == "/seller/messages/"
    assert home_url(User.objects.get(email="seller.staff@demo.test")) == "/seller/messages/"
    assert User.objects.get(email="moderator@demo.test").has_perm(MODERATE_PERMISSION)


def test_the_demo_buyer_has_an_order_in_every_lifecycle_state_with_the_demo_seller():
    seed()
    statuses = set(
        Order.objects.filter(
            buyer__email="buyer@demo.test", seller__memberships__user__email="seller@demo.test"
        ).values_list("status", flat=True)
    )
    assert statuses >= {
        OrderStatus.PLACED,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.COMPLETED,
        OrderStatus.RETURNED,
        OrderStatus.REFUNDED,
        OrderStatus.CANCELLED,
    }
    assert Order.objects.filter(
        buyer__email="buyer@demo.test", seller__name="Brightside Electronics"
    ).exists()


def test_the_same_seed_gives_the_same_data():
    seed(seed=7)
    first = snapshot()
    wipe()
    seed(seed=7)
    assert snapshot() == first
    wipe()
    seed(seed=8)
    assert snapshot() != first


def test_scale_flags_are_honoured():
    seed(sellers=5, buyers=30, orders=500, threads=120, messages=400)
    assert SellerAccount.objects.count() == 5
    assert User.objects.filter(email__startswith="buyer").count() == 30
    assert Order.objects.count() == 500 + 9  # the showcase orders come on top
    assert Thread.objects.count() == 120
    # ...plus the demo moderator's examples: a held and a reported seller reply.
    assert Message.objects.count() == 400 + 2


def test_more_threads_than_orders_fill_the_demo_sellers_inbox():
    seed(orders=10, threads=300, messages=900)
    assert Thread.objects.count() == 300
    assert Thread.objects.filter(seller__name="Acme Outdoor Gear").count() >= 290


def test_seeded_threads_are_consistent_with_their_messages():
    seed()
    demo_buyer_threads = Thread.objects.filter(buyer__email="buyer@demo.test")
    assert demo_buyer_threads.exists()
    for thread in Thread.objects.prefetch_related("messages"):
        delivered = [m for m in thread.messages.all() if m.state == "delivered"]
        messages = sorted(delivered, key=lambda m: (m.created_at, m.id))
        assert messages[0].side == "buyer"
        last = messages[-1]
        assert thread.last_message_at == last.created_at
        assert thread.last_message_side == last.side
        if last.side == "buyer":
            assert thread.status in {"needs_response", "no_response_needed"}
        else:
            assert thread.status == "responded"
        assert (thread.awaiting_response_since is not None) == (thread.status == "needs_response")
    assert Attachment.objects.exists()


def test_the_demo_moderator_has_a_held_and_a_reported_message_and_the_seller_a_strike():
    from apps.moderation.models import ReviewItem, Violation

    seed()
    assert set(ReviewItem.objects.values_list("kind", flat=True)) == {"held", "reported"}
    assert Violation.objects.filter(seller__name="Acme Outdoor Gear", is_strike=True).count() == 1


def test_if_empty_leaves_existing_data_alone():
    seed()
    count = Order.objects.count()
    assert "not seeding" in seed(if_empty=True)
    assert Order.objects.count() == count


def test_seeding_twice_is_refused_with_a_reason():
    seed()
    with pytest.raises(CommandError, match="empty database"):
        seed()


def test_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match="published password"):
        seed()
    assert not User.objects.exists()


def test_orders_in_the_demo_have_consistent_lifecycles():
    DemoSeeder(SeedSize(orders=200, seed=3)).run()
    for order in Order.objects.prefetch_related("status_changes"):
        steps = [change.to_status for change in order.status_changes.all()]
        assert steps[0] == "placed"
        assert steps[-1] == order.status
        if order.carrier:
            assert order.tracking_number

"""The thread an email belongs to, read in one statement of our own: it must be exactly what the
ORM would have read, relations included, and locked on PostgreSQL."""

import pytest
from django.db import transaction

from apps.conversations.models import Thread
from apps.email_gateway import locked_thread
from apps.notifications.services import buyer_wants_alerts, unsubscribe, unsubscribe_token

pytestmark = pytest.mark.django_db


def values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_thread_and_its_relations_are_what_the_orm_reads(thread, django_assert_num_queries):
    unsubscribe(unsubscribe_token(kind="buyer", target_id=thread.buyer_id, category="message_alerts"))
    expected = Thread.objects.select_related("seller", "buyer", "order", "buyer_alias").get(pk=thread.pk)
    with transaction.atomic():
        loaded = locked_thread.thread_by_id(thread.pk)
    with django_assert_num_queries(0):  # everything posting and the alert read came along
        assert values(loaded) == values(expected)
        for relation in ("seller", "buyer", "order", "buyer_alias"):
            assert values(getattr(loaded, relation)) == values(getattr(expected, relation))
        assert loaded.last_message_at.tzinfo is not None
        assert loaded.order.total == expected.order.total
        assert buyer_wants_alerts(loaded.buyer) is False
    loaded.subject = "Changed"
    loaded.save(update_fields=["subject"])  # a real instance, saved like any other
    assert Thread.objects.get(pk=thread.pk).subject == "Changed"


def test_a_thread_without_an_order_or_alias_and_a_buyer_with_default_alerts(
    buyer, seller, django_assert_num_queries
):
    question = Thread.objects.create(buyer=buyer, seller=seller, topic="product", subject="About the lamp")
    with transaction.atomic():
        loaded = locked_thread.thread_by_id(question.pk)
    with django_assert_num_queries(0):
        assert (loaded.order, loaded.buyer_alias) == (None, None)
        assert buyer_wants_alerts(loaded.buyer) is True


def test_the_buyers_and_sellers_latest_thread_and_nothing_for_an_unknown_one(thread, buyer, seller, order):
    older = Thread.objects.create(buyer=buyer, seller=seller, topic="product", subject="Older")
    Thread.objects.filter(pk=older.pk).update(last_message_at=thread.last_message_at.replace(year=2020))
    with transaction.atomic():
        assert locked_thread.latest_thread(buyer_id=buyer.pk, seller_id=seller.pk).pk == thread.pk
        assert locked_thread.thread_by_id(10**9) is None
        assert locked_thread.latest_thread(buyer_id=buyer.pk, seller_id=10**9) is None


@pytest.mark.django_db(transaction=True)
def test_the_thread_row_is_locked_until_the_email_is_stored(postgres, thread):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import OperationalError, connection

    def lock_from_another_connection():
        try:
            with transaction.atomic():
                Thread.objects.select_for_update(nowait=True).get(pk=thread.pk)
            return "got it"
        except OperationalError:
            return "locked"
        finally:
            connection.close()

    with transaction.atomic():
        locked_thread.thread_by_id(thread.pk)
        with ThreadPoolExecutor(max_workers=1) as pool:
            assert pool.submit(lock_from_another_connection).result() == "locked"
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(lock_from_another_connection).result() == "got it"

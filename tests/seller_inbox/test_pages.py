from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.accounts.services import add_seller_staff
from apps.conversations.models import Thread, ThreadStatus
from tests.conftest import open_thread, reply
from tests.factories import ProductFactory, make_buyer, make_order, make_seller, seller_owner

pytestmark = pytest.mark.django_db


def threads_for(seller, count, *, text="Where is my parcel?"):
    product = ProductFactory(seller=seller)
    threads = []
    for _ in range(count):
        buyer = make_buyer()
        order = make_order(buyer=buyer, seller=seller, products=[product])
        threads.append(open_thread(buyer=buyer, order=order, text=text).message.thread)
    return threads


def test_inbox_lists_first_name_order_topic_excerpt_status_and_age(
    client, seller, seller_user, thread, buyer
):
    client.force_login(seller_user)
    page = client.get(reverse("seller_inbox:inbox")).content.decode()
    assert buyer.first_name in page
    assert buyer.last_name not in page
    assert buyer.email not in page
    assert thread.order.number in page
    assert "Shipping or delivery" in page
    assert "Hello, where is my parcel?" in page
    assert "Needs response" in page


def test_all_staff_of_a_seller_share_the_inbox(client, seller, thread):
    colleague = make_buyer()
    add_seller_staff(seller=seller, user=colleague)
    client.force_login(colleague)
    assert thread.public_id in client.get(reverse("seller_inbox:inbox")).content.decode()


def test_thread_page_shows_the_order_panel_and_which_staff_member_answered(
    client, seller, seller_user, thread
):
    colleague = make_buyer(first_name="Jo")
    add_seller_staff(seller=seller, user=colleague)
    reply(thread=thread, author=colleague, text="On its way!")
    client.force_login(seller_user)
    page = client.get(reverse("seller_inbox:thread", args=[thread.public_id])).content.decode()
    assert "You (Jo)" in page
    assert thread.order.number in page
    assert "1Z999AA10123456784" in page
    assert "Hello, where is my parcel?" in page
    assert thread.buyer.last_name not in page


def test_no_response_needed_is_offered_only_while_a_response_is_due(client, seller_user, thread):
    client.force_login(seller_user)
    url = reverse("seller_inbox:thread", args=[thread.public_id])
    assert ">No response needed</button>" in client.get(url).content.decode()
    reply(thread=thread, author=seller_user)
    assert ">No response needed</button>" not in client.get(url).content.decode()


def test_the_buyer_never_sees_which_staff_member_answered(client, seller, buyer, thread):
    colleague = make_buyer(first_name="Zebediah")
    add_seller_staff(seller=seller, user=colleague)
    reply(thread=thread, author=colleague, text="On its way!")
    client.force_login(buyer)
    page = client.get(reverse("buyer_inbox:thread", args=[thread.public_id])).content.decode()
    assert "On its way!" in page
    assert "Zebediah" not in page


def test_reply_and_no_response_needed_from_the_thread_page(client, seller_user, thread):
    client.force_login(seller_user)
    response = client.post(
        reverse("seller_inbox:thread", args=[thread.public_id]),
        {"body": "It left our warehouse today."},
        follow=True,
    )
    assert "Message sent." in response.content.decode()
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.RESPONDED

    other = threads_for(thread.seller, 1)[0]
    client.post(reverse("seller_inbox:no_response_needed", args=[other.public_id]))
    other.refresh_from_db()
    assert other.status == ThreadStatus.NO_RESPONSE_NEEDED


def test_a_blocked_reply_shows_where_and_keeps_the_text(client, seller_user, thread):
    client.force_login(seller_user)
    text = "Email me at shop.owner@gmail.com for a faster answer"
    response = client.post(reverse("seller_inbox:thread", args=[thread.public_id]), {"body": text})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Your message was not sent" in page
    assert "shop.owner@gmail.com</mark>" in page
    assert f">{text}</textarea>" in page
    assert thread.messages.count() == 1


def test_filters_by_status_topic_order_unread_and_dates(client, seller, seller_user):
    answered, waiting, returns = threads_for(seller, 3)
    reply(thread=answered, author=seller_user)
    returns.topic = "return"
    returns.save(update_fields=["topic"])
    client.force_login(seller_user)

    def listed(**params):
        return {
            thread.public_id
            for thread in client.get(reverse("seller_inbox:inbox"), params).context["page"].items
        }

    assert listed(status="needs_response") == {waiting.public_id, returns.public_id}
    assert listed(status="responded") == {answered.public_id}
    assert listed(topic="return") == {returns.public_id}
    assert listed(order=waiting.order.number) == {waiting.public_id}
    client.get(reverse("seller_inbox:thread", args=[waiting.public_id]))  # read it
    assert listed(unread="1") == {answered.public_id, returns.public_id}
    today = timezone.localdate()
    assert len(listed(**{"from": today.isoformat(), "to": today.isoformat()})) == 3
    assert listed(**{"from": (today + timedelta(days=1)).isoformat()}) == set()
    assert len(listed(**{"from": "not-a-date"})) == 3  # a bad date is ignored, not an error


def test_needs_response_lists_the_longest_waiting_buyer_first(client, seller, seller_user):
    start = timezone.now()
    made = []
    for minutes in (30, 10, 20):
        with time_machine.travel(start - timedelta(minutes=minutes)):
            made.append(threads_for(seller, 1)[0])
    client.force_login(seller_user)
    items = client.get(reverse("seller_inbox:inbox"), {"status": "needs_response"}).context["page"].items
    assert [t.public_id for t in items] == [made[0].public_id, made[2].public_id, made[1].public_id]


def test_search_finds_message_text(client, seller, seller_user):
    charger, _socks = threads_for(seller, 1, text="Does the charger fit model X200?") + threads_for(
        seller, 1, text="The socks are too small"
    )
    client.force_login(seller_user)
    found = client.get(reverse("seller_inbox:inbox"), {"q": "charger"}).context["page"].items
    assert [thread.public_id for thread in found] == [charger.public_id]


def test_search_finds_new_replies_and_forgets_hidden_messages(client, seller, seller_user, moderator):
    from apps.moderation.services import reject, report_message

    thread = threads_for(seller, 1, text="Where is my parcel?")[0]
    answer = reply(
        thread=thread, author=seller_user, text="The courier lost it, we send a replacement."
    ).message
    client.force_login(seller_user)

    def found(q):
        return [
            t.public_id for t in client.get(reverse("seller_inbox:inbox"), {"q": q}).context["page"].items
        ]

    assert found("replacement") == [thread.public_id]
    item = report_message(message=answer, reporter=thread.buyer, reason="other")
    reject(item=item, by=moderator, reason="other")
    assert found("replacement") == []
    assert found("parcel") == [thread.public_id]


def test_sent_lists_threads_the_seller_answered_most_recent_first(client, seller, seller_user):
    first, second, _unanswered = threads_for(seller, 3)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        reply(thread=second, author=seller_user)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        reply(thread=first, author=seller_user)
    client.force_login(seller_user)
    items = client.get(reverse("seller_inbox:sent")).context["page"].items
    assert [thread.public_id for thread in items] == [first.public_id, second.public_id]


def test_inbox_pages_with_a_cursor(client, seller, seller_user):
    made = threads_for(seller, 30)
    client.force_login(seller_user)
    first = client.get(reverse("seller_inbox:inbox")).context["page"]
    second = client.get(reverse("seller_inbox:inbox"), {"after": first.next_cursor}).context["page"]
    seen = [t.public_id for t in first.items + second.items]
    assert sorted(seen) == sorted(t.public_id for t in made)
    assert len(set(seen)) == 30


@pytest.mark.parametrize("who", ["buyer", "foreign_seller", "plain_user"])
def test_every_seller_page_is_404_for_anyone_else(client, thread, who):
    intruder = {
        "buyer": lambda: thread.buyer,
        "foreign_seller": lambda: seller_owner(make_seller()),
        "plain_user": make_buyer,
    }[who]()
    client.force_login(intruder)
    for url in (
        reverse("seller_inbox:thread", args=[thread.public_id]),
        reverse("seller_inbox:thread_updates", args=[thread.public_id]),
        reverse("seller_inbox:attachment", args=[thread.public_id, "nope"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("seller_inbox:no_response_needed", args=[thread.public_id])).status_code == 404
    assert (
        client.post(reverse("seller_inbox:thread", args=[thread.public_id]), {"body": "x"}).status_code == 404
    )
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.NEEDS_RESPONSE
    if who != "foreign_seller":
        assert client.get(reverse("seller_inbox:inbox")).status_code == 404
    else:
        assert thread.public_id not in client.get(reverse("seller_inbox:inbox")).content.decode()


def test_a_thread_with_only_a_held_buyer_message_is_not_in_the_seller_inbox(
    client, seller, seller_user, buyer
):
    from apps.conversations.models import DeliveryState, Message, Side

    order = make_order(buyer=buyer, seller=seller)
    thread = Thread.objects.create(
        buyer=buyer, seller=seller, order=order, topic="other", subject="s", started_by=Side.BUYER
    )
    Message.objects.create(
        thread=thread,
        author=buyer,
        side=Side.BUYER,
        state=DeliveryState.HELD,
        body="held",
        original_body="held",
    )
    client.force_login(seller_user)
    assert thread.public_id not in client.get(reverse("seller_inbox:inbox")).content.decode()
    assert client.get(reverse("seller_inbox:thread", args=[thread.public_id])).status_code == 404


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("params", [{}, {"status": "needs_response"}, {"q": "parcel"}, {"unread": "1"}])
def test_inbox_costs_the_same_queries_for_5_or_50_threads(
    client, seller, seller_user, count, params, django_assert_num_queries
):
    threads_for(seller, count)
    client.force_login(seller_user)
    # session, user, seller account, the page of threads, the header counts (waiting, due soon,
    # late: one query), whether email alerts are on (the banner), membership and permissions.
    with django_assert_num_queries(9):
        response = client.get(reverse("seller_inbox:inbox"), params)
    assert len(response.context["page"].items) == min(count, 25)


@pytest.mark.parametrize("count", [5, 50])
def test_sent_costs_the_same_queries_for_5_or_50_threads(
    client, seller, seller_user, count, django_assert_num_queries
):
    for index, thread in enumerate(threads_for(seller, count)):
        # Personal answers: one text to more than 20 buyers would be held as a mailing.
        reply(thread=thread, author=seller_user, text=f"Your parcel number {index} ships today.")
    client.force_login(seller_user)
    with django_assert_num_queries(7):
        response = client.get(reverse("seller_inbox:sent"))
    assert len(response.context["page"].items) == min(count, 25)


@pytest.mark.parametrize("count", [5, 50])
def test_thread_page_costs_the_same_queries_for_5_or_50_messages(
    client, seller_user, thread, buyer, count, django_assert_num_queries
):
    for index in range(count):
        reply(thread=thread, author=buyer, side="buyer", text=f"Question {index}")
    client.force_login(seller_user)
    # ... plus one for the seller's messaging standing, which decides whether the composer shows.
    with django_assert_num_queries(12):
        response = client.get(reverse("seller_inbox:thread", args=[thread.public_id]))
    assert f"Question {count - 1}" in response.content.decode()

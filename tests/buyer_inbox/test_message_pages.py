import pytest
from django.urls import reverse

from apps.conversations.models import Thread
from tests.conftest import open_thread, reply
from tests.factories import ProductFactory, make_buyer, make_order, make_seller, seller_owner

pytestmark = pytest.mark.django_db


def test_the_order_page_has_contact_seller(client, buyer, order):
    client.force_login(buyer)
    page = client.get(reverse("buyer_inbox:order", args=[order.number])).content.decode()
    assert ">Contact seller</button>" in page


def test_contact_seller_opens_a_composer_with_topic_message_attachments_and_send(client, buyer, order):
    client.force_login(buyer)
    page = client.get(reverse("buyer_inbox:contact_seller", args=[order.number])).content.decode()
    for label in (">Topic</label>", ">Message</label>", ">Attachments</label>", ">Send</button>"):
        assert label in page
    for topic in ("Shipping or delivery", "Return or refund", "Product question", "Other"):
        assert topic in page


def test_sending_from_the_composer_starts_the_thread_and_shows_it(client, buyer, order):
    client.force_login(buyer)
    response = client.post(
        reverse("buyer_inbox:contact_seller", args=[order.number]),
        {"topic": "shipping", "body": "Has my parcel left the warehouse?"},
        follow=True,
    )
    thread = Thread.objects.get()
    assert response.redirect_chain[-1][0] == reverse("buyer_inbox:thread", args=[thread.public_id])
    page = response.content.decode()
    assert "Has my parcel left the warehouse?" in page
    assert "Message sent." in page


def test_a_topic_is_required_and_the_text_survives(client, buyer, order):
    client.force_login(buyer)
    response = client.post(
        reverse("buyer_inbox:contact_seller", args=[order.number]), {"topic": "", "body": "Where is it?"}
    )
    assert response.status_code == 422
    assert "Where is it?" in response.content.decode()
    assert not Thread.objects.exists()


def test_a_blocked_message_shows_what_was_found_and_keeps_the_text(client, buyer, order):
    client.force_login(buyer)
    text = "Give me 5 stars? No wait, I mean: I will leave a 5-star review if you refund me."
    response = client.post(
        reverse("buyer_inbox:contact_seller", args=[order.number]), {"topic": "other", "body": text}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Your message was not sent" in page
    assert '<mark class="finding"' in page
    assert "I will leave a 5-star review if you refund me.</textarea>" in page
    assert not Thread.objects.exists()


def test_message_text_is_plain_text_never_html(client, buyer, order):
    open_thread(buyer=buyer, order=order, text="<script>alert(1)</script>\nsecond line")
    thread = Thread.objects.get()
    client.force_login(buyer)
    page = client.get(reverse("buyer_inbox:thread", args=[thread.public_id])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>second line" in page


def test_your_messages_lists_threads_across_sellers_with_unread_marked(client, buyer, seller):
    other = make_seller()
    first = open_thread(buyer=buyer, order=make_order(buyer=buyer, seller=seller)).message.thread
    second = open_thread(buyer=buyer, order=make_order(buyer=buyer, seller=other)).message.thread
    reply(thread=second, author=seller_owner(other), text="It ships on Monday.")
    client.force_login(buyer)
    page = client.get(reverse("buyer_inbox:threads")).content.decode()
    assert page.index(second.public_id) < page.index(first.public_id)
    assert "1 new" in page
    assert "It ships on Monday." in page


def test_opening_a_thread_marks_it_read(client, buyer, thread, seller_user):
    reply(thread=thread, author=seller_user)
    client.force_login(buyer)
    client.get(reverse("buyer_inbox:thread", args=[thread.public_id]))
    thread.refresh_from_db()
    assert thread.buyer_unread == 0


def test_replying_in_the_thread(client, buyer, thread):
    client.force_login(buyer)
    client.post(reverse("buyer_inbox:thread", args=[thread.public_id]), {"body": "Any update?"})
    assert thread.messages.filter(body="Any update?").exists()


def test_live_updates_return_only_newer_messages(client, buyer, thread, seller_user):
    first = thread.messages.get()
    answer = reply(thread=thread, author=seller_user, text="Shipped today.").message
    client.force_login(buyer)
    url = reverse("buyer_inbox:thread_updates", args=[thread.public_id])
    page = client.get(url, {"after": first.public_id}).content.decode()
    assert "Shipped today." in page
    assert f"after={answer.public_id}" in page
    assert "Shipped today." not in client.get(url, {"after": answer.public_id}).content.decode()


def test_the_draft_check_explains_what_would_happen(client, buyer):
    client.force_login(buyer)
    response = client.post(reverse("buyer_inbox:check_draft"), {"body": "call me at +1 415 555 2671"})
    assert "would be removed" in response.content.decode()
    clean = client.post(reverse("buyer_inbox:check_draft"), {"body": "Is the blue one in stock?"})
    assert "Nothing in this draft breaks the messaging rules." in clean.content.decode()


@pytest.mark.parametrize("who", ["foreign_buyer", "foreign_seller", "own_seller"])
def test_every_buyer_conversation_page_is_404_for_anyone_else(client, thread, order, who):
    intruder = {
        "foreign_buyer": make_buyer,
        "foreign_seller": lambda: seller_owner(make_seller()),
        "own_seller": lambda: seller_owner(thread.seller),  # sellers use their own pages
    }[who]()
    client.force_login(intruder)
    urls = [
        reverse("buyer_inbox:order", args=[order.number]),
        reverse("buyer_inbox:contact_seller", args=[order.number]),
        reverse("buyer_inbox:thread", args=[thread.public_id]),
        reverse("buyer_inbox:thread_updates", args=[thread.public_id]),
        reverse("buyer_inbox:attachment", args=[thread.public_id, "nope"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("buyer_inbox:thread", args=[thread.public_id]), {"body": "hi"}).status_code == 404
    )
    assert thread.messages.count() == 1


@pytest.mark.parametrize("count", [5, 50])
def test_your_messages_costs_the_same_queries_for_5_or_50_threads(
    client, buyer, count, django_assert_num_queries
):
    seller = make_seller()
    product = ProductFactory(seller=seller)
    for _ in range(count):
        open_thread(buyer=buyer, order=make_order(buyer=buyer, seller=seller, products=[product]))
    client.force_login(buyer)
    with django_assert_num_queries(6):
        response = client.get(reverse("buyer_inbox:threads"))
    assert len(response.context["page"].items) == min(count, 25)


@pytest.mark.parametrize("count", [5, 50])
def test_the_thread_page_costs_the_same_queries_for_5_or_50_messages(
    client, buyer, thread, seller_user, count, django_assert_num_queries
):
    for index in range(count):
        reply(thread=thread, author=seller_user, text=f"Update number {index}")
    client.force_login(buyer)
    with django_assert_num_queries(10):
        response = client.get(reverse("buyer_inbox:thread", args=[thread.public_id]))
    assert f"Update number {count - 1}" in response.content.decode()

import json

import pytest
from django.urls import reverse

from apps.conversations.models import DeliveryState
from apps.moderation.models import ReviewItem, StaffRead
from tests.conftest import reply
from tests.factories import make_buyer, make_seller, seller_owner

pytestmark = pytest.mark.django_db


def moderation_urls(item, thread):
    return [
        ("get", reverse("moderation:queue")),
        ("get", reverse("moderation:item", args=[item.pk])),
        ("post", reverse("moderation:decide", args=[item.pk, "release"])),
        ("post", reverse("moderation:decide", args=[item.pk, "reject"])),
        ("post", reverse("moderation:bulk")),
        ("get", reverse("moderation:seller", args=[item.seller.public_id])),
        ("get", reverse("moderation:record", args=[thread.public_id])),
        ("get", reverse("moderation:record_json", args=[thread.public_id])),
    ]


@pytest.mark.parametrize("who", ["buyer", "seller", "staff_without_permission"])
def test_every_moderation_page_is_404_for_non_moderators(client, held_item, thread, who):
    user = {
        "buyer": lambda: thread.buyer,
        "seller": lambda: seller_owner(thread.seller),
        "staff_without_permission": lambda: make_buyer(is_staff=True),
    }[who]()
    client.force_login(user)
    for method, url in moderation_urls(held_item, thread):
        assert getattr(client, method)(url).status_code == 404, url
    held_item.refresh_from_db()
    assert held_item.is_open
    assert not StaffRead.objects.exists()


def test_the_queue_shows_held_messages_oldest_first_with_filters(client, moderator, held_item):
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert f"#{held_item.pk}" in page
    assert "We can sort this out" in page
    assert held_item.pk in [
        i.pk for i in client.get(reverse("moderation:queue"), {"category": "abuse"}).context["page"].items
    ]
    assert client.get(reverse("moderation:queue"), {"category": "phone"}).context["page"].items == []
    assert client.get(reverse("moderation:queue"), {"source": "email"}).context["page"].items == []
    assert client.get(reverse("moderation:queue"), {"older_than_hours": "5"}).context["page"].items == []
    other_seller = make_seller()
    assert (
        client.get(reverse("moderation:queue"), {"seller": str(other_seller.public_id)}).context["page"].items
        == []
    )


def test_the_item_page_highlights_findings_and_logs_the_read(client, moderator, held_item):
    client.force_login(moderator)
    page = client.get(reverse("moderation:item", args=[held_item.pk])).content.decode()
    assert '<mark class="finding" data-category="abuse"' in page
    assert "Sender&#x27;s history" in page or "Sender's history" in page
    read = StaffRead.objects.get()
    assert read.user == moderator
    assert read.thread == held_item.message.thread


def test_a_moderator_releases_from_the_item_page_and_the_buyer_sees_it(client, moderator, held_item, buyer):
    client.force_login(moderator)
    client.post(reverse("moderation:decide", args=[held_item.pk, "release"]))
    held_item.refresh_from_db()
    assert held_item.decision == "release"
    client.force_login(buyer)
    page = client.get(
        reverse("buyer_inbox:thread", args=[held_item.message.thread.public_id])
    ).content.decode()
    assert "We can sort this out" in page


def test_bulk_reject_asks_for_confirmation_first(client, moderator, held_item):
    client.force_login(moderator)
    data = {"items": [held_item.pk], "action": "reject", "reason": "marketing"}
    confirm = client.post(reverse("moderation:bulk"), data)
    assert "Reject 1 message?" in confirm.content.decode()
    held_item.refresh_from_db()
    assert held_item.is_open
    client.post(reverse("moderation:bulk"), {**data, "confirm": "on"})
    held_item.refresh_from_db()
    assert held_item.decision == "reject"
    assert held_item.message.state == DeliveryState.REJECTED


def test_the_dispute_record_holds_everything_and_its_reading_is_logged(
    client, moderator, thread, seller_user
):
    reply(thread=thread, author=seller_user, text="It ships tomorrow.")
    client.force_login(moderator)
    response = client.get(reverse("moderation:record_json", args=[thread.public_id]))
    record = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment;")
    assert [m["body_as_written"] for m in record["messages"]] == [
        "Hello, where is my parcel?",
        "It ships tomorrow.",
    ]
    assert record["messages"][0]["policy_verdict"]["action"] == "allow"
    assert {"created_at", "state", "moderation", "attachments"} <= set(record["messages"][0])
    printable = client.get(reverse("moderation:record", args=[thread.public_id])).content.decode()
    assert "It ships tomorrow." in printable
    assert StaffRead.objects.filter(thread=thread).count() == 2


def test_a_buyer_reports_a_seller_message(client, buyer, thread, seller_user):
    answer = reply(thread=thread, author=seller_user, text="Whatever.").message
    client.force_login(buyer)
    url = reverse("buyer_inbox:report", args=[thread.public_id, answer.public_id])
    response = client.post(url, {"reason": "abusive", "note": "Rude"}, follow=True)
    assert "Our team will review this message." in response.content.decode()
    item = ReviewItem.objects.get(kind="reported")
    assert item.reported_by == buyer
    own = thread.messages.filter(side="buyer").first()
    assert (
        client.get(reverse("buyer_inbox:report", args=[thread.public_id, own.public_id])).status_code == 404
    )


def test_moderators_set_a_sellers_standing_with_a_reason(client, moderator, seller):
    client.force_login(moderator)
    url = reverse("moderation:seller", args=[seller.public_id])
    response = client.post(url, {"standing": "restricted", "reason": "Spam wave"})
    assert "Say for how many days" in response.content.decode()
    client.post(url, {"standing": "restricted", "days": "3", "reason": "Spam wave"})
    seller.refresh_from_db()
    assert seller.messaging_standing() == "restricted"


def test_the_seller_sees_their_messaging_health(client, seller, seller_user, thread):
    from apps.conversations.exceptions import MessageBlocked

    with pytest.raises(MessageBlocked):
        reply(thread=thread, author=seller_user, text="Write to me at shop.owner@gmail.com")
    client.force_login(seller_user)
    page = client.get(reverse("seller_inbox:messaging_health")).content.decode()
    assert "In good standing" in page
    assert "an email address" in page
    assert "Strikes in the last 30 days: <strong>1</strong>" in page


def test_admin_shows_threads_read_only_and_logs_the_read(client, moderator, thread):
    client.force_login(moderator)
    response = client.get(reverse("admin:conversations_thread_change", args=[thread.pk]))
    assert response.status_code == 200
    assert StaffRead.objects.filter(thread=thread, where="admin").exists()
    assert (
        client.get(reverse("admin:conversations_message_delete", args=[thread.messages.get().pk])).status_code
        == 403
    )


def test_a_hidden_message_can_no_longer_be_reported_or_its_files_downloaded(
    client, buyer, thread, seller_user, moderator
):
    from apps.moderation.services import reject, report_message

    answer = reply(thread=thread, author=seller_user, text="Whatever.").message
    reject(
        item=report_message(message=answer, reporter=buyer, reason="abusive"), by=moderator, reason="abuse"
    )
    client.force_login(buyer)
    assert (
        client.get(reverse("buyer_inbox:report", args=[thread.public_id, answer.public_id])).status_code
        == 404
    )
    page = client.get(reverse("buyer_inbox:thread", args=[thread.public_id])).content.decode()
    assert "Whatever." not in page


def test_bad_queue_filters_are_ignored_not_errors(client, moderator, held_item):
    client.force_login(moderator)
    assert (
        client.get(reverse("moderation:queue"), {"seller": "abc", "older_than_hours": "x"}).status_code == 200
    )

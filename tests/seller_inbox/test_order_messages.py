from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.accounts.services import set_unsolicited_opt_out
from apps.conversations.models import Message, SavedTemplate
from tests.factories import make_buyer, make_order, make_seller, seller_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(buyer, seller):
    return make_order(buyer=buyer, seller=seller, status="delivered")


def url(order):
    return reverse("seller_inbox:order_message", args=[order.number])


def test_the_order_view_offers_a_composer_with_reason_important_and_templates(client, seller_user, delivered):
    client.force_login(seller_user)
    page = client.get(url(delivered)).content.decode()
    for label in (
        ">Reason</label>",
        ">Mark as Important</label>",
        ">Message</label>",
        ">Attachments</label>",
        ">Send</button>",
        "Start from a template",
        ">Request a review</h2>",
    ):
        assert label in page
    assert SavedTemplate.objects.filter(seller=delivered.seller).count() == 4  # the starter templates


def test_sending_from_the_order_view(client, seller_user, delivered):
    client.force_login(seller_user)
    response = client.post(
        url(delivered), {"reason": "setup", "body": "Tip: charge it fully before first use."}
    )
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.kind == "proactive"
    assert message.thread.started_by == "seller"


def test_after_30_days_the_reason_replaces_the_send_button(client, seller_user, delivered):
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        client.force_login(seller_user)
        page = client.get(url(delivered)).content.decode()
    assert "until 30 days after delivery" in page
    assert ">Send</button>" not in page


def test_an_opted_out_buyer_is_explained_and_important_remains(client, seller_user, delivered, buyer):
    set_unsolicited_opt_out(buyer=buyer, opted_out=True)
    client.force_login(seller_user)
    page = client.get(url(delivered)).content.decode()
    assert "doesn&#x27;t want unsolicited messages" in page
    assert ">Send</button>" in page  # for an Important message
    response = client.post(url(delivered), {"reason": "setup", "body": "Setup tips"})
    assert response.status_code == 422
    assert "doesn&#x27;t want unsolicited messages" in response.content.decode()
    assert not Message.objects.exists()


def test_a_template_fills_the_composer_with_the_orders_details(client, seller_user, delivered, buyer):
    client.force_login(seller_user)
    client.get(url(delivered))
    template = SavedTemplate.objects.get(name="Shipping update")
    page = client.get(url(delivered), {"template": template.pk}).content.decode()
    assert f"Hello {buyer.first_name}," in page
    assert delivered.number in page
    assert "1Z999AA10123456784" in page


def test_an_unknown_placeholder_is_a_form_error(client, seller_user):
    client.force_login(seller_user)
    response = client.post(reverse("seller_inbox:templates"), {"name": "Oops", "body": "Hi {first_name}!"})
    assert "Unknown placeholder(s): first_name" in response.content.decode()
    assert not SavedTemplate.objects.filter(name="Oops").exists()


def test_templates_are_scanned_when_saved(client, seller_user):
    client.force_login(seller_user)
    response = client.post(
        reverse("seller_inbox:templates"),
        {"name": "Reviews", "body": "Please leave us a 5 star review, {buyer_first_name}!"},
    )
    assert "breaks the messaging rules" in response.content.decode()
    assert not SavedTemplate.objects.filter(name="Reviews").exists()


def test_template_preview_against_a_real_order(client, seller_user, delivered, buyer):
    client.force_login(seller_user)
    client.get(reverse("seller_inbox:templates"))
    template = SavedTemplate.objects.get(name="Check-in after delivery")
    page = client.get(reverse("seller_inbox:template", args=[template.pk]), {"order": delivered.number})
    assert f"Hello {buyer.first_name}," in page.content.decode()


def test_request_a_review_from_the_order_view(client, seller_user, delivered):
    client.force_login(seller_user)
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        client.post(reverse("seller_inbox:request_review", args=[delivered.number]))
        page = client.get(url(delivered)).content.decode()
    assert Message.objects.get().kind == "review_request"
    assert "can be requested once" in page


@pytest.mark.parametrize("who", ["foreign_seller", "buyer"])
def test_the_order_view_and_templates_are_404_for_others(client, delivered, who):
    intruder = seller_owner(make_seller()) if who == "foreign_seller" else delivered.buyer
    client.force_login(intruder)
    assert client.get(url(delivered)).status_code == 404
    assert client.post(reverse("seller_inbox:request_review", args=[delivered.number])).status_code == 404
    template = SavedTemplate.objects.create(seller=delivered.seller, name="x", body="y")
    assert client.get(reverse("seller_inbox:template", args=[template.pk])).status_code == 404


def test_buyers_switch_unsolicited_messages_off_and_on(client, buyer, thread):
    client.force_login(buyer)
    settings_url = reverse("buyer_inbox:communication")
    assert "Don&#x27;t send me unsolicited messages from sellers" in client.get(settings_url).content.decode()
    client.post(settings_url, {"unsolicited_opt_out": "on"})
    buyer.refresh_from_db()
    assert buyer.unsolicited_opt_out
    client.post(settings_url, {})
    buyer.refresh_from_db()
    assert not buyer.unsolicited_opt_out
    opt_out_url = reverse("buyer_inbox:seller_opt_out", args=[thread.seller.public_id])
    client.post(opt_out_url, {"opt_out": "1"})
    assert buyer.seller_opt_outs.filter(seller=thread.seller).exists()
    stranger = make_seller()
    assert (
        client.post(
            reverse("buyer_inbox:seller_opt_out", args=[stranger.public_id]), {"opt_out": "1"}
        ).status_code
        == 404
    )
    assert make_buyer().seller_opt_outs.count() == 0


def test_a_suspended_seller_sees_why_instead_of_a_send_button(client, seller, seller_user, thread, moderator):
    from apps.accounts.services import change_messaging_standing

    change_messaging_standing(seller=seller, standing="suspended", reason="spam wave", by=moderator)
    client.force_login(seller_user)
    page = client.get(reverse("seller_inbox:thread", args=[thread.public_id])).content.decode()
    assert "Your messaging is suspended (spam wave)" in page
    assert ">Send</button>" not in page


def test_template_names_are_unique_per_seller_and_formats_are_refused(client, seller_user):
    client.force_login(seller_user)
    client.post(reverse("seller_inbox:templates"), {"name": "Thanks", "body": "Thanks {buyer_first_name}"})
    again = client.post(reverse("seller_inbox:templates"), {"name": "thanks", "body": "Hi"})
    assert "already have a template with this name" in again.content.decode()
    huge = client.post(
        reverse("seller_inbox:templates"), {"name": "Huge", "body": "{order_number:>999999999}"}
    )
    assert "with a format" in huge.content.decode()
    assert not SavedTemplate.objects.filter(name="Huge").exists()


def test_silly_inbox_parameters_do_not_break_the_page(client, seller_user, thread):
    client.force_login(seller_user)
    for params in (
        {"to": "9999-12-31"},
        {"after": "W251bGwsIDFd"},
        {"status": "nope"},
        {"from": "2026-13-45"},
    ):
        assert client.get(reverse("seller_inbox:inbox"), params).status_code == 200

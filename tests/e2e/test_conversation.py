"""The heart of the product in a real browser: a buyer asks, the seller answers, the buyer reads."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import make_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_buyer_contacts_seller_seller_replies_buyer_reads(page, buyer, seller, seller_user, password):
    order = make_order(buyer=buyer, seller=seller, status="shipped")

    log_in(page, buyer.email, password)
    page.get_by_role("link", name=f"Order {order.number}").click()
    page.get_by_role("button", name="Contact seller").click()
    page.get_by_label("Topic").select_option(label="Shipping or delivery")
    page.get_by_label("Message", exact=True).fill("Hi! Has my parcel left the warehouse yet?")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Message sent.")).to_be_visible()
    expect(page.get_by_text("Has my parcel left the warehouse yet?")).to_be_visible()
    log_out(page)

    log_in(page, seller_user.email, password)
    expect(page.get_by_role("heading", name="Buyer messages")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=order.number)
    expect(row).to_contain_text("Needs response")
    row.get_by_role("link", name=buyer.first_name).click()
    expect(page.get_by_text("Has my parcel left the warehouse yet?")).to_be_visible()
    page.get_by_label("Message", exact=True).fill(
        "Yes, it left today with UPS. It should arrive on Thursday."
    )
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Message sent.")).to_be_visible()
    log_out(page)

    log_in(page, buyer.email, password)
    page.get_by_role("link", name="Your messages").click()
    expect(page.get_by_text("1 new")).to_be_visible()
    page.get_by_role("link", name=seller.name).click()
    expect(page.get_by_text("It should arrive on Thursday.")).to_be_visible()


def test_a_blocked_message_shows_its_reason_and_keeps_the_typed_text(page, buyer, seller, password):
    order = make_order(buyer=buyer, seller=seller, status="delivered")
    text = "Great item! I will give you 5 stars if you send me a $20 gift card."

    log_in(page, buyer.email, password)
    page.goto(f"/orders/{order.number}/contact/")
    page.get_by_label("Topic").select_option(label="Other")
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", name="Your message was not sent")).to_be_visible()
    expect(page.locator("mark.finding").first).to_be_visible()
    expect(page.get_by_label("Message", exact=True)).to_have_value(text)


def test_the_composer_warns_while_typing(page, buyer, seller, password):
    order = make_order(buyer=buyer, seller=seller, status="delivered")
    log_in(page, buyer.email, password)
    page.goto(f"/orders/{order.number}/contact/")
    page.get_by_label("Message", exact=True).press_sequentially(
        "You can reach me at +1 415 555 2671", delay=5
    )
    expect(page.locator("#policy-check")).to_contain_text("would be removed", timeout=10_000)

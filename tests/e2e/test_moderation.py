"""A seller's phone number is blocked, a borderline message is held, a moderator releases it,
and the buyer reads it."""

import pytest
from playwright.sync_api import expect

from tests.conftest import open_thread
from tests.e2e.conftest import log_in
from tests.factories import make_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BORDERLINE = "If you open another case about this, you will regret this."


def test_blocked_held_released_and_read(page, buyer, seller, seller_user, moderator, password):
    thread = open_thread(
        buyer=buyer,
        order=make_order(buyer=buyer, seller=seller, status="delivered"),
        text="The handle broke after one day.",
    ).message.thread

    log_in(page, seller_user.email, password)
    page.goto(f"/seller/messages/{thread.public_id}/")
    page.get_by_label("Message", exact=True).fill("Call me on +44 7700 900123 and we'll sort it out.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Your message was not sent")).to_be_visible()
    expect(page.locator("mark.finding")).to_contain_text("7700 900123")

    page.get_by_label("Message", exact=True).fill(BORDERLINE)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("being reviewed by our team")).to_be_visible()
    expect(page.get_by_text("Under review", exact=True)).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, moderator.email, password)
    expect(page.get_by_role("heading", name="Moderation queue")).to_be_visible()
    page.get_by_role("link", name="Held by the filter").first.click()
    expect(page.locator("mark.finding").first).to_be_visible()
    page.get_by_role("button", name="Release").click()
    expect(page.get_by_text("release done")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, buyer.email, password)
    page.goto(f"/messages/{thread.public_id}/")
    expect(page.get_by_text(BORDERLINE)).to_be_visible()
    expect(page.get_by_text("Call me on")).to_have_count(0)

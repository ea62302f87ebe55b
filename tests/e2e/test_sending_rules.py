"""A seller writes to a buyer who opted out: refused with the reason; sent as Important for a
recall, it reaches the buyer, marked Important."""

import pytest
from playwright.sync_api import expect

from apps.accounts.services import set_unsolicited_opt_out
from tests.e2e.conftest import log_in
from tests.factories import make_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECALL = "Recall notice: please stop using the charger from this order; a free replacement is on its way."


def test_opted_out_buyer_gets_only_the_important_recall(page, buyer, seller, seller_user, password):
    order = make_order(buyer=buyer, seller=seller, status="delivered")
    set_unsolicited_opt_out(buyer=buyer, opted_out=True)

    log_in(page, seller_user.email, password)
    page.goto(f"/seller/orders/{order.number}/message/")
    expect(page.get_by_text("doesn't want unsolicited messages").first).to_be_visible()
    page.get_by_label("Reason").select_option(label="Product setup or usage instructions")
    page.get_by_label("Message", exact=True).fill("Some tips for setting up your new lamp.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert").filter(has_text="doesn't want unsolicited messages")).to_be_visible()

    page.get_by_label("Mark as Important").select_option(label="Product recall")
    page.get_by_label("Message", exact=True).fill(RECALL)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Message sent.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, buyer.email, password)
    page.get_by_role("link", name="Your messages").click()
    page.get_by_role("link", name=seller.name).click()
    message = page.locator(".message.is-important")
    expect(message).to_contain_text(RECALL)
    expect(message.get_by_text("Important", exact=True)).to_be_visible()

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import make_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buyer_logs_in_and_opens_an_order(page, buyer, seller, password):
    order = make_order(buyer=buyer, seller=seller, status="shipped")

    log_in(page, buyer.email, password)

    expect(page.get_by_role("heading", name="Your orders")).to_be_visible()
    page.get_by_role("link", name=f"Order {order.number}").click()
    expect(page.get_by_role("heading", name=f"Order {order.number}")).to_be_visible()
    expect(page.get_by_text(seller.name).first).to_be_visible()
    expect(page.get_by_text("Shipped").first).to_be_visible()


def test_a_wrong_password_is_explained_on_the_page(page, buyer):
    log_in(page, buyer.email, "wrong-password")
    expect(page.get_by_role("alert")).to_contain_text("correct email address and password")
    expect(page.get_by_label("Email address")).to_have_value(buyer.email)

import pytest
from django.urls import reverse

from tests.factories import make_buyer

pytestmark = pytest.mark.django_db


def log_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_login_page_has_the_named_fields_and_button(client):
    page = client.get(reverse("login")).content.decode()
    assert 'name="username"' in page
    assert 'name="password"' in page
    assert ">Log in</button>" in page


@pytest.mark.parametrize(
    ("who", "home"),
    [("buyer", "/orders/"), ("seller_user", "/seller/messages/"), ("moderator", "/moderation/")],
)
def test_login_lands_on_the_users_home(client, request, password, who, home):
    user = request.getfixturevalue(who)
    response = log_in(client, user.email, password)
    assert response.status_code == 302
    assert response["Location"] == home
    assert client.get(home).status_code == 200


def test_login_accepts_the_email_in_any_case(client, buyer, password):
    response = log_in(client, buyer.email.upper(), password)
    assert response.status_code == 302


def test_wrong_password_shows_an_error_and_keeps_the_email(client, buyer):
    response = log_in(client, buyer.email, "not-the-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "enter a correct email address and password" in page
    assert f'value="{buyer.email}"' in page


def test_next_parameter_is_honoured(client, buyer, password):
    response = client.post(
        reverse("login") + "?next=/orders/",
        {"username": buyer.email, "password": password, "next": "/orders/"},
    )
    assert response["Location"] == "/orders/"


def test_home_sends_anonymous_visitors_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_needs_post_and_ends_the_session(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("buyer_inbox:orders")).status_code == 302


def test_seller_and_moderation_pages_are_404_for_buyers(client):
    client.force_login(make_buyer())
    assert client.get(reverse("seller_inbox:inbox")).status_code == 404
    assert client.get(reverse("moderation:queue")).status_code == 404


def test_moderation_is_404_for_staff_without_the_permission(client, seller_user):
    seller_user.is_staff = True
    seller_user.save()
    client.force_login(seller_user)
    assert client.get(reverse("moderation:queue")).status_code == 404

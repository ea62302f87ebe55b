import os
from contextlib import contextmanager

import pytest

from tests.factories import PASSWORD, make_buyer, make_moderator, make_order, make_seller, seller_owner

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip when a real part (browser, broker, PostgreSQL) is missing; under CI=true, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must run this test, but {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def fast_fingers(settings):
    """Tests build conversations faster than any person types; tests of the rate limits set them."""
    settings.MESSAGING = {
        **settings.MESSAGING,
        "SENDING": {"RATE_PER_MINUTE": 10_000, "RATE_PER_DAY": 100_000},
    }


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def buyer(db):
    # A last name no generated person has (Faker's include Morgan), so that "not on the seller's
    # page" can only fail for the buyer's own.
    return make_buyer(first_name="Alex", last_name="Quernsworth")


@pytest.fixture
def seller(db):
    return make_seller(name="Acme Outdoor Gear")


@pytest.fixture
def seller_user(seller):
    return seller_owner(seller)


@pytest.fixture
def other_seller(db):
    return make_seller(name="Somebody Else Ltd")


@pytest.fixture
def moderator(db):
    return make_moderator()


@pytest.fixture
def order(buyer, seller):
    return make_order(buyer=buyer, seller=seller, status="delivered")


@pytest.fixture
def postgres(settings):
    require(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "DATABASE_URL is not PostgreSQL",
    )


@contextmanager
def celery_config(**values):
    """Change Celery settings for one test (monkeypatch can't undo Celery's settings object)."""
    from messaging_center.celery import app

    saved = {key: app.conf[key] for key in values}
    app.conf.update(values)
    try:
        yield app.conf
    finally:
        app.conf.update(saved)


@pytest.fixture
def thread(buyer, order):
    """A conversation the buyer started about their delivered order."""
    return open_thread(buyer=buyer, order=order, text="Hello, where is my parcel?").message.thread


def open_thread(*, buyer, order, text="Hi, I have a question about my order.", topic="shipping"):
    from apps.conversations.services import contact_seller

    return contact_seller(buyer=buyer, order=order, topic=topic, body=text)


def reply(*, thread, author, side="seller", text="Thanks for your message, it ships tomorrow."):
    from apps.conversations.services import post_reply

    return post_reply(thread=thread, author=author, side=side, body=text)

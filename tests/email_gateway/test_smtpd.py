"""The seller answers an alert over a real SMTP socket and the answer lands in the thread."""

import smtplib
import socket

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse

from apps.conversations.models import Thread
from apps.email_gateway.models import OutboxEmail
from apps.email_gateway.smtp import GatewayHandler
from apps.notifications.services import seller_settings
from tests.conftest import open_thread

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    port = free_port()
    controller = Controller(
        GatewayHandler(per_minute=5), hostname="127.0.0.1", port=port, data_size_limit=1024 * 1024
    )
    controller.start()
    yield port
    controller.stop()


def test_a_reply_over_smtp_lands_in_the_thread_with_quotes_stripped(
    smtp_server, client, buyer, order, seller, seller_user
):
    alert = seller_settings(seller)
    alert.buyer_messages = True
    alert.save()
    client.force_login(buyer)
    client.post(
        reverse("buyer_inbox:contact_seller", args=[order.number]),
        {"topic": "other", "body": "Does it come with a case?"},
    )
    thread = Thread.objects.get()
    reply_to = OutboxEmail.objects.get().headers["Reply-To"]
    body = (
        f"From: {seller_user.email}\nTo: {reply_to}\nSubject: Re: question\nMessage-ID: <smtp1@shop.example>\n\n"
        "Yes, a hard case.\n\nOn Mon, Alex wrote:\n> Does it come with a case?\n"
    )
    with smtplib.SMTP("127.0.0.1", smtp_server, timeout=10) as client_socket:
        client_socket.sendmail(seller_user.email, [reply_to], body.encode())
    latest = thread.messages.order_by("-id").first()
    assert latest.body == "Yes, a hard case."
    assert latest.side == "seller"


@pytest.mark.parametrize(
    ("to", "text"),
    [
        ("Alex <{alias}>", "The blue one ships on Monday.\n\n--\nAcme Outdoor Gear"),
        # A Bcc: the alias is only in the envelope (RCPT TO), in no header.
        ("undisclosed-recipients:;", "The blue one ships on Monday."),
    ],
)
def test_a_seller_writing_straight_to_the_alias_over_smtp_lands_in_the_thread(
    smtp_server, buyer, order, seller_user, to, text
):
    thread = open_thread(buyer=buyer, order=order, text="Is the blue one in stock?").message.thread
    alias = thread.buyer_alias.address
    body = (
        f"From: Shop <{seller_user.email}>\nTo: {to.format(alias=alias)}\nSubject: Your order {order.number}\n"
        f"Message-ID: <smtp2@shop.example>\n\n{text}\n"
    )
    with smtplib.SMTP("127.0.0.1", smtp_server, timeout=10) as client_socket:
        client_socket.sendmail(seller_user.email, [alias], body.encode())
    latest = thread.messages.order_by("-id").first()
    assert latest.body == "The blue one ships on Monday."
    assert latest.side == "seller"


def test_unknown_recipients_are_refused_at_rcpt(smtp_server):
    with smtplib.SMTP("127.0.0.1", smtp_server, timeout=10) as client:
        client.ehlo()
        client.mail("someone@example.com")
        code, _ = client.rcpt("nobody@messages.localhost")
    assert code == 550


def test_oversized_mail_is_refused_at_data(smtp_server, buyer, order):
    thread = open_thread(buyer=buyer, order=order).message.thread
    with (
        smtplib.SMTP("127.0.0.1", smtp_server, timeout=10) as client,
        pytest.raises(smtplib.SMTPException) as error,
    ):
        client.sendmail(
            "a@shop.example", [thread.buyer_alias.address], b"Subject: big\n\n" + b"x" * (2 * 1024 * 1024)
        )
    assert "552" in str(error.value) or "too" in str(error.value).lower()


def test_a_sender_sending_too_fast_is_told_to_retry_later(smtp_server, buyer, order):
    thread = open_thread(buyer=buyer, order=order).message.thread
    codes = []
    with smtplib.SMTP("127.0.0.1", smtp_server, timeout=10) as client:
        client.ehlo()
        for _ in range(7):
            codes.append(client.mail("flood@shop.example")[0])
            client.rset()
    assert codes[:5] == [250] * 5
    assert 451 in codes[5:]
    assert thread.buyer_alias

"""Mail that Mailgun receives for us is posted to the inbound webhook and lands like SMTP mail."""

import base64
import hashlib
import hmac
import json
import secrets
import time

import pytest
from django.test import Client

from apps.conversations.models import Message
from apps.email_gateway.models import InboundEmail, OutboxEmail
from tests.email_gateway.test_inbound import alert_for_seller, email

pytestmark = pytest.mark.django_db

URL = "/email/inbound/mailgun_mime/"
KEY = "test-signing-key-0123456789"


@pytest.fixture(autouse=True)
def signing_key(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}


def signature(*, key=KEY, token=None, timestamp=None) -> dict:
    token = token or secrets.token_hex(25)
    timestamp = str(int(timestamp if timestamp is not None else time.time()))
    signed = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {"timestamp": timestamp, "token": token, "signature": signed}


def post_raw(client, raw: bytes, recipient="x@messages.localhost", **signed):
    fields = signed or signature()
    return client.post(URL, {"body-mime": raw.decode(), "recipient": recipient, **fields})


def test_a_signed_post_lands_the_sellers_answer_in_the_thread(client, buyer, order, seller, seller_user):
    thread, alert = alert_for_seller(seller, buyer, order)
    raw = email(
        sender=seller_user.email,
        to=alert.headers["Reply-To"],
        body="It ships on Monday.\n\nOn Mon, Alex wrote:\n> When does it ship?\n",
    )
    response = post_raw(client, raw)
    assert response.status_code == 200
    latest = thread.messages.order_by("-id").first()
    assert latest.body == "It ships on Monday."
    assert latest.source == "email"
    assert latest.author == seller_user


def test_mailguns_recipient_routes_a_bcc_to_the_alias(client, buyer, order, seller, seller_user):
    thread = alert_for_seller(seller, buyer, order)[0]
    raw = email(sender=seller_user.email, to="undisclosed-recipients:;", body="Back in stock today.")
    assert post_raw(client, raw, recipient=thread.buyer_alias.address).status_code == 200
    latest = thread.messages.order_by("-id").first()
    assert (latest.body, latest.side) == ("Back in stock today.", "seller")


def test_an_email_of_several_megabytes_is_received_whole(client, buyer, order, seller, seller_user):
    """Mailgun posts the raw email as one form field; Django's default limit is 2.5 MB."""
    thread, alert = alert_for_seller(seller, buyer, order)
    archive = base64.encodebytes(secrets.token_bytes(4 * 1024 * 1024)).decode()
    raw = (
        f"From: {seller_user.email}\nTo: {alert.headers['Reply-To']}\nSubject: Re: question\n"
        "Message-ID: <big1@shop.example>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b1"\n\n'
        "--b1\nContent-Type: text/plain; charset=utf-8\n\nThe manual is attached.\n"
        '--b1\nContent-Type: application/zip; name="manual.zip"\nContent-Transfer-Encoding: base64\n'
        f'Content-Disposition: attachment; filename="manual.zip"\n\n{archive}--b1--\n'
    ).encode()
    assert len(raw) > 5 * 1024 * 1024
    assert post_raw(client, raw).status_code == 200
    assert thread.messages.order_by("-id").first().body == "The manual is attached."
    notice = OutboxEmail.objects.get(idempotency_key__startswith="notice:")
    assert "manual.zip" in notice.text  # the archive was left out, and the sender told why


def test_mailguns_parsed_form_takes_the_same_path(client, buyer, order, seller, seller_user):
    thread = alert_for_seller(seller, buyer, order)[0]
    headers = [
        ["From", seller_user.email],
        ["To", thread.buyer_alias.address],
        ["Subject", "Your order"],
        ["Message-Id", "<parsed1@shop.example>"],
    ]
    response = client.post(
        "/email/inbound/mailgun/",
        {"message-headers": json.dumps(headers), "body-plain": "Packed and ready.\n", **signature()},
    )
    assert response.status_code == 200
    assert thread.messages.order_by("-id").first().body == "Packed and ready."


@pytest.mark.parametrize(
    "fields",
    [
        signature(key="someone-elses-key"),
        {**signature(), "signature": "0" * 64},
        {"timestamp": str(int(time.time())), "token": "t" * 50},  # no signature at all
        {},
    ],
    ids=["wrong key", "forged signature", "no signature", "nothing"],
)
def test_a_post_without_a_good_signature_is_refused_and_nothing_is_stored(
    client, fields, buyer, order, seller, seller_user
):
    thread, alert = alert_for_seller(seller, buyer, order)
    raw = email(sender=seller_user.email, to=alert.headers["Reply-To"], body="Forged answer.")
    response = client.post(URL, {"body-mime": raw.decode(), **fields})
    assert response.status_code == 400
    assert thread.messages.count() == 1
    assert not InboundEmail.objects.exists()
    assert OutboxEmail.objects.count() == 1  # the buyer's alert only: no notice to anyone


def test_without_a_signing_key_every_post_is_refused(client, settings, buyer, order, seller, seller_user):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": ""}
    thread, alert = alert_for_seller(seller, buyer, order)
    raw = email(sender=seller_user.email, to=alert.headers["Reply-To"], body="Unsigned answer.")
    response = post_raw(client, raw, **signature(key=""))  # what an empty key would accept
    assert response.status_code == 403
    assert thread.messages.count() == 1
    assert not InboundEmail.objects.exists()


def test_an_old_signature_is_refused(client, buyer, order, seller, seller_user):
    thread, alert = alert_for_seller(seller, buyer, order)
    raw = email(sender=seller_user.email, to=alert.headers["Reply-To"], body="Late answer.")
    response = post_raw(client, raw, **signature(timestamp=time.time() - 13 * 3600))
    assert response.status_code == 400
    assert thread.messages.count() == 1


def test_a_signature_cannot_be_reused_to_carry_another_email(client, buyer, order, seller, seller_user):
    thread, alert = alert_for_seller(seller, buyer, order)
    signed = signature()
    first = email(sender=seller_user.email, to=alert.headers["Reply-To"], body="Real answer.")
    assert post_raw(client, first, **signed).status_code == 200
    other = email(
        sender=seller_user.email, to=alert.headers["Reply-To"], body="Injected.", message_id="<x2@evil>"
    )
    assert post_raw(client, other, **signed).status_code == 400
    assert [m.body for m in thread.messages.order_by("id")][1:] == ["Real answer."]


def test_the_same_email_posted_twice_is_stored_once(client, buyer, order, seller, seller_user):
    thread, alert = alert_for_seller(seller, buyer, order)
    raw = email(sender=seller_user.email, to=alert.headers["Reply-To"], body="Only once, please.")
    assert post_raw(client, raw).status_code == 200
    assert post_raw(client, raw).status_code == 200  # Mailgun delivering it again: no retry wanted
    assert thread.messages.filter(body="Only once, please.").count() == 1
    assert InboundEmail.objects.filter(status="accepted").count() == 1


def test_a_refused_recipient_is_answered_like_smtp_mail_and_not_retried(client, db):
    raw = email(sender="stranger@shop.example", to="nobody@messages.localhost", body="Hello?")
    response = post_raw(client, raw)
    assert response.status_code == 200  # decided: Mailgun must not post it again for 8 hours
    record = InboundEmail.objects.get()
    assert record.status == "rejected"
    assert "does not accept mail" in record.reason
    notice = OutboxEmail.objects.get(to="stranger@shop.example")
    assert notice.subject.startswith("Not delivered")
    assert "does not accept mail" in notice.text
    assert not Message.objects.exists()


def test_our_failure_answers_500_and_mailguns_retry_is_delivered(
    monkeypatch, buyer, order, seller, seller_user
):
    thread, alert = alert_for_seller(seller, buyer, order)
    raw = email(sender=seller_user.email, to=alert.headers["Reply-To"], body="Second try works.")
    signed = signature()

    def database_down(raw):
        raise ConnectionError("database unavailable")

    client = Client(raise_request_exception=False)
    with monkeypatch.context() as patch:
        patch.setattr("apps.email_gateway.subscribers.ingest", database_down)
        assert post_raw(client, raw, **signed).status_code == 500
    assert post_raw(client, raw, **signed).status_code == 200
    assert thread.messages.order_by("-id").first().body == "Second try works."

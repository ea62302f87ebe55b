"""No page, email header, email body or notice ever shows a seller the buyer's real email or last name.

One buyer with a name and address that appear nowhere else contacts a seller on the web and by
email; the seller answers on the web, by replying to alerts and by writing to the alias, sends
mail that is refused or loses an attachment, gets reminders, and opens every seller page. Every
response the seller's browser receives and every email to any of the seller's addresses (as
sent, headers and all, with transfer encodings undone) is searched for the buyer's last name,
email address and mail domain.
"""

import email
import io
from datetime import timedelta
from email import policy

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.accounts.services import add_seller_staff
from apps.conversations.models import Attachment, SavedTemplate, Thread
from apps.email_gateway.addresses import reply_address
from apps.email_gateway.inbound import ingest
from apps.email_gateway.models import OutboxEmail
from apps.notifications.services import seller_settings
from apps.sla.services import sweep_deadlines
from tests.factories import make_buyer, make_order, make_seller, seller_owner

pytestmark = pytest.mark.django_db

LAST_NAME = "Quixotewright"
BUYER_EMAIL = "zebulon.quixotewright@zq-private-mail.example"
SECRETS = ("quixotewright", "zebulon.quixotewright", "zq-private-mail.example")
ALERTS_ADDRESS = "alerts@acme-gear.example"
PERSONAL_ADDRESS = "sam.personal@elsewhere.example"  # the seller writing from an unknown address


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text.lower()]


def photo_signed_by_the_buyer() -> bytes:
    image, exif = Image.new("RGB", (40, 30), (200, 30, 30)), Image.Exif()
    exif[0x013B] = f"Zebulon {LAST_NAME}"  # Artist
    exif[0x9C9F] = BUYER_EMAIL.encode("utf-16-le")  # XPSubject, as Windows writes it
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def everything_in(sent) -> str:
    """An email as it leaves: every header of every part and every decoded body."""
    parsed = email.message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    texts = [f"{name}: {value}" for part in parsed.walk() for name, value in part.items()]
    texts += [part.get_content() for part in parsed.walk() if not part.is_multipart()]
    return "\n".join(str(text) for text in texts)


def mail_from_buyer(*, to: str, body: str, message_id: str) -> bytes:
    return (
        f"From: Zebulon {LAST_NAME} <{BUYER_EMAIL}>\nTo: {to}\nSubject: Re: my order\n"
        f"Message-ID: {message_id}\nContent-Type: text/plain; charset=utf-8\n\n{body}"
    ).encode()


def mail_from_seller(*, sender: str, to: str, body: str, message_id: str, attachment: str = "") -> bytes:
    head = f"From: Sam <{sender}>\nTo: {to}\nSubject: Re: my order\nMessage-ID: {message_id}\n"
    head += "MIME-Version: 1.0\n"
    if not attachment:
        return f"{head}Content-Type: text/plain; charset=utf-8\n\n{body}".encode()
    return (
        f'{head}Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n{body}\n'
        f"--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; "
        f'filename="{attachment}"\nContent-Transfer-Encoding: base64\n\nTVqQAAMAAAAEAAAA//8AALgAAAA=\n--b--\n'
    ).encode()


def test_a_seller_never_sees_the_buyers_last_name_or_email(client, django_capture_on_commit_callbacks):
    seller = make_seller(name="Acme Outdoor Gear")
    owner = seller_owner(seller)
    colleague = make_buyer(first_name="Jo")
    add_seller_staff(seller=seller, user=colleague)
    alert = seller_settings(seller)
    alert.buyer_messages = alert.returns = alert.reminders = True
    alert.email = ALERTS_ADDRESS
    alert.save()
    seller_addresses = {owner.email, colleague.email, ALERTS_ADDRESS, PERSONAL_ADDRESS}
    buyer = make_buyer(first_name="Zebulon", last_name=LAST_NAME, email=BUYER_EMAIL)
    order = make_order(buyer=buyer, seller=seller, status="delivered")
    second_order = make_order(buyer=buyer, seller=seller, status="delivered")

    with django_capture_on_commit_callbacks(execute=True):
        # The buyer writes on the web, with a photo whose metadata carry their name and address.
        client.force_login(buyer)
        response = client.post(
            reverse("buyer_inbox:contact_seller", args=[order.number]),
            {
                "topic": "return",
                "body": "Hi, the tent arrived with a torn seam. Can I return it?",
                "attachments": [
                    SimpleUploadedFile("IMG_0042.jpg", photo_signed_by_the_buyer(), "image/jpeg")
                ],
            },
        )
        assert response.status_code == 302
        thread = Thread.objects.get(order=order)
        alias = thread.buyer_alias.address

        # The seller answers on the web; the buyer answers that by email, signature and all.
        client.force_login(owner)
        client.post(
            reverse("seller_inbox:thread", args=[thread.public_id]),
            {"body": "Sorry about that! Yes, please send it back with the prepaid label."},
        )
        buyer_reply_to = reply_address(thread_id=thread.pk, recipient_id=buyer.pk, side="buyer")
        assert (
            ingest(
                mail_from_buyer(
                    to=buyer_reply_to,
                    body=(
                        "Thanks, I will drop it off tomorrow.\n\n-- \n"
                        f"Zebulon {LAST_NAME}\n{BUYER_EMAIL}\n\n"
                        "On Mon, Acme Outdoor Gear wrote:\n> Sorry about that!\n"
                    ),
                    message_id="<b1@zq-private-mail.example>",
                )
            ).status
            == "accepted"
        )

        # The seller replies to the alert by email, writes to the alias, and gets notices.
        seller_reply_to = reply_address(thread_id=thread.pk, recipient_id=seller.pk, side="seller")
        for raw in (
            mail_from_seller(
                sender=owner.email, to=seller_reply_to, body="Label sent.", message_id="<s1@acme>"
            ),
            mail_from_seller(
                sender=colleague.email, to=alias, body="Your refund is on its way.", message_id="<s2@acme>"
            ),
            mail_from_seller(
                sender=owner.email,
                to=seller_reply_to,
                body="Call me on +44 7700 900123",
                message_id="<s3@acme>",
            ),
            mail_from_seller(
                sender=owner.email,
                to=alias,
                body="Manual attached.",
                message_id="<s4@acme>",
                attachment="tool.exe",
            ),
            mail_from_seller(sender=PERSONAL_ADDRESS, to=alias, body="Hello?", message_id="<s5@acme>"),
        ):
            ingest(raw)

        # A second conversation the seller leaves unanswered: a reminder, then a late notice.
        client.force_login(buyer)
        client.post(
            reverse("buyer_inbox:contact_seller", args=[second_order.number]),
            {"topic": "shipping", "body": "Has my second parcel left yet?"},
        )
        sweep_deadlines(now=timezone.now() + timedelta(hours=21))
        sweep_deadlines(now=timezone.now() + timedelta(hours=25))

    # --- Every email to the seller, as it left ---------------------------------------------------
    to_seller = [sent for sent in mail.outbox if seller_addresses & {*sent.to, *sent.cc, *sent.bcc}]
    subjects = " | ".join(sent.subject for sent in to_seller)
    assert len(to_seller) >= 8, subjects
    for expected in ("Not delivered", "Delivered without some attachments", "Answer soon", "Late"):
        assert expected in subjects, subjects
    assert any(sent.from_email.endswith(f"<{alias}>") for sent in to_seller)  # alerts come from the alias
    for sent in to_seller:
        assert not leaks(everything_in(sent)), (sent.subject, leaks(everything_in(sent)))
    for row in OutboxEmail.objects.filter(to__in=seller_addresses):
        assert not leaks(f"{row.from_email} {row.subject} {row.text} {row.html} {row.headers}"), row.subject

    # --- Every seller page, for the owner and for a colleague -------------------------------------
    second = Thread.objects.get(order=second_order)
    photo = Attachment.objects.get(message__thread=thread)
    client.force_login(owner)
    client.post(
        reverse("seller_inbox:templates"),
        {
            "name": "Return label",
            "body": "Hi {buyer_first_name}, here is the label for order {order_number}.",
        },
    )
    template = SavedTemplate.objects.get(seller=seller, name="Return label")
    unsubscribe = next(s for s in to_seller if "List-Unsubscribe" in s.extra_headers).extra_headers
    pages = [
        reverse("home"),
        reverse("seller_inbox:inbox"),
        reverse("seller_inbox:inbox") + "?status=needs_response",
        reverse("seller_inbox:inbox") + f"?order={order.number}",
        reverse("seller_inbox:inbox") + "?q=seam",
        reverse("seller_inbox:inbox") + "?q=zebulon",
        reverse("seller_inbox:inbox") + "?unread=1&topic=return",
        reverse("seller_inbox:sent"),
        reverse("seller_inbox:performance"),
        reverse("seller_inbox:messaging_health"),
        reverse("seller_inbox:thread", args=[thread.public_id]),
        reverse("seller_inbox:thread", args=[second.public_id]),
        reverse("seller_inbox:thread_updates", args=[thread.public_id]),
        reverse("seller_inbox:attachment", args=[thread.public_id, photo.public_id]),
        reverse("seller_inbox:report", args=[thread.public_id, thread.messages.first().public_id]),
        reverse("seller_inbox:order_message", args=[order.number]),
        reverse("seller_inbox:order_message", args=[second_order.number]),
        reverse("seller_inbox:templates"),
        reverse("seller_inbox:template", args=[template.pk]) + f"?order={order.number}",
        reverse("seller_inbox:notification_settings"),
        unsubscribe["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000"),
    ]
    for user in (owner, colleague):
        client.force_login(user)
        for url in pages:
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            content = b"".join(response.streaming_content) if response.streaming else response.content
            shown = content.decode("utf-8", errors="replace") + str(dict(response.headers))
            assert not leaks(shown), (url, leaks(shown))
        response = client.post(reverse("seller_inbox:check_draft"), {"body": "Thanks Zebulon, on its way."})
        assert not leaks(response.content.decode()), "draft check"

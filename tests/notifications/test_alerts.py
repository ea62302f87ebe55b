from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.email_gateway import outbox
from apps.email_gateway.models import OutboxEmail
from apps.notifications.models import SellerAlertSettings
from apps.notifications.services import seller_settings
from tests.conftest import open_thread, reply

pytestmark = pytest.mark.django_db


def turn_on_seller_alerts(seller, email="alerts@shop.example"):
    alert = seller_settings(seller)
    alert.buyer_messages, alert.email = True, email
    alert.save()


def test_buyer_message_alerts_are_off_until_the_seller_turns_them_on(
    client, buyer, order, seller, seller_user
):
    open_thread(buyer=buyer, order=order, text="Where is it?")
    assert not OutboxEmail.objects.exists()
    client.force_login(seller_user)
    assert (
        "Email alerts for buyer messages are off"
        in client.get(reverse("seller_inbox:inbox")).content.decode()
    )
    client.post(
        reverse("seller_inbox:notification_settings"),
        {"buyer_messages": "on", "email": "alerts@shop.example"},
    )
    assert SellerAlertSettings.objects.get(seller=seller).buyer_messages
    assert (
        "Email alerts for buyer messages are off"
        not in client.get(reverse("seller_inbox:inbox")).content.decode()
    )


def test_a_seller_alert_comes_from_the_buyers_alias_and_reveals_nothing_else(
    buyer, order, seller, django_capture_on_commit_callbacks
):
    turn_on_seller_alerts(seller)
    with django_capture_on_commit_callbacks(execute=True):
        thread = open_thread(buyer=buyer, order=order, text="Is the blue one in stock?").message.thread
    sent = mail.outbox[-1]
    assert sent.to == ["alerts@shop.example"]
    assert sent.from_email == f'"{buyer.first_name}" <{thread.buyer_alias.address}>'
    assert "Is the blue one in stock?" in sent.body
    headers = sent.extra_headers
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        headers["References"] == f"<{thread.public_id}@messages.localhost>"
        or thread.public_id in headers["References"]
    )
    assert headers["Reply-To"].startswith("reply+")
    everything = sent.body + sent.alternatives[0].content + str(headers) + sent.from_email + sent.subject
    assert buyer.email not in everything
    assert buyer.last_name not in everything


def test_buyers_get_an_alert_for_a_seller_reply_once(thread, seller_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = reply(thread=thread, author=seller_user, text="It ships today.").message
    assert [m.to for m in mail.outbox] == [[thread.buyer.email]]
    email = OutboxEmail.objects.get()
    assert email.state == "sent"
    assert outbox.send(email.pk) == "sent"  # sending again does nothing
    assert len(mail.outbox) == 1
    assert email.idempotency_key == f"alert:{answer.public_id}:{thread.buyer.email}"


def test_the_plain_text_alert_shows_the_message_as_written(thread, seller_user):
    reply(
        thread=thread, author=seller_user, text="Don't worry: the <b>blue</b> one & the red one ship today."
    )
    email = OutboxEmail.objects.get()
    assert "Don't worry: the <b>blue</b> one & the red one ship today." in email.text
    assert "Don&#x27;t worry: the &lt;b&gt;blue&lt;/b&gt; one &amp; the red one" in email.html


def test_one_click_unsubscribe_turns_the_alerts_off(
    client, thread, seller_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply(thread=thread, author=seller_user)
    url = mail.outbox[-1].extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("127.0.0.1:8000", 1)[-1]
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reply(thread=thread, author=seller_user, text="Another update.")
    assert mail.outbox == []
    assert client.post("/notifications/unsubscribe/forged-token/").status_code == 404


def test_a_failed_send_stays_queued_with_the_reason_and_the_sweeper_retries(thread, seller_user, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.broken_mailer.BrokenBackend"}}
    reply(thread=thread, author=seller_user)
    email = OutboxEmail.objects.get()
    with pytest.raises(ConnectionRefusedError):
        outbox.send(email.pk)
    email.refresh_from_db()
    assert email.state == "queued"
    assert "ConnectionRefusedError" in email.last_error
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert outbox.requeue_stuck(now=timezone.now() + timedelta(minutes=10)) == 1
    email.refresh_from_db()
    assert email.state == "sent"


def test_a_broker_outage_never_loses_the_message(thread, seller_user, django_capture_on_commit_callbacks):
    from tests.conftest import celery_config

    with (
        celery_config(task_always_eager=False, broker_url="redis://127.0.0.1:9/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        answer = reply(thread=thread, author=seller_user).message
    assert answer.pk
    assert OutboxEmail.objects.get().state == "queued"  # the sweeper sends it when the broker is back


def test_reminders_and_late_notices_reach_sellers_who_chose_them(
    thread, seller, django_capture_on_commit_callbacks
):
    import time_machine

    from apps.sla.services import sweep_deadlines

    alert = seller_settings(seller)
    alert.reminders, alert.email = True, "alerts@shop.example"
    alert.save()
    with (
        time_machine.travel(timezone.now() + timedelta(hours=21)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sweep_deadlines()
    with (
        time_machine.travel(timezone.now() + timedelta(hours=25)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sweep_deadlines()
        sweep_deadlines()  # a second sweep sends nothing more
    subjects = [m.subject for m in mail.outbox if m.to == ["alerts@shop.example"]]
    assert len(subjects) == 2
    assert subjects[0].startswith("Answer soon:")
    assert subjects[1].startswith("Late:")


def test_no_reminder_emails_unless_chosen(thread, django_capture_on_commit_callbacks):
    import time_machine

    from apps.sla.services import sweep_deadlines

    with (
        time_machine.travel(timezone.now() + timedelta(hours=25)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sweep_deadlines()
    assert not OutboxEmail.objects.filter(idempotency_key__startswith="deadline:").exists()


def test_an_alert_says_how_many_files_came_with_the_message(
    buyer, order, seller, seller_user, settings, tmp_path
):
    from apps.conversations.attachments import clean_attachments
    from apps.conversations.services import post_reply
    from tests.conversations import sample_files as samples

    settings.MEDIA_ROOT = tmp_path
    thread = open_thread(buyer=buyer, order=order, text="Is it in stock?").message.thread
    files, _ = clean_attachments(
        [("invoice.pdf", samples.minimal_pdf()), ("label.pdf", samples.minimal_pdf())]
    )
    post_reply(thread=thread, author=seller_user, side="seller", body="", attachments=files)
    alert = OutboxEmail.objects.get(to=buyer.email)
    assert "(2 attachments: open the conversation to see them.)" in alert.text
    thread.refresh_from_db()
    assert thread.last_message_excerpt == "2 attachment(s)"

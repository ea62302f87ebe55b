from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.email_gateway.inbound import ingest
from apps.email_gateway.models import OutboxEmail
from apps.notifications.services import seller_settings
from tests.conftest import open_thread

pytestmark = pytest.mark.django_db


def alert_for_seller(seller, buyer, order, text="Does the charger fit model X200?"):
    alert = seller_settings(seller)
    alert.buyer_messages = True
    alert.save()
    thread = open_thread(buyer=buyer, order=order, text=text).message.thread
    return thread, OutboxEmail.objects.get()


def email(*, sender, to, body, message_id="<r1@shop.example>", extra=""):
    return (
        f"From: {sender}\nTo: {to}\nSubject: Re: question\nMessage-ID: {message_id}\n{extra}"
        f"Content-Type: text/plain; charset=utf-8\n\n{body}"
    ).encode()


def test_a_seller_answers_the_alert_by_email_and_it_lands_in_the_thread(buyer, order, seller, seller_user):
    thread, alert = alert_for_seller(seller, buyer, order)
    reply_to = alert.headers["Reply-To"]
    outcome = ingest(
        email(
            sender=seller_user.email,
            to=reply_to,
            body="Yes, it fits.\n\nOn Mon, Alex wrote:\n> Does the charger fit model X200?\n",
        )
    )
    assert outcome.status == "accepted"
    assert outcome.thread == thread.public_id
    latest = thread.messages.order_by("-id").first()
    assert latest.body == "Yes, it fits."
    assert latest.source == "email"
    assert latest.author == seller_user


def test_an_emailed_answer_costs_a_fixed_number_of_queries(buyer, order, seller, seller_user):
    _, alert = alert_for_seller(seller, buyer, order)

    def queries_to_answer(number):
        open_thread(buyer=buyer, order=order, text=f"Any news? ({number})")
        raw = email(
            sender=seller_user.email,
            to=alert.headers["Reply-To"],
            body=f"It ships tomorrow. ({number})",
            message_id=f"<answer{number}@shop.example>",
        )
        with CaptureQueriesContext(connection) as queries:
            assert ingest(raw).status == "accepted"
        return len(queries)

    # the locked thread with its people, the seller's staff member, the sending rules (rate,
    # identical text), the message, its status change, the thread (with its search words on
    # PostgreSQL), the clock it stops (found, then stopped), the buyer's alert in the outbox, the
    # email's record, and the email's transaction (a savepoint inside the test's)
    first = queries_to_answer(1)
    assert first <= 13
    assert queries_to_answer(2) == first  # however long the thread is


def test_the_same_email_twice_is_a_duplicate(buyer, order, seller, seller_user):
    thread, alert = alert_for_seller(seller, buyer, order)
    raw = email(sender=seller_user.email, to=alert.headers["Reply-To"], body="Yes.")
    assert ingest(raw).status == "accepted"
    assert ingest(raw).status == "duplicate"
    assert thread.messages.count() == 2


def test_a_reply_token_from_another_sender_is_refused(buyer, order, seller):
    _, alert = alert_for_seller(seller, buyer, order)
    outcome = ingest(email(sender="stranger@evil.example", to=alert.headers["Reply-To"], body="hi"))
    assert outcome.status == "rejected"
    assert buyer.email not in outcome.reason


def test_a_forged_token_is_refused(buyer, order, seller, seller_user, settings):
    alert_for_seller(seller, buyer, order)
    outcome = ingest(
        email(sender=seller_user.email, to=f"reply+forged@{settings.MESSAGING_DOMAIN}", body="hi")
    )
    assert outcome.status == "rejected"


def test_out_of_office_replies_are_ignored(buyer, order, seller, seller_user):
    thread, alert = alert_for_seller(seller, buyer, order)
    outcome = ingest(
        email(
            sender=seller_user.email,
            to=alert.headers["Reply-To"],
            body="Away until Monday",
            extra="Auto-Submitted: auto-replied\n",
        )
    )
    assert outcome.status == "ignored"
    assert thread.messages.count() == 1


def test_a_seller_writing_to_the_buyers_alias_is_relayed_into_their_thread(buyer, order, seller, seller_user):
    thread = open_thread(buyer=buyer, order=order).message.thread
    outcome = ingest(email(sender=seller_user.email, to=thread.buyer_alias.address, body="It shipped today."))
    assert outcome.status == "accepted"
    assert thread.messages.order_by("-id").first().body == "It shipped today."


def test_blocked_text_by_email_is_refused_with_the_reason(buyer, order, seller, seller_user):
    thread, alert = alert_for_seller(seller, buyer, order)
    outcome = ingest(
        email(sender=seller_user.email, to=alert.headers["Reply-To"], body="Call me on +44 7700 900123")
    )
    assert outcome.status == "rejected"
    assert "phone number" in outcome.reason
    assert thread.messages.count() == 1


def test_unknown_recipients_are_refused(db):
    outcome = ingest(email(sender="a@b.example", to="nobody@messages.localhost", body="hi"))
    assert outcome.status == "rejected"


def test_reply_addresses_are_short_and_cannot_be_pointed_at_another_thread(settings):
    from apps.email_gateway.addresses import read_reply_address, reply_address

    address = reply_address(thread_id=41, recipient_id=7, side="buyer")
    local = address.split("@")[0]
    assert len(local) <= 64
    assert read_reply_address(address).thread_id == 41
    assert read_reply_address(address.upper()).recipient_id == 7  # mail systems may change the case
    tampered = address.replace("reply+29-", "reply+2a-")
    assert read_reply_address(tampered) is None


def test_a_refused_sender_gets_a_polite_notice_that_names_nobody(buyer, order, seller):
    from apps.email_gateway.models import OutboxEmail

    _, alert = alert_for_seller(seller, buyer, order)
    ingest(email(sender="stranger@evil.example", to=alert.headers["Reply-To"], body="hi"))
    notice = OutboxEmail.objects.get(to="stranger@evil.example")
    assert notice.subject.startswith("Not delivered")
    assert notice.headers["Auto-Submitted"] == "auto-replied"
    assert buyer.email not in notice.text
    assert "@" not in notice.text.replace("stranger@evil.example", "")


def test_bounces_and_automatic_replies_are_never_answered(buyer, order, seller, seller_user):
    from apps.email_gateway.models import OutboxEmail

    _, alert = alert_for_seller(seller, buyer, order)
    ingest(
        email(sender=seller_user.email, to=alert.headers["Reply-To"], body="Away", extra="Precedence: bulk\n")
    )
    ingest(
        email(
            sender="MAILER-DAEMON@mx.example",
            to="nobody@messages.localhost",
            body="failed",
            message_id="<b1@mx>",
        )
    )
    assert OutboxEmail.objects.filter(idempotency_key__startswith="notice:").count() == 0


def test_ingest_email_tells_an_mta_pipe_the_recipient_is_unknown(monkeypatch, capsys):
    import io
    import json

    from django.core.management import call_command

    raw = email(sender="a@b.example", to="nobody@messages.localhost", body="hi")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
    with pytest.raises(SystemExit) as exit_info:
        call_command("ingest_email")
    assert exit_info.value.code == 67
    assert json.loads(capsys.readouterr().out)["status"] == "rejected"


def test_ingest_email_routes_by_the_envelope_recipient_an_mta_passes(
    monkeypatch, capsys, buyer, order, seller_user
):
    import io
    import json

    from django.core.management import call_command

    thread = open_thread(buyer=buyer, order=order, text="Is the blue one in stock?").message.thread
    raw = email(sender=seller_user.email, to="undisclosed-recipients:;", body="Back in stock today.")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
    call_command("ingest_email", "--recipient", thread.buyer_alias.address.upper())
    assert json.loads(capsys.readouterr().out)["status"] == "accepted"
    assert thread.messages.order_by("-id").first().body == "Back in stock today."


@pytest.mark.parametrize(
    "attribution",
    [
        "W dniu pon., 2 lis 2026 o 18:03 Alex <{alias}> napisał(a):",  # Gmail, Polish
        "Den mån 2 nov. 2026 kl 18:03 skrev Alex <{alias}>:",  # Gmail, Swedish
        "2026年11月2日(月) 18:03 Alex <{alias}>:",  # Gmail, Japanese
    ],
)
def test_a_reply_quoting_the_alert_in_any_language_keeps_only_the_new_text(
    buyer, order, seller, seller_user, attribution
):
    thread, alert = alert_for_seller(seller, buyer, order)
    quoted = "\n".join(f"> {line}".rstrip() for line in alert.text.splitlines())
    header = attribution.format(alias=thread.buyer_alias.address)
    outcome = ingest(
        email(
            sender=seller_user.email,
            to=alert.headers["Reply-To"],
            body=f"Tak, pasuje do X200.\n\nPozdrawiam,\nSam\n\n{header}\n\n{quoted}\n",
        )
    )
    assert outcome.status == "accepted"
    assert thread.messages.order_by("-id").first().body == "Tak, pasuje do X200.\n\nPozdrawiam,\nSam"


def test_an_outlook_reply_in_any_language_loses_its_header_block_and_the_alert(
    buyer, order, seller, seller_user
):
    """Outlook for phones quotes without a rule or ">": its header block, then the alert as is."""
    thread, alert = alert_for_seller(seller, buyer, order)
    header = (
        f"Od: Alex <{thread.buyer_alias.address}>\nWysłano: poniedziałek, 2 listopada 2026 18:03\n"
        "Do: Acme\nTemat: Re: Produkt"
    )
    body = f"Tak, wysyłamy jutro.\n\n{header}\n\n{alert.text}\n"
    assert (
        ingest(email(sender=seller_user.email, to=alert.headers["Reply-To"], body=body)).status == "accepted"
    )
    assert thread.messages.order_by("-id").first().body == "Tak, wysyłamy jutro."


def test_an_answer_written_under_the_quoted_alert_is_kept(buyer, order, seller, seller_user):
    thread, alert = alert_for_seller(seller, buyer, order)
    quoted = "\n".join(f"> {line}".rstrip() for line in alert.text.splitlines())
    header = f"On Mon, 2 Nov 2026 at 18:03, Alex <{thread.buyer_alias.address}> wrote:"
    body = f"{header}\n\n{quoted}\n\nYes, it fits the X200.\n"
    ingest(email(sender=seller_user.email, to=alert.headers["Reply-To"], body=body))
    assert thread.messages.order_by("-id").first().body == "Yes, it fits the X200."


def test_a_whole_alert_quoted_between_new_lines_is_history_not_a_question(buyer, order, seller, seller_user):
    """Without its first line the alert is not recognised; its links must not land in the thread
    (a seller's message with outside links would be blocked, and count against them)."""
    thread, alert = alert_for_seller(seller, buyer, order)
    quoted = "\n".join(f"> {line}".rstrip() for line in alert.text.splitlines()[2:])
    body = f"Yes, it fits the X200.\n\n{quoted}\n\nSam\n"
    outcome = ingest(email(sender=seller_user.email, to=alert.headers["Reply-To"], body=body))
    assert outcome.status == "accepted"
    assert thread.messages.order_by("-id").first().body == "Yes, it fits the X200.\n\nSam"


def test_the_buyers_own_name_and_address_in_a_quote_header_never_reach_the_seller(
    buyer, order, seller, seller_user
):
    from apps.conversations.services import post_reply
    from apps.email_gateway.models import OutboxEmail

    thread = open_thread(buyer=buyer, order=order, text="Is the blue one in stock?").message.thread
    post_reply(thread=thread, author=seller_user, side="seller", body="Yes, it is.")
    alert = OutboxEmail.objects.get(to=buyer.email)
    header = (  # an Outlook block in a language we don't list, its To line wrapped
        f"Od: Acme <{alert.headers['Reply-To']}>\nWys\u0142ano: poniedzia\u0142ek\n"
        f"Do: {buyer.first_name} {buyer.last_name}\n<{buyer.email}>\nTemat: Re: order"
    )
    body = f"Great, I'll order it.\n\n{header}\n\n{alert.text}\n"
    ingest(email(sender=buyer.email, to=alert.headers["Reply-To"], body=body))
    posted = thread.messages.order_by("-id").first()
    assert (posted.side, posted.body) == ("buyer", "Great, I'll order it.")


def test_contact_lines_above_the_quoted_alert_are_the_senders_own_text(buyer, order, seller, seller_user):
    thread, alert = alert_for_seller(seller, buyer, order)
    body = f"Our hours:\nMon: 9-17\nSat: 10-14\n\n> {alert.text.splitlines()[0]}\n"
    ingest(email(sender=seller_user.email, to=alert.headers["Reply-To"], body=body))
    assert thread.messages.order_by("-id").first().body == "Our hours:\nMon: 9-17\nSat: 10-14"


FIXTURES = Path(__file__).parent / "fixtures"


def outlook_tnef(*, sender, reply_to, body_text=None, tnef_header=None) -> bytes:
    raw = (FIXTURES / "outlook_rich_text_tnef.eml").read_text()
    raw = raw.replace("SENDER", sender).replace("REPLY_TO", reply_to)
    if body_text is not None:
        raw = raw.replace("Yes, it fits the X200. I have attached the compatibility sheet.", body_text)
        raw = raw.replace("Hi Alex,", "").replace("Kind regards,\nSam", "")
    if tnef_header is not None:
        raw = raw.replace('application/ms-tnef; name="winmail.dat"', tnef_header)
    return raw.encode()


@pytest.mark.parametrize(
    "tnef_header",
    [None, 'application/octet-stream; name="winmail.dat"', 'application/vnd.ms-tnef; name="message.tnef"'],
    ids=["ms-tnef", "named winmail.dat", "vnd.ms-tnef"],
)
def test_outlooks_winmail_dat_is_dropped_with_its_own_reason_and_the_text_delivered(
    tnef_header, buyer, order, seller, seller_user
):
    thread, alert = alert_for_seller(seller, buyer, order)
    raw = outlook_tnef(sender=seller_user.email, reply_to=alert.headers["Reply-To"], tnef_header=tnef_header)
    outcome = ingest(raw)
    assert outcome.status == "accepted"
    latest = thread.messages.order_by("-id").first()
    assert (
        latest.body
        == "Hi Alex,\n\nYes, it fits the X200. I have attached the compatibility sheet.\n\nKind regards,\nSam"
    )
    assert not latest.attachments.exists()
    notice = OutboxEmail.objects.get(to=seller_user.email, idempotency_key__startswith="notice:")
    assert notice.subject.startswith("Delivered without some attachments")
    assert "winmail.dat (TNEF) format can't be opened" in notice.text
    assert "turn off Rich Text" in notice.text


def test_a_tnef_only_email_is_refused_with_the_tnef_reason(buyer, order, seller, seller_user):
    thread, alert = alert_for_seller(seller, buyer, order)
    outcome = ingest(outlook_tnef(sender=seller_user.email, reply_to=alert.headers["Reply-To"], body_text=""))
    assert outcome.status == "rejected"
    assert thread.messages.count() == 1
    notice = OutboxEmail.objects.get(to=seller_user.email, idempotency_key__startswith="notice:")
    assert notice.subject.startswith("Not delivered")
    assert "winmail.dat (TNEF)" in notice.text


def test_a_sellers_blocked_email_counts_as_a_strike_as_on_the_web(buyer, order, seller, seller_user):
    from apps.moderation.models import Violation

    _, alert = alert_for_seller(seller, buyer, order)
    outcome = ingest(
        email(sender=seller_user.email, to=alert.headers["Reply-To"], body="Call me on +44 7700 900123")
    )
    assert outcome.status == "rejected"
    violation = Violation.objects.get(seller=seller)
    assert violation.is_strike
    assert violation.source == "email"


def test_a_failure_half_way_leaves_nothing_and_the_retry_delivers_once(
    monkeypatch, buyer, order, seller, seller_user
):
    thread, alert = alert_for_seller(seller, buyer, order)
    raw = outlook_tnef(sender=seller_user.email, reply_to=alert.headers["Reply-To"])  # answered with a notice

    def outbox_down(**kwargs):
        raise ConnectionError("database went away")

    with monkeypatch.context() as patch:
        patch.setattr("apps.email_gateway.inbound.enqueue", outbox_down)
        with pytest.raises(ConnectionError):
            ingest(raw)
    assert thread.messages.count() == 1
    assert ingest(raw).status == "accepted"  # the MTA's retry
    assert ingest(raw).status == "duplicate"
    assert thread.messages.count() == 2
    assert OutboxEmail.objects.filter(idempotency_key__startswith="notice:").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_email_arriving_twice_at_once_is_posted_once(postgres, buyer, order, seller, seller_user):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    thread, alert = alert_for_seller(seller, buyer, order)
    raw = email(sender=seller_user.email, to=alert.headers["Reply-To"], body="Sent twice by the MTA.")

    def deliver(_):
        try:
            return ingest(raw).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(deliver, range(4)))
    assert statuses == ["accepted", "duplicate", "duplicate", "duplicate"]
    assert thread.messages.filter(body="Sent twice by the MTA.").count() == 1


@pytest.mark.parametrize("standing", ["restricted", "suspended"])
def test_a_seller_restricted_or_suspended_after_the_alert_cannot_skip_it_by_email(
    buyer, order, seller, seller_user, moderator, standing
):
    from datetime import timedelta

    from django.utils import timezone

    from apps.accounts.services import change_messaging_standing

    thread, alert = alert_for_seller(seller, buyer, order)
    until = timezone.now() + timedelta(days=7) if standing == "restricted" else None
    change_messaging_standing(seller=seller, standing=standing, reason="spam", by=moderator, until=until)
    outcome = ingest(email(sender=seller_user.email, to=alert.headers["Reply-To"], body="Any news?"))
    if standing == "restricted":
        assert (outcome.status, outcome.reason) == ("accepted", "held for review")
        assert thread.messages.order_by("-id").first().state == "held"
    else:
        assert outcome.status == "rejected"
        assert "suspended" in outcome.reason
        assert thread.messages.count() == 1


def test_a_buyer_who_turned_alerts_off_gets_none_for_an_emailed_answer(buyer, order, seller, seller_user):
    from apps.notifications.services import unsubscribe, unsubscribe_token

    _, alert = alert_for_seller(seller, buyer, order)
    unsubscribe(unsubscribe_token(kind="buyer", target_id=buyer.pk, category="message_alerts"))
    outcome = ingest(email(sender=seller_user.email, to=alert.headers["Reply-To"], body="It ships today."))
    assert outcome.status == "accepted"
    assert not OutboxEmail.objects.filter(to=buyer.email).exists()

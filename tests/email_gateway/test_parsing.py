"""RFC 822 fixtures written for these tests: each client's quote style, language and encoding."""

import base64
import json
import subprocess
import sys

import pytest
from django.conf import settings

from apps.email_gateway.parsing import html_to_text, parse

HEAD = "From: Sam Keller <sam@shop.example>\nTo: reply+abc@messages.localhost\nSubject: Re: Your order\n"
MID = "Message-ID: <m1@mail.example>\nIn-Reply-To: <t1@messages.localhost>\nReferences: <t1@messages.localhost>\n"


def raw(
    body: str, headers: str = "", content_type: str = 'text/plain; charset="utf-8"', cte: str = "8bit"
) -> bytes:
    return (
        f"{HEAD}{MID}{headers}MIME-Version: 1.0\nContent-Type: {content_type}\n"
        f"Content-Transfer-Encoding: {cte}\n\n{body}"
    ).encode()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Yes, it fits the X200.\n\nOn Mon, 3 Nov 2026 at 10:00, Messaging Center <no-reply@m.example> wrote:\n"
            "> Does it fit?\n",
            "Yes, it fits the X200.",
        ),  # Gmail, English
        (
            "Ja, passt.\n\nAm 03.11.2026 um 10:00 schrieb Alex <a@m.example>:\n> Passt es?\n",
            "Ja, passt.",
        ),  # de
        (
            "Oui, ça marche.\n\nLe 3 nov. 2026 à 10:00, Alex <a@m.example> a écrit :\n> Ça marche ?\n",
            "Oui, ça marche.",
        ),  # Apple Mail, French
        (
            "Sí, llega el lunes.\n\nEl lun, 3 nov 2026 a las 10:00, Alex (<a@m.example>) escribió:\n> ¿Cuándo?\n",
            "Sí, llega el lunes.",
        ),  # Gmail, Spanish
        (
            "Sì, arriva lunedì.\n\nIl giorno lun 3 nov 2026 alle ore 10:00 Alex <a@m.example> ha scritto:\n> Quando?\n",
            "Sì, arriva lunedì.",
        ),  # Italian
        (
            "Sim, chega na segunda.\n\nEm seg., 3 de nov. de 2026 às 10:00, Alex <a@m.example> escreveu:\n> Quando?\n",
            "Sim, chega na segunda.",
        ),  # Portuguese
        (
            "Thanks, shipped today.\n\n________________________________\nFrom: Alex <a@m.example>\n"
            "Sent: Monday, November 3, 2026 10:00 AM\nTo: Shop\nSubject: Order\n\nWhere is it?\n",
            "Thanks, shipped today.",
        ),  # Outlook
        ("Shipped.\n\nSent from my iPhone\n\n> On 3 Nov 2026, at 10:00, Alex wrote:\n> Where?\n", "Shipped."),
        ("Here you go.\n\n-- \nSam Keller\nAcme Outdoor Gear\n", "Here you go."),  # signature
        ("Here you go.\n\n--\nSam Keller\n", "Here you go."),  # its trailing space trimmed by the client
        ("Sizes run small -- order one up.\n", "Sizes run small -- order one up."),  # a dash in a sentence
    ],
)
def test_only_the_new_text_is_kept(body, expected):
    assert parse(raw(body)).reply_text == expected


NEW = "It ships tomorrow.\nThanks, Sam"
HISTORY = "When does it ship?\n"


@pytest.mark.parametrize(
    "tail",
    [
        # Gmail, Dutch
        f"Op ma 2 nov. 2026 om 18:03 schreef Alex <a@m.example>:\n\n> {HISTORY}",
        # Outlook for iOS and Android sign, then quote an Outlook header block (with and without the rule)
        "Get Outlook for iOS<https://aka.ms/o0ukef>\n________________________________\nFrom: Alex <a@m.example>\n"
        f"Sent: Monday, November 2, 2026 6:03:15 PM\nTo: Shop\nSubject: order\n\n{HISTORY}",
        f"Get Outlook for Android\n\nFrom: Alex\nSent: Monday\nTo: Shop\nSubject: order\n\n{HISTORY}",
        # Samsung Email
        "Sent from my Galaxy\n\n\n-------- Original message --------\nFrom: Alex <a@m.example>\n"
        f"Date: 11/2/26 18:03 (GMT+01:00)\nTo: s@shop.example\nSubject: order\n\n{HISTORY}",
        # Outlook, Spanish, Portuguese, German, French, Italian and Dutch header blocks
        "De: Alex <a@m.example>\nEnviado el: lunes, 2 de noviembre de 2026 18:03\nPara: Shop\n"
        f"Asunto: RE: order\n\n{HISTORY}",
        "De: Alex <a@m.example>\nEnviada em: segunda-feira, 2 de novembro de 2026 18:03\nPara: Shop\n"
        f"Assunto: RE: order\n\n{HISTORY}",
        f"Von: Alex <a@m.example>\nGesendet: Montag, 2. November 2026 18:03\nAn: Shop\nBetreff: AW: order\n\n{HISTORY}",
        f"De : Alex <a@m.example>\nEnvoyé : lundi 2 novembre 2026 18:03\nÀ : Shop\nObjet : RE: order\n\n{HISTORY}",
        f"Da: Alex <a@m.example>\nInviato: lunedì 2 novembre 2026 18:03\nA: Shop\nOggetto: R: order\n\n{HISTORY}",
        f"Van: Alex <a@m.example>\nVerzonden: maandag 2 november 2026 18:03\nAan: Shop\nOnderwerp: RE: order\n\n{HISTORY}",
        # Yahoo Mail on a phone, Windows Mail, Proton Mail
        "Sent from Yahoo Mail for iPhone\n\n\nOn Monday, November 2, 2026, 6:03 PM, Alex <a@m.example> wrote:\n\n"
        f"{HISTORY}",
        "Sent from Mail<https://go.microsoft.com/fwlink/?LinkId=550986> for Windows\n\nFrom: Alex<mailto:a@m.example>\n"
        f"Sent: 02 November 2026 18:03\nTo: Shop<mailto:s@shop.example>\nSubject: order\n\n{HISTORY}",
        "Sent with Proton Mail secure email.\n\nOn Monday, November 2nd, 2026 at 6:03 PM, Alex <a@m.example> "
        f"wrote:\n\n> {HISTORY}",
        # German and French iPhones
        f"Von meinem iPhone gesendet\n\n> Am 02.11.2026 um 18:03 schrieb Alex <a@m.example>:\n> \n> {HISTORY}",
        f"Envoyé de mon iPhone\n\n> Le 2 nov. 2026 à 18:03, Alex <a@m.example> a écrit :\n> \n> {HISTORY}",
        # Gmail and Apple Mail forwards: the history, not what is new
        "---------- Forwarded message ---------\nFrom: Alex <a@m.example>\nDate: Mon, Nov 2, 2026 at 6:03 PM\n"
        f"Subject: order\nTo: <s@shop.example>\n\n{HISTORY}",
        f"Begin forwarded message:\n\nFrom: Alex <a@m.example>\nSubject: order\n\n{HISTORY}",
        # Gmail, French, the attribution wrapped; Horde; and a language nobody listed (Polish)
        f"Le lun. 2 nov. 2026 à 18:03, Alex <a@m.example> a\nécrit :\n\n> {HISTORY}",
        f"Quoting Alex <a@m.example>:\n\n> {HISTORY}",
        f"W dniu pon., 2 lis 2026 o 18:03 Alex <a@m.example> napisał(a):\n\n> {HISTORY}",
        # Gmail, the attribution wrapped over two lines
        f"On Mon, Nov 2, 2026 at 6:03 PM Alex Morgan <\na@m.example> wrote:\n\n> {HISTORY}",
    ],
)
def test_more_clients_and_languages_keep_only_the_new_text(tail):
    assert parse(raw(f"{NEW}\n\n{tail}")).reply_text == NEW


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Bottom-posted: the history and its "wrote:" line (which names an address) go.
        (
            f"On Mon, Nov 2, 2026 at 6:03 PM Alex <a@m.example> wrote:\n> {HISTORY}\nTomorrow, with UPS.\n",
            "Tomorrow, with UPS.",
        ),
        # Answers between the questions keep their questions.
        (
            "Hi Alex,\n\n> When does it ship?\nTomorrow.\n\n> Is it blue?\nYes.\n\n> Old history\n",
            "Hi Alex,\n\n> When does it ship?\nTomorrow.\n\n> Is it blue?\nYes.",
        ),
        # Sentences that start like a phone's signature are the seller's own words.
        (
            "Sent from my warehouse in Ohio this morning.\nIt arrives Friday.\n",
            "Sent from my warehouse in Ohio this morning.\nIt arrives Friday.",
        ),
        (
            "Sent from Mail order, see the slip.\nIt arrives Friday.\n",
            "Sent from Mail order, see the slip.\nIt arrives Friday.",
        ),
    ],
)
def test_quotes_around_and_between_the_new_text(body, expected):
    assert parse(raw(body)).reply_text == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Lines that start like a phone's signature but go on are the sender's words.
        ("Sent from my phone yesterday: did you get it?\n", "Sent from my phone yesterday: did you get it?"),
        (
            "Sent from my iPhone, the photo is blurry.\nOk?\n",
            "Sent from my iPhone, the photo is blurry.\nOk?",
        ),
        (
            "Gesendet von meinem Lager in Berlin.\nMorgen da.\n",
            "Gesendet von meinem Lager in Berlin.\nMorgen da.",
        ),
        ("Get Outlook for Android and you will see.\nOk\n", "Get Outlook for Android and you will see.\nOk"),
        # A colon line above the first question is the sender's, unless it names an address.
        ("Here is my answer:\n> Q1?\nA1\n> Q2?\nA2\n", "Here is my answer:\n> Q1?\nA1\n> Q2?\nA2"),
        # Real signatures, with the few words phones add.
        ("Ok.\n\nSent from my Samsung Galaxy smartphone.\n", "Ok."),
        ("Ok.\n\nVon meinem iPhone gesendet\n", "Ok."),
        # French Outlook puts a no-break space before the colon.
        ("Ok.\n\nDe\u00a0: Alex <a@m.example>\nEnvoy\u00e9\u00a0: lundi\n\nWhen?\n", "Ok."),
    ],
)
def test_signatures_and_headers_are_cut_but_look_alikes_are_kept(body, expected):
    assert parse(raw(body)).reply_text == expected


def test_headers_addresses_and_threading():
    parsed = parse(raw("Hello"))
    assert parsed.message_id == "<m1@mail.example>"
    assert parsed.in_reply_to == "<t1@messages.localhost>"
    assert parsed.from_address == "sam@shop.example"
    assert parsed.to == ["reply+abc@messages.localhost"]
    assert not parsed.auto_submitted


def test_quoted_printable_latin_1():
    body = "Gr=FC=DFe, das Paket ist unterwegs.\n"
    parsed = parse(raw(body, content_type='text/plain; charset="iso-8859-1"', cte="quoted-printable"))
    assert parsed.reply_text == "Grüße, das Paket ist unterwegs."


def test_base64_utf8():
    body = base64.b64encode("Доставка завтра. 明天到。".encode()).decode()
    assert parse(raw(body, cte="base64")).reply_text == "Доставка завтра. 明天到。"


def test_an_outlook_web_header_block_in_any_language_goes_with_the_quoted_alert():
    from apps.email_gateway.parsing import REPLY_MARKER

    markup = (
        '<div>Tak, jutro.</div><hr><div id="divRplyFwdMsg"><b>Od:</b> Alex &lt;a@m.example&gt;<br>\n'
        "<b>Wys\u0142ano:</b> poniedzia\u0142ek<br>\n<b>Do:</b> Shop &lt;s@m.example&gt;</div>"
        f"<div>{REPLY_MARKER}</div><div>Hello Shop,</div>"
    )
    assert parse(raw(markup, content_type='text/html; charset="utf-8"')).reply_text == "Tak, jutro."


def test_html_only_mail_becomes_clean_text_without_the_quote():
    markup = (
        "<html><body><div>Hi Alex,<br>it ships <b>today</b> &amp; arrives Friday.</div>"
        '<div class="gmail_quote"><div>On Mon, Alex wrote:</div><blockquote>Where is it?</blockquote></div>'
        "<script>alert(1)</script></body></html>"
    )
    text = parse(raw(markup, content_type='text/html; charset="utf-8"')).reply_text
    assert text == "Hi Alex,\nit ships today & arrives Friday."


def test_html_to_text_drops_scripts_and_styles():
    assert "alert" not in html_to_text("<p>Hi</p><script>alert(1)</script><style>p{}</style>")


def test_attachments_are_listed_with_type_and_size():
    boundary = "XYZ"
    pdf = base64.b64encode(b"%PDF-1.4 tiny").decode()
    body = (
        f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n\nInvoice attached.\n"
        f"--{boundary}\nContent-Type: application/pdf; name=invoice.pdf\nContent-Disposition: attachment; "
        f"filename=invoice.pdf\nContent-Transfer-Encoding: base64\n\n{pdf}\n--{boundary}--\n"
    )
    parsed = parse(raw(body, content_type=f'multipart/mixed; boundary="{boundary}"'))
    assert parsed.reply_text == "Invoice attached."
    assert [(a.filename, a.content_type, a.size) for a in parsed.attachments] == [
        ("invoice.pdf", "application/pdf", 13)
    ]


@pytest.mark.parametrize(
    "headers",
    [
        "Auto-Submitted: auto-replied\n",
        "Precedence: bulk\n",
        "X-Autoreply: yes\n",
    ],
)
def test_automatic_replies_are_recognised(headers):
    assert parse(raw("I am away until Monday.", headers=headers)).auto_submitted


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Re: Your order",
        "Automatische Antwort: Bestellung",
        "Réponse automatique : commande",
        "Respuesta automática: pedido",
    ],
)
def test_vacation_subjects_are_recognised(subject):
    message = raw("Away.").replace(b"Subject: Re: Your order", f"Subject: {subject}".encode())
    assert parse(message).auto_submitted


def test_a_bounce_is_recognised():
    message = raw("Delivery failed").replace(
        b"From: Sam Keller <sam@shop.example>", b"From: MAILER-DAEMON@mx.example"
    )
    assert parse(message).is_bounce


def test_parse_email_command_prints_the_contract_json():
    result = subprocess.run(
        [sys.executable, "manage.py", "parse_email"],
        input=raw("Yes.\n\nOn Mon, Alex wrote:\n> Really?\n"),
        capture_output=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert set(data) >= {
        "message_id",
        "in_reply_to",
        "from",
        "to",
        "subject",
        "reply_text",
        "attachments",
        "auto_submitted",
    }
    assert data["reply_text"] == "Yes."

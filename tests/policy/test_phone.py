# ruff: noqa: RUF001 - look-alike characters are what these tests are about
import pytest

from tests.policy.helpers import categories, excerpts


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Call me at 555-867-5309.", "555-867-5309"),
        ("Reach us on (212) 555-0147 anytime", "(212) 555-0147"),
        ("Text 415.555.2671", "415.555.2671"),
        ("WhatsApp +44 7700 900123", "+44 7700 900123"),
        ("Ring 020 7946 0958", "020 7946 0958"),
        ("Ruf an: 0151 23456789", "0151 23456789"),
        ("Appelez le 06 12 34 56 78", "06 12 34 56 78"),
        ("Llámame al 612 345 678", "612 345 678"),
        ("call +91 98765 43210", "+91 98765 43210"),
        ("zap (11) 91234-5678", "(11) 91234-5678"),
        ("call 0044 7911 123456", "0044 7911 123456"),
        ("call me: 555-1234", "555-1234"),
    ],
)
def test_phone_numbers_in_common_formats(text, number):
    assert excerpts(text, "phone") == [number]


@pytest.mark.parametrize(
    "text",
    [
        "five five five, eight six seven, five three oh nine",
        "nine one seven - five five five - zero one nine eight",
        "seis uno dos tres cuatro cinco seis siete ocho",
        "null eins fünf eins zwei drei vier fünf sechs sieben acht",
        "zéro six douze trente-quatre cinquante-six soixante-dix-huit",
        "double five five, eight six seven, five three oh nine",
        "5 5 5 . 8 6 7 . 5 3 0 9",
        "555\n867\n5309 call me",
        "5️⃣5️⃣5️⃣ 8️⃣6️⃣7️⃣ 5️⃣3️⃣0️⃣9️⃣",
        "٥٥٥ ٨٦٧ ٥٣٠٩ call me",
        "my number 555-O12-34l5",
    ],
)
def test_disguised_phone_numbers(text):
    assert "phone" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Order 123-1234567-1234567 shipped.",
        "UPS 1Z999AA10123456784",
        "USPS 9400 1000 0000 0000 0000 00",
        "USPS 9400111899223856974432",
        "FedEx 7489 1234 5678",
        "FedEx ground 612345678901234",
        "Total $1,299.99, or €45",
        "Delivered 12/03/2025 at 14:30",
        "Placed 2025-03-12 14:30 UTC",
        "SKU 4411-2203, model XR-2200",
        "120 x 60 x 75 cm, 2.5 kg",
        "ZIP 62704-1234",
        "Case ID 12345678901",
        "Invoice INV-2025-000123",
        "Sizes 36 38 40 42 44",
        "Quantities: 100, 250, 500 and 1000 pieces",
        "IMEI 356938035643809",
        "EAN 4006381333931",
        "The firmware build 20250312.1450",
        "Coordinates 52.5200, 13.4050",
    ],
)
def test_order_talk_numbers_are_not_phones(text):
    assert "phone" not in categories(text)


def test_bare_ten_digits_go_to_a_moderator_not_straight_to_block():
    # Ten digits with no context could be a phone or a reference: low confidence -> hold.
    from tests.policy.helpers import run

    verdict = run("see 5551234567 ok", "seller")
    assert verdict.action in ("allow", "hold")
    assert run("please call 5551234567", "seller").action == "block"


def test_phone_regions_come_from_settings(settings):
    settings.MESSAGING = {"POLICY": {"PHONE_REGIONS": ["GB"]}}
    # A Spanish mobile number is only recognised when Spain is among the regions.
    assert "phone" not in categories("Llámame al 612 345 678")
    settings.MESSAGING = {"POLICY": {"PHONE_REGIONS": ["ES"]}}
    assert "phone" in categories("Llámame al 612 345 678")

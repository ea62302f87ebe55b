# ruff: noqa: RUF001 - look-alike characters are what these tests are about
import pytest

from tests.policy.helpers import categories


@pytest.mark.parametrize(
    "text",
    [
        "Add me on WhatsApp so we can sort this out faster.",
        "Message me on Telegram @fastshop_help",
        "my IG is @shop_deals",
        "follow @deals4you on insta",
        "@shop_deals on IG",
        "ig: shop.deals",
        "wa.me/15558675309",
        "t.me/shopdeals",
        "m.me/mystore",
        "hit me up on wh@tsapp",
        "add me on w h a t s a p p",
        "Add me on Ꮃhatsapp",
        "my wechat id is shop8888",
        "Skype: john.smith.shop",
        "text me on signal",
        "Viber me when you get this",
        "my line id: shop123",
        "message us on X",
        "Escríbeme por WhatsApp",
        "Schreib mir auf Telegram",
        "Ajoute-moi sur Snapchat",
        "Let's move this chat to WhatsApp",
        "Contact me outside Amazon",
    ],
)
def test_invitations_and_identifiers(text):
    assert "contact_handle" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "The WhatsApp icon on the box shows the app is preinstalled.",
        "Signal strength is weak inside metal buildings.",
        "Yes, it supports WhatsApp, Telegram and Signal.",
        "I don't use WhatsApp, please keep messaging me here.",
        "The product line was discontinued; line 2 of the invoice is the lid.",
        "Dimensions 40 x 30 x 20 cm",
        "I saw your shop on Instagram and loved the lamps.",
        "I'll be @ home after 5",
    ],
)
def test_platform_names_in_innocent_use(text):
    assert "contact_handle" not in categories(text)

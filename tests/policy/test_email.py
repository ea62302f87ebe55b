# ruff: noqa: RUF001, RUF003 - look-alike characters are what these tests are about
import pytest

from tests.policy.helpers import categories, excerpts


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Write me at jane.doe@gmail.com", "jane.doe@gmail.com"),
        ("jane dot doe at gmail dot com", "jane dot doe at gmail dot com"),
        ("jane(at)gmail(dot)com", "jane(at)gmail(dot)com"),
        ("jane [at] yahoo [dot] co [dot] uk", "jane [at] yahoo [dot] co [dot] uk"),
        ("jane{at}outlook{dot}com", "jane{at}outlook{dot}com"),
        ("JANE AT HOTMAIL DOT COM", "JANE AT HOTMAIL DOT COM"),
        ("juan arroba gmail punto com", "juan arroba gmail punto com"),
        ("hans ät gmx punkt de", "hans ät gmx punkt de"),
        ("marie arobase orange point fr", "marie arobase orange point fr"),
        ("email me: jane . doe @ gmail . com", "jane . doe @ gmail . com"),
        ("jane@gmаil.com", "jane@gmаil.com"),  # Cyrillic "а"
        ("ｊａｎｅ＠ｇｍａｉｌ．ｃｏｍ", "ｊａｎｅ＠ｇｍａｉｌ．ｃｏｍ"),
        ("my address is jane.doe @ icloud", "jane.doe @ icloud"),
    ],
)
def test_addresses_plain_and_spelled_out(text, address):
    assert excerpts(text, "email") == [address]


def test_provider_account_without_at_sign():
    assert "email" in categories("my gmail is jane.doe1988")


def test_an_address_is_not_also_a_link():
    assert categories("Questions? sales@mystore-outlet.com") == {"email"}


@pytest.mark.parametrize(
    "text",
    [
        "I'll be at home at 5 pm",
        "Meet me at the depot",
        "It arrived at gmail speed, thanks",  # "at" before a provider name, but no address
        "Reply here, not by email please",
        "The package is at the post office dot matrix printer",
        "Relay addresses like buyer-4821@messages.example.com are the platform's own",
        "2 @ $5.99 each",
    ],
)
def test_not_addresses(text):
    assert "email" not in categories(text)

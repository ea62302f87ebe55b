import socket

import pytest

from apps.policy import domains
from tests.policy.helpers import categories, excerpts, run


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("Visit mystore.shop for the catalogue", "mystore.shop"),
        ("manual: https://bit.ly/3xYzAbc.", "https://bit.ly/3xYzAbc"),
        ("see www.best-deals-outlet.com", "www.best-deals-outlet.com"),
        ("Go to deals(dot)com", "deals(dot)com"),
        ("www . cheapstuff . net", "www . cheapstuff . net"),
        ("hxxps://mystore[.]io/offer", "hxxps://mystore[.]io/offer"),
        ("details at example.co.uk/returns", "example.co.uk/returns"),
        ("tinyurl.com/manual123", "tinyurl.com/manual123"),
        ("shop-online24.xyz", "shop-online24.xyz"),
        ("visit gadgethub dot net today", "gadgethub dot net"),
    ],
)
def test_links_and_bare_domains(text, link):
    assert excerpts(text, "link") == [link]


@pytest.mark.parametrize(
    "text",
    [
        "e.g. page 12, i.e. the second one",
        "No.5 and v2.0.3",
        "See photo.jpg, invoice.pdf and receipt.zip",
        "The price is 12.99 and it weighs 2.5 kg",
        "Mr. Smith from St. Louis",
        "Sent it.Best regards",
        "ok.No problem",
        "https://messages.example.com/orders/123-1234567-1234567",
        "shop.example.com/help",
        "Track: https://www.ups.com/track?tracknum=1Z999AA10123456784",
        "It's a polka dot dress",
        "a.m. or p.m.?",
    ],
)
def test_not_links(text):
    assert "link" not in categories(text)


def test_platform_domains_come_from_settings(settings):
    from apps.policy import scan
    from apps.policy.conf import context_for

    settings.MESSAGING_DOMAIN = "messages.shop.test"
    settings.MESSAGING = {"POLICY": {"ALLOWED_DOMAINS": ["brand.example"]}}
    context = context_for("buyer")
    assert context.platform_domains == ("messages.shop.test", "brand.example")
    assert (
        scan("see https://messages.shop.test/x and www.brand.example/manual", context=context).action
        == "allow"
    )
    assert scan("see mystore.shop", context=context).action == "redact"


def test_suffix_list_is_read_offline(monkeypatch):
    """The public suffix list comes from tldextract's bundled snapshot: no network, ever."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    domains.extractor.cache_clear()
    domains.registrable.cache_clear()
    try:
        extractor = domains.extractor()
        assert extractor.suffix_list_urls == ()
        assert domains.registrable("mystore.shop") == ("mystore", "shop")
        assert "link" in categories("buy at cheapgadgets.co.uk")
    finally:
        domains.extractor.cache_clear()
        domains.registrable.cache_clear()
    assert attempts == []


def test_buyer_links_are_redacted():
    verdict = run("I found it cheaper on cheapgadgets.com, can you match?", "buyer")
    assert verdict.action == "redact"
    assert verdict.redact("I found it cheaper on cheapgadgets.com, can you match?") == (
        "I found it cheaper on [removed], can you match?"
    )

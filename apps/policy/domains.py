"""Public-suffix checks from tldextract's bundled snapshot: never fetched at run time."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tldextract import TLDExtract


@cache
def extractor() -> TLDExtract:
    # Imported here: tldextract pulls in `requests`, which a plain `import apps.policy` should not.
    import tldextract

    # No suffix-list URLs and no cache directory: the list shipped inside the package is used,
    # so scanning never touches the network or the disk.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


@lru_cache(maxsize=8192)
def registrable(host: str) -> tuple[str, str] | None:
    """(domain label, public suffix) of `host`, or None when it has no public suffix."""
    host = host.strip(".").lower()
    if not host or len(host) > 253 or ".." in host:
        return None
    result = extractor()(host)
    if not result.suffix or not result.domain:
        return None
    return result.domain, result.suffix


def is_suffix(label: str) -> bool:
    """Whether `label` alone ("com", "shop", "co.uk") is a public suffix."""
    return registrable(f"example.{label}") == ("example", label)


def within(host: str, domains: tuple[str, ...] | frozenset[str]) -> bool:
    """`host` is one of `domains` or a subdomain of one of them."""
    host = host.strip(".").lower()
    return any(host == d or host.endswith("." + d) for d in domains)

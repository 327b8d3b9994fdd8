"""The prefix index of listed URLs answers as the scan it replaced; checks are cached per input."""

from __future__ import annotations

from lurewatch.domains.check import check_domain, default_checker
from lurewatch.domains.lists import KnownBadIndex, _split
from lurewatch.domains.models import ListHit


def _scan(index: KnownBadIndex, url: str) -> list[tuple[str, str, str | None]]:
    """URL-entry hits by the definition: every listed prefix of the path, in list order."""
    host, path = _split(url)
    if not path:
        return []
    return [
        (name, host + prefix, since)
        for prefix, (name, since) in index._urls.get(host, [])
        if path.startswith(prefix)
    ]


def _url_hits(hits: list[ListHit], host: str) -> list[tuple[str, str, str | None]]:
    return [(h.list, h.entry, h.since) for h in hits if h.entry != host]


def test_prefix_index_matches_scan() -> None:
    index = KnownBadIndex(whole_host_never=["bit.ly"])
    entries = [
        ("bit.ly/abc", "feed1", "2025-01-01"),
        ("bit.ly/abcdef", "feed2", None),
        ("bit.ly/ab", "feed1", None),
        ("bit.ly/zzz", "feed3", None),
        ("bit.ly/abc", "feed3", "2024-06-01"),  # the same path in another list
        ("https://bit.ly/abc?x=1", "feed2", None),
        ("shop-login.example/pay/now", "feed1", None),
    ]
    for entry, name, since in entries:
        assert index.add(entry, name, since)
    for i in range(2000):
        index.add(f"bit.ly/r{i:04d}", "bulk")
    probes = [
        "https://bit.ly/abcdef123",
        "bit.ly/abc",
        "bit.ly/ab",
        "http://www.bit.ly/abc?x=1&y=2",
        "bit.ly/a",
        "bit.ly/r0042",
        "bit.ly/r00429",
        "bit.ly/",
        "bit.ly",
        "https://shop-login.example/pay/now?id=7",
        "https://shop-login.example/pay",
        "unlisted.example/abc",
    ]
    for url in probes:
        host = _split(url)[0]
        assert _url_hits(index.lookup(url), host) == _scan(index, url), url


def test_cached_check_equals_fresh_check() -> None:
    checker = default_checker()
    for url in ["https://paypa1-secure.example/login", "google.com", "bit.ly/x1", "not a url"]:
        first = check_domain(url)
        assert check_domain(url) is first  # served from the cache
        assert first == checker.check(url)  # and the same answer as a fresh check

"""URL, domain, e-mail and IP extraction: labelled fixtures, focused rules, linear time."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest

from lurewatch import extract
from lurewatch.indicators import web_ip
from lurewatch.indicators.base import Context
from lurewatch.indicators.web import extract_domains, extract_emails, extract_ips, extract_urls
from lurewatch.indicators.web_ip import find_ips
from lurewatch.indicators.web_policy import is_shortener, plausible_bare_host
from lurewatch.indicators.web_scan import scan, strip_tail
from lurewatch.text import normalize
from tests.indicators.fixtures import load_cases, score_cases
from tests.indicators.spelling import assert_same_matches

WEB = ["url", "domain", "email", "ip"]


def _found(text: str, types: list[str] = WEB) -> list[tuple[str, str]]:
    return [(i.type, i.normalized) for i in extract(text, types=types)]  # type: ignore[arg-type]


def test_web_fixtures_meet_the_bar() -> None:
    cases = [c for c in load_cases() if c.file == "web.yaml"]
    assert len(cases) >= 40
    assert {c.lang for c in cases} >= {"en", "zh", "th", "vi", "id", "ms", "tl", "my", "km"}
    total = score_cases(cases, extract_listed_types_only=True)
    assert total.precision >= 0.98 and total.recall >= 0.98, "\n".join(total.misses)


def test_offsets_point_at_the_original_text() -> None:
    text = "ลิงก์ hxxps://bit[.]ly/3Ab รับเงิน"
    (url,) = extract(text, types=["url"])
    assert text[url.start : url.end] == "hxxps://bit[.]ly/3Ab" == url.value
    assert url.obfuscated and url.shortener and url.normalized == "https://bit.ly/3Ab"


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("(see https://a-b.com/x_(y))", "https://a-b.com/x_(y)"),
        ("see https://a-b.com/x).", "https://a-b.com/x"),
        ("HTTPS://Example.COM:443/Path?Q=1#Frag!", "https://example.com/Path?Q=1#Frag"),
        ("ftp://files.example.org:21/a", "ftp://files.example.org/a"),
        ("http://example.com:8080", "http://example.com:8080"),
        ("ลงทะเบียนwww.kbank-th.comเดี๋ยวนี้", "http://www.kbank-th.com"),
        ("https://bücher.de/straße", "https://xn--bcher-kva.de/stra"),
        ("https://xn--bcher-kva.de/x", "https://xn--bcher-kva.de/x"),
        ("http://[2001:db8::1]/x", "http://[2001:db8::1]/x"),
    ],
)
def test_url_canonical_form(text: str, normalized: str) -> None:
    assert ("url", normalized) in _found(text)


def test_idn_host_both_ways() -> None:
    (a,) = extract("https://bücher.de/x", types=["url"])
    (b,) = extract("https://xn--bcher-kva.de/x", types=["url"])
    assert a.host == b.host == "xn--bcher-kva.de"
    assert a.unicode_host == b.unicode_host == "bücher.de"


@pytest.mark.parametrize(
    "text",
    [
        "report.pdf photo.jpg setup.exe",
        "backup.zip movie.mov main.py readme.md run.sh",
        "e.g. i.e. U.S.A. a.m. p.m. etc.",
        "version 2.4.1, python3.11, v1.2.3.4",
        "Done.Thanks Mr.Smith Dr.Kim St.Mary",
        "look.at this.is call.me go.to",
        "2.5kg 10.5km 3.5mm 1.8ms 10.am",
        "mr.kim dr.lee",
        "ok.love bye.now",
    ],
)
def test_hard_negatives_give_no_domain(text: str) -> None:
    assert _found(text) == []


def test_domain_policy_needs_evidence_for_word_tlds() -> None:
    assert plausible_bare_host("kbank-th.co", "kbank-th.co", has_path=False)
    assert plausible_bare_host("pay.scam.me", "pay.scam.me", has_path=False)
    assert not plausible_bare_host("call.me", "call.me", has_path=False)
    assert plausible_bare_host("t.me", "t.me", has_path=True)
    assert plausible_bare_host("coinbasepro.love", "coinbasepro.love", has_path=False)
    assert plausible_bare_host("KBANK.COM", "kbank.com", has_path=False)


def test_domain_not_reported_inside_url_or_email() -> None:
    found = _found("https://shop.example.com/a job.hr@mail.example.org")
    assert [t for t, _ in found] == ["url", "email"]


def test_shortener_matches_subdomains_and_list() -> None:
    assert is_shortener("bit.ly") and is_shortener("s.shopee.co.th") and is_shortener("x.bit.ly")
    assert not is_shortener("bitly.example.com")


def test_strip_tail_keeps_balanced_brackets() -> None:
    assert strip_tail("/wiki/A_(b)") == "/wiki/A_(b)"
    assert strip_tail("/x)],;!?.'\"") == "/x"


def test_email_is_lower_case_with_punycode_domain() -> None:
    (e,) = extract("Mail: Jobs.TH@Bücher.DE", types=["email"])
    assert e.normalized == "jobs.th@xn--bcher-kva.de" and e.unicode_host == "bücher.de"
    (bad,) = extract("x a..b@mail.com", types=["email"])
    assert not bad.valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8.8.8.8", ["8.8.8.8"]),
        ("gw 192.168.001.1", []),
        ("081.234.56.78", []),
        ("1.2.3.4.5", []),
        ("v1.2.3.4", []),
        ("Rp 1.200.100.200", []),
        ("255.255.255.255 0.0.0.0", ["255.255.255.255", "0.0.0.0"]),
        ("::1 and 2001:0db8::0001", ["::1", "2001:db8::1"]),
        ("at 10:30:45 or 00:1A:2B:3C:4D:5E", []),
        ("::ffff:192.0.2.1", ["::ffff:c000:201"]),
    ],
)
def test_ips(text: str, expected: list[str]) -> None:
    assert [n for _, _, n, _ in find_ips(normalize(text).text)] == expected


def test_ipv6_candidates_are_the_full_scan() -> None:
    """`_v6_matches` tries `_IPV6` only next to colons: the same matches as `finditer` over
    every character, on texts dense in hex runs, colons, dots and word characters."""
    rng = random.Random(6)
    pieces = [":", "::", "a", "fF", "0db8", "12345", "g", "1.2.3.4", ".", " ", "z:", "x", "\n"]
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 24)))
        expected = [m.span() for m in web_ip._IPV6.finditer(text)]
        assert [m.span() for m in web_ip._v6_matches(text)] == expected, text


def test_ipv4_pattern_is_its_plain_spelling() -> None:
    rng = random.Random(4)
    pieces = ["1", "22", "333", "4444", ".", ":", "a", "Z", " ", "1.2.3.4", "v", "\n"]
    plain = r"(?<![0-9A-Za-z.:])\d{1,3}(?:\.\d{1,3}){3}(?![0-9A-Za-z]|\.\d)"
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 16)))
        assert_same_matches(web_ip._IPV4, plain, text)


def test_registry_runs_every_web_extractor() -> None:
    ctx = Context(nt=normalize("a.b@c-d.com www.e-f.com g-h.net 1.2.3.4"))
    assert [i.type for i in extract_emails(ctx)] == ["email"]
    assert [i.type for i in extract_urls(ctx)] == ["url"]
    assert [i.type for i in extract_domains(ctx)] == ["domain"]
    assert [i.type for i in extract_ips(ctx)] == ["ip"]


ADVERSARIAL: list[Callable[[int], str]] = [
    lambda n: "a" * n,
    lambda n: "a." * (n // 2),
    lambda n: "a-" * (n // 2) + "!",
    lambda n: "a@" * (n // 2),
    lambda n: "a" * n + "@",
    lambda n: "http://" + "a" * n,
    lambda n: "http://" * (n // 7),
    lambda n: "www." * (n // 4),
    lambda n: "http://a.com/" + "(" * n,
    lambda n: "http://a.com/" + ")" * n,
    lambda n: "http://" + "a:" * (n // 2),
    lambda n: "1." * (n // 2),
    lambda n: "1:" * (n // 2),
    lambda n: "ก" * n + ".ไทย",
    lambda n: "https://" + "ก" * n + ".ไทย",
    lambda n: "x@" + "ก." * (n // 2),
    lambda n: "a.b " * (n // 4),
]


def _time_extract(text: str) -> float:
    ctx = Context(nt=normalize(text))
    best = float("inf")
    for _ in range(3):
        scan.cache_clear()
        t0 = time.process_time()
        for fn in (extract_urls, extract_domains, extract_emails, extract_ips):
            list(fn(ctx))
        best = min(best, time.process_time() - t0)
    return best


@pytest.mark.parametrize("make", ADVERSARIAL)
def test_linear_time_on_hostile_input(make: Callable[[int], str]) -> None:
    small, large = _time_extract(make(20_000)), _time_extract(make(200_000))
    # Linear growth gives ~10x; quadratic would give ~100x. Floor for timer noise.
    assert large <= 30 * max(small, 2e-3), (small, large)

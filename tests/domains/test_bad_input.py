"""Hostile and malformed input yields an assessment with a reason, never an exception."""

from __future__ import annotations

import time

import pytest

from lurewatch.domains.check import DomainChecker
from lurewatch.domains.parse import parse

BAD = [
    "",
    "   ",
    "!!!@@@###",
    "http://",
    "https://:443/",
    "http://[::1",
    "http://[2001:db8::1]:8443/x",
    "http://user:pass@[::1]:99999/",
    "http://10.0.0.1:8080/admin#frag",
    "3232235777",
    "http://0x7f.0.0.1/",
    "a" * 10_000 + ".com",
    "http://" + "a." * 5000 + "com",
    "x" * 70 + ".com",
    "\u202ebinance.com",
    "\x00\x01binance.com",
    "ftp://files.example.org/a.zip",
    "mailto:someone@example.com",
    "javascript:alert(1)",
    "http://例え.テスト/",
    "http://xn--.com",
    "http://xn--zz-invalid.com",
    "ＢＩＮＡＮＣＥ．ＣＯＭ",
    "exa mple . com",
    "http://evil.com:notaport/",
    "http://a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.unknowntld",
]


@pytest.mark.parametrize("raw", BAD)
def test_bad_input_never_raises(checker: DomainChecker, raw: str) -> None:
    a = checker.check(raw)
    assert 0.0 <= a.risk <= 1.0
    if a.domain is None:
        assert a.reasons, "an unusable input must say why"


def test_non_string_input_is_reported() -> None:
    p = parse(12345)
    assert p.host is None and p.problems[0].id == "domain.invalid"


def test_ip_port_credentials_fragment(checker: DomainChecker) -> None:
    a = checker.check("http://admin:pw@203.0.113.7:8080/login#top")
    ids = {r.id for r in a.reasons}
    assert a.domain == "203.0.113.7"
    assert {"domain.ip", "url.port", "url.credentials"} <= ids
    assert a.flagged


def test_too_long_hostname_has_reason(checker: DomainChecker) -> None:
    a = checker.check("http://" + "a" * 10_000 + ".com/")
    assert a.domain is None and a.reasons[0].id in {"domain.too_long", "domain.invalid"}
    assert len(a.input) < 300  # the echo is truncated too


def test_idn_is_punycoded_and_unicode_kept(checker: DomainChecker) -> None:
    a = checker.check("https://bücher.de/")
    assert a.domain == "xn--bcher-kva.de"
    assert a.unicode_domain == "bücher.de"


def test_defanged_links_are_read(checker: DomainChecker) -> None:
    a = checker.check("hxxps://binance-vip[.]com/reg")
    assert a.domain == "binance-vip.com" and a.flagged


_MAKERS = {
    "long-host-and-path": lambda n: "http://" + ("ab-" * n)[:n] + ".com/" + "x" * n,
    "many-labels": lambda n: "http://" + "a." * (n // 2) + "com",
    "defang-runs": lambda n: "http://" + "[.]" * (n // 3) + "x.com",
    "credential-runs": lambda n: "u:p@" * (n // 4) + "x.com",
    "homoglyph-runs": lambda n: "bіnance" * (n // 7),
}


def _elapsed(text: str, checker: DomainChecker) -> float:
    best = float("inf")
    for _ in range(3):  # best of three: the machine is shared
        start = time.process_time()
        for _ in range(10):
            checker.check(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("kind", sorted(_MAKERS))
def test_time_grows_at_most_linearly(checker: DomainChecker, kind: str) -> None:
    make = _MAKERS[kind]
    small, large = _elapsed(make(400), checker), _elapsed(make(4000), checker)
    assert large < small * 40 + 0.01  # 10x input; quadratic would be ~100x

"""Messaging-handle extraction: labelled fixtures, focused rules, linear time."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest

from lurewatch import extract
from lurewatch.indicators import handle
from lurewatch.indicators.base import Context
from lurewatch.indicators.handle import extract_handles
from lurewatch.indicators.handle_links import handle_from_link, telegram_name
from lurewatch.indicators.handle_phone import phone_id
from lurewatch.indicators.web_scan import scan
from lurewatch.text import normalize
from tests.indicators.fixtures import load_cases, score_cases
from tests.indicators.spelling import assert_same_matches


def _handles(text: str, region: str | None = None) -> list[tuple[str | None, str, bool]]:
    found = extract(text, types=["handle"], region=region)
    return [(i.platform, i.normalized, i.valid) for i in found]


def test_handle_fixtures_meet_the_bar() -> None:
    cases = [c for c in load_cases() if c.file == "handle.yaml"]
    assert len(cases) >= 30
    assert {c.lang for c in cases} == {
        "en", "zh", "th", "vi", "id", "ms", "tl", "my", "km", "lo", "ko", "ja",
    }  # fmt: skip
    total = score_cases(cases, extract_listed_types_only=True)
    assert total.precision >= 0.98 and total.recall >= 0.98, "\n".join(total.misses)


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("Jobs_TH", True),
        ("abcd", False),  # too short
        ("a" * 33, False),  # too long
        ("9jobs", False),  # starts with a digit
        ("jobs_", False),  # ends with underscore
        ("job__th", False),  # double underscore
    ],
)
def test_telegram_username_rules(name: str, valid: bool) -> None:
    assert telegram_name(name).valid is valid


def test_link_and_handle_overlap_by_design() -> None:
    found = extract("DM t.me/Lisa_HR now", types=["url", "handle"])
    assert {(i.type, i.normalized, i.value) for i in found} == {
        ("url", "http://t.me/Lisa_HR", "t.me/Lisa_HR"),
        ("handle", "lisa_hr", "t.me/Lisa_HR"),
    }


@pytest.mark.parametrize(
    ("host", "path", "expected"),
    [
        ("t.me", "/s/news_channel", ("telegram", "news_channel")),
        ("t.me", "/share/url?url=x", None),
        ("telegram.me", "/joinchat/AAAbbb", ("telegram", "t.me/+AAAbbb")),
        ("wa.me", "/message/ABCDEF", None),
        ("line.me", "/R/ti/p/%40shop88", ("line", "@shop88")),
        ("line.me", "/ti/g/XyZ", ("line", "line.me/ti/g/XyZ")),
        ("zalo.me", "/g/abcxyz", ("zalo", "zalo.me/g/abcxyz")),
        ("www.facebook.com", "/groups/JobsKH", ("facebook", "groups/jobskh")),
        ("facebook.com", "/sharer/sharer.php?u=x", None),
        ("instagram.com", "/p/Cx12", None),
        ("tiktok.com", "/video/123", None),
        ("example.com", "/jobs", None),
    ],
)
def test_links(host: str, path: str, expected: tuple[str, str] | None) -> None:
    got = handle_from_link(host, path, None)
    assert (got and (got.platform, got.normalized)) == expected


def test_phone_ids_need_a_region_for_national_numbers() -> None:
    assert phone_id("0812345678", "TH") == ("+66812345678", True)
    assert phone_id("0812345678", None) == ("0812345678", False)
    assert phone_id("+66 81 234 5678", None) == ("+66812345678", True)


def test_language_gives_the_region_when_none_is_given() -> None:
    assert ("whatsapp", "+66812345678", True) in _handles("ติดต่อทาง WhatsApp 081 234 5678 นะคะ")


@pytest.mark.parametrize(
    "text",
    [
        "write to job@mail-th.com",
        "price @ 5 USD, @ home, @12345",
        "@binance.com is the site",
        "see you on the line tonight",
        "Telegram group for details",
        "WhatsApp me later",
        "微信支付 100元",
        "QQ音乐",
    ],
)
def test_hard_negatives(text: str) -> None:
    assert _handles(text) == []


def test_platform_word_before_at_name() -> None:
    assert _handles("follow IG (@thai.girl_88)") == [("instagram", "thai.girl_88", True)]
    assert _handles("IG is closed, contact @Admin_Helper") == [("telegram", "admin_helper", True)]


ADVERSARIAL: list[Callable[[int], str]] = [
    lambda n: "@" * n,
    lambda n: "@abcd " * (n // 6),
    lambda n: "a@" * (n // 2),
    lambda n: "LINE ID: " * (n // 9),
    lambda n: "WhatsApp: " + "1 " * (n // 2),
    lambda n: "微信" * (n // 2),
    lambda n: "t.me/" * (n // 5),
    lambda n: "IG " * (n // 3) + "@name_x",
]


def _time_handles(text: str) -> float:
    ctx = Context(nt=normalize(text), region="TH")
    best = float("inf")
    for _ in range(3):
        scan.cache_clear()
        t0 = time.process_time()
        list(extract_handles(ctx))
        best = min(best, time.process_time() - t0)
    return best


@pytest.mark.parametrize("make", ADVERSARIAL)
def test_linear_time_on_hostile_input(make: Callable[[int], str]) -> None:
    small, large = _time_handles(make(20_000)), _time_handles(make(200_000))
    assert large <= 30 * max(small, 2e-3), (small, large)


def test_at_pattern_is_its_plain_spelling() -> None:
    rng = random.Random(7)
    pieces = ["@", "@@", "a", "B_9", ".", "%", "+", "-", " ", "\n", "x" * 41, "é"]
    plain = r"(?<![A-Za-z0-9._%+@\-])@(?P<name>[A-Za-z0-9_.]{1,40})"
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        assert_same_matches(handle._AT, plain, text)

"""Lexical features: the C-level fast paths give what the plain definitions give."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from lurewatch.domains.catalogue import default_catalogue
from lurewatch.domains.features import _digits, _entropy, _words, describe, feature_names
from lurewatch.domains.parse import parse

LABELS = [
    "",
    "binance",
    "usdt-airdrop2024-claim",
    "a1b2c3--d",
    "9999",
    "x",
    "ไทย๑๒3shop",  # Thai letters and Thai digits: the non-ASCII path
    "bіnance-vip",  # Cyrillic і
    "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
]


def _plain_words(s: str) -> list[str]:
    out, cur = [], ""
    for ch in s:
        if ch.isalpha():
            cur += ch
        elif cur:
            out.append(cur)
            cur = ""
    return [*out, cur] if cur else out


def _plain_entropy(s: str) -> float:
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values()) if s else 0.0


@pytest.mark.parametrize("label", LABELS)
def test_fast_paths_equal_the_definitions(label: str) -> None:
    assert _words(label) == _plain_words(label)
    assert _digits(label) == sum(c.isdigit() for c in label)
    assert _entropy(label) == _plain_entropy(label)  # bit for bit: it feeds a bucket


def test_feature_names_for_a_typical_scam_domain() -> None:
    names = feature_names(parse("secure.usdt-claim2.top"), default_catalogue())
    assert names[:3] == ["g:^us", "g:usd", "g:sdt"]
    for expected in ("w:usdt", "w:claim", "t:top", "tl:top", "dig:1", "hy:1", "sub:1", "sw:secure"):
        assert expected in names
    assert "sg:<sec" in names and "sg:ure>" in names


def test_describe_fills_only_the_asked_template() -> None:
    assert describe("g:^bin") == "letters 'bin'"
    assert describe("sg:<sec") == "subdomain letters 'sec'"
    assert describe("t:co.th") == "ending .co.th"
    assert describe("free:1") == "free hosting"
    assert describe("hy:2") == "2 hyphen(s)"
    assert describe("unknown:thing") == "unknown:thing"

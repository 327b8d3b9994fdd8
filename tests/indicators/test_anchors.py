"""The one-pass `anchors` bits agree with the gates they stand for, and extraction with them
gives what extraction without them gives."""

from __future__ import annotations

import re

import pytest

from lurewatch.indicators import anchors as a
from lurewatch.indicators import bank, handle_keywords, money, phone, wallet, web_ip, web_scan
from lurewatch.indicators.bank_catalog import catalogue
from lurewatch.indicators.base import Context
from lurewatch.indicators.registry import extract, registry, resolve_overlaps
from lurewatch.models import INDICATOR_TYPES, Indicator
from lurewatch.text import normalize
from tests.indicators.fixtures import load_cases
from tests.indicators.test_fast_paths import _generated


@pytest.fixture(scope="module")
def texts() -> list[str]:
    extra = [
        "",
        "no anchors at all here",
        "ĐẾN 5 triệu LƯƠNG",  # case folding beyond ASCII, as RE2's (?i)
        "\u212aakao 12345678",
        "x.ไทย y.中国 z.-a",
        "GB82 WEST 1234 5698 7654 32",
        "cafe::babe 10.0.0.1",
        "0x71C7656EC7ab88b098defB751B7401B5f6d8976F",
    ]
    return extra + [c.text for c in load_cases()] + _generated(3000, 23)


def _gate_bits(text: str) -> int:
    """The bits as the families' own gates answer them, one search each."""
    bits = 0
    if re.search(phone.CANDIDATE_GATE, text):
        bits |= a.PHONE
    if wallet.GATE.found_in(text):
        bits |= a.WALLET
    if web_ip.V4_GATE.search(text) or web_ip.V6_GATE.search(text):
        bits |= a.IP
    if handle_keywords._may_name_platform(text):
        bits |= a.PLATFORM
    if bank.RUN_GATE.search(text):
        bits |= a.BANK_RUN
    if catalogue().any_reason.found_in(text):
        bits |= a.BANK_REASON
    if re.search(bank.IBAN_GATE, text):
        bits |= a.IBAN
    if money.MARKER_GATE.found_in(text):
        bits |= a.MONEY_MARKER
    if money.IMPLIED_GATE.found_in(text):
        bits |= a.MONEY_IMPLIED
    if money.PAY_ANYWHERE.found_in(text):
        bits |= a.PAY_WORD
    return bits


def test_each_bit_is_its_gate(texts: list[str]) -> None:
    for text in texts:
        t = normalize(text).text
        bits = a.anchors(t)
        assert bits is not None, t
        # WEB is a superset of `has_candidates` (any non-ASCII character after a dot counts).
        assert bits & ~a.WEB & a.FAMILY_BITS == _gate_bits(t), t
        if web_scan.has_candidates(t):
            assert bits & a.WEB, t


def test_web_bit_superset_is_only_a_dot_before_non_ascii() -> None:
    assert a.anchors("done.ไทย") == a.WEB
    assert not web_scan.has_candidates("done. ไทย") and a.anchors("done. ไทย") == 0


def test_the_gates_the_pass_stands_for_are_supersets_of_the_families_patterns(
    texts: list[str],
) -> None:
    """A gate that did not fire means the family's candidates pattern finds nothing."""
    for text in texts:
        t = normalize(text).text
        bits = a.anchors(t) or 0
        if not bits & a.PHONE:
            assert phone._CANDIDATE.search(t) is None, t
        if not bits & a.IBAN:
            assert bank._IBAN.search(t) is None, t


def test_no_verdict_without_utf8_or_with_other_digits() -> None:
    assert a.anchors("call \ud800 0812345678") is None
    assert a.anchors("๐๘๑๒๓๔๕๖๗๘") is None  # never in normalized text: folded to ASCII


def test_text_edit_bit_is_the_normalization_pass(texts: list[str]) -> None:
    from lurewatch.indicators import registry as r
    from lurewatch.text import _edit_anchors

    assert r._FAMILY_BITS == a.FAMILY_BITS and a.TEXT_EDIT > a.FAMILY_BITS
    for text in texts:
        bits = a.anchors(text)
        if bits is not None:
            assert bool(bits & a.TEXT_EDIT) == _edit_anchors().found_in(text), text


def test_extract_with_and_without_the_pass_agree(texts: list[str]) -> None:
    reg = registry()
    for text in texts:
        nt = normalize(text)
        fast = extract(nt)
        assert extract(text) == fast, text  # one pass on the raw text when nothing is edited
        ctx = Context(nt=nt)  # anchors=None: every family runs, behind its own gate
        slow: list[Indicator] = [i for t in INDICATOR_TYPES for i in reg[t](ctx)]
        assert fast == (slow if len(slow) < 2 else resolve_overlaps(slow)), text


def test_pieces_are_the_same_in_every_process() -> None:
    """The compiled database is cached on disk under a hash of the pieces: a piece built from
    a set in its iteration order would miss the cache in every new process (~1.5 s)."""
    import os
    import subprocess
    import sys

    code = "from lurewatch.indicators.anchors import _pieces; print(repr(_pieces()))"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1


def test_without_a_hyperscan_database_every_family_gates_itself(
    monkeypatch: pytest.MonkeyPatch, texts: list[str]
) -> None:
    """A Hyperscan that cannot build the database (fault injected here) slows extraction
    down but changes nothing it finds."""
    from lurewatch.indicators import registry as r
    from lurewatch.signals import hyperscan_set

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise hyperscan_set.HyperscanError("no database")

    want = [extract(t) for t in texts[:400]]
    monkeypatch.setattr(a, "HyperscanSet", refuse)
    monkeypatch.setattr(r, "_anchors", None)
    a._anchors.cache_clear()
    try:
        assert a.anchors("call 0812345678") is None
        assert [extract(t) for t in texts[:400]] == want
    finally:
        a._anchors.cache_clear()

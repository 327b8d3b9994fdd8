"""Money extraction: the labelled fixtures, focused behaviour, and linear time on hostile input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lurewatch import extract
from lurewatch.indicators.money import canonical, extract_money, parse_number
from tests.indicators.fixtures import FIXTURE_DIR, NUMERIC_PIECES, load_cases, score_cases
from tests.indicators.linear import growth

CASES = [c for c in load_cases(FIXTURE_DIR) if c.file == "money.yaml"]


def test_fixture_precision_and_recall() -> None:
    total = score_cases(CASES)
    assert len(CASES) >= 30
    assert total.precision >= 0.98 and total.recall >= 0.98, "\n".join(total.misses)


def money(text: str, region: str | None = None) -> list[tuple[str, str]]:
    return [(i.value, i.normalized) for i in extract(text, types=["money"], region=region)]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("2,000.50", "2000.5"),
        ("2.000,50", "2000.5"),
        ("2.000.000", "2000000"),
        ("2,000", "2000"),
        ("2.000", "2000"),
        ("1.5", "1.5"),
        ("1,5", "1.5"),
        ("2 000", "2000"),
        ("1,50,000", "150000"),
        ("0.05", "0.05"),
    ],
)
def test_both_separator_conventions(written: str, value: str) -> None:
    parsed = parse_number(written)
    assert parsed is not None and canonical(parsed) == value


def test_canonical_form_has_no_exponent_or_trailing_zeros() -> None:
    assert canonical(Decimal("2E+7")) == "20000000"
    assert canonical(Decimal("1.500")) == "1.5"
    assert canonical(Decimal("1.5") * Decimal(10**6)) == "1500000"


def test_range_gives_one_indicator_per_end_with_shared_currency() -> None:
    assert money("Salary USD 800–3,000/month") == [("USD 800", "800 USD"), ("3,000", "3000 USD")]
    assert money("月薪2-3万") == [("2", "20000 CNY"), ("3万", "30000 CNY")]


def test_amount_without_currency_is_not_money() -> None:
    assert money("We have 3000 members and 5k followers") == []
    assert money("กลุ่มมีสมาชิก 3 หมื่น คน") == []


def test_yen_symbol_reads_as_yen_in_japanese_text() -> None:
    assert money("登録料￥5,000、時給1,500円") == [("￥5,000", "5000 JPY"), ("1,500円", "1500 JPY")]
    assert money("押金¥3,000") == [("¥3,000", "3000 CNY")]


def test_offsets_and_fields() -> None:
    text = "fee ＵＳＤＴ ５００ now"
    (ind,) = extract(text, types=["money"])
    assert text[ind.start : ind.end] == ind.value
    assert (ind.amount, ind.currency, ind.valid, ind.obfuscated) == (500.0, "USDT", True, True)


def test_overlong_digit_run_is_not_an_amount() -> None:
    assert money("$" + "9" * 40) == []


@pytest.mark.parametrize(
    "unit", ["1,", "$1 ", "1 000 ", "USD 1-", "9" * 50 + " ", "万1", "Rp1.", "1k-"]
)
def test_hostile_input_is_linear(unit: str) -> None:
    assert growth(extract_money, unit) < 25


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(NUMERIC_PIECES), max_size=30), st.sampled_from([None, "TH", "JP"]))
def test_any_mix_of_digits_and_markers_never_raises(pieces: list[str], region: str | None) -> None:
    text = "".join(pieces)
    for ind in extract(text, types=["money"], region=region):
        assert text[ind.start : ind.end] == ind.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ប្រាក់ខែ 1000$ ទាក់ទង", [("1000$", "1000 USD")]),
        ("lương 1500$ mỗi tháng", [("1500$", "1500 USD")]),
        ("800$/tháng", [("800$", "800 USD")]),
        ("ເງິນເດືອນ 1,200 $ ຕໍ່ເດືອນ", [("1,200 $", "1200 USD")]),
        ("lương 800-1500$", [("800", "800 USD"), ("1500$", "1500 USD")]),
        ("US$500 or 500$", [("US$500", "500 USD"), ("500$", "500 USD")]),
        ("bets 1711 $3 Big $2 Small", [("$3", "3 USD"), ("$2", "2 USD")]),
        ("won 7-4 $23-12 today", [("$23", "23 USD"), ("12", "12 USD")]),
    ],
)
def test_trailing_dollar_sign_is_usd(text: str, expected: list[tuple[str, str]]) -> None:
    assert money(text) == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789.,' ", min_size=1, max_size=14))
def test_cached_number_reading_is_the_plain_one(token: str) -> None:
    """`parse_number` and `canonical` are cached; the cache answers as the functions do."""
    token = token.strip() or "0"
    if not token[0].isdigit() or not token[-1].isdigit():
        return
    try:
        plain = parse_number.__wrapped__(token)
    except ArithmeticError:
        return  # not a number `_NUM` can read (e.g. "1..2"): not asked by the extractor
    assert parse_number(token) == plain
    assert parse_number(token) == plain  # the cached answer, asked twice
    if plain is not None:
        assert canonical(plain) == canonical.__wrapped__(plain)


def test_equal_amounts_written_differently_share_one_canonical_form() -> None:
    forms = [Decimal("5000"), Decimal("5E+3"), Decimal("5000.00"), Decimal("0.5E4")]
    assert {canonical.__wrapped__(f) for f in forms} == {"5000"}
    assert [canonical(f) for f in forms] == ["5000"] * 4

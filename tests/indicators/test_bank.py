"""Bank account and IBAN extraction: the labelled fixtures, focused behaviour, linear time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lurewatch import extract
from lurewatch.indicators import bank
from lurewatch.indicators.bank import extract_bank_accounts, extract_ibans
from lurewatch.indicators.bank_catalog import catalogue
from tests.indicators.fixtures import FIXTURE_DIR, NUMERIC_PIECES, load_cases, score_cases
from tests.indicators.linear import growth
from tests.indicators.spelling import assert_same_matches

CASES = [c for c in load_cases(FIXTURE_DIR) if c.file == "bank.yaml"]


def test_fixture_precision_and_recall() -> None:
    total = score_cases(CASES)
    assert len(CASES) >= 35
    assert total.precision >= 0.98 and total.recall >= 0.98, "\n".join(total.misses)


def accounts(text: str) -> list[tuple[str, str | None, bool]]:
    return [(i.normalized, i.bank, i.valid) for i in extract(text, types=["bank_account"])]


def test_catalogue_covers_the_region_with_local_scripts() -> None:
    cat = catalogue()
    countries = {b.country for b in cat.banks.values()}
    assert {"TH", "VN", "ID", "MY", "PH", "KH", "MM", "LA", "CN", "KR", "JP"} <= countries
    for alias in ("กสิกรไทย", "工商银行", "신한은행", "ゆうちょ銀行", "GCash", "ABA", "KBZ", "BCEL"):
        assert cat.bank_for(alias) is not None, alias
    assert cat.bank_for("mb") is None  # short Latin aliases are case-sensitive


def test_luhn_decides_card_numbers() -> None:
    assert accounts("card 4367 4200 1234 5673") == [("4367420012345673", None, True)]
    assert accounts("card 4367 4200 1234 5674") == [("4367420012345674", None, False)]


def test_length_decides_plain_accounts() -> None:
    assert accounts("BCA 1234567890") == [("1234567890", "Bank Central Asia", True)]
    assert accounts("BCA 123456789012") == [("123456789012", "Bank Central Asia", False)]


def test_digits_without_a_bank_or_account_word_are_not_accounts() -> None:
    assert accounts("ref 1234567890 shipped") == []


def test_a_phone_word_after_the_bank_word_claims_the_number() -> None:
    assert accounts("KBank transfer done, call 0812345678") == []


def test_iban_is_trimmed_to_its_country_length_and_checked() -> None:
    text = "IBAN DE89 3704 0044 0532 0130 00 BANK"
    (ind,) = extract(text, types=["iban"])
    assert (ind.value, ind.normalized, ind.valid) == (
        "DE89 3704 0044 0532 0130 00",
        "DE89370400440532013000",
        True,
    )
    (bad,) = extract("IBAN DE88370400440532013000", types=["iban"])
    assert not bad.valid


def test_iban_of_wrong_length_is_not_reported() -> None:
    assert extract("DE89 3704 0044 0532 0130", types=["iban"]) == []


@pytest.mark.parametrize("unit", ["1 ", "KBank 12345678 ", "บัญชี 1-", "9" * 30 + " "])
def test_accounts_hostile_input_is_linear(unit: str) -> None:
    assert growth(extract_bank_accounts, unit) < 25


@pytest.mark.parametrize("unit", ["DE89 ", "DE89 AAAA ", "AB12", "DE89370400440532013000 "])
def test_ibans_hostile_input_is_linear(unit: str) -> None:
    assert growth(extract_ibans, unit) < 25


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(NUMERIC_PIECES), max_size=30), st.sampled_from([None, "TH", "JP"]))
def test_any_mix_of_digits_and_markers_never_raises(pieces: list[str], region: str | None) -> None:
    text = "".join(pieces)
    for ind in extract(text, types=["bank_account", "iban"], region=region):
        assert text[ind.start : ind.end] == ind.value


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="GBTH12 9a_\n", max_size=16))
def test_iban_pattern_is_its_plain_spelling(text: str) -> None:
    plain = r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9])+"
    assert_same_matches(bank._IBAN, plain, text)

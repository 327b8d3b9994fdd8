"""Interface languages: every catalog complete with the same placeholders, Accept-Language
parsing (q-values, aliases, hostile headers), country names from CLDR."""

from __future__ import annotations

import re
import time
from importlib import resources

import pytest
import yaml

from lurewatch.web import i18n

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _own(lang: str) -> dict[str, str]:
    raw = resources.files("lurewatch.web").joinpath("locales", f"{lang}.yaml").read_text("utf-8")
    data: dict[str, str] = yaml.safe_load(raw)
    return data


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != "en"])
def test_catalog_has_every_english_key_with_the_same_placeholders(lang: str) -> None:
    en, mine = _own("en"), _own(lang)
    assert sorted(set(en) - set(mine)) == []
    assert sorted(set(mine) - set(en)) == []
    for key, text in en.items():
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(mine[key])), key
        assert mine[key].strip(), key
    t = i18n.Translator(lang)
    assert t("error_too_large", mb=1) != i18n.Translator("en")("error_too_large", mb=1)


def test_merged_catalogs_format_and_fall_back() -> None:
    for lang in i18n.LANGUAGES:
        merged = i18n.catalog(lang)
        assert merged["language_name"]
    t = i18n.Translator("th")
    assert t("no_such_key") == "no_such_key"
    assert t("seen_in_reports", n=3) == "ใน 3 รายงาน"
    assert [code for code, _ in i18n.language_names()] == list(i18n.LANGUAGES)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("th-TH,th;q=0.9,en-US;q=0.8,en;q=0.7", "th"),
        ("en-GB;q=0.5, vi;q=0.9", "vi"),
        ("fil-PH", "tl"),
        ("zh-Hant-TW, zh;q=0.8", "zh"),
        ("my-MM", "my"),
        ("km", "km"),
        ("de-DE, fr;q=0.9", "en"),
        ("id;q=0, ms", "en"),
        ("", "en"),
        ("*", "en"),
        (";;;q=abc,,,=", "en"),
    ],
)
def test_accept_language(header: str, expected: str) -> None:
    assert i18n.from_accept_language(header) == expected


def test_hostile_accept_language_costs_nothing() -> None:
    header = "x-" * 500_000 + ",th"
    started = time.process_time()
    assert i18n.from_accept_language(header) == "en"  # cut at MAX_HEADER, "th" never seen
    assert time.process_time() - started < 0.5


def test_country_names_in_the_interface_language() -> None:
    assert i18n.country_name("KH", "en") == "Cambodia"
    assert i18n.country_name("KH", "th") == "กัมพูชา"
    assert i18n.country_name("ZZQ", "th") == "ZZQ"

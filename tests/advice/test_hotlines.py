"""Hotline data is well-formed, and the right lines are chosen for a verdict and a region."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lurewatch.advice import CatalogError, load_catalog, load_hotlines
from lurewatch.advice import hotlines as hl
from lurewatch.advice.hotlines import INTERNATIONAL, hotlines_for
from lurewatch.advice.models import PURPOSES

COUNTRIES = (
    "TH",
    "KH",
    "MM",
    "LA",
    "VN",
    "ID",
    "MY",
    "PH",
    "SG",
    "CN",
    "HK",
    "TW",
    "KR",
    "JP",
    "IN",
)


def numbers(category: str, region: str | None, language: str = "en") -> list[str]:
    return [h.number or h.url or "" for h in hotlines_for(category, region, language)]


def test_every_purpose_has_a_label() -> None:
    assert set(PURPOSES) <= set(load_catalog()["en"].labels)


def test_every_country_and_the_fallback_are_there() -> None:
    assert set(COUNTRIES) | {INTERNATIONAL} <= set(load_hotlines())


@pytest.mark.parametrize("country", [*COUNTRIES, INTERNATIONAL])
def test_entries_well_formed(country: str) -> None:
    entries = load_hotlines()[country]
    languages = set(load_catalog())
    assert any("emergency" in e.purposes for e in entries), "every country needs its emergency line"
    seen = set()
    for e in entries:
        assert e.verify_by == "2026-11"
        assert set(e.names) <= languages, set(e.names) - languages
        assert all(name.strip() for name in e.names.values())
        key = (e.number, e.url)
        assert key not in seen, f"duplicate entry {key}"
        seen.add(key)


@pytest.mark.parametrize(
    ("category", "region", "first"),
    [
        ("pig_butchering", "TH", "1441"),
        ("trafficking_lure", "TH", "1300"),
        ("trafficking_lure", "PH", "1343"),
        ("job_scam", "PH", "1326"),
        ("phishing", "MY", "997"),
        ("investment", "SG", "1799"),
        ("investment", "CN", "96110"),
        ("impersonation", "HK", "18222"),
        ("romance", "TW", "165"),
        ("impersonation", "KR", "112"),
        ("phishing", "JP", "#9110"),
        ("phishing", "IN", "1930"),
        ("urgent_held", "TH", "191"),
        ("urgent_held", "PH", "911"),
    ],
)
def test_best_line_first(category: str, region: str, first: str) -> None:
    assert numbers(category, region)[0] == first


def test_urgent_gives_emergency_then_trafficking_then_abroad() -> None:
    assert numbers("urgent_held", "PH") == ["911", "1343", "1348"]


def test_scam_lines_do_not_bring_emergency_numbers() -> None:
    assert "191" not in numbers("phishing", "TH")
    assert "1300" not in numbers("phishing", "TH")


def test_region_without_a_scam_line_falls_back_to_emergency() -> None:
    assert numbers("pig_butchering", "MM") == ["199"]
    assert numbers("trafficking_lure", "KH") == ["117"]


def test_quiet_verdicts_never_get_emergency_numbers() -> None:
    assert numbers("spam", "MM") == []
    assert numbers("benign", "LA") == []
    assert numbers("benign", "TH") == ["1441"]


@pytest.mark.parametrize("region", [None, "", "ZZ", "xx-yy", "Thailand", "  "])
def test_unknown_region_uses_international(region: str | None) -> None:
    assert numbers("urgent_held", region) == ["112"]
    assert all(h.country == INTERNATIONAL for h in hotlines_for("urgent_held", region, "en"))
    assert numbers("phishing", region) == []


def test_region_code_is_case_insensitive() -> None:
    assert numbers("pig_butchering", " th ") == numbers("pig_butchering", "TH")


def test_names_in_the_reader_language() -> None:
    (aoc,) = hotlines_for("pig_butchering", "TH", "th")
    assert "ศูนย์" in aoc.name
    (aoc_en,) = hotlines_for("pig_butchering", "TH", "vi")
    assert aoc_en.name.startswith("Anti Online Scam")


GOOD = {
    "names": {"en": "X"},
    "number": "1441",
    "purposes": ["scams"],
    "source": "somewhere official",
    "verify_by": "2026-11",
}
ALSO_INTERNATIONAL = {"international": [GOOD]}


def entry_file(**change: object) -> str:
    entry = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    return yaml.safe_dump({"TH": [entry], **ALSO_INTERNATIONAL})


def test_valid_file_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusals below are for their one fault, not for the shape they share."""
    good = tmp_path / "hotlines.yaml"
    good.write_text(entry_file(), encoding="utf-8")
    monkeypatch.setattr(hl, "HOTLINES_FILE", good)
    load_hotlines.cache_clear()
    try:
        assert [e.number for e in load_hotlines()["TH"]] == ["1441"]
    finally:
        load_hotlines.cache_clear()


@pytest.mark.parametrize(
    "body",
    [
        entry_file(number="abc"),
        entry_file(number="1441; DROP"),
        entry_file(names={"th": "X"}),
        entry_file(number=None),
        entry_file(number=None, url="http://x.go.th"),
        entry_file(purposes=["police"]),
        entry_file(purposes=[]),
        entry_file(verify_by="soon"),
        entry_file(source=""),
        entry_file(extra="field"),
        yaml.safe_dump({"TH": [GOOD]}),
        yaml.safe_dump({"Thailand": [GOOD], **ALSO_INTERNATIONAL}),
        "[1, 2]",
        "TH: [",
    ],
)
def test_malformed_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    bad = tmp_path / "hotlines.yaml"
    bad.write_text(body, encoding="utf-8")
    monkeypatch.setattr(hl, "HOTLINES_FILE", bad)
    load_hotlines.cache_clear()
    try:
        with pytest.raises(CatalogError):
            load_hotlines()
    finally:
        load_hotlines.cache_clear()

"""advice_for: the right text in the right language, English per missing string, never raising."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lurewatch.advice import (
    CATEGORIES,
    advice_for,
    load_catalog,
    resolve_category,
    resolve_language,
)
from lurewatch.advice import catalog as cat_mod


@pytest.mark.parametrize(
    ("asked", "region", "used"),
    [
        ("th", None, "th"),
        ("TH", None, "th"),
        ("en-US", None, "en"),
        ("vi_VN", None, "vi"),
        ("fil", None, "tl"),
        ("in", None, "id"),
        ("zh", None, "zh"),
        ("zh-CN", None, "zh"),
        ("zh-Hans-SG", None, "zh"),
        ("zh-TW", None, "zh-Hant"),
        ("zh_HK", None, "zh-Hant"),
        ("zh-Hant", None, "zh-Hant"),
        ("zh", "TW", "zh-Hant"),
        ("zh", "hk", "zh-Hant"),
        ("zh", "SG", "zh"),
        ("und", None, "en"),
        ("pt-BR", None, "en"),
        ("", None, "en"),
        (None, None, "en"),
        ("x" * 100_000, None, "en"),
    ],
)
def test_language_resolution(asked: str | None, region: str | None, used: str) -> None:
    assert resolve_language(asked, region) == used
    assert advice_for("phishing", asked, region).language == used


def test_advice_is_in_the_language_asked() -> None:
    th = advice_for("trafficking_lure", "th", "TH")
    en = advice_for("trafficking_lure", "en", "TH")
    assert th.summary != en.summary and th.steps != en.steps
    assert th.summary == load_catalog()["th"].advice["trafficking_lure"].summary
    assert th.labels["what_to_do"] != en.labels["what_to_do"]
    assert th.fell_back == ()
    assert [h.number for h in th.hotlines] == [h.number for h in en.hotlines]


def test_trafficking_advice_names_the_real_institution() -> None:
    expected = {
        "th": "กรมการจัดหางาน",
        "tl": "DMW",
        "id": "BP2MI",
        "vi": "DOLAB",
        "ms": "JTK",
        "my": "အလုပ်သမားဝန်ကြီးဌာန",
        "km": "ក្រសួងការងារ",
        "lo": "ກະຊວງແຮງງານ",
        "ko": "월드잡플러스",
        "ja": "外務省",
        "zh": "对外劳务合作",
        "zh-Hant": "勞動部",
    }
    for lang, institution in expected.items():
        steps = " ".join(advice_for("trafficking_lure", lang, None).steps)
        assert institution in steps, lang


@pytest.mark.parametrize("category", ["", "nonsense", "any", "ANY", "x" * 10_000, "trafficking"])
def test_unknown_category_gets_generic_advice(category: str) -> None:
    advice = advice_for(category, "vi", "VN")
    assert advice.category == "unknown"
    assert advice.summary == load_catalog()["vi"].advice["unknown"].summary


def test_category_spelling_is_forgiven() -> None:
    assert resolve_category("Pig-Butchering") == "pig_butchering"
    assert resolve_category(" job scam ") == "job_scam"
    assert resolve_category("safe") == "benign"


@pytest.mark.parametrize("category", CATEGORIES)
@pytest.mark.parametrize("language", sorted(load_catalog()))
def test_every_pair_gives_full_advice(category: str, language: str) -> None:
    advice = advice_for(category, language, "TH")
    assert advice.summary and advice.steps and advice.fell_back == ()
    assert advice.language == language
    assert advice.as_text().startswith(advice.summary)


def test_urgent_overrides_the_category() -> None:
    advice = advice_for("spam", "km", "KH", urgent=True)
    assert advice.category == "urgent_held"
    assert advice.summary == load_catalog()["km"].advice["urgent_held"].summary
    assert [h.number for h in advice.hotlines] == ["117"]


def test_as_text_lists_steps_and_numbers() -> None:
    text = advice_for("pig_butchering", "ms", "MY").as_text()
    assert "997" in text and "1." in text
    assert load_catalog()["ms"].labels["what_to_do"] in text


def test_missing_strings_fall_back_to_english_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A half-translated language shows what it has and English for the rest, and says so."""
    (tmp_path / "en.yaml").write_text(
        (cat_mod.DATA_DIR / "en.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "xh.yaml").write_text(
        "language: xh\nname: test\nlabels: {what_to_do: Yenza ntoni}\n"
        "advice:\n  phishing: {summary: Lo ngumyalezo wobuqhophololo}\n"
        "  spam: {steps: [Musa ukuphendula, Vala lo mthumeli]}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(cat_mod, "DATA_DIR", tmp_path)
    load_catalog.cache_clear()
    try:
        phishing = advice_for("phishing", "xh", None)
        english = load_catalog()["en"].advice
        assert phishing.language == "xh"
        assert phishing.summary == "Lo ngumyalezo wobuqhophololo"
        assert phishing.steps == english["phishing"].steps
        assert "phishing.steps" in phishing.fell_back
        assert phishing.labels["what_to_do"] == "Yenza ntoni"
        assert phishing.labels["hotlines"] == "Who to contact"
        assert "labels.hotlines" in phishing.fell_back

        spam = advice_for("spam", "xh", None)
        assert spam.language == "en" and spam.summary == english["spam"].summary
        assert spam.steps == ("Musa ukuphendula", "Vala lo mthumeli")

        romance = advice_for("romance", "xh", None)
        assert romance.summary == english["romance"].summary
        assert {"romance.summary", "romance.steps"} <= set(romance.fell_back)
    finally:
        load_catalog.cache_clear()


def test_yaml_is_read_once() -> None:
    load_catalog.cache_clear()
    advice_for("phishing", "th", "TH")
    before = load_catalog.cache_info()
    for _ in range(50):
        advice_for("phishing", "th", "TH")
    after = load_catalog.cache_info()
    assert after.misses == before.misses and after.hits > before.hits


def test_hostile_arguments_stay_linear() -> None:
    """Huge arguments are cut before any work; time barely grows from 20k to 200k chars."""

    def run(n: int) -> float:
        t = time.process_time()
        for _ in range(20):
            advice_for("a-" * n, "zh-" * n, "T" * n)
        return time.process_time() - t

    run(10)
    small, big = run(10_000), run(100_000)
    assert big < small * 20 + 0.05


def test_as_text_says_when_english_stands_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "partly" not in advice_for("phishing", "en", "TH").as_text()
    (tmp_path / "en.yaml").write_text(
        (cat_mod.DATA_DIR / "en.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "xh.yaml").write_text("language: xh\nname: test\n", encoding="utf-8")
    monkeypatch.setattr(cat_mod, "DATA_DIR", tmp_path)
    load_catalog.cache_clear()
    try:
        text = advice_for("phishing", "xh", "TH").as_text()
        assert load_catalog()["en"].labels["partly_english"] in text
        assert "Call 1441" in text
    finally:
        load_catalog.cache_clear()

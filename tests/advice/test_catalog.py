"""Linter-style checks of the advice texts: every language file parses, has exactly the keys of
en.yaml, and every string is really written in that language (its script, and for Latin-script
languages the project's own language detector)."""

from __future__ import annotations

import re

import pytest
import yaml

from lurewatch.advice import CATEGORIES, load_catalog
from lurewatch.advice.catalog import DATA_DIR, MAX_STEPS, REFERENCE, LanguageFile
from lurewatch.text import detect_language

LANGUAGES = ("en", "zh", "zh-Hant", "th", "vi", "id", "ms", "tl", "my", "km", "lo", "ko", "ja")
SCRIPT = {
    "th": r"[\u0e01-\u0e5b]",
    "lo": r"[\u0e81-\u0edf]",
    "km": r"[\u1780-\u17ff]",
    "my": r"[\u1000-\u109f]",
    "ko": r"[\uac00-\ud7af]",
    "ja": r"[\u3040-\u30ff]",
    "zh": r"[\u4e00-\u9fff]",
    "zh-Hant": r"[\u4e00-\u9fff]",
}
# Characters that exist only in one of the two Chinese scripts (pairs of the same word).
SIMPLIFIED_ONLY = "们这说钱护门国机语对时会还给让骗诈账号码银联题链"
TRADITIONAL_ONLY = "們這說錢護門國機語對時會還給讓騙詐賬號碼銀聯題鏈"


def texts(lang_file: LanguageFile) -> list[str]:
    out = list(lang_file.labels.values())
    for entry in lang_file.advice.values():
        out += [entry.summary or "", *(entry.steps or ())]
    return out


@pytest.fixture(scope="module")
def catalog() -> dict[str, LanguageFile]:
    return load_catalog()


def test_every_language_is_there(catalog: dict[str, LanguageFile]) -> None:
    assert set(LANGUAGES) <= set(catalog)


@pytest.mark.parametrize("path", sorted(DATA_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_file_parses_as_yaml(path: object) -> None:
    assert isinstance(path, type(DATA_DIR))
    assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_same_keys_as_english(catalog: dict[str, LanguageFile], lang: str) -> None:
    ref, own = catalog[REFERENCE], catalog[lang]
    assert set(own.labels) == set(ref.labels)
    assert set(own.advice) == set(ref.advice) == set(CATEGORIES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_category_has_summary_and_steps(catalog: dict[str, LanguageFile], lang: str) -> None:
    for cat in CATEGORIES:
        entry = catalog[lang].advice[cat]
        assert entry.summary and entry.summary.strip(), (lang, cat)
        assert entry.steps and 2 <= len(entry.steps) <= MAX_STEPS, (lang, cat)
        assert all(s.strip() for s in entry.steps), (lang, cat)
        assert len(set(entry.steps)) == len(entry.steps), (lang, cat, "duplicate step")


@pytest.mark.parametrize("lang", [x for x in LANGUAGES if x != REFERENCE])
def test_nothing_left_in_english(catalog: dict[str, LanguageFile], lang: str) -> None:
    """No advice sentence copied from English; labels may be loanwords ("Hotline" in Filipino)
    but most of them must be translated."""
    ref, own = catalog[REFERENCE], catalog[lang]
    english = set(texts(ref))
    left = [t for t in texts(own)[len(own.labels) :] if t in english]
    assert not left, left
    same = [k for k, v in own.labels.items() if v == ref.labels[k]]
    assert len(same) * 2 < len(own.labels), same


@pytest.mark.parametrize("lang", sorted(SCRIPT))
def test_written_in_its_script(catalog: dict[str, LanguageFile], lang: str) -> None:
    rx = re.compile(SCRIPT[lang])
    for entry in catalog[lang].advice.values():
        for text in (entry.summary or "", *(entry.steps or ())):
            assert rx.search(text), (lang, text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_detector_agrees_with_file(catalog: dict[str, LanguageFile], lang: str) -> None:
    """Each category's text, read as a whole, is detected as the file's language."""
    want = "zh" if lang == "zh-Hant" else lang
    for cat, entry in catalog[lang].advice.items():
        text = " ".join([entry.summary or "", *(entry.steps or ())])
        assert detect_language(text) == want, (lang, cat)


def test_simplified_and_traditional_are_not_mixed(catalog: dict[str, LanguageFile]) -> None:
    hans = "".join(texts(catalog["zh"]))
    hant = "".join(texts(catalog["zh-Hant"]))
    assert not set(hans) & set(TRADITIONAL_ONLY), set(hans) & set(TRADITIONAL_ONLY)
    assert not set(hant) & set(SIMPLIFIED_ONLY), set(hant) & set(SIMPLIFIED_ONLY)

"""Engine behaviour: spans in original offsets, context windows, keywords, the combined set,
user pack directories, and linear time on hostile input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import re2
import yaml

from lurewatch.signals import engine as engine_mod
from lurewatch.signals import loader
from lurewatch.signals.engine import MAX_SPANS_PER_RULE, SignalEngine, match_signals
from lurewatch.signals.loader import PackError, add_pack_dir, parse_pack, reset_pack_dirs
from lurewatch.signals.schema import re2_options
from lurewatch.text import normalize
from tests.signals.conftest import ENGINE, PACKS


def make_pack(rules: list[dict[str, object]], lang: str = "en", theme: str = "phishing") -> dict:
    base = {"title": "T", "title_local": "T", "category": "phishing", "weight": 0.4}
    return {
        "pack": f"{lang}_{theme}",
        "language": lang,
        "theme": theme,
        "rules": [{**base, **r} for r in rules],
    }


def engine_of(*rules: dict[str, object]) -> SignalEngine:
    return SignalEngine([parse_pack(make_pack(list(rules)), "test")])


def test_spans_point_into_the_original_text() -> None:
    eng = engine_of({"id": "en.phishing.locked", "patterns": [r"account\s+(?:is\s+)?locked"]})
    original = "Dear user, your ACC\u200bOUNT   is lоcked today"  # zero-width + Cyrillic о
    (hit,) = eng.match(normalize(original))
    (span,) = hit.spans
    assert original[span.start : span.end] == span.text
    assert span.text.startswith("ACC") and span.text.endswith("cked")


def test_context_words_gate_the_rule() -> None:
    eng = engine_of(
        {
            "id": "en.phishing.verify",
            "keywords": ["verify"],
            "context": ["link", "click"],
            "context_window": 20,
        }
    )
    assert eng.match(normalize("Please verify here: click the link"))
    assert not eng.match(normalize("Please verify your spelling before you send the essay"))
    far = "verify " + "x " * 30 + "link"
    assert not eng.match(normalize(far))


def test_keywords_respect_ascii_word_edges_but_not_cjk() -> None:
    eng = engine_of(
        {"id": "en.phishing.task", "keywords": ["task", "刷单"], "category": "job_scam"}
    )
    assert eng.match(normalize("one simple task a day"))
    assert not eng.match(normalize("good at multitasking"))
    assert eng.match(normalize("兼职刷单日结"))


def test_spans_are_capped_on_repetitive_input() -> None:
    eng = engine_of({"id": "en.phishing.prize", "keywords": ["prize"]})
    (hit,) = eng.match(normalize("prize " * 500))
    assert len(hit.spans) == MAX_SPANS_PER_RULE


def test_empty_engine_and_empty_text() -> None:
    assert SignalEngine([]).match(normalize("anything")) == []
    assert ENGINE.match(normalize("")) == []


def test_prefilter_never_misses_a_pattern_that_matches() -> None:
    """The per-language sets of pattern pieces may over-report but must never under-report
    (e.g. through a bad cut or a too-small RE2 memory budget). Checked on each pack's
    positives joined, and on all positives of all packs joined (the most state-hungry text)."""
    opts = re2_options()
    regexes = [
        re2.compile(p, opts) for pack in PACKS for rule in pack.rules for p in rule.all_patterns()
    ]
    texts = ["\n".join(t for r in pack.rules for t in r.examples.positive) for pack in PACKS]
    texts.append("\n".join(texts))
    for text in texts:
        norm = normalize(text).text
        encoded = norm.encode("utf-8")  # bytes: skips the wrapper's char-offset bookkeeping
        expected = {i for i, rx in enumerate(regexes) if rx.search(encoded)}
        candidates = set(ENGINE.candidate_patterns(norm))
        assert expected <= candidates, sorted(expected - candidates)[:5]


def test_default_engine_and_user_pack_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builtin, user = tmp_path / "builtin", tmp_path / "user"
    builtin.mkdir()
    user.mkdir()
    base = {"id": "xx.custom.base_phrase", "keywords": ["green heron code"]}
    rule = {"id": "xx.custom.secret_phrase", "keywords": ["blue pelican code"]}
    (builtin / "xx_custom.yaml").write_text(
        yaml.safe_dump(make_pack([base], lang="xx", theme="custom")), encoding="utf-8"
    )
    (user / "xx_custom.yaml").write_text(
        yaml.safe_dump(make_pack([rule], lang="xx", theme="custom")), encoding="utf-8"
    )
    monkeypatch.setattr(loader, "BUILTIN_PACK_DIR", builtin)
    reset_pack_dirs()
    nt = normalize("send the blue pelican code and the green heron code now")
    try:
        assert {h.id for h in match_signals(nt)} == {"xx.custom.base_phrase"}
        first = engine_mod.default_engine()
        assert engine_mod.default_engine() is first  # cached
        add_pack_dir(user)
        assert {h.id for h in match_signals(nt)} == {
            "xx.custom.base_phrase",
            "xx.custom.secret_phrase",
        }
        assert engine_mod.default_engine() is not first
    finally:
        reset_pack_dirs()
    assert {h.id for h in match_signals(nt)} == {"xx.custom.base_phrase"}


def test_bad_user_pack_dir_fails_with_clear_error(tmp_path: Path) -> None:
    (tmp_path / "en_bad.yaml").write_text("pack: en_bad\nrules: [\n", encoding="utf-8")
    with pytest.raises(PackError, match=r"en_bad\.yaml"):
        add_pack_dir(tmp_path)
    with pytest.raises(PackError, match="not a directory"):
        add_pack_dir(tmp_path / "missing")
    assert loader.pack_dirs() == (loader.BUILTIN_PACK_DIR,)


def _cost(text: str) -> float:
    nt = normalize(text)
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        ENGINE.match(nt)
        best = min(best, time.process_time() - t0)
    return best


@pytest.mark.parametrize(
    "unit",
    [
        "a" * 7 + " ",
        "free flight visa " * 2,
        "刷单返利" * 3,
        "USDT " * 2,
        "https://a.b/" + "x" * 10,
        "ฟรีเครื่องบิน",
    ],
)
def test_matching_time_grows_linearly(unit: str) -> None:
    small = unit * (20_000 // len(unit))
    large = unit * (200_000 // len(unit))
    ratio = _cost(large) / max(_cost(small), 1e-6)
    assert ratio < 30, f"10x input took {ratio:.1f}x time"


def _engine_cost(eng: SignalEngine, text: str) -> float:
    nt = normalize(text)
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        eng.match(nt)
        best = min(best, time.process_time() - t0)
    return best


def test_context_windows_stay_linear_on_repeated_matches() -> None:
    # Every repetition matches the pattern and needs a context search that fails; each search
    # must cost its window, not the whole text (google-re2 re-encodes the full text on
    # search(text, lo, hi), which made this quadratic).
    eng = engine_of(
        {"id": "en.phishing.verify", "keywords": ["verify"], "context": ["link"]},
    )
    unit = "verify " + "x" * 20 + " "
    small = unit * (20_000 // len(unit))
    large = unit * (200_000 // len(unit))
    ratio = _engine_cost(eng, large) / max(_engine_cost(eng, small), 1e-6)
    assert ratio < 30, f"10x input took {ratio:.1f}x time"


def test_thai_and_lao_letters_match_in_natural_spelling() -> None:
    # NFKC splits SARA AM (and Lao AM, HO NO, HO MO); patterns are folded the same way, so
    # authors write them as people type them.
    eng = engine_of(
        {"id": "en.phishing.thai_am", "patterns": ["ทำงาน"]},
        {"id": "en.phishing.lao_ho_no", "keywords": ["ໜ້າວຽກ"]},
    )
    hits = {h.id for h in eng.match(normalize("หาคนทำงานด่วน ໜ້າວຽກດີ"))}
    assert hits == {"en.phishing.thai_am", "en.phishing.lao_ho_no"}

"""The scoring semantics, number by number (they are a contract with the pack authors)."""

from __future__ import annotations

import pytest

from lurewatch.signals.scoring import SignalHit, SignalSpan, distinct_evidence, score_signals


def hit(rule_id: str, category: str, weight: float) -> SignalHit:
    return SignalHit(
        id=rule_id,
        title="t",
        title_local="t",
        category=category,  # type: ignore[arg-type]
        stage=None,
        weight=weight,
        spans=[],
    )


def test_nothing_fired_is_benign() -> None:
    s = score_signals([])
    assert (s.score, s.flagged, s.category, s.by_category) == (0.0, False, "benign", {})


def test_noisy_or_within_a_category() -> None:
    s = score_signals([hit("a", "trafficking_lure", 0.3), hit("b", "trafficking_lure", 0.4)])
    assert s.by_category["trafficking_lure"] == pytest.approx(1 - 0.7 * 0.6)
    assert s.score == pytest.approx(0.58)
    assert s.flagged and s.category == "trafficking_lure"


def test_single_typical_flag_does_not_flag_but_decisive_one_does() -> None:
    assert not score_signals([hit("a", "job_scam", 0.35)]).flagged
    decisive = score_signals([hit("a", "investment", 0.6)])
    assert decisive.flagged and decisive.category == "investment"


def test_any_raises_but_cannot_choose_or_flag() -> None:
    only_any = score_signals([hit("x", "any", 0.9), hit("y", "any", 0.9)])
    assert only_any.category == "benign"
    assert only_any.score == pytest.approx(0.5 * 0.99)
    assert not only_any.flagged
    boosted = score_signals([hit("a", "phishing", 0.3), hit("x", "any", 0.4)])
    assert boosted.score == pytest.approx(1 - 0.7 * (1 - 0.2))
    assert boosted.category == "phishing"
    assert boosted.by_category["any"] == pytest.approx(0.4)


def test_argmax_category_and_duplicates_count_once() -> None:
    s = score_signals(
        [
            hit("a", "impersonation", 0.45),
            hit("a", "impersonation", 0.45),
            hit("b", "phishing", 0.3),
            hit("c", "phishing", 0.3),
        ]
    )
    assert s.by_category["impersonation"] == pytest.approx(0.45)
    assert s.by_category["phishing"] == pytest.approx(0.51)
    assert s.category == "phishing"
    assert s.score == pytest.approx(0.51)


def test_threshold_is_inclusive() -> None:
    assert score_signals([hit("a", "romance", 0.5)]).flagged


def _spanned(rule_id: str, weight: float, *spans: tuple[int, int]) -> SignalHit:
    return SignalHit(
        id=rule_id,
        title=rule_id,
        title_local=rule_id,
        category="trafficking_lure",
        stage=None,
        weight=weight,
        spans=[SignalSpan(start=s, end=e, text="x" * (e - s)) for s, e in spans],
    )


def test_same_words_fired_by_two_packs_count_once() -> None:
    en = _spanned("en.recruitment.free_travel", 0.3, (10, 22))
    th = _spanned("th.recruitment.free_travel", 0.3, (10, 23))
    assert score_signals([en, th]).score == pytest.approx(0.3)
    assert [h.id for h in distinct_evidence([en, th])] == ["en.recruitment.free_travel"]


def test_different_words_in_one_category_add_up() -> None:
    pay = _spanned("en.recruitment.pay", 0.3, (0, 9))
    travel = _spanned("en.recruitment.free_travel", 0.3, (10, 22))
    broad = _spanned("en.recruitment.whole_ad", 0.3, (0, 60))  # contains both, different flag
    assert score_signals([pay, travel]).score == pytest.approx(1 - 0.7 * 0.7)
    assert len(distinct_evidence([pay, travel, broad])) == 3

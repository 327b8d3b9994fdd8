"""screen(): verdict, category, evidence spans, context, links and hostile input."""

from __future__ import annotations

import pytest

from lurewatch.screening import DEFAULT_THRESHOLD, screen
from lurewatch.screening.combine import shift_to_threshold
from lurewatch.text import TextTooLongError

LURE = (
    "URGENT HIRING!! Customer Service in Bangkok, salary USD 2,000/month. No experience "
    "needed. Free flight ticket, visa and accommodation. Contact HR on Telegram @siam_hr_team"
)


def test_recruitment_lure_is_flagged_with_reasons_and_advice() -> None:
    a = screen(LURE, region="KE")
    assert a.flagged and a.risk >= DEFAULT_THRESHOLD
    assert a.category == "trafficking_lure"
    assert a.language == "en"
    assert a.signals, "a flagged verdict must say why"
    for ev in a.signals:
        for span in ev.spans:
            assert LURE[span.start : span.end] == span.text
    assert {i.type for i in a.indicators} >= {"money", "handle"}
    assert a.advice.category == "trafficking_lure" and a.advice.steps


def test_thai_lure_gets_thai_advice() -> None:
    a = screen(
        "รับสมัครด่วน! แอดมินออนไลน์ ทำงานที่กัมพูชา เงินเดือน 35,000 บาท ไม่ต้องมีประสบการณ์ บินฟรี ที่พักฟรี",
        region="TH",
    )
    assert a.flagged and a.category == "trafficking_lure"
    assert a.language == "th" and a.advice.language == "th"


def test_ordinary_message_is_not_flagged() -> None:
    a = screen("See you at 7 for dinner? I booked the Thai place on Sukhumvit, table for 4.")
    assert not a.flagged and a.category == "benign"
    assert a.advice.category == "benign"


def test_sender_context_changes_the_opener() -> None:
    opener = (
        "Hi, is this Mr. Tan? Oh sorry, I texted the wrong number. But maybe we can be friends?"
    )
    unknown = screen(opener, sender_known=False)
    known = screen(opener, sender_known=True)
    neutral = screen(opener)
    assert unknown.risk > neutral.risk >= known.risk
    assert any("saved contact" in line for line in neutral.explanation)
    assert not known.flagged


def test_kind_detection_and_override() -> None:
    assert screen(LURE).kind == "job_ad"
    assert screen(LURE, kind="message").kind == "message"
    assert screen("short hello", channel="job_board").kind == "job_ad"


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01\x02", "🙂" * 50])
def test_degenerate_text_gets_an_answer(text: str) -> None:
    a = screen(text)
    assert not a.flagged and 0.0 <= a.risk <= 1.0


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(TypeError):
        screen(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TextTooLongError):
        screen("a" * 10_000_001)


def test_prior_shift_maps_threshold_to_one_half() -> None:
    assert shift_to_threshold(0.8, 0.8) == pytest.approx(0.5)
    assert shift_to_threshold(0.9, 0.8) > 0.5 > shift_to_threshold(0.7, 0.8)
    assert shift_to_threshold(0.0, 0.3) >= 0.0 and shift_to_threshold(1.0, 0.3) <= 1.0


def test_record_shape() -> None:
    rec = screen(LURE).to_record("x1")
    assert set(rec) >= {"id", "risk", "flagged", "category", "language", "signals", "indicators"}
    assert rec["id"] == "x1"


@pytest.mark.parametrize("text", ["P", "ok", "?!", "K."])
def test_tiny_texts_are_not_judged_by_the_model(text: str) -> None:
    a = screen(text)
    assert a.scores.model is None and not a.flagged


def test_genuine_agency_job_ad_is_not_flagged() -> None:
    ad = (
        "Licensed agency Bayanihan Manpower Services (DMW License No. 123-LB-456789-PL) is hiring "
        "caregivers for Japan under a written contract. Apply in person at our Makati office. "
        "No placement fee."
    )
    a = screen(ad, "job_ad")
    assert a.scores.model is None  # no text model is trained for English job ads
    assert not a.flagged

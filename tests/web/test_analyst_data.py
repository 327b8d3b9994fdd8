"""Cutting a report's text into marked segments (red flags and identifiers), and the operation
page's helpers for bars, timeline and template slots."""

from __future__ import annotations

import time

from lurewatch.web.analyst.data import Segment, segments
from lurewatch.web.analyst.routes import _bars, _template_parts, _timeline


def test_plain_text_is_one_segment() -> None:
    assert segments("hello", []) == [Segment("hello")]
    assert segments("", [(0, 3, "flag:x")]) == []


def test_overlapping_marks_keep_both_on_the_overlap() -> None:
    text = "Call HR on +66 81 234 5678 today"
    flag = (0, 26, "flag:Contact off-platform")
    phone = (11, 26, "id:phone")
    segs = segments(text, [phone, flag])
    assert "".join(s.text for s in segs) == text
    assert segs[0] == Segment("Call HR on ", ("flag:Contact off-platform",))
    assert segs[1].text == "+66 81 234 5678"
    assert segs[1].flagged and segs[1].identifier
    assert segs[1].titles == "Contact off-platform; phone"
    assert segs[2] == Segment(" today")


def test_out_of_range_and_empty_spans_are_dropped() -> None:
    text = "abc"
    segs = segments(text, [(-1, 2, "flag:a"), (2, 2, "flag:b"), (5, 9, "flag:c"), (1, 99, "id:x")])
    assert "".join(s.text for s in segs) == text
    assert segs == [Segment("a"), Segment("bc", ("id:x",))]


def test_many_marks_on_a_long_text_stay_fast() -> None:
    text = "x" * 200_000
    marks = [(i, i + 5, f"flag:{i % 7}") for i in range(0, 200_000, 10)]
    started = time.process_time()
    segs = segments(text, marks)
    assert time.process_time() - started < 2.0
    assert "".join(s.text for s in segs) == text
    assert sum(1 for s in segs if s.marks) == len(marks)


def test_bars_timeline_and_template_parts() -> None:
    assert _bars({"TH": 2, "KH": 5}) == [("KH", 5, 5), ("TH", 2, 5)]
    days = [
        {"date": f"2026-{m:02d}-{d:02d}", "reports": 1} for m in (1, 2, 3) for d in range(1, 29)
    ]
    monthly = _timeline(days)
    assert monthly == [("2026-01", 28, 28), ("2026-02", 28, 28), ("2026-03", 28, 28)]
    assert _timeline(days[:3])[0] == ("2026-01-01", 1, 1)
    tpl = {
        "text": "job in {city}, USD {amount}",
        "slots": [
            {"name": "amount", "start": 19, "end": 27},
            {"name": "city", "start": 7, "end": 13},
            {"name": "bad", "start": 5, "end": 500},
        ],
    }
    assert _template_parts(tpl) == [
        ("job in ", None),
        ("{city}", "city"),
        (", USD ", None),
        ("{amount}", "amount"),
    ]
    assert _template_parts(None) == []

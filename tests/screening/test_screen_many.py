"""screen_many(): the same Assessments as screen() one text at a time, and its bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lurewatch.screening import screen, screen_many
from lurewatch.text import MAX_TEXT_CHARS, TextTooLongError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "screening"

EXTRA = [
    "",
    "ok",
    "   ",
    "\x00\x01\x02 binary \xff\ufffd",
    "Hi, is this Mr. Tan? Oh sorry, wrong number. But maybe we can be friends?",
    "Claim your parcel at hxxps://post-track-redeliver[.]top/pay now, or call +66 92 418 7730",
    "Verify your account at https://paypa1-secure-login.com/verify and https://bit.ly/x1",
    "See you at 7 for dinner? I booked the Thai place on Sukhumvit, table for 4.",
    "Send 500 USDT to TXLAQ63Xg1NAzckPwKHvzw7CSEmLMEqcdj today for your VIP task level",
]


def _texts() -> list[str]:
    out = list(EXTRA)
    for path in sorted(FIXTURES.glob("*.yaml")):
        out += [str(item["text"]) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
    return out


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"sender_known": False, "region": "th", "channel": "sms"},
        {"sender_known": True},
        {"kind": "job_ad", "region": "KH"},
        {"kind": "message", "channel": "job_board"},
    ],
)
def test_screen_many_equals_screen_one_by_one(options: dict[str, object]) -> None:
    texts = _texts()
    assert len(texts) > 400  # fixtures in every language, flagged and benign
    many = screen_many(texts, **options)  # type: ignore[arg-type]
    assert len(many) == len(texts)
    for text, got in zip(texts, many, strict=True):
        assert got == screen(text, **options)  # type: ignore[arg-type]
    # order of the chunk and chunk boundaries change nothing
    assert screen_many(texts[::-1], **options)[::-1] == many  # type: ignore[arg-type]
    assert screen_many(texts[:7], **options) + screen_many(texts[7:], **options) == many  # type: ignore[arg-type]


def test_screen_many_flags_as_screen_does() -> None:
    texts = _texts()
    flagged = [a.flagged for a in screen_many(texts)]
    assert any(flagged) and not all(flagged)


def test_empty_chunk() -> None:
    assert screen_many([]) == []


def test_bad_item_raises_before_any_work_naming_its_index() -> None:
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        screen_many(["fine", b"bytes"])  # type: ignore[list-item]
    with pytest.raises(TextTooLongError, match=r"texts\[2\]"):
        screen_many(["a", "b", "x" * (MAX_TEXT_CHARS + 1)])
    with pytest.raises(ValueError, match="kind"):
        screen_many(["a"], kind="poem")

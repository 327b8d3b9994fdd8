"""Tracker behaviour: the stage order is the evidence, "me" gives context, scoring is
incremental (one screening per message, never the history again)."""

from __future__ import annotations

import time

import pytest

import lurewatch.conversation.tracker as tracker_mod
from lurewatch.conversation import ConversationTracker, Message, track
from lurewatch.screening import screen

OPENER = "Hi, is this Linda? It's Grace, are we still on for golf on Saturday?"
WHO = "Sorry, who is this? I think you have the wrong number"
PITCH = "I trade crypto with my mentor, he teaches us when to buy and sell"
DEPOSIT = "Download the app, register an account and deposit 500 USDT to start"


def _conv(*pairs: tuple[str, str]) -> list[dict[str, object]]:
    return [{"from": who, "text": text} for who, text in pairs]


def test_opener_then_pitch_is_far_stronger_than_either_alone() -> None:
    opener = track(_conv(("them", OPENER), ("me", WHO)))
    pitch = track(_conv(("them", PITCH)))
    both = track(_conv(("them", OPENER), ("me", WHO), ("them", PITCH)))
    assert not opener.flagged and not pitch.flagged
    assert both.flagged and both.alert_turn == 2
    assert both.risk > max(opener.risk, pitch.risk) + 0.3
    assert both.stages == ["opener", "pitch"]
    assert both.category == "pig_butchering"


def test_wrong_number_that_ends_politely_is_nothing() -> None:
    a = track(
        _conv(
            ("them", OPENER),
            ("me", "Sorry, wrong number"),
            ("them", "Oh, so sorry to bother you! Have a lovely weekend"),
        )
    )
    assert not a.flagged and a.alert_turn is None and a.category == "benign"


def test_same_words_from_me_carry_no_scam_evidence() -> None:
    theirs = track(_conv(("them", PITCH), ("them", DEPOSIT)))
    mine = track(_conv(("me", PITCH), ("me", DEPOSIT)))
    assert theirs.flagged
    assert mine.risk == 0.0 and not mine.flagged
    assert all(t.stage is None for t in mine.turns)


def test_you_wrote_first_discounts_their_opener() -> None:
    stranger = track(_conv(("them", OPENER), ("me", "hi"), ("them", PITCH)))
    you_first = track(_conv(("me", "hi"), ("them", OPENER), ("them", PITCH)))
    assert "opener" in stranger.stages and "opener" not in you_first.stages
    assert you_first.risk < stranger.risk


def test_me_context_is_recorded_and_explained() -> None:
    a = track(
        _conv(
            ("them", OPENER),
            ("me", WHO),
            ("them", PITCH),
            ("me", "No thanks, not interested"),
            ("them", DEPOSIT),
            ("me", "ok, I transferred 500 USDT"),
        )
    )
    assert a.turns[1].context == ["stranger"]
    assert a.turns[3].context == ["declined"]
    assert a.turns[5].context == ["paid"]
    text = " ".join(a.explanation)
    assert "declined" in text and "do not send more" in text


def test_incremental_matches_whole_and_risk_never_falls() -> None:
    msgs = _conv(("them", OPENER), ("me", WHO), ("them", "How are you today?"),
                 ("them", PITCH), ("them", "ok"), ("them", DEPOSIT))  # fmt: skip
    tr = ConversationTracker()
    live = [tr.add(m) for m in msgs]
    whole = track(msgs)
    assert [t.risk for t in live] == [t.risk for t in whole.turns]
    risks = [t.risk for t in live]
    assert risks == sorted(risks)
    assert sum(t.alert for t in live) == 1 and live[whole.alert_turn or 0].alert


def test_add_screens_each_message_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting_screen(text: str, *args: object, **kwargs: object) -> object:
        calls.append(text)
        return screen(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tracker_mod, "screen", counting_screen)
    tr = ConversationTracker()
    for i in range(30):
        tr.add(Message(sender="them" if i % 2 else "me", text=f"message number {i}"))
    assert len(calls) == 15  # one per "them" message, none for history or "me"


def _cpu_track(n: int) -> float:
    msgs = [
        {"from": "them" if i % 2 else "me", "text": [OPENER, WHO, PITCH, "lol ok", DEPOSIT][i % 5]}
        for i in range(n)
    ]
    track(msgs[:5])  # warm caches
    t = time.process_time()
    track(msgs)
    return time.process_time() - t


def test_scoring_time_grows_linearly_with_turns() -> None:
    small, big = _cpu_track(50), _cpu_track(500)
    assert big < max(small, 1e-3) * 25, (small, big)


def test_live_add_rejects_bad_messages_with_a_clear_error() -> None:
    from lurewatch.conversation import ConversationError

    tr = ConversationTracker()
    tr.add({"from": "them", "text": "hello"})
    with pytest.raises(ConversationError, match="message 2: from"):
        tr.add({"from": "someone", "text": "hi"})

"""Importers: every export shape, participant resolution, and bad input as clear errors."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

import pytest

from lurewatch.conversation import (
    ConversationError,
    UnknownParticipantError,
    iter_conversations,
    parse_conversation,
)

FIX = Path(__file__).parent.parent / "fixtures" / "conversations"


def _senders(conv: object) -> list[str]:
    return [m.sender for m in conv.messages]  # type: ignore[attr-defined]


def test_json_dict_and_text() -> None:
    obj = {"id": "c1", "messages": [{"from": "them", "text": "hi"}, {"from": "me", "text": "yo"}]}
    conv = parse_conversation(obj)
    assert conv.id == "c1" and _senders(conv) == ["them", "me"]
    assert parse_conversation(json.dumps(obj)).messages == conv.messages


def test_jsonl_lines_and_errors_by_line(tmp_path: Path) -> None:
    src = tmp_path / "many.jsonl"
    src.write_text(
        '{"id": "a", "messages": [{"from": "them", "text": "hello"}]}\n'
        '{"id": "b", "messages": [{"text": "no sender"}]}\n'
        "{broken\n"
        '{"id": "d", "messages": []}\n',
        encoding="utf-8",
    )
    items = list(iter_conversations(src))
    assert items[0].id == "a"  # type: ignore[union-attr]
    assert "line 2" in str(items[1]) and "missing sender" in str(items[1])
    assert "line 3" in str(items[2]) and "invalid JSON" in str(items[2])
    assert "line 4" in str(items[3]) and "no messages" in str(items[3])


def test_whatsapp_android_multiline_system_media() -> None:
    conv = parse_conversation(FIX / "whatsapp_android.txt", me="Rosa")
    assert conv.source_format == "whatsapp"
    assert conv.participants == ["+63 917 555 0142", "Rosa"]
    texts = [m.text for m in conv.messages]
    assert not any("end-to-end" in t or "Media omitted" in t for t in texts)
    assert "Guaranteed returns every day" in texts[3] and texts[3].count("\n") == 2
    assert _senders(conv) == ["them", "me", "them", "them", "me", "them"]


def test_whatsapp_ios_shape_with_direction_marks() -> None:
    conv = parse_conversation(FIX / "whatsapp_ios.txt", me="minh")
    assert conv.source_format == "whatsapp"
    assert conv.messages[0].name == "Jenny Tran" and conv.messages[0].sender == "them"
    assert not any("omitted" in m.text for m in conv.messages)
    assert "lợi nhuận ổn định" in conv.messages[3].text


def test_whatsapp_without_me_lists_participants() -> None:
    with pytest.raises(UnknownParticipantError) as info:
        parse_conversation(FIX / "whatsapp_android.txt")
    assert info.value.participants == ["+63 917 555 0142", "Rosa"]
    assert "--me" in str(info.value)
    with pytest.raises(UnknownParticipantError, match="'Nobody' is not one of them"):
        parse_conversation(FIX / "whatsapp_android.txt", me="Nobody")


def test_telegram_entities_and_partner_name() -> None:
    conv = parse_conversation(FIX / "telegram_result.json")
    assert conv.source_format == "telegram"
    assert _senders(conv) == ["them", "me", "them", "them"]
    assert (
        conv.messages[2].text
        == "Add our receptionist @tl_reception_88 to get your first free tasks"
    )
    assert conv.messages[3].text.startswith("VIP prepaid task: recharge")


def test_line_export_header_dates_quotes() -> None:
    conv = parse_conversation(FIX / "line_chat.txt")
    assert conv.source_format == "line"
    assert _senders(conv) == ["them", "me", "them", "them"]
    assert conv.messages[2].text.count("\n") == 1 and '"' not in conv.messages[2].text
    assert conv.messages[3].ts is not None and conv.messages[3].ts.startswith("2024/07/01")


def test_plain_transcript_with_me_name() -> None:
    conv = parse_conversation(FIX / "plain_transcript.txt")
    assert conv.source_format == "plain"
    assert _senders(conv) == ["them", "me", "them", "them", "me", "them"]
    assert "send me your account ID" in conv.messages[3].text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"just some prose without any sender at all\nand more\n", "line 1: unknown chat format"),
        (b'{"id": "x", "messages": [{"from": "them"}]}', "'text' must be a string"),
        (b'{"id": "x", "messages": [{"from": "bob", "text": "hi"}]}', "'from' must be"),
        (b'{"id": "x", "messages": [{"from": "me", "text": "  "}]}', "no messages with text"),
        (b"Ana: hello\nBen: hi \xe9t\xe9 caf\xe9\n", "line 2 is not valid UTF-8"),
        (b"", "empty"),
        (b'{"id": "x", "messages": [', "invalid JSON"),
    ],
)
def test_bad_input_names_the_line(tmp_path: Path, data: bytes, expected: str) -> None:
    src = tmp_path / "bad.txt"
    src.write_bytes(data)
    with pytest.raises(ConversationError, match=expected.replace("(", r"\(")):
        parse_conversation(src, me="Ana")


def test_missing_file_is_a_conversation_error(tmp_path: Path) -> None:
    with pytest.raises(ConversationError, match="No such file"):
        parse_conversation(tmp_path / "nope.txt")


def _cpu(fn: object, arg: str) -> float:
    best = float("inf")
    for _ in range(3):
        t = time.process_time()
        with contextlib.suppress(ConversationError):
            fn(arg)  # type: ignore[operator]
        best = min(best, time.process_time() - t)
    return best


@pytest.mark.parametrize(
    "unit",
    [
        "12/03/2024, 21:15 - " + "a" * 50 + ":",  # WhatsApp prefix, then colon-free junk
        "[" + "1/" * 30,  # half an iOS timestamp
        "x" * 39 + " ",  # almost a plain name
        "12:00\t" + "n" * 79,  # almost a LINE message
    ],
)
def test_importers_linear_on_hostile_lines(unit: str) -> None:
    small = "\n".join([unit] * 200)
    big = "\n".join([unit] * 2000)
    t_small = max(_cpu(parse_conversation, small), 1e-4)
    t_big = _cpu(parse_conversation, big)
    assert t_big < t_small * 30, (t_small, t_big)


def test_overlong_export_message_is_named(tmp_path: Path) -> None:
    src = tmp_path / "long.txt"
    src.write_text("Ana: hi\nBen: " + "x" * 25_000 + "\n", encoding="utf-8")
    with pytest.raises(ConversationError, match="line 2: message longer"):
        parse_conversation(src, me="Ana")

"""`parse_conversation`: any supported chat input to a `Conversation`, or a clear error.

Accepted: a dict `{"id", "messages": [{"from": "them"|"me", "text", "ts"?}]}` (or its JSON
text / file, or the first line of a JSONL file; `iter_conversations` reads every line),
a Telegram Desktop `result.json`, and the text exports of `chat_text.py` (WhatsApp, LINE,
plain `Name: text`). The format is detected from the content, not the file name.

Exports name people, not roles. The user is found from `me=NAME`, from the export itself
(Telegram's `personal_information`, a personal chat's partner name, LINE's "Chat history with
X"), or from a participant literally called "me"/"you"; otherwise `UnknownParticipantError`
lists the participants so the caller can ask. Every error names the line or message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lurewatch.conversation.chat_text import (
    RawMessage,
    parse_line,
    parse_plain,
    parse_whatsapp,
    sniff,
)
from lurewatch.conversation.models import (
    MAX_MESSAGE_CHARS,
    MAX_MESSAGES,
    Conversation,
    ConversationError,
    Message,
    UnknownParticipantError,
)

MAX_FILE_BYTES = 64 * 1024 * 1024
SELF_NAMES = frozenset({"me", "you", "我", "ฉัน", "tôi", "saya", "ako", "私", "나"})


def decode(raw: bytes, where: str = "input") -> str:
    """UTF-8 (with or without BOM) or BOM-marked UTF-16; otherwise name the first bad line."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ConversationError(f"{where}: not valid UTF-16 ({exc.reason})") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConversationError(
            f"{where}: line {line} is not valid UTF-8 (mixed encodings? re-export the chat "
            "as UTF-8)"
        ) from exc


def _message(item: Any, n: int, line: int | None) -> Message | None:
    where = f"message {n}" + (f" (line {line})" if line else "")
    if not isinstance(item, dict):
        raise ConversationError(f"{where}: expected an object with 'from' and 'text'")
    sender = item.get("from", item.get("sender"))
    if sender is None:
        raise ConversationError(f"{where}: missing sender ('from': 'them' or 'me')")
    if sender not in ("them", "me"):
        raise ConversationError(f"{where}: 'from' must be 'them' or 'me', not {sender!r}")
    text = item.get("text")
    if not isinstance(text, str):
        raise ConversationError(f"{where}: 'text' must be a string")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ConversationError(f"{where}: {len(text):,} characters (limit {MAX_MESSAGE_CHARS:,})")
    if not text.strip():
        return None
    ts = item.get("ts")
    return Message(sender=sender, text=text, ts=None if ts is None else str(ts), line=line)


def _from_dict(obj: dict[str, Any], line: int | None = None, default_id: str = "") -> Conversation:
    where = f"line {line}: " if line else ""
    msgs = obj.get("messages")
    if not isinstance(msgs, list):
        raise ConversationError(f"{where}expected a 'messages' list")
    if len(msgs) > MAX_MESSAGES:
        raise ConversationError(f"{where}{len(msgs):,} messages (limit {MAX_MESSAGES:,})")
    out = [m for n, item in enumerate(msgs, 1) if (m := _message(item, n, line)) is not None]
    if not out:
        raise ConversationError(f"{where}the conversation has no messages with text")
    conv_id = str(obj.get("id", default_id))
    try:
        return Conversation(id=conv_id, messages=out, source_format="json")
    except ValidationError as exc:
        raise ConversationError(f"{where}{exc.errors()[0]['msg']}") from exc


def _telegram_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", ""))
            for part in value
            if isinstance(part, str | dict)
        )
    return ""


def _is_telegram(obj: dict[str, Any]) -> bool:
    msgs = obj.get("messages")
    return isinstance(msgs, list) and any(
        isinstance(m, dict) and "date" in m and "type" in m for m in msgs[:20]
    )


def _telegram(obj: dict[str, Any], me: str | None) -> Conversation:
    raw: list[RawMessage] = []
    for n, m in enumerate(obj["messages"], 1):
        if not isinstance(m, dict) or m.get("type") != "message":
            continue  # service messages: joined, pinned, call records
        name = m.get("from")
        if not name:
            raise ConversationError(f"message {n}: missing sender ('from')")
        raw.append(
            RawMessage(
                n, str(name), str(m.get("date", "")) or None, _telegram_text(m.get("text")).strip()
            )
        )
    info = obj.get("personal_information")
    if me is None and isinstance(info, dict):
        me = " ".join(str(info.get(k, "")) for k in ("first_name", "last_name")).strip() or None
    partner = str(obj["name"]) if obj.get("type") == "personal_chat" and obj.get("name") else None
    return _assign(raw, me, partner, str(obj.get("id", "telegram")), "telegram")


def _participants(raw: list[RawMessage]) -> list[str]:
    return list(dict.fromkeys(m.name for m in raw))


def _assign(
    raw: list[RawMessage], me: str | None, partner: str | None, conv_id: str, fmt: str
) -> Conversation:
    """Map display names to "me"/"them" (see the module doc for how "me" is found)."""
    people = _participants(raw)
    if not people:
        raise ConversationError(f"{fmt} export: no messages found")
    folded = {p.casefold(): p for p in people}
    if me is not None:
        if me.casefold() not in folded:
            raise UnknownParticipantError(people, f" ({me!r} is not one of them)")
        mine = folded[me.casefold()]
    elif partner is not None and len(people) <= 2 and partner.casefold() in folded:
        others = [p for p in people if p.casefold() != partner.casefold()]
        if not others:
            raise UnknownParticipantError(people, " (only the other person wrote)")
        mine = others[0]
    else:
        selves = [p for p in people if p.casefold() in SELF_NAMES]
        if len(selves) != 1:
            raise UnknownParticipantError(people)
        mine = selves[0]
    for r in raw:
        if len(r.text) > MAX_MESSAGE_CHARS:
            raise ConversationError(f"line {r.line}: message longer than {MAX_MESSAGE_CHARS:,}")
    messages = [
        Message(
            sender="me" if m.name == mine else "them",
            text=m.text,
            ts=m.ts,
            name=m.name,
            line=m.line,
        )
        for m in raw
        if m.text
    ]
    if not messages:
        raise ConversationError(f"{fmt} export: the conversation has no messages with text")
    return Conversation(id=conv_id, messages=messages, source_format=fmt, participants=people)


def _parse_text(text: str, me: str | None, conv_id: str) -> Conversation:
    stripped = text.lstrip()
    lines = text.splitlines()
    fmt = sniff(lines)
    if stripped.startswith("{") or (stripped.startswith("[") and fmt is None):
        first, _, rest = stripped.partition("\n")
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError as exc:
            if rest.strip():  # JSONL: the first line alone must be an object
                try:
                    obj = json.loads(first)
                except json.JSONDecodeError as exc2:
                    raise ConversationError(f"line 1: invalid JSON ({exc2.msg})") from exc2
            else:
                raise ConversationError(f"line {exc.lineno}: invalid JSON ({exc.msg})") from exc
        if isinstance(obj, list):
            obj = {"id": conv_id, "messages": obj}
        if not isinstance(obj, dict):
            raise ConversationError("line 1: expected a JSON object")
        return _telegram(obj, me) if _is_telegram(obj) else _from_dict(obj, None, conv_id)
    if fmt == "whatsapp":
        return _assign(parse_whatsapp(lines), me, None, conv_id, fmt)
    if fmt == "line":
        raw, partner = parse_line(lines)
        return _assign(raw, me, partner, conv_id, fmt)
    if fmt == "plain":
        return _assign(parse_plain(lines), me, None, conv_id, fmt)
    lineno = next((n for n, ln in enumerate(lines, 1) if ln.strip()), None)
    if lineno is None:
        raise ConversationError("the input is empty")
    raise ConversationError(
        f"line {lineno}: unknown chat format (expected JSON/JSONL with 'messages', a WhatsApp, "
        f"Telegram or LINE export, or 'Name: text' lines): {lines[lineno - 1][:60]!r}"
    )


def parse_conversation(
    source: dict[str, Any] | str | Path, *, me: str | None = None
) -> Conversation:
    """One conversation from a dict, a path, or the text of an export. See the module doc."""
    if isinstance(source, dict):
        if _is_telegram(source):
            return _telegram(source, me)
        return _from_dict(source)
    if isinstance(source, Path):
        try:
            if source.stat().st_size > MAX_FILE_BYTES:
                raise ConversationError(f"{source}: larger than {MAX_FILE_BYTES // 2**20} MB")
            raw = source.read_bytes()
        except OSError as exc:
            raise ConversationError(f"{source}: {exc.strerror or exc}") from exc
        return _parse_text(decode(raw, str(source)), me, source.stem)
    if isinstance(source, str):
        return _parse_text(source, me, "conversation")
    raise ConversationError(f"cannot read a conversation from {type(source).__name__}")


def iter_conversations(path: Path) -> Iterator[Conversation | ConversationError]:
    """Every line of a JSONL file as a conversation, or the error for that line."""
    text = decode(path.read_bytes(), str(path))
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ConversationError(f"line {no}: invalid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            yield ConversationError(f"line {no}: expected a JSON object")
            continue
        try:
            yield _from_dict(obj, no, f"line{no}")
        except ConversationError as exc:
            yield exc

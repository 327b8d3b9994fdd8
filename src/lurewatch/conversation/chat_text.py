"""Text chat exports: WhatsApp (Android and iOS), LINE, and plain `Name: text` transcripts.

Each parser turns lines into `(line_number, name, ts, text)` tuples; continuation lines (a
message with line breaks) are appended to the message before them, system lines (encryption
notices, "X added Y", LINE date headers) are dropped, and media placeholders carry no text.
All patterns are anchored and free of nested quantifiers (linear time on hostile lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lurewatch.conversation.models import ConversationError

_DATE = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp]\.?\s?[Mm]\.?)?"
_LRM = "[\u200e\u200f\ufeff]?"
WHATSAPP_ANDROID = re.compile(rf"^{_LRM}({_DATE}),?\s({_TIME})\s[-–]\s(.*)$")
WHATSAPP_IOS = re.compile(rf"^{_LRM}\[({_DATE}),?\s({_TIME})\]\s(.*)$")
LINE_MESSAGE = re.compile(r"^(\d{1,2}:\d{2}(?:\s?[AaPp][Mm])?)\t([^\t]{1,80})\t(.*)$")
LINE_HEADER = re.compile(
    r"^(?:\[LINE\]\s*)?(?:Chat history with|Chat history in|Talk history with)\s+(.{1,80})$"
)
LINE_DATE = re.compile(r"^(?:\w{3},\s)?\d{1,4}[./]\d{1,2}[./]\d{1,4}(?:\s?\(\w{1,9}\))?$")
LINE_SAVED = re.compile(r"^Saved on:")
PLAIN = re.compile(r"^\s{0,4}([^:：\t\n]{1,40}?)\s?[:：]\s?(.*)$")
"""`Name: text`; the name has no colon and at most 40 characters (so prose lines with a colon
late in the line stay continuation lines)."""

MEDIA = re.compile(
    r"^(?:<Media omitted>|<attached: [^>]{1,200}>"
    r"|\u200e?(?:image|video|audio|sticker|GIF|document) omitted"
    r"|\[(?:Photo|Sticker|Video|File|Voice message)\])$",
    re.IGNORECASE,
)
_WA_SYSTEM_NAME_MAX = 60


@dataclass
class RawMessage:
    line: int
    name: str
    ts: str | None
    text: str


def _append(messages: list[RawMessage], text: str) -> None:
    messages[-1].text = f"{messages[-1].text}\n{text}" if messages[-1].text else text


def _body(text: str) -> str:
    text = text.strip()
    return "" if MEDIA.match(text) else text


def parse_whatsapp(lines: list[str]) -> list[RawMessage]:
    """Both export shapes: `dd/mm/yyyy, hh:mm - Name: text` and `[dd/mm/yyyy, hh:mm:ss] Name:`."""
    out: list[RawMessage] = []
    for no, line in enumerate(lines, 1):
        m = WHATSAPP_IOS.match(line) or WHATSAPP_ANDROID.match(line)
        if m is None:
            if out:
                _append(out, line)
            elif line.strip():
                raise ConversationError(f"line {no}: not a WhatsApp message line: {line[:60]!r}")
            continue
        date, time, rest = m.groups()
        name, sep, text = rest.partition(": ")
        if not sep or len(name) > _WA_SYSTEM_NAME_MAX or _wa_system(text):
            continue
        out.append(RawMessage(no, name.strip("\u200e\u200f ~"), f"{date} {time}", _body(text)))
    return _finish(out)


def _wa_system(text: str) -> bool:
    """System lines: Android writes them without a sender ("X added Y"); iOS puts the chat's
    name as sender and starts the text with a left-to-right mark, as it does for media."""
    lrm_system = text.startswith("\u200e") and not MEDIA.match(text.strip())
    return lrm_system or "end-to-end encrypted" in text[:80]


def _finish(out: list[RawMessage]) -> list[RawMessage]:
    """Trailing blank lines of a message (before the next date header) are not its text."""
    for msg in out:
        msg.text = msg.text.strip()
    return out


def parse_line(lines: list[str]) -> tuple[list[RawMessage], str | None]:
    """LINE `.txt`: header, date lines, `time<TAB>Name<TAB>text`; quoted multi-line messages.

    Returns the messages and the chat partner named in the header ("Chat history with X"),
    which tells us who the user is not.
    """
    out: list[RawMessage] = []
    partner: str | None = None
    date = ""
    for no, line in enumerate(lines, 1):
        head = LINE_HEADER.match(line.strip())
        if head and not out:
            partner = head.group(1).strip()
            continue
        if LINE_SAVED.match(line) or (not out and not line.strip()):
            continue
        if LINE_DATE.match(line.strip()):
            date = line.strip()
            continue
        m = LINE_MESSAGE.match(line)
        if m is None:
            if out:
                _append(out, line)
            continue
        time, name, text = m.groups()
        out.append(RawMessage(no, name.strip(), f"{date} {time}".strip(), _body(text)))
    _finish(out)
    for msg in out:  # LINE wraps multi-line messages in double quotes
        if len(msg.text) > 1 and msg.text.startswith('"') and msg.text.endswith('"'):
            msg.text = msg.text[1:-1].replace('""', '"')
    return out, partner


def parse_plain(lines: list[str]) -> list[RawMessage]:
    """`Name: text` transcripts; lines without a name continue the previous message."""
    out: list[RawMessage] = []
    for no, line in enumerate(lines, 1):
        m = PLAIN.match(line)
        if m is None or "://" in m.group(1) or m.group(1).strip() == "":
            if out:
                _append(out, line.strip())
            elif line.strip():
                raise ConversationError(
                    f"line {no}: no sender (expected 'Name: text'): {line[:60]!r}"
                )
            continue
        out.append(RawMessage(no, m.group(1).strip(), None, _body(m.group(2))))
    return _finish(out)


def sniff(lines: list[str]) -> str | None:
    """The text format of these lines ("whatsapp", "line", "plain"), or None."""
    head = [ln for ln in lines[:30] if ln.strip()]
    if not head:
        return None
    if any(WHATSAPP_IOS.match(ln) or WHATSAPP_ANDROID.match(ln) for ln in head[:5]):
        return "whatsapp"
    if LINE_HEADER.match(head[0].strip()) or any(LINE_MESSAGE.match(ln) for ln in head):
        return "line"
    named = sum(1 for ln in head if PLAIN.match(ln))
    if named and named * 2 >= len(head):
        return "plain"
    return None

"""Streaming batch input: one record per line, bad lines become error records, never crashes.

Every `--input` command (extract, screen, domains, reports import, link) reads through here so
that all of them agree on formats and on what happens to bad input: the line is reported with
its number and a reason, the rest of the file is still processed, and nothing is lost. Files are
read in binary and decoded line by line, so one line of invalid UTF-8 or binary garbage spoils
only itself, and memory stays constant however large the file is.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

Format = Literal["jsonl", "csv", "text"]

MAX_LINE_BYTES = 16 * 1024 * 1024
"""One record may be at most 16 MiB (a 10 MB text plus its JSON envelope)."""


@dataclass
class Record:
    """One input item: its id, its line number in the file and its fields."""

    line: int
    id: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str | None:
        value = self.data.get("text")
        return value if isinstance(value, str) else None


@dataclass
class BadRecord:
    """A line that could not be read, with the reason in plain words."""

    line: int
    id: str | None
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "line": self.line, "error": self.error}


def detect_format(path: Path) -> Format:
    """Format from the file name: .jsonl/.ndjson/.json → jsonl, .csv/.tsv → csv, else text."""
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    if suffix in {".csv", ".tsv"}:
        return "csv"
    return "text"


def _decode(raw: bytes, lineno: int) -> str | BadRecord:
    if len(raw) > MAX_LINE_BYTES:
        return BadRecord(
            lineno, None, f"line is {len(raw):,} bytes; the limit is {MAX_LINE_BYTES:,}"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BadRecord(
            lineno, None, f"invalid UTF-8 at byte {exc.start} of the line ({exc.reason})"
        )


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Numbered raw lines, with an over-long line cut off and reported, not held in memory."""
    lineno = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            # Skip the rest of the over-long line without keeping it.
            while True:
                more = stream.readline(1 << 20)
                if not more or more.endswith(b"\n"):
                    break
        yield lineno, raw.rstrip(b"\r\n")


def _read_jsonl(stream: BinaryIO) -> Iterator[Record | BadRecord]:
    for lineno, raw in _lines(stream):
        if not raw.strip():
            continue
        text = _decode(raw, lineno)
        if isinstance(text, BadRecord):
            yield text
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield BadRecord(lineno, None, f"malformed JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(obj, dict):
            yield BadRecord(lineno, None, f"expected a JSON object, got {type(obj).__name__}")
            continue
        rid = obj.get("id")
        yield Record(lineno, str(rid) if rid is not None else str(lineno), obj)


def _read_text(stream: BinaryIO) -> Iterator[Record | BadRecord]:
    for lineno, raw in _lines(stream):
        text = _decode(raw, lineno)
        if isinstance(text, BadRecord):
            yield text
        elif text.strip():
            yield Record(lineno, str(lineno), {"text": text})


def _read_csv(stream: BinaryIO, delimiter: str) -> Iterator[Record | BadRecord]:
    wrapper = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")
    reader = csv.DictReader(wrapper, delimiter=delimiter)
    try:
        for row in reader:
            lineno = reader.line_num
            if None in row:
                yield BadRecord(lineno, None, "row has more fields than the header")
                continue
            if any("\ufffd" in (v or "") for v in row.values()):
                yield BadRecord(lineno, row.get("id"), "invalid UTF-8 in this row")
                continue
            rid = row.get("id") or str(lineno)
            yield Record(lineno, rid, {k: v for k, v in row.items() if k is not None})
    except csv.Error as exc:
        yield BadRecord(reader.line_num, None, f"malformed CSV: {exc}")
    finally:
        wrapper.detach()


def read_records(
    stream: BinaryIO, fmt: Format, *, delimiter: str = ","
) -> Iterator[Record | BadRecord]:
    """Records and bad records from a binary stream, in file order, streaming."""
    if fmt == "jsonl":
        return _read_jsonl(stream)
    if fmt == "csv":
        return _read_csv(stream, delimiter)
    return _read_text(stream)


def write_jsonl(out: io.TextIOBase | Any, obj: dict[str, Any]) -> None:
    """One JSON object per line, UTF-8 kept readable (no \\u escapes)."""
    out.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
    out.write("\n")

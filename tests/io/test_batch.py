"""Batch reading: every bad line becomes an error record and the rest is still read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from lurewatch.io.batch import (
    MAX_LINE_BYTES,
    BadRecord,
    Record,
    detect_format,
    read_records,
)


def _read(data: bytes, fmt: str) -> list[Record | BadRecord]:
    return list(read_records(io.BytesIO(data), fmt))  # type: ignore[arg-type]


def test_jsonl_good_and_bad_lines() -> None:
    data = (
        b'{"id": "a", "text": "hello"}\n'
        b"{not json}\n"
        b'"just a string"\n'
        b"\n"
        b'{"id": "b", "text": "caf\xc3\xa9"}\n'
        b'{"id": "c", "text": "bad \xff\xfe bytes"}\n'
        b'{"text": "no id"}\r\n'
    )
    out = _read(data, "jsonl")
    kinds = [(type(r).__name__, r.line) for r in out]
    assert kinds == [
        ("Record", 1),
        ("BadRecord", 2),
        ("BadRecord", 3),
        ("Record", 5),
        ("BadRecord", 6),
        ("Record", 7),
    ]
    assert isinstance(out[0], Record) and out[0].text == "hello"
    assert isinstance(out[1], BadRecord) and "malformed JSON" in out[1].error
    assert isinstance(out[2], BadRecord) and "JSON object" in out[2].error
    assert isinstance(out[4], BadRecord) and "invalid UTF-8" in out[4].error
    assert isinstance(out[5], Record) and out[5].id == "7"


def test_text_and_csv() -> None:
    out = _read(b"first line\n\nthird \xc3\n", "text")
    assert isinstance(out[0], Record) and out[0].text == "first line"
    assert isinstance(out[1], BadRecord) and out[1].line == 3
    rows = _read(b'id,text\nx1,"hello, world"\nx2,"multi\nline"\nx3,a,extra\n', "csv")
    assert isinstance(rows[0], Record) and rows[0].id == "x1" and rows[0].text == "hello, world"
    assert isinstance(rows[1], Record) and rows[1].text == "multi\nline"
    assert isinstance(rows[2], BadRecord)


def test_over_long_line_is_reported_and_skipped() -> None:
    big = b'{"text": "' + b"a" * (MAX_LINE_BYTES + 10) + b'"}\n'
    out = _read(big + b'{"id": "after", "text": "ok"}\n', "jsonl")
    assert isinstance(out[0], BadRecord) and "limit" in out[0].error
    assert isinstance(out[1], Record) and out[1].id == "after" and out[1].line == 2


def test_binary_garbage_file() -> None:
    garbage = bytes(range(256)) * 50
    out = _read(garbage, "jsonl")
    assert out and all(isinstance(r, BadRecord) for r in out)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.jsonl", "jsonl"), ("a.NDJSON", "jsonl"), ("a.csv", "csv"), ("a.txt", "text")],
)
def test_detect_format(name: str, fmt: str) -> None:
    assert detect_format(Path(name)) == fmt

"""Read known-bad (and allow) lists in the formats they are published in.

One reader for the shared lists, for `lurewatch lists update` imports, and for the versioned
store, so the three can never disagree on what a line means. Formats:
plain text (one domain or URL a line, `#` comments, hosts-file `0.0.0.0 x` and adblock
`||x^` lines), CSV (a `domain`/`url`/`host`/`name` column, optional `first_seen`/`date`
and a `list` column whose `allow` rows are allow entries), and JSON (MetaMask's
`{"blacklist", "whitelist"}`, polkadot-js's `{"deny", "allow"}`, `{"domains": [...]}`, or a
plain array).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

MAX_LIST_BYTES = 512 * 1024 * 1024
_ENTRY_COLUMNS = ("domain", "url", "host", "hostname", "name", "entry")
_DATE_COLUMNS = ("first_seen", "date", "added", "since", "first_listed")


class ListFormatError(ValueError):
    """A list file could not be read as any supported format."""


class RawEntry(NamedTuple):
    entry: str
    since: str | None
    allow: bool


def _text_entry(line: str) -> str | None:
    line = line.strip()
    if not line or line[0] in "#!;[":
        return None
    if line.startswith("||"):
        line = line[2:].split("^", 1)[0]
    parts = line.split()
    if len(parts) >= 2 and parts[0] in ("0.0.0.0", "127.0.0.1", "::", "::1"):
        line = parts[1]
    elif parts:
        line = parts[0]
    return line or None


def _date(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()[:10]
    return value if len(value) == 10 and value[4] == "-" and value[7] == "-" else None


def _read_csv(path: Path) -> Iterator[RawEntry]:
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader, [])]
        col = next((header.index(c) for c in _ENTRY_COLUMNS if c in header), None)
        if col is None:
            raise ListFormatError(
                f"{path.name}: no column named one of {', '.join(_ENTRY_COLUMNS)}"
            )
        dcol = next((header.index(c) for c in _DATE_COLUMNS if c in header), None)
        lcol = header.index("list") if "list" in header else None
        for row in reader:
            if len(row) <= col or not row[col].strip():
                continue
            since = _date(row[dcol]) if dcol is not None and len(row) > dcol else None
            allow = lcol is not None and len(row) > lcol and row[lcol].strip().lower() == "allow"
            yield RawEntry(row[col].strip(), since, allow)


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _read_json(path: Path) -> Iterator[RawEntry]:
    try:
        data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        raise ListFormatError(
            f"{path.name}: invalid JSON ({exc.msg} at line {exc.lineno})"
        ) from exc
    if isinstance(data, list):
        deny, allow = _strings(data), []
    elif isinstance(data, dict):
        deny = _strings(data.get("blacklist")) + _strings(data.get("deny"))
        deny += _strings(data.get("domains"))
        allow = _strings(data.get("whitelist")) + _strings(data.get("allow"))
        if not deny and not allow:
            raise ListFormatError(
                f"{path.name}: JSON has none of blacklist/whitelist, deny/allow, domains"
            )
    else:
        raise ListFormatError(f"{path.name}: JSON must be an object or an array")
    for d in deny:
        yield RawEntry(d.strip(), None, False)
    for a in allow:
        yield RawEntry(a.strip(), None, True)


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix == ".csv":
        return "csv"
    return "text"


def read_list(path: Path) -> Iterator[RawEntry]:
    """Entries of one list file; raises `ListFormatError` (never a traceback) on bad input."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ListFormatError(f"{path}: cannot read ({exc.strerror})") from exc
    if size > MAX_LIST_BYTES:
        raise ListFormatError(f"{path.name}: {size:,} bytes is over the {MAX_LIST_BYTES:,} limit")
    fmt = detect_format(path)
    if fmt == "json":
        yield from _read_json(path)
    elif fmt == "csv":
        yield from _read_csv(path)
    else:
        with path.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                entry = _text_entry(line)
                if entry:
                    yield RawEntry(entry, None, False)

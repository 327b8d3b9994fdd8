"""Input records for linking: from dicts (JSONL/CSV/Parquet rows) and checks on them.

A bad row never stops a job: it becomes `(line, reason)` in `LinkResult.bad` and the rest is
linked. A row is bad when it has no text, malformed indicators, a malformed date or risk, or an
id that an earlier row already used (linking two different reports under one id would merge
whatever they touch).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from lurewatch.linking.model import LinkRecord

MAX_ID_CHARS = 256


class BadRow(ValueError):
    """A row that cannot be linked, with the reason in plain words."""


def _opt_str(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadRow(f"{name} must be a string")
    return value


# the decoder's C scanner: (value, end) of the JSON value at an index (set in __init__, untyped)
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _json_list(text: str) -> Any:
    """`json.loads(text)`, with the common `[...]` case read by the C scanner directly.

    `json.loads` wraps the same scanner in two white-space regex matches and Python frames,
    ~1 us of the ~3 us a 100-byte indicator list cost. A text that does not start with `[`,
    end with `]` and scan to its end in one value (white space around it, bad JSON) goes
    through `json.loads`, which then gives the same value or error as always."""
    if text[:1] == "[" and text[-1:] == "]":
        try:
            value, end = _SCAN(text, 0)
        except (StopIteration, ValueError):
            return json.loads(text)
        if end == len(text):
            return value
    return json.loads(text)


def _indicators(value: Any) -> tuple[tuple[str, str], ...] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):  # CSV: a JSON list in a cell
        try:
            value = _json_list(value)
        except json.JSONDecodeError as exc:
            raise BadRow(f"indicators is not valid JSON: {exc.msg}") from exc
    if not isinstance(value, list):
        raise BadRow("indicators must be a list of [type, value] pairs or objects")
    out: list[tuple[str, str]] = []
    for item in value:
        # JSON's pairs first (an exact type check is the cheapest), then any pair, then a
        # Mapping (a slower ABC lookup)
        if (type(item) is list or isinstance(item, list | tuple)) and len(item) == 2:
            kind, norm = item
        elif isinstance(item, Mapping):
            kind, norm = item.get("type"), item.get("normalized", item.get("value"))
        else:
            raise BadRow("each indicator must be [type, value] or {type, normalized}")
        if not isinstance(kind, str) or not isinstance(norm, str) or not kind or not norm:
            raise BadRow("indicator type and value must be non-empty strings")
        out.append((kind, norm))
    return tuple(out)


def record_from(data: Mapping[str, Any], default_id: str) -> LinkRecord:
    """A `LinkRecord` from one input row (`id`, `text`, optional `indicators`, `country`,
    `language`, `category`, `risk`, `seen_at`); raises `BadRow`."""
    rid = data.get("id")
    rid = default_id if rid is None or rid == "" else str(rid)
    if len(rid) > MAX_ID_CHARS:
        raise BadRow(f"id is longer than {MAX_ID_CHARS} characters")
    text = data.get("text")
    if not isinstance(text, str):
        raise BadRow("no text" if text is None else "text must be a string")
    risk = data.get("risk")
    if risk is not None and risk != "":
        try:
            risk = float(risk)
        except (TypeError, ValueError) as exc:
            raise BadRow("risk must be a number") from exc
        if not (math.isfinite(risk) and 0.0 <= risk <= 1.0):
            raise BadRow("risk must be between 0 and 1")
    else:
        risk = None
    seen = data.get("seen_at")
    seen_at: datetime | None = None
    if isinstance(seen, datetime):
        seen_at = seen
    elif seen not in (None, ""):
        if not isinstance(seen, str):
            raise BadRow("seen_at must be an ISO 8601 date-time string")
        try:
            seen_at = datetime.fromisoformat(seen)
        except ValueError as exc:
            raise BadRow(f"seen_at is not an ISO 8601 date-time: {seen[:40]!r}") from exc
    return LinkRecord(
        report_id=rid,
        text=text,
        indicators=_indicators(data.get("indicators")),
        country=_opt_str(data, "country"),
        language=_opt_str(data, "language"),
        category=_opt_str(data, "category"),
        risk=risk,
        seen_at=seen_at,
    )


def unique(
    records: Iterable[tuple[int, LinkRecord]], bad: list[tuple[int, str]]
) -> Iterator[LinkRecord]:
    """Records whose id was not used by an earlier one; repeats go to `bad`."""
    first: dict[str, int] = {}
    for line, rec in records:
        seen = first.get(rec.report_id)
        if seen is not None:
            bad.append((line, f"duplicate id {rec.report_id!r} (first used on line {seen})"))
            continue
        first[rec.report_id] = line
        yield rec

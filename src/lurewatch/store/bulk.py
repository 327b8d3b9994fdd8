"""Bulk ingest of JSONL or CSV: the same path for `lurewatch reports import` and the API.

Each line is validated as a `ReportIn` and committed on its own, so an interrupted import keeps
everything it acknowledged and a re-run skips those lines as duplicates. Bad lines are counted
with their line number and reason; they never stop the import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from pydantic import ValidationError
from sqlalchemy.orm import Session

from lurewatch.io.batch import BadRecord, Format, read_records
from lurewatch.store.access import Viewer
from lurewatch.store.intake import ReportIn
from lurewatch.store.repository import ingest
from lurewatch.text import TextTooLongError

MAX_REJECTIONS_LISTED = 1000
CSV_BOOLS = {"consent_contact", "shared"}


@dataclass
class BulkSummary:
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    reasons: list[dict[str, Any]] = field(default_factory=list)
    uids: list[str] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.reasons) < MAX_REJECTIONS_LISTED:
            self.reasons.append({"line": line, "reason": reason})

    def to_dict(self) -> dict[str, Any]:
        return {
            "stored": self.stored,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "reasons": self.reasons,
        }


def _from_csv(data: dict[str, Any]) -> dict[str, Any]:
    """CSV cells are strings: empty means absent, `messages` is a JSON list, booleans spelled."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None or value == "":
            continue
        if key == "messages":
            value = json.loads(value)
        elif key in CSV_BOOLS:
            value = value.strip().lower() in ("1", "true", "yes", "y")
        out[key] = value
    return out


def _explain(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "record"
    return f"{where}: {first.get('msg', 'invalid')}"


def ingest_stream(
    session: Session, viewer: Viewer, stream: BinaryIO, fmt: Format, keep_uids: bool = False
) -> BulkSummary:
    """Ingest every record of `stream` for `viewer`'s organisation; one commit per record."""
    summary = BulkSummary()
    for rec in read_records(stream, fmt):
        if isinstance(rec, BadRecord):
            summary.reject(rec.line, rec.error)
            continue
        try:
            data = _from_csv(rec.data) if fmt == "csv" else rec.data
            if "id" in data and data["id"] is not None:
                data = {**data, "id": str(data["id"])}
            rin = ReportIn.model_validate(data)
            result = ingest(session, viewer, rin)
        except ValidationError as exc:
            summary.reject(rec.line, _explain(exc))
            continue
        except (json.JSONDecodeError, TextTooLongError) as exc:
            summary.reject(rec.line, str(exc))
            continue
        if result.status == "stored":
            summary.stored += 1
        else:
            summary.duplicates += 1
        if keep_uids:
            summary.uids.append(result.uid)
    return summary

"""Reading stored reports as linking records, without extracting anything again.

Intake already screened every item and indexed its indicators (`indicator_occurrences`), so a
report becomes a `LinkRecord` with `indicators` given: the text of its current version (items,
conversation turns, attachments), its country, language, received time, and the category and
risk of its riskiest item. Personal data (names and contacts of reporters and victims) is read
only to keep it out of templates; it never leaves this module's callers in any output.

Reads are a handful of set-based queries (no per-report round trips), in chunks of `CHUNK` ids
when a subset is asked for, so linking 100k stored reports costs seconds, not minutes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from lurewatch.linking.model import LinkRecord
from lurewatch.store.schema import (
    Assessment,
    Indicator,
    Item,
    Occurrence,
    PersonalDatum,
    Report,
    ReportVersion,
)

CHUNK = 500


@dataclass(slots=True)
class StoredRecords:
    records: list[LinkRecord]
    ids: dict[str, int]
    """report uid -> reports.id"""
    private: dict[str, list[str]] = field(default_factory=dict)
    """report uid -> personal values (names, contacts) to keep out of templates."""


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _aware(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _current() -> Any:
    return and_(
        ReportVersion.report_id == Report.id, ReportVersion.version == Report.current_version
    )


def _scoped(stmt: Any, ids: Sequence[int] | None) -> Iterator[Any]:
    if ids is None:
        yield stmt
        return
    for part in _chunks(ids):
        yield stmt.where(Report.id.in_(part))


def load_records(session: Session, report_ids: Collection[int] | None = None) -> StoredRecords:
    """Linking records for the given reports (by `reports.id`), or for every stored report."""
    ids = sorted(report_ids) if report_ids is not None else None
    reports: dict[int, dict[str, Any]] = {}
    for stmt in _scoped(
        select(
            Report.id,
            Report.uid,
            Report.country,
            Report.language,
            Report.received_at,
            ReportVersion.attachments_text,
        ).join(ReportVersion, _current()),
        ids,
    ):
        for rid, uid, country, language, received, attachments in session.execute(stmt):
            reports[rid] = {
                "uid": uid,
                "country": country,
                "language": language,
                "seen_at": _aware(received),
                "texts": [],
                "attachments": attachments,
                "risk": None,
                "category": None,
                "alang": None,
                "keys": set(),
            }
    for stmt in _scoped(
        select(
            Report.id,
            Item.text,
            Item.messages,
            Assessment.risk,
            Assessment.category,
            Assessment.language,
        )
        .join(ReportVersion, _current())
        .join(Item, Item.version_id == ReportVersion.id)
        .outerjoin(Assessment, Assessment.item_id == Item.id)
        .order_by(Report.id, Item.position),
        ids,
    ):
        for rid, text, messages, risk, category, alang in session.execute(stmt):
            r = reports.get(rid)
            if r is None:
                continue
            if text:
                r["texts"].append(text)
            for turn in messages or []:
                if isinstance(turn, dict) and isinstance(turn.get("text"), str):
                    r["texts"].append(turn["text"])
            if risk is not None and (r["risk"] is None or risk > r["risk"]):
                r["risk"], r["category"] = float(risk), category
            r["alang"] = r["alang"] or alang
    for stmt in _scoped(
        select(Report.id, Indicator.type, Indicator.normalized)
        .join(ReportVersion, _current())
        .join(Item, Item.version_id == ReportVersion.id)
        .join(Occurrence, Occurrence.item_id == Item.id)
        .join(Indicator, Indicator.id == Occurrence.indicator_id),
        ids,
    ):
        for rid, kind, normalized in session.execute(stmt):
            if rid in reports:
                reports[rid]["keys"].add((kind, normalized))
    private: dict[str, list[str]] = defaultdict(list)
    for stmt in _scoped(
        select(Report.id, PersonalDatum.value)
        .join(PersonalDatum, PersonalDatum.report_id == Report.id)
        .where(PersonalDatum.value.is_not(None)),
        ids,
    ):
        for rid, value in session.execute(stmt):
            if rid in reports and value:
                private[reports[rid]["uid"]].append(value)
    records: list[LinkRecord] = []
    uid_ids: dict[str, int] = {}
    for rid in sorted(reports, key=lambda r: reports[r]["uid"]):
        r = reports[rid]
        texts = list(r["texts"])
        if r["attachments"]:
            texts.append(r["attachments"])
        uid_ids[r["uid"]] = rid
        records.append(
            LinkRecord(
                report_id=r["uid"],
                text="\n".join(texts),
                indicators=tuple(sorted(r["keys"])),
                country=r["country"],
                language=r["language"] or r["alang"],
                category=r["category"],
                risk=r["risk"],
                seen_at=r["seen_at"],
            )
        )
    return StoredRecords(records, uid_ids, dict(private))

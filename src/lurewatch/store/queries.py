"""Reading reports and indicators, filtered by what the viewer may see.

Visibility: a viewer with `read_org` sees its own organisation's reports; `read_shared` adds
reports other organisations marked shared. A partner therefore sees shared reports only.
Personal data is attached to an answer only for viewers with `read_personal`, and each such
read is audited. Urgent reports sort first in every list.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

import lurewatch
from lurewatch.store.access import Viewer, audit
from lurewatch.store.schema import (
    Indicator,
    Item,
    Occurrence,
    PersonalDatum,
    Report,
    ReportVersion,
)

MAX_PAGE = 200
LOOKUP_REPORTS = 100
"""A lookup lists at most this many reports (newest first); counts cover all of them."""
LOOKUP_LINKED = 50
"""Co-occurring indicators listed by a lookup (most shared reports first)."""

_OCCURRENCES = (
    select(func.count())
    .select_from(Occurrence)
    .join(Indicator, Indicator.id == Occurrence.indicator_id)
    .where(Indicator.type == bindparam("type"), Indicator.normalized == bindparam("key"))
)


def iso(dt: datetime | None) -> str | None:
    """ISO 8601 in UTC: SQLite hands back naive datetimes for what was stored as UTC."""
    if dt is None:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).isoformat()


def visible(viewer: Viewer) -> ColumnElement[bool]:
    """SQL condition: the reports `viewer` may read."""
    conds: list[ColumnElement[bool]] = []
    if viewer.can("read_org"):
        conds.append(Report.org_id == viewer.org_id)
    if viewer.can("read_shared"):
        conds.append(Report.shared.is_(True))
    return or_(*conds) if conds else false()


def report_dict(session: Session, viewer: Viewer, report: Report) -> dict[str, Any]:
    """A report as the viewer may see it (operation data; personal data only with the right)."""
    own = report.org_id == viewer.org_id
    out: dict[str, Any] = {
        "uid": report.uid,
        "external_id": report.external_id if own else None,
        "source": report.source,
        "reporter_type": report.reporter_type,
        "country": report.country,
        "language": report.language,
        "received_at": iso(report.received_at),
        "shared": report.shared,
        "urgent": report.urgent,
        "urgency": report.urgency,
        "possible_victim": report.possible_victim,
        "version": report.current_version,
        "redacted": report.redacted_at is not None,
        "versions": [],
    }
    for v in report.versions:
        out["versions"].append(
            {
                "version": v.version,
                "created_at": iso(v.created_at),
                "note": v.note,
                "attachments_text": v.attachments_text,
                "items": [_item_dict(it) for it in v.items],
            }
        )
    if own and viewer.can("read_personal"):
        people = session.scalars(
            select(PersonalDatum).where(PersonalDatum.report_id == report.id)
        ).all()
        out["personal"] = [
            {"subject": p.subject, "field": p.field, "value": p.value, "redacted": p.redacted}
            for p in people
        ]
        audit(session, "personal.read", viewer=viewer, target=report.uid)
        session.commit()
    return out


def _item_dict(it: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": it.kind, "channel": it.channel}
    if it.text is not None:
        out["text"] = it.text
    if it.messages is not None:
        out["messages"] = it.messages
    if it.assessment is not None:
        a = it.assessment
        out["assessment"] = {
            "risk": a.risk,
            "flagged": a.flagged,
            "category": a.category,
            "language": a.language,
            "signals": [s.get("id") for s in a.detail.get("signals", [])],
        }
    return out


def get_report(session: Session, viewer: Viewer, uid: str) -> Report | None:
    return session.scalar(
        select(Report)
        .where(Report.uid == uid, visible(viewer))
        .options(
            selectinload(Report.versions)
            .selectinload(ReportVersion.items)
            .selectinload(Item.assessment)
        )
    )


@dataclass(frozen=True)
class ReportFilter:
    urgent: bool | None = None
    country: str | None = None
    language: str | None = None
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def list_reports(
    session: Session, viewer: Viewer, flt: ReportFilter, offset: int = 0, limit: int = 50
) -> tuple[int, list[Report]]:
    """(total matching, one page) — urgent first, then newest first."""
    conds: list[ColumnElement[bool]] = [visible(viewer)]
    if flt.urgent is not None:
        conds.append(Report.urgent.is_(flt.urgent))
    if flt.country:
        conds.append(Report.country == flt.country.upper())
    if flt.language:
        conds.append(Report.language == flt.language)
    if flt.source:
        conds.append(Report.source == flt.source)
    if flt.since:
        conds.append(Report.received_at >= flt.since)
    if flt.until:
        conds.append(Report.received_at < flt.until)
    total = session.scalar(select(func.count()).select_from(Report).where(*conds)) or 0
    page = session.scalars(
        select(Report)
        .where(*conds)
        .order_by(Report.urgent.desc(), Report.received_at.desc(), Report.id.desc())
        .offset(offset)
        .limit(min(limit, MAX_PAGE))
        .options(
            selectinload(Report.versions)
            .selectinload(ReportVersion.items)
            .selectinload(Item.assessment)
        )
    ).all()
    return total, list(page)


def normalize_value(type_: str, value: str) -> str:
    """The canonical key for a looked-up value: what the extractor makes of it, else as is."""
    found = [i for i in lurewatch.extract(value) if i.type == type_]
    return found[0].normalized if found else value.strip()


@dataclass(frozen=True)
class _LookupStatements:
    """The statements of one lookup, built once per visibility rule and reused.

    Building a select and computing its cache key cost more CPU than SQLite spends running it
    (py-spy on the API under load: SQLAlchemy statement construction and cache keys were most
    of a lookup's 5 ms, the SQL itself well under a millisecond), so they are built once with
    bound parameters and run on the session's connection, skipping the ORM layer as well. Each
    is driven by an index: (type, normalized) on indicators, (indicator_id, seen_at) and
    report_id on occurrences, the primary key of reports."""

    stats: Select[int, int, datetime, datetime]
    """Indicator id, visible reports, first and last seen: no row when unknown or invisible."""
    countries: Select[str | None]
    reports: Select[str, datetime, bool]
    linked: Select[str, str, int]


@functools.cache
def _lookup_statements(read_org: bool, read_shared: bool) -> _LookupStatements:
    conds: list[ColumnElement[bool]] = []
    if read_org:
        conds.append(Report.org_id == bindparam("org_id"))
    if read_shared:
        conds.append(Report.shared.is_(True))
    vis = or_(*conds) if conds else false()
    ind_id: BindParameter[int] = bindparam("ind_id")
    seen = Occurrence.indicator_id == ind_id
    on_report = Report.id == Occurrence.report_id
    base = select(Occurrence.report_id).join(Report, on_report).where(seen, vis)
    reports_seen = func.count(func.distinct(Occurrence.report_id))
    return _LookupStatements(
        stats=select(
            Indicator.id, reports_seen, func.min(Occurrence.seen_at), func.max(Occurrence.seen_at)
        )
        .join(Occurrence, Occurrence.indicator_id == Indicator.id)
        .join(Report, on_report)
        .where(Indicator.type == bindparam("type"), Indicator.normalized == bindparam("key"), vis)
        .group_by(Indicator.id),
        countries=select(Occurrence.country)
        .join(Report, on_report)
        .where(seen, vis, Occurrence.country.is_not(None))
        .distinct(),
        reports=select(Report.uid, Report.received_at, Report.urgent)
        .where(Report.id.in_(base))
        .order_by(Report.urgent.desc(), Report.received_at.desc())
        .limit(LOOKUP_REPORTS),
        linked=select(Indicator.type, Indicator.normalized, reports_seen)
        .join(Occurrence, Occurrence.indicator_id == Indicator.id)
        .where(Occurrence.report_id.in_(base), Indicator.id != ind_id)
        .group_by(Indicator.type, Indicator.normalized)
        .order_by(reports_seen.desc())
        .limit(LOOKUP_LINKED),
    )


def occurrence_count(session: Session, type_: str, value: str) -> int:
    """How many times the indicator was seen, in any report (an index-only count): what a
    lookup of it will have to read, known before doing it."""
    key = normalize_value(type_, value)
    return session.connection().execute(_OCCURRENCES, {"type": type_, "key": key}).scalar() or 0


def lookup(session: Session, viewer: Viewer, type_: str, value: str) -> dict[str, Any] | None:
    """Have we seen this indicator? Reports, first/last seen, countries, co-occurring ones.

    None when the indicator is unknown or in no report the viewer may see (the two answers
    must look the same, or a partner could probe another organisation's data)."""
    key = normalize_value(type_, value)
    sql = _lookup_statements(viewer.can("read_org"), viewer.can("read_shared"))
    conn = session.connection()
    params: dict[str, Any] = {"type": type_, "key": key, "org_id": viewer.org_id}
    stats = conn.execute(sql.stats, params).one_or_none()
    if stats is None:
        return None
    ind_id, count, first, last = stats
    params["ind_id"] = ind_id
    countries = conn.execute(sql.countries, params).scalars().all()
    report_rows = conn.execute(sql.reports, params).all()
    linked = conn.execute(sql.linked, params).all()
    return {
        "type": type_,
        "normalized": key,
        "report_count": count,
        "first_seen": iso(first),
        "last_seen": iso(last),
        "countries": sorted(c for c in countries if c),
        "reports": [
            {"uid": r.uid, "received_at": iso(r.received_at), "urgent": r.urgent}
            for r in report_rows
        ],
        "operations": {
            "note": "indicators seen in the same reports (operation clustering: issue 6)",
            "co_occurring": [{"type": t, "normalized": n, "reports": c} for t, n, c in linked],
        },
    }

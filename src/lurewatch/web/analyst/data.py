"""What the analyst pages read from the store, always through the viewer's rights.

Visibility is `store.queries.visible` (the API's rule): an analyst or admin sees their own
organisation's reports and the ones others shared; a partner sees shared reports only. Personal
data is never read here: the report page shows the texts the API shows to the same role, and
the identifiers come from the indexed occurrences, which exclude values given as personal data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from lurewatch.store.access import Viewer
from lurewatch.store.queries import iso, visible
from lurewatch.store.schema import (
    Assessment,
    Indicator,
    Item,
    Occurrence,
    Report,
    ReportVersion,
)

QUEUE_PAGE = 50


@dataclass(frozen=True, slots=True)
class QueueRow:
    uid: str
    urgent: bool
    risk: float | None
    category: str | None
    country: str | None
    language: str | None
    received_at: str | None
    shared: bool
    own: bool


def _current_risk() -> Any:
    """Per report: the highest risk and its category among the current version's items."""
    return (
        select(
            ReportVersion.report_id.label("report_id"),
            func.max(Assessment.risk).label("risk"),
        )
        .join(Report, (Report.id == ReportVersion.report_id))
        .join(Item, Item.version_id == ReportVersion.id)
        .join(Assessment, Assessment.item_id == Item.id)
        .where(ReportVersion.version == Report.current_version)
        .group_by(ReportVersion.report_id)
        .subquery()
    )


def queue(
    session: Session,
    viewer: Viewer,
    *,
    urgent_only: bool = False,
    country: str | None = None,
    offset: int = 0,
    limit: int = QUEUE_PAGE,
) -> tuple[int, list[QueueRow]]:
    """(total, one page) of the reports the viewer may read: urgent first, then by risk
    (highest first, unscreened last), then newest first."""
    risk = _current_risk()
    conds: list[ColumnElement[bool]] = [visible(viewer)]
    if urgent_only:
        conds.append(Report.urgent.is_(True))
    if country:
        conds.append(Report.country == country.upper())
    total = session.scalar(select(func.count()).select_from(Report).where(*conds)) or 0
    rows = session.execute(
        select(Report, risk.c.risk)
        .outerjoin(risk, risk.c.report_id == Report.id)
        .where(*conds)
        .order_by(
            Report.urgent.desc(),
            risk.c.risk.desc().nulls_last(),
            Report.received_at.desc(),
            Report.id.desc(),
        )
        .offset(offset)
        .limit(limit)
    ).all()
    categories = _categories(session, [r.id for r, _ in rows])
    return total, [
        QueueRow(
            uid=r.uid,
            urgent=r.urgent,
            risk=risk_value,
            category=categories.get(r.id),
            country=r.country,
            language=r.language,
            received_at=iso(r.received_at),
            shared=r.shared,
            own=r.org_id == viewer.org_id,
        )
        for r, risk_value in rows
    ]


def _categories(session: Session, report_ids: Sequence[int]) -> dict[int, str]:
    """The category of each report's riskiest current item."""
    if not report_ids:
        return {}
    rows = session.execute(
        select(ReportVersion.report_id, Assessment.category, Assessment.risk)
        .join(Report, Report.id == ReportVersion.report_id)
        .join(Item, Item.version_id == ReportVersion.id)
        .join(Assessment, Assessment.item_id == Item.id)
        .where(ReportVersion.version == Report.current_version, Report.id.in_(report_ids))
        .order_by(ReportVersion.report_id, Assessment.risk.desc())
    ).all()
    out: dict[int, str] = {}
    for rid, category, _ in rows:
        out.setdefault(rid, category)
    return out


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text with the marks over it (empty: plain text)."""

    text: str
    marks: tuple[str, ...] = ()
    """"flag:<title>" for a red flag, "id:<type>" for an identifier."""

    @property
    def flagged(self) -> bool:
        return any(m.startswith("flag:") for m in self.marks)

    @property
    def identifier(self) -> bool:
        return any(m.startswith("id:") for m in self.marks)

    @property
    def titles(self) -> str:
        return "; ".join(m.split(":", 1)[1] for m in self.marks)


def segments(text: str, marks: Sequence[tuple[int, int, str]]) -> list[Segment]:
    """Cut `text` at every mark boundary; each piece carries the marks covering it.

    Overlapping marks (a red flag that contains a phone number) are both kept on the overlap.
    Out-of-range or empty spans are dropped. Sorting the boundaries makes this
    O((n + m) log m) for m marks: no per-character work on a long text."""
    n = len(text)
    spans = [(max(0, s), min(n, e), label) for s, e, label in marks if 0 <= s < e and s < n]
    if not spans:
        return [Segment(text)] if text else []
    cuts = sorted({0, n} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    starts: dict[int, list[tuple[int, str]]] = {}
    for s, e, label in spans:
        starts.setdefault(s, []).append((e, label))
    active: list[tuple[int, str]] = []
    out: list[Segment] = []
    for a, b in pairwise(cuts):
        active = [(e, label) for e, label in active if e > a] + starts.get(a, [])
        labels = tuple(dict.fromkeys(label for _, label in active))
        out.append(Segment(text[a:b], labels))
    return out


@dataclass(slots=True)
class ItemView:
    kind: str
    channel: str | None
    segments: list[Segment]
    messages: list[dict[str, Any]] | None
    assessment: dict[str, Any] | None
    flags: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class IdentifierView:
    type: str
    value: str
    normalized: str
    valid: bool
    reports: int
    """Reports the viewer may read that contain it (this one included)."""


@dataclass(slots=True)
class ReportView:
    uid: str
    own: bool
    urgent: bool
    urgency: list[Any]
    possible_victim: bool
    country: str | None
    language: str | None
    source: str | None
    reporter_type: str | None
    received_at: str | None
    shared: bool
    redacted: bool
    version: int
    versions: list[dict[str, Any]]
    items: list[ItemView]
    identifiers: list[IdentifierView]
    operation: str | None


def _assessment(a: Assessment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "risk": a.risk,
        "flagged": a.flagged,
        "category": a.category,
        "language": a.language,
        "explanation": [str(x) for x in a.detail.get("explanation", [])][:10],
    }


def report_view(session: Session, viewer: Viewer, uid: str) -> ReportView | None:
    """The report page's content, or None when the viewer may not read report `uid`."""
    report = session.scalar(select(Report).where(Report.uid == uid, visible(viewer)))
    if report is None:
        return None
    identifiers = _identifiers(session, viewer, report.id)
    known = {i.value for i in identifiers}
    current = next((v for v in report.versions if v.version == report.current_version), None)
    items: list[ItemView] = []
    for it in current.items if current else []:
        a = it.assessment
        detail = a.detail if a is not None else {}
        marks: list[tuple[int, int, str]] = []
        flags: list[dict[str, Any]] = []
        for s in detail.get("signals", []) or []:
            title = str(s.get("title") or s.get("id") or "red flag")
            flags.append({"title": title, "category": s.get("category")})
            for sp in s.get("spans", []) or []:
                marks.append((int(sp.get("start", -1)), int(sp.get("end", -1)), "flag:" + title))
        for ind in detail.get("indicators", []) or []:
            # Only identifiers that were indexed: values given as personal data are not.
            if ind.get("value") in known:
                kind = str(ind.get("type"))
                marks.append((int(ind.get("start", -1)), int(ind.get("end", -1)), "id:" + kind))
        items.append(
            ItemView(
                kind=it.kind,
                channel=it.channel,
                segments=segments(it.text or "", marks),
                messages=it.messages,
                assessment=_assessment(a),
                flags=flags,
            )
        )
    versions = [
        {"version": v.version, "created_at": iso(v.created_at), "note": v.note}
        for v in report.versions
    ]
    from lurewatch.operations.tables import Operation, OperationMember

    op_uid = session.scalar(
        select(Operation.uid)
        .join(OperationMember, OperationMember.operation_id == Operation.id)
        .where(OperationMember.report_id == report.id, Operation.status == "active")
    )
    return ReportView(
        uid=report.uid,
        own=report.org_id == viewer.org_id,
        urgent=report.urgent,
        urgency=list(report.urgency or []),
        possible_victim=report.possible_victim,
        country=report.country,
        language=report.language,
        source=report.source,
        reporter_type=report.reporter_type,
        received_at=iso(report.received_at),
        shared=report.shared,
        redacted=report.redacted_at is not None,
        version=report.current_version,
        versions=versions,
        items=items,
        identifiers=identifiers,
        operation=op_uid,
    )


def _identifiers(session: Session, viewer: Viewer, report_id: int) -> list[IdentifierView]:
    """The report's indexed identifiers, each with how many readable reports contain it."""
    rows = session.execute(
        select(
            Indicator.id, Indicator.type, Indicator.normalized, Occurrence.value, Occurrence.valid
        )
        .join(Occurrence, Occurrence.indicator_id == Indicator.id)
        .where(Occurrence.report_id == report_id)
        .order_by(Indicator.type, Indicator.normalized)
    ).all()
    if not rows:
        return []
    ids = sorted({r[0] for r in rows})
    counts = dict(
        session.execute(
            select(Occurrence.indicator_id, func.count(func.distinct(Occurrence.report_id)))
            .join(Report, Report.id == Occurrence.report_id)
            .where(Occurrence.indicator_id.in_(ids), visible(viewer))
            .group_by(Occurrence.indicator_id)
        ).all()
    )
    seen: set[int] = set()
    out: list[IdentifierView] = []
    for ind_id, type_, normalized, value, valid in rows:
        if ind_id in seen:
            continue
        seen.add(ind_id)
        out.append(IdentifierView(type_, value, normalized, valid, int(counts.get(ind_id, 0))))
    return out


def operation_choices(session: Session, viewer: Viewer, exclude: str) -> list[str]:
    """Uids of the active operations the viewer can see (at least two readable members), for
    the merge form: one grouped query, not a full view of every operation."""
    from lurewatch.operations.tables import Operation, OperationMember

    seen = (
        select(OperationMember.operation_id)
        .join(Report, Report.id == OperationMember.report_id)
        .where(visible(viewer))
        .group_by(OperationMember.operation_id)
        .having(func.count() >= 2)
    )
    rows = session.scalars(
        select(Operation.uid)
        .where(Operation.id.in_(seen), Operation.status == "active", Operation.uid != exclude)
        .order_by(Operation.size.desc(), Operation.uid)
        .limit(500)
    )
    return list(rows)

"""Reading operations as a viewer may see them, and recording analysts' split and merge.

Visibility follows the reports (`store.queries.visible`): a viewer sees an operation through
the member reports it may read, and only when at least two of them are visible (one visible
report linked to unseen ones would tell a partner that other organisations hold reports about
it). When some members are hidden, everything shown is rebuilt from the visible members only:
size, countries, languages, categories, indicators, evidence between visible reports, and the
template only if every report that shaped it is visible. Personal data (names and contacts of
reporters and victims) is never part of an operation; templates are built with it masked, and
a template built before a member was redacted is withheld until the next linking run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from lurewatch.linking.model import Cluster, Edge, KeyStat, LinkResult
from lurewatch.operations.build import build_operations, iso, split_key
from lurewatch.operations.confidence import confidence
from lurewatch.operations.decisions import Decision
from lurewatch.operations.store_link import LOCK, _reserved, _write, memberships
from lurewatch.operations.store_records import load_records
from lurewatch.operations.tables import LinkRun, Operation, OperationDecision, OperationMember
from lurewatch.store.access import Viewer, audit
from lurewatch.store.queries import visible
from lurewatch.store.schema import Report

MAX_PAGE = 200
MAX_EVIDENCE = 5000
LIST_INDICATORS = 5


class OperationError(Exception):
    """A request about operations that cannot be done; `status` is the HTTP answer."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass(slots=True)
class Member:
    uid: str
    id: int
    country: str | None
    language: str | None
    received_at: datetime | None
    redacted_at: datetime | None
    visible: bool


def _aware(dt: datetime | None) -> datetime | None:
    return None if dt is None else dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _sees(viewer: Viewer, org_id: int, shared: bool) -> bool:
    """Python twin of `store.queries.visible` for rows already loaded."""
    return (viewer.can("read_org") and org_id == viewer.org_id) or (
        viewer.can("read_shared") and shared
    )


def members_of(session: Session, viewer: Viewer, op: Operation) -> list[Member]:
    rows = session.execute(
        select(
            Report.uid,
            Report.id,
            Report.country,
            Report.language,
            Report.received_at,
            Report.redacted_at,
            Report.org_id,
            Report.shared,
        )
        .join(OperationMember, OperationMember.report_id == Report.id)
        .where(OperationMember.operation_id == op.id)
        .order_by(Report.uid)
    )
    return [
        Member(uid, rid, c, lang, _aware(rec), _aware(red), _sees(viewer, org, bool(shared)))
        for uid, rid, c, lang, rec, red, org, shared in rows
    ]


def _edges(evidence: Sequence[dict[str, Any]]) -> list[Edge]:
    return [
        Edge(str(e["a"]), str(e["b"]), e["kind"], str(e["key"]), float(e["weight"]))
        for e in evidence
    ]


def _template(op: Operation, seen: set[str], members: list[Member]) -> tuple[Any, str | None]:
    tpl = op.template or {}
    if not tpl:
        return None, None
    updated = _aware(op.updated_at)
    if any(m.redacted_at and updated and m.redacted_at > updated for m in members):
        return None, "a member report was redacted since; the next linking run rebuilds it"
    if not set(tpl.get("members", [])) <= seen:
        return None, "built from reports you cannot see"
    return tpl, None


def view(
    session: Session, viewer: Viewer, op: Operation, *, detail: bool = False
) -> dict[str, Any] | None:
    """The operation as `viewer` may see it, or None when fewer than two members are visible."""
    members = members_of(session, viewer, op)
    shown = [m for m in members if m.visible]
    if len(shown) < 2 and op.status == "active":
        return None
    seen = {m.uid for m in shown}
    restricted = len(shown) < len(members)
    template, withheld = _template(op, seen, members)
    out: dict[str, Any] = {
        "operation_id": op.uid,
        "status": op.status,
        "merged_into": op.merged_into,
        "label": op.label,
        "size": len(shown),
        "restricted": restricted,
        "run": op.run,
        "updated_at": iso(op.updated_at),
    }
    if not restricted:
        out |= {
            "confidence": op.confidence,
            "first_seen": iso(op.first_seen),
            "last_seen": iso(op.last_seen),
            "countries": op.countries,
            "languages": op.languages,
            "categories": op.categories,
            "indicators": op.top_indicators,
        }
        evidence = list(op.evidence)
    else:
        out |= _restricted(session, op, shown)
        evidence = [e for e in op.evidence if e["a"] in seen and e["b"] in seen]
        out["confidence"] = confidence(seen, _edges(evidence))
    out["template"] = template
    if withheld:
        out["template_withheld"] = withheld
    if not detail:
        out["indicators"] = out["indicators"][:LIST_INDICATORS]
        return out
    out["members"] = [
        {
            "uid": m.uid,
            "country": m.country,
            "language": m.language,
            "received_at": iso(m.received_at),
        }
        for m in shown
    ]
    out["evidence_total"] = len(evidence)
    out["evidence"] = evidence[:MAX_EVIDENCE]
    days = Counter(m.received_at.date().isoformat() for m in shown if m.received_at)
    out["timeline"] = [{"date": d, "reports": n} for d, n in sorted(days.items())]
    out["decisions"] = _decisions(session, viewer, op.uid, {m.uid for m in members}, seen)
    return out


def _restricted(session: Session, op: Operation, shown: list[Member]) -> dict[str, Any]:
    """Summary fields rebuilt from the visible members only."""
    records = load_records(session, [m.id for m in shown]).records
    weights = {i["key"]: i for i in op.top_indicators or []}
    per_key = Counter(f"{t}:{n}" for r in records for t, n in set(r.indicators or ()))
    indicators = []
    for key, n in sorted(per_key.items(), key=lambda kv: (-kv[1], kv[0]))[:25]:
        kind, value = split_key(key)
        known = weights.get(key, {})
        indicators.append(
            {
                "key": key,
                "type": kind,
                "value": value,
                "reports": n,
                "weight": known.get("weight"),
                "stopped": known.get("stopped"),
            }
        )
    seen = [r.seen_at for r in records if r.seen_at]

    def counts(values: list[str | None]) -> dict[str, int]:
        c = Counter(v for v in values if v)
        return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))

    return {
        "first_seen": iso(min(seen)) if seen else None,
        "last_seen": iso(max(seen)) if seen else None,
        "countries": counts([r.country for r in records]),
        "languages": counts([r.language for r in records]),
        "categories": counts([r.category for r in records]),
        "indicators": indicators,
    }


def _decisions(
    session: Session, viewer: Viewer, uid: str, members: set[str], seen: set[str]
) -> list[dict[str, Any]]:
    """Decisions that name this operation, one merged into it, or its reports; only the
    visible reports are listed."""
    ids = {uid} | set(session.scalars(select(Operation.uid).where(Operation.merged_into == uid)))
    out = []
    for d in session.scalars(
        select(OperationDecision).order_by(OperationDecision.at, OperationDecision.id)
    ):
        named = set(map(str, d.reports))
        if not (named & members or set(map(str, d.operations)) & ids):
            continue
        out.append(
            {
                "id": d.id,
                "kind": d.kind,
                "operations": d.operations,
                "reports": sorted(named & seen),
                "at": iso(d.at),
                "note": d.note if d.org_id == viewer.org_id else None,
            }
        )
    return out


def _visible_ops(viewer: Viewer) -> Any:
    """Operation ids with at least two members `viewer` may see."""
    cond: ColumnElement[bool] = visible(viewer)
    return (
        select(OperationMember.operation_id)
        .join(Report, Report.id == OperationMember.report_id)
        .where(cond)
        .group_by(OperationMember.operation_id)
        .having(func.count() >= 2)
    )


def list_operations(
    session: Session,
    viewer: Viewer,
    *,
    status: str = "active",
    min_size: int = 2,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[dict[str, Any]]]:
    """(total, one page) of the operations `viewer` can see, largest first."""
    conds = [Operation.id.in_(_visible_ops(viewer)), Operation.size >= min_size]
    if status != "all":
        conds.append(Operation.status == status)
    total = session.scalar(select(func.count()).select_from(Operation).where(*conds)) or 0
    page = session.scalars(
        select(Operation)
        .where(*conds)
        .order_by(Operation.size.desc(), Operation.confidence.desc(), Operation.uid)
        .offset(offset)
        .limit(min(limit, MAX_PAGE))
    ).all()
    out = [v for op in page if (v := view(session, viewer, op)) is not None]
    return total, out


def get_operation(session: Session, viewer: Viewer, uid: str) -> Operation:
    op = session.scalar(select(Operation).where(Operation.uid == uid))
    if op is None or (op.status == "active" and view(session, viewer, op) is None):
        raise OperationError(404, "No such operation among those you can see.")
    return op


def detail(session: Session, viewer: Viewer, uid: str) -> dict[str, Any]:
    op = get_operation(session, viewer, uid)
    out = view(session, viewer, op, detail=True)
    if out is None:  # a merged or retired operation with no visible members left
        out = {"operation_id": op.uid, "status": op.status, "merged_into": op.merged_into}
    return out


def latest_run(session: Session) -> dict[str, Any] | None:
    run = session.scalar(select(LinkRun).order_by(LinkRun.number.desc()).limit(1))
    if run is None:
        return None
    return {
        "number": run.number,
        "mode": run.mode,
        "engine": run.engine,
        "reports": run.reports,
        "new_reports": run.new_reports,
        "operations": run.operations,
        "retired": run.retired,
        "seconds": run.seconds,
        "started_at": iso(run.started_at),
    }


def _result_from_store(session: Session, ops: list[Operation]) -> tuple[LinkResult, Any]:
    """The stored operations as a linking result (their evidence, members re-prepared from the
    store without extraction), so a decision can be applied without re-linking everything."""
    from lurewatch.operations.linker import prepare_many

    ids = [
        m.report_id
        for op in ops
        for m in session.scalars(
            select(OperationMember).where(OperationMember.operation_id == op.id)
        )
    ]
    records = load_records(session, ids)
    prepared = {p.report_id: p for p in prepare_many(records.records)}
    clusters = []
    stats: dict[str, KeyStat] = {}
    for op in ops:
        mem = tuple(sorted(r for r in memberships(session, [op.id]).get(op.uid, [])))
        clusters.append(Cluster(mem, tuple(sorted(_edges(op.evidence)))))
        for i in op.top_indicators or []:
            stats[i["key"]] = KeyStat(
                i["key"], int(i["reports"]), float(i["weight"] or 0.0), i["stopped"]
            )
    clusters.sort(key=lambda c: c.report_ids[0] if c.report_ids else "")
    return LinkResult(clusters, prepared, stats), records


def _apply(
    session: Session,
    viewer: Viewer,
    ops: list[Operation],
    decision: OperationDecision,
    actor: str | None,
) -> list[str]:
    session.add(decision)
    session.flush()
    result, records = _result_from_store(session, ops)
    previous = memberships(session, [op.id for op in ops])
    d = Decision(
        "merge" if decision.kind == "merge" else "split",
        tuple(map(str, decision.reports)),
        tuple(map(str, decision.operations)),
        decision.id,
    )
    views = build_operations(
        result,
        previous,
        [d],
        private=records.private,
        reserved=_reserved(session),
        universe={r.report_id for r in records.records},
    )
    number = max(op.run for op in ops)
    _write(session, views, {op.uid for op in ops}, records, number)
    audit(
        session,
        f"operation.{decision.kind}",
        viewer=viewer,
        target=ops[0].uid,
        detail={"decision": decision.id, "actor": actor or ""},
    )
    session.commit()
    return [v.operation_id for v in views]


def split_operation(
    session: Session,
    viewer: Viewer,
    uid: str,
    reports: Sequence[str],
    *,
    note: str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Move `reports` out of operation `uid` into an operation of their own (recorded)."""
    with LOCK:
        op = get_operation(session, viewer, uid)
        if op.status != "active":
            raise OperationError(409, f"Operation {uid} is {op.status}; split the active one.")
        members = members_of(session, viewer, op)
        can_see = {m.uid for m in members if m.visible}
        moved = sorted(set(reports))
        if not moved:
            raise OperationError(422, "Name at least one report to split out.")
        unknown = [r for r in moved if r not in can_see]
        if unknown:
            raise OperationError(
                409, f"Not members of {uid} that you can see: {', '.join(unknown[:5])}"
            )
        if len(moved) >= len(members):
            raise OperationError(409, "A split must leave at least one report behind.")
        decision = OperationDecision(
            kind="split",
            operations=[uid],
            reports=moved,
            org_id=viewer.org_id,
            actor=actor,
            note=note,
        )
        after = _apply(session, viewer, [op], decision, actor)
        return {"decision": decision.id, "kind": "split", "operations": after}


def merge_operations(
    session: Session,
    viewer: Viewer,
    uids: Sequence[str],
    *,
    note: str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Merge operations into the first one (recorded, replayed after every re-linking)."""
    with LOCK:
        wanted = list(dict.fromkeys(uids))
        if len(wanted) < 2:
            raise OperationError(422, "Name at least two different operations to merge.")
        ops = [get_operation(session, viewer, u) for u in wanted]
        inactive = [op.uid for op in ops if op.status != "active"]
        if inactive:
            raise OperationError(409, f"Not active (merged or retired): {', '.join(inactive)}")
        members = memberships(session, [op.id for op in ops])
        reports = sorted({r for u in wanted for r in members.get(u, [])})
        decision = OperationDecision(
            kind="merge",
            operations=wanted,
            reports=reports,
            org_id=viewer.org_id,
            actor=actor,
            note=note,
        )
        after = _apply(session, viewer, ops, decision, actor)
        return {"decision": decision.id, "kind": "merge", "operations": after}

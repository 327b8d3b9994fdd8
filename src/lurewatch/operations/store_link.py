"""Linking the store: full and incremental runs, written in one transaction.

A full run links every stored report, replays analysts' decisions, keeps ids of operations
whose membership barely changed, retires the rest, and writes operations, members and each
report's index keys (`link_keys`) in one transaction: a crash leaves the previous run whole.

An incremental run links only what new reports can change. A new report (one without a
`linked_reports` row) can only join reports it shares an index key with (a linking indicator or
an LSH band of its text: `linking.index_keys`); those are looked up in `link_keys`, and the
whole operations they belong to are added, so every cluster the new reports touch is
recomputed complete. Operations out of reach are left as they are.

How incremental differs from a full run on the same data (tested equal in
tests/operations/test_store_link.py on data where it holds): an indicator key's weight falls
once it is in more than `LinkConfig.strong_df` reports (rarity weighting). Every stored report
holding a key of a new report is in the neighbourhood, so those keys are counted as in a full
run; but a key that only neighbours hold is counted among the neighbourhood only, so a key
spread over more than `strong_df` reports store-wide can weigh more here than in a full run,
and an operation no new report reaches keeps the links it was built with even if one of its
keys has since become too common. Until every key is below `strong_df` both agree exactly; a
periodic full run (`lurewatch link --full`) re-weighs everything.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from lurewatch.linking.model import LinkResult
from lurewatch.operations.build import OperationView, build_operations, edge_dict
from lurewatch.operations.decisions import Decision
from lurewatch.operations.linker import index_keys, link, prepare_many
from lurewatch.operations.store_records import CHUNK, StoredRecords, load_records
from lurewatch.operations.tables import (
    LinkedReport,
    LinkKey,
    LinkRun,
    Operation,
    OperationDecision,
    OperationMember,
)
from lurewatch.store.schema import Report

Mode = Literal["full", "incremental", "auto"]
Engine = Literal["duckdb", "spark"]
LOCK = threading.Lock()
"""One linking run at a time in this process (the API's worker threads)."""


@dataclass(slots=True)
class RunSummary:
    number: int
    mode: str
    engine: str
    reports: int
    new_reports: int
    operations: int
    retired: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def stored_decisions(session: Session) -> list[Decision]:
    rows = session.scalars(
        select(OperationDecision).order_by(OperationDecision.at, OperationDecision.id)
    )
    return [
        Decision(
            kind="merge" if d.kind == "merge" else "split",
            reports=tuple(str(r) for r in d.reports),
            operations=tuple(str(o) for o in d.operations),
            id=d.id,
        )
        for d in rows
    ]


def memberships(
    session: Session, operation_ids: Collection[int] | None = None
) -> dict[str, list[str]]:
    """Active operations' uids -> member report uids."""
    stmt = (
        select(Operation.uid, Report.uid)
        .join(OperationMember, OperationMember.operation_id == Operation.id)
        .join(Report, Report.id == OperationMember.report_id)
        .where(Operation.status == "active")
    )
    out: dict[str, list[str]] = defaultdict(list)
    if operation_ids is None:
        for op, rep in session.execute(stmt):
            out[op].append(rep)
        return dict(out)
    ids = sorted(operation_ids)
    for i in range(0, len(ids), CHUNK):
        for op, rep in session.execute(stmt.where(Operation.id.in_(ids[i : i + CHUNK]))):
            out[op].append(rep)
    return dict(out)


def _write(
    session: Session,
    views: Sequence[OperationView],
    touched: Collection[str],
    records: StoredRecords,
    number: int,
) -> int:
    """Write `views`, retire operations of `touched` that no view carries on; return retired."""
    now = datetime.now(UTC)
    ops = (
        {
            o.uid: o
            for o in session.scalars(select(Operation).where(Operation.uid.in_(list(touched))))
        }
        if touched
        else {}
    )
    wanted = {v.operation_id for v in views}
    for extra in session.scalars(select(Operation).where(Operation.uid.in_(list(wanted)))):
        ops[extra.uid] = extra
    touched_ids = [o.id for o in ops.values()]
    before = memberships(session, touched_ids) if touched_ids else {}
    member_ids = [records.ids[r] for v in views for r in v.report_ids]
    for i in range(0, len(touched_ids), CHUNK):
        session.execute(
            delete(OperationMember).where(
                OperationMember.operation_id.in_(touched_ids[i : i + CHUNK])
            )
        )
    for i in range(0, len(member_ids), CHUNK):  # a report is in at most one operation
        session.execute(
            delete(OperationMember).where(OperationMember.report_id.in_(member_ids[i : i + CHUNK]))
        )
    # which new operation took most of a retired one's members: it was merged into that one
    home = {r: v.operation_id for v in views for r in v.report_ids}
    retired = 0
    for uid, op in ops.items():
        if uid in wanted:
            continue
        retired += op.status == "active"
        counts: dict[str, int] = defaultdict(int)
        for r in before.get(uid, ()):
            if r in home:
                counts[home[r]] += 1
        best = max(counts.items(), key=lambda kv: (kv[1], kv[0]), default=None)
        if best is not None and best[1] * 2 > max(len(before.get(uid, ())), 1):
            op.status, op.merged_into = "merged", best[0]
        else:
            op.status, op.merged_into = "retired", None
        op.size, op.run, op.updated_at = 0, number, now
    session.flush()
    for v in views:
        if v.operation_id not in ops:
            ops[v.operation_id] = Operation(uid=v.operation_id, created_at=now)
            session.add(ops[v.operation_id])
        _fill(ops[v.operation_id], v, number, now)
    session.flush()
    rows = [
        {"operation_id": ops[v.operation_id].id, "report_id": records.ids[r]}
        for v in views
        for r in v.report_ids
    ]
    if rows:
        session.execute(insert(OperationMember), rows)
    return retired


def _fill(op: Operation, v: OperationView, number: int, now: datetime) -> None:
    d = v.to_dict()
    op.status, op.merged_into = "active", None
    op.size = v.size
    op.confidence = v.confidence
    op.first_seen, op.last_seen = v.first_seen, v.last_seen
    op.countries, op.languages, op.categories = d["countries"], d["languages"], d["categories"]
    op.top_indicators = d["indicators"]
    op.template = d["template"] or {}
    op.evidence = [edge_dict(e) for e in v.evidence]
    op.run = number
    op.updated_at = now


def _keys(session: Session, result: LinkResult, records: StoredRecords, number: int) -> None:
    """Remember each linked report's index keys (and that it was linked)."""
    ids = [records.ids[r.report_id] for r in records.records]
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        session.execute(delete(LinkKey).where(LinkKey.report_id.in_(part)))
        session.execute(delete(LinkedReport).where(LinkedReport.report_id.in_(part)))
    keys: list[dict[str, Any]] = []
    for r in records.records:
        p = result.prepared.get(r.report_id)
        rid = records.ids[r.report_id]
        if p is not None:
            keys += [{"report_id": rid, "key": k[:600]} for k in sorted(set(index_keys(p)))]
    if ids:
        session.execute(insert(LinkedReport), [{"report_id": i, "run": number} for i in ids])
    if keys:
        session.execute(insert(LinkKey), keys)


def _next_number(session: Session) -> int:
    return (session.scalar(select(func.max(LinkRun.number))) or 0) + 1


def _new_report_ids(session: Session) -> list[int]:
    linked = select(LinkedReport.report_id)
    return list(
        session.scalars(select(Report.id).where(Report.id.not_in(linked)).order_by(Report.id))
    )


def _reserved(session: Session) -> set[str]:
    return set(session.scalars(select(Operation.uid).where(Operation.status != "active")))


def link_store(
    session: Session,
    *,
    engine: Engine = "duckdb",
    mode: Mode = "auto",
    actor: str | None = None,
) -> RunSummary:
    """Link the store (see the module docstring); `auto` is incremental once a full run was
    made, full before. Commits once at the end; on any error nothing is written."""
    with LOCK:
        started = time.perf_counter()
        number = _next_number(session)
        if mode == "auto":
            mode = "incremental" if number > 1 else "full"
        new_ids = _new_report_ids(session)
        if mode == "full":
            records = load_records(session)
            previous = memberships(session)
            result = link(records.records, engine)
            # every active operation, even one whose reports were all deleted since
            touched: Collection[str] = set(
                session.scalars(select(Operation.uid).where(Operation.status == "active"))
            )
            universe: Collection[str] | None = None
        else:
            records, previous = _neighbourhood(session, new_ids)
            result = link(records.records, engine)
            touched = set(previous)
            universe = {r.report_id for r in records.records}
        views = build_operations(
            result,
            previous,
            stored_decisions(session),
            private=records.private,
            reserved=_reserved(session),
            universe=universe,
        )
        retired = _write(session, views, touched, records, number)
        if records.records:
            _keys(session, result, records, number)
        summary = RunSummary(
            number,
            mode,
            engine,
            len(records.records),
            len(new_ids),
            len(views),
            retired,
            round(time.perf_counter() - started, 3),
        )
        session.add(
            LinkRun(
                number=number,
                mode=mode,
                engine=engine,
                reports=summary.reports,
                new_reports=summary.new_reports,
                operations=summary.operations,
                retired=retired,
                seconds=summary.seconds,
                actor=actor,
            )
        )
        session.commit()
        return summary


def _neighbourhood(
    session: Session, new_ids: list[int]
) -> tuple[StoredRecords, dict[str, list[str]]]:
    """The new reports, the stored reports sharing an index key with one, and every member of
    the operations those belong to; and those operations' current memberships."""
    if not new_ids:
        return StoredRecords([], {}), {}
    fresh = load_records(session, new_ids)
    keys = sorted({k for p in prepare_many(fresh.records) for k in index_keys(p)})
    near: set[int] = set(new_ids)
    for i in range(0, len(keys), CHUNK):
        near.update(
            session.scalars(
                select(LinkKey.report_id).where(LinkKey.key.in_(keys[i : i + CHUNK])).distinct()
            )
        )
    near_list = sorted(near)
    op_ids: set[int] = set()
    for i in range(0, len(near_list), CHUNK):
        op_ids.update(
            session.scalars(
                select(OperationMember.operation_id)
                .join(Operation, Operation.id == OperationMember.operation_id)
                .where(
                    OperationMember.report_id.in_(near_list[i : i + CHUNK]),
                    Operation.status == "active",
                )
                .distinct()
            )
        )
    ops = sorted(op_ids)
    for i in range(0, len(ops), CHUNK):
        near.update(
            session.scalars(
                select(OperationMember.report_id).where(
                    OperationMember.operation_id.in_(ops[i : i + CHUNK])
                )
            )
        )
    return load_records(session, near), memberships(session, op_ids) if op_ids else {}

"""Read what an export needs from the store, in a few set-wise queries (not per report).

Both exporters (STIX and MISP) work from the same `Gathered` data, so they share exactly the
same reports, identifiers, withholding decisions and reasons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import lurewatch
from lurewatch.operations.tables import Operation, OperationMember
from lurewatch.sharing.observables import Key
from lurewatch.sharing.policy import Audience, aware, shared_reports
from lurewatch.sharing.redaction import LeakGuard, personal_values
from lurewatch.store.schema import (
    Assessment,
    Indicator,
    Item,
    Occurrence,
    Organisation,
    Report,
    ReportVersion,
)

CHUNK = 900
"""Ids per IN (...) list: under SQLite's bound-parameter limit on old builds."""


def chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


@dataclass
class ReportInfo:
    report: Report
    org: str
    why: str
    modified: datetime
    category: str | None = None
    risk: float | None = None
    kinds: list[str] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    operation: str | None = None
    possible_victim: bool = False


@dataclass
class KeyInfo:
    key: Key
    created: datetime
    reports: list[str] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None


@dataclass
class OperationInfo:
    op: Operation
    members: list[str]
    evidence: list[dict[str, Any]]


@dataclass
class Withheld:
    what: str
    why: str


@dataclass
class Gathered:
    audience: Audience
    guard: LeakGuard
    orgs: dict[int, tuple[str, datetime]]
    reports: dict[str, ReportInfo]
    keys: dict[tuple[str, str], KeyInfo]
    operations: list[OperationInfo]
    withheld: list[Withheld]


def _platforms(session: Session, item_ids: list[int]) -> dict[tuple[int, str], str]:
    """(item id, normalized handle) -> platform, from the stored screening records; handles in
    conversations (whose records do not list indicators) are extracted again from the turns."""
    out: dict[tuple[int, str], str] = {}
    for ids in chunks(item_ids):
        rows = session.execute(
            select(Item.id, Item.messages, Assessment.detail)
            .outerjoin(Assessment, Assessment.item_id == Item.id)
            .where(Item.id.in_(ids))
        )
        for item_id, messages, detail in rows:
            found = (detail or {}).get("indicators")
            if found is None and messages:
                found = [
                    i.to_dict()
                    for m in messages
                    for i in lurewatch.extract(str(m.get("text", "")), types=["handle"])
                ]
            for ind in found or []:
                if ind.get("type") == "handle" and ind.get("platform"):
                    out[(item_id, str(ind["normalized"]))] = str(ind["platform"])
    return out


def gather(session: Session, audience: Audience, since: datetime | None = None) -> Gathered:
    guard = LeakGuard(personal_values(session))
    withheld: list[Withheld] = []
    reports = shared_reports(session, audience, since)
    orgs = {
        o.id: (o.name, aware(o.created_at) or o.created_at)
        for o in session.scalars(select(Organisation))
    }
    by_id: dict[int, ReportInfo] = {}
    for r in reports:
        by_id[r.id] = ReportInfo(
            report=r,
            org=orgs[r.org_id][0],
            why=audience.why(r.shared),
            modified=aware(r.created_at) or r.created_at,
            possible_victim=r.possible_victim,
        )
    ids = sorted(by_id)
    # the current version's items and verdicts
    for chunk in chunks(ids):
        rows = session.execute(
            select(
                ReportVersion.report_id,
                ReportVersion.created_at,
                Item.kind,
                Item.text,
                Item.messages,
                Assessment.category,
                Assessment.risk,
            )
            .join(Report, Report.id == ReportVersion.report_id)
            .join(Item, Item.version_id == ReportVersion.id)
            .outerjoin(Assessment, Assessment.item_id == Item.id)
            .where(ReportVersion.report_id.in_(chunk))
            .where(ReportVersion.version == Report.current_version)
            .order_by(ReportVersion.report_id, Item.position)
        )
        for report_id, created, kind, text, messages, category, risk in rows:
            info = by_id[report_id]
            info.modified = max(info.modified, aware(created) or created)
            info.kinds.append(kind)
            if risk is not None and (info.risk is None or risk > info.risk):
                info.risk, info.category = float(risk), category
            if audience.include_text:
                body = (
                    text
                    if text is not None
                    else "\n".join(str(m.get("text", "")) for m in messages or [])
                )
                info.texts.append(guard.scrub(body))
    # identifiers
    keys: dict[tuple[str, str], KeyInfo] = {}
    occ: list[tuple[int, int, str, str, datetime, datetime]] = []
    for chunk in chunks(ids):
        occ += [
            (rid, iid, t, n, aware(c) or c, aware(s) or s)
            for rid, iid, t, n, c, s in session.execute(
                select(
                    Occurrence.report_id,
                    Occurrence.item_id,
                    Indicator.type,
                    Indicator.normalized,
                    Indicator.created_at,
                    Occurrence.seen_at,
                )
                .join(Indicator, Indicator.id == Occurrence.indicator_id)
                .where(Occurrence.report_id.in_(chunk))
                .order_by(Occurrence.report_id, Occurrence.id)
            )
        ]
    platforms = _platforms(session, sorted({iid for _, iid, t, *_ in occ if t == "handle"}))
    for rid, iid, t, n, created, seen in occ:
        info = by_id[rid]
        if guard.is_personal(n):
            withheld.append(
                Withheld(
                    f"{t} in report {info.report.uid}", "personal data of a reporter or victim"
                )
            )
            continue
        k = keys.get((t, n))
        if k is None:
            k = keys[(t, n)] = KeyInfo(Key(t, n, platforms.get((iid, n))), created)
        elif k.key.platform is None and (iid, n) in platforms:
            k.key = Key(t, n, platforms[(iid, n)])
        if info.report.uid not in k.reports:
            k.reports.append(info.report.uid)
            info.keys.append(k.key)
        k.first_seen = min(k.first_seen or seen, seen)
        k.last_seen = max(k.last_seen or seen, seen)
    by_uid = {i.report.uid: i for i in by_id.values()}
    for info in by_uid.values():  # a handle's platform may have been learnt after a report
        info.keys = [keys[(k.type, k.normalized)].key for k in info.keys]
    # operations with at least one member in scope
    members: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(ids):
        for op_id, report_id in session.execute(
            select(OperationMember.operation_id, OperationMember.report_id).where(
                OperationMember.report_id.in_(chunk)
            )
        ):
            members[op_id].append(by_id[report_id].report.uid)
    operations: list[OperationInfo] = []
    for op in session.scalars(
        select(Operation).where(Operation.id.in_(list(members))).order_by(Operation.id)
    ):
        if op.status != "active":
            continue
        uids = sorted(members[op.id])
        for uid in uids:
            by_uid[uid].operation = op.uid
        inside = set(uids)
        evidence: list[dict[str, Any]] = []
        for edge in op.evidence or []:
            if edge.get("a") not in inside or edge.get("b") not in inside:
                continue
            key = str(edge.get("key", ""))
            if edge.get("kind") == "indicator" and guard.is_personal(key.partition(":")[2]):
                withheld.append(
                    Withheld(
                        f"evidence in operation {op.uid}", "personal data of a reporter or victim"
                    )
                )
                continue
            evidence.append(edge)
        operations.append(OperationInfo(op, uids, evidence))
    return Gathered(audience, guard, orgs, by_uid, keys, operations, withheld)

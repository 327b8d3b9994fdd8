"""Linking the store on SQLite and PostgreSQL: the sample's operations, incremental == full,
decisions surviving re-linking with new reports, one transaction, retention cascades."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.operations.queries import merge_operations, split_operation
from lurewatch.operations.store_link import link_store, memberships
from lurewatch.operations.tables import (
    LinkedReport,
    LinkKey,
    LinkRun,
    Operation,
    OperationMember,
)
from lurewatch.store.schema import Report
from tests.operations.conftest import LATE, SAMPLE_ROWS, external_ids, ingest_rows, viewer

PLANTED = {
    "recruiter": {f"sample-{i:02d}" for i in [*range(1, 14), 58, 59]},
    "exchange": {f"sample-{i:02d}" for i in [*range(14, 23), 62]},
    "task": {f"sample-{i:02d}" for i in [*range(23, 34), 60]},
    "admin": {f"sample-{i:02d}" for i in [*range(34, 41), 61]},
}


def groups(s: Session) -> list[set[str]]:
    """Active operations as sets of the sample's external ids."""
    ext = external_ids(s)
    return sorted(({ext[r] for r in m} for m in memberships(s).values()), key=min)


def by_uid(s: Session) -> dict[str, set[str]]:
    ext = external_ids(s)
    return {uid: {ext[r] for r in m} for uid, m in memberships(s).items()}


def test_full_run_finds_the_planted_operations(full_store: sessionmaker[Session]) -> None:
    with full_store() as s:
        summary = link_store(s, mode="auto")
        assert summary.mode == "full" and summary.number == 1
        assert summary.reports == len(SAMPLE_ROWS) and summary.operations == 4
        assert groups(s) == sorted(PLANTED.values(), key=min)
        ops = s.scalars(select(Operation).order_by(Operation.size.desc())).all()
        top = ops[0]
        assert top.size == 15 and top.run == 1 and top.status == "active"
        assert "{var_1}" in top.template["text"] and top.evidence and top.countries["PH"] >= 5
        assert top.top_indicators[0]["type"] in ("handle", "phone")
        # every report is marked linked, with its index keys remembered
        assert s.scalar(select(func.count()).select_from(LinkKey)) > len(SAMPLE_ROWS)
        assert s.scalar(select(func.count()).select_from(LinkRun)) == 1
        # linking again changes nothing: same ids, same members
        before = by_uid(s)
        again = link_store(s, mode="full")
        assert again.number == 2 and by_uid(s) == before


def test_incremental_equals_full_rerun(early_store: sessionmaker[Session]) -> None:
    with early_store() as s:
        link_store(s)
        first = by_uid(s)
    ingest_rows(early_store, LATE, "hotline")
    with early_store() as s:
        inc = link_store(s)
        assert inc.mode == "incremental" and inc.new_reports == len(LATE)
        assert inc.reports < len(SAMPLE_ROWS)  # only the neighbourhood was linked
        incremental = by_uid(s)
        full = link_store(s, mode="full")
        assert full.reports == len(SAMPLE_ROWS)
        assert by_uid(s) == incremental  # same members, same ids
        assert sorted(incremental.values(), key=min) == sorted(PLANTED.values(), key=min)
    # operations that existed before kept their ids while they grew
    kept = {uid for uid, m in first.items() if uid in incremental and m <= incremental[uid]}
    assert len(kept) == len(first)


def _uid_of(s: Session, external: str) -> str:
    return str(s.scalar(select(Report.uid).where(Report.external_id == external)))


def _op_of(s: Session, external: str) -> str:
    return str(
        s.scalar(
            select(Operation.uid)
            .join(OperationMember, OperationMember.operation_id == Operation.id)
            .join(Report, Report.id == OperationMember.report_id)
            .where(Report.external_id == external)
        )
    )


def test_split_and_merge_survive_relinking_with_new_reports(
    early_store: sessionmaker[Session],
) -> None:
    with early_store() as s:
        analyst = viewer(s, "hotline", "analyst")
        link_store(s)
        # the family report (sample-11) is about the victim, not the ad: split it out with
        # the Burmese ad (sample-10)
        recruiter = _op_of(s, "sample-01")
        moved = [_uid_of(s, "sample-10"), _uid_of(s, "sample-11")]
        out = split_operation(s, analyst, recruiter, moved, note="victim reports")
        assert recruiter in out["operations"] and len(out["operations"]) == 2
        # the analyst knows the task scam and the admin lure are one compound
        task, admin_op = _op_of(s, "sample-23"), _op_of(s, "sample-34")
        merged = merge_operations(s, analyst, [task, admin_op], note="same compound")
        assert merged["operations"] == [task]
        assert s.scalar(select(Operation.status).where(Operation.uid == admin_op)) == "merged"
    # more reports sharing the recruiter's handle, the mule account, the LINE id
    ingest_rows(early_store, LATE, "hotline")
    with early_store() as s:
        link_store(s)  # incremental
        after = groups(s)
        for mode in ("incremental", "full"):
            if mode == "full":
                link_store(s, mode="full")
                assert groups(s) == after
            split_out = next(g for g in groups(s) if "sample-10" in g)
            assert split_out == {"sample-10", "sample-11"}
            compound = next(g for g in groups(s) if "sample-23" in g)
            assert "sample-34" in compound and "sample-61" in compound  # new LINE-id ad joined
            assert _op_of(s, "sample-34") == task


def test_a_failed_run_writes_nothing(
    full_store: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    with full_store() as s:
        link_store(s)
        before = by_uid(s)
        # a report changed since: the next run has work to do
        s.execute(
            delete(LinkedReport).where(LinkedReport.report_id.in_(select(Report.id).limit(3)))
        )
        s.commit()
    import lurewatch.operations.store_link as store_link

    def broken_keys(*_args: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_link, "_keys", broken_keys)  # fails after operations were written
    with full_store() as s, pytest.raises(RuntimeError):
        link_store(s)
    with full_store() as s:
        assert by_uid(s) == before
        assert s.scalar(select(func.max(LinkRun.number))) == 1


def test_deleting_a_report_removes_its_membership_and_keys(
    full_store: sessionmaker[Session],
) -> None:
    with full_store() as s:
        link_store(s)
        rid = s.scalar(select(Report.id).where(Report.external_id == "sample-01"))
        s.execute(delete(Report).where(Report.id == rid))
        s.commit()
        assert not s.scalar(
            select(func.count()).select_from(LinkKey).where(LinkKey.report_id == rid)
        )
        link_store(s, mode="full")
        assert all("sample-01" not in g for g in groups(s))
        # every report gone (retention): the next run retires every operation
        s.execute(delete(Report))
        s.commit()
        link_store(s, mode="full")
        assert not memberships(s)
        assert set(s.scalars(select(Operation.status))) == {"retired"}

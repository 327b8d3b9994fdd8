"""Migration 0004 creates exactly the tables `sharing/tables.py` declares (SQLite and
PostgreSQL), and dropping a group or report drops what hangs on it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.sharing.groups import create_group, share_report
from lurewatch.sharing.tables import ReportShare, SharingGroup, SharingGroupMember
from lurewatch.store.schema import Base
from tests.sharing.conftest import add_private_reports

MINE = {
    "sharing_groups",
    "sharing_group_members",
    "report_shares",
    "sharing_imports",
    "foreign_objects",
}


def _table(diff: tuple[object, ...]) -> str | None:
    for part in diff:
        name = getattr(part, "name", None)
        table = getattr(part, "table", None)
        if table is not None and getattr(table, "name", None):
            return str(table.name)
        if name in MINE:
            return str(name)
    return None


def test_migration_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    flat: list[tuple[object, ...]] = []
    for d in diffs:
        flat += d if isinstance(d, list) else [d]
    mine = [d for d in flat if _table(d) in MINE]
    assert mine == []


def test_deleting_a_group_removes_its_shares(sessions: sessionmaker[Session]) -> None:
    uids = add_private_reports(sessions)
    with sessions() as s:
        g = create_group(s, "tmp", members=["police"])
        share_report(s, "tmp", uids["unshared"])
        s.delete(s.get(SharingGroup, g.id))
        s.commit()
        assert s.scalar(select(func.count()).select_from(ReportShare)) == 0
        assert s.scalar(select(func.count()).select_from(SharingGroupMember)) == 0

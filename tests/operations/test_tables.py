"""The operations tables of migration 0003 match the ORM models, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from lurewatch.operations import tables
from lurewatch.store.schema import Base
from tests.store.conftest import db_url, engine  # noqa: F401  (fixtures)

OURS = {
    "operations",
    "operation_members",
    "operation_decisions",
    "link_runs",
    "linked_reports",
    "link_keys",
}


def _table(diff: object) -> str | None:
    """The table a difference is about (alembic diffs are tuples or lists of tuples)."""
    item = diff[0] if isinstance(diff, list) else diff
    assert isinstance(item, tuple)
    for part in item[1:]:
        name = getattr(part, "name", None) if not isinstance(part, str) else part
        table = getattr(part, "table", None)
        if table is not None:
            return str(table.name)
        if name in OURS:
            return str(name)
    return None


def test_migration_matches_models(engine: Engine) -> None:  # noqa: F811
    assert {t for t in Base.metadata.tables if t in OURS} == OURS
    assert tables.LinkKey.__tablename__ == "link_keys"
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [d for d in diffs if _table(d) in OURS]
    assert not ours, ours


def test_the_comparison_sees_our_tables(db_url: str) -> None:  # noqa: F811
    """Before migration 0003 every one of our tables is reported missing (the check can fail)."""
    from lurewatch.store import make_engine, upgrade

    eng = make_engine(db_url)
    upgrade(eng, "0002")
    with eng.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    eng.dispose()
    assert {_table(d) for d in diffs} >= OURS

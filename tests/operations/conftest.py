"""Operations store fixtures: SQLite and PostgreSQL stores holding the bundled sample.

Ingesting the sample screens every report (seconds), so each kind of store is filled once per
session as a base and every test gets a copy: a file copy for SQLite, `CREATE DATABASE ...
TEMPLATE` for PostgreSQL. The copies are real stores, upgraded by the real migrations.
"""

from __future__ import annotations

import io
import json
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.operations.sample import SAMPLE
from lurewatch.store import make_engine, session_factory, upgrade
from lurewatch.store.access import Viewer
from lurewatch.store.bulk import ingest_stream
from lurewatch.store.keys import get_or_create_org
from lurewatch.store.schema import Report
from tests.store.conftest import PG_ADMIN_URL

SAMPLE_ROWS: list[dict[str, Any]] = [
    json.loads(line) for line in Path(SAMPLE).read_text(encoding="utf-8").splitlines()
]
CUTOFF = "2026-06-10"
EARLY = [r for r in SAMPLE_ROWS if r["received_at"] < CUTOFF]
LATE = [r for r in SAMPLE_ROWS if r["received_at"] >= CUTOFF]
SUBSETS = {"early": EARLY, "all": SAMPLE_ROWS}


def ingest_rows(sessions: sessionmaker[Session], rows: list[dict[str, Any]], org: str) -> None:
    body = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
    with sessions() as s:
        org_id = get_or_create_org(s, org).id
        s.commit()
        summary = ingest_stream(s, Viewer(org_id, "admin"), io.BytesIO(body), "jsonl")
    assert summary.rejected == 0, summary.reasons


def _fill(url: str, subset: str) -> None:
    eng = make_engine(url)
    upgrade(eng)
    sessions = session_factory(eng)
    with sessions() as s:
        for org in ("hotline", "police"):
            get_or_create_org(s, org)
        s.commit()
    ingest_rows(sessions, SUBSETS[subset], "hotline")
    if url.startswith("sqlite"):
        with eng.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()


def _pg_admin() -> Any:
    import psycopg

    plain = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        return psycopg.connect(plain, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {plain}: {exc}".splitlines()[0])


@pytest.fixture(scope="session")
def sample_bases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str, str], str]]:
    """`base(kind, subset)` -> URL (SQLite file path or PostgreSQL database name) of a store
    filled with the sample subset, built on first use."""
    built: dict[tuple[str, str], str] = {}
    pg_names: list[str] = []
    root = tmp_path_factory.mktemp("ops-bases")

    def base(kind: str, subset: str) -> str:
        if (kind, subset) in built:
            return built[(kind, subset)]
        if kind == "sqlite":
            path = root / f"{subset}.db"
            _fill(f"sqlite:///{path}", subset)
            built[(kind, subset)] = str(path)
        else:
            name = f"lw_ops_base_{uuid.uuid4().hex[:10]}"
            with _pg_admin() as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            pg_names.append(name)
            _fill(f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}", subset)
            built[(kind, subset)] = name
        return built[(kind, subset)]

    yield base
    if pg_names:
        with _pg_admin() as conn:
            for name in pg_names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_of(
    base: Callable[[str, str], str], kind: str, subset: str, tmp_path: Path
) -> Iterator[str]:
    """A fresh store copied from the base; dropped afterwards."""
    source = base(kind, subset)
    if kind == "sqlite":
        target = tmp_path / "store.db"
        shutil.copyfile(source, target)
        yield f"sqlite:///{target}"
        return
    name = f"lw_test_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    try:
        yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with _pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _engine(url: str) -> Engine:
    eng = make_engine(url)
    upgrade(eng)
    return eng


@pytest.fixture
def early_store(
    kind: str, sample_bases: Callable[[str, str], str], tmp_path: Path
) -> Iterator[sessionmaker[Session]]:
    """Sessions on a store holding the sample's reports received before `CUTOFF`."""
    for url in copy_of(sample_bases, kind, "early", tmp_path):
        eng = _engine(url)
        yield session_factory(eng)
        eng.dispose()


@pytest.fixture
def full_store(
    kind: str, sample_bases: Callable[[str, str], str], tmp_path: Path
) -> Iterator[sessionmaker[Session]]:
    """Sessions on a store holding the whole sample."""
    for url in copy_of(sample_bases, kind, "all", tmp_path):
        eng = _engine(url)
        yield session_factory(eng)
        eng.dispose()


def external_ids(s: Session) -> dict[str, str]:
    """report uid -> the sample's external id."""
    return {uid: ext for uid, ext in s.execute(select(Report.uid, Report.external_id))}


def viewer(s: Session, org: str, role: str) -> Viewer:
    org_id = s.scalar(text("SELECT id FROM organisations WHERE name = :n"), {"n": org})
    assert org_id is not None
    return Viewer(int(org_id), role)  # type: ignore[arg-type]

"""Store fixtures: every store test runs on SQLite and on PostgreSQL.

PostgreSQL is the one CI provides (127.0.0.1:5432, user postgres, trust auth; override with
LUREWATCH_TEST_PG_URL). Each test gets a fresh database with a unique name, dropped afterwards;
when no server answers, the PostgreSQL variant is skipped and says why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.store import Viewer, make_engine, session_factory, upgrade
from lurewatch.store.keys import get_or_create_org

PG_ADMIN_URL = os.environ.get(
    "LUREWATCH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _pg_database() -> Iterator[str]:
    import psycopg

    plain = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    name = f"lw_test_{uuid.uuid4().hex[:12]}"
    try:
        conn = psycopg.connect(plain, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {plain}: {exc}".splitlines()[0])
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        yield from _pg_database()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def orgs(sessions: sessionmaker[Session]) -> dict[str, int]:
    """Two organisations: an NGO hotline and a police unit."""
    with sessions() as s:
        ids = {n: get_or_create_org(s, n).id for n in ("hotline", "police")}
        s.commit()
    return ids


@pytest.fixture
def analyst(orgs: dict[str, int]) -> Viewer:
    return Viewer(orgs["hotline"], "analyst", None)


@pytest.fixture
def admin(orgs: dict[str, int]) -> Viewer:
    return Viewer(orgs["hotline"], "admin", None)

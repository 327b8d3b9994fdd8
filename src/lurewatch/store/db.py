"""Where the intelligence store lives and how to connect to it.

SQLite in the user's data directory is the default so a hotline volunteer can run lurewatch
without a server; `LUREWATCH_DATABASE_URL` points a team at PostgreSQL. SQLite runs in WAL mode
with `synchronous=FULL`: an acknowledged report must survive a power cut or a SIGKILL, and WAL
lets the API read while an import writes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

ENV_URL = "LUREWATCH_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_S = 30


def default_url() -> str:
    """`LUREWATCH_DATABASE_URL` when set, else a SQLite file under the user data directory."""
    env = os.environ.get(ENV_URL)
    if env:
        return normalize_url(env)
    base = Path(platformdirs.user_data_dir("lurewatch", appauthor=False))
    base.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{base / 'lurewatch.db'}"


def normalize_url(url: str) -> str:
    """Accept the `postgresql://` URLs people paste and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    cur.close()


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default: `default_url()`), with SQLite made durable and concurrent."""
    url = normalize_url(url) if url else default_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (answers are built after it)."""
    return sessionmaker(engine, expire_on_commit=False)

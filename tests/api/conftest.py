"""API fixtures: an app per database kind (SQLite and PostgreSQL) and one key per role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from lurewatch.api import Settings, create_app
from lurewatch.store.keys import create_key
from tests.store.conftest import db_url, engine, sessions  # noqa: F401  (shared fixtures)

ROLES = ("admin", "analyst", "reporter", "partner")


@pytest.fixture
def app_client(engine: Engine) -> Iterator[TestClient]:  # noqa: F811
    app = create_app(Settings(rate_per_second=1000, rate_burst=1000), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def keys(app_client: TestClient) -> dict[str, str]:
    """Bearer headers per role in org "hotline", plus "other_*" in org "police"."""
    out: dict[str, str] = {}
    with app_client.app.state.sessions() as s:  # type: ignore[attr-defined]
        for role in ROLES:
            out[role] = create_key(s, "hotline", role)
            out[f"other_{role}"] = create_key(s, "police", role)
    return out


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}

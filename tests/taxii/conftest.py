"""TAXII fixtures: a lurewatch app on each database kind, keys, and a live server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from lurewatch.api import Settings, create_app
from lurewatch.store.keys import create_key
from tests.live import serve
from tests.store.conftest import db_url, engine, sessions  # noqa: F401  (shared fixtures)


def make_app(engine: Engine) -> FastAPI:  # noqa: F811
    return create_app(Settings(rate_per_second=10_000, rate_burst=10_000, warm_up=False), engine)


@pytest.fixture
def app(engine: Engine) -> FastAPI:  # noqa: F811
    return make_app(engine)


@pytest.fixture
def keys(app: FastAPI) -> dict[str, str]:
    """Keys per role in org "hotline", and "police_*" / "ngo_*" keys of two partner orgs."""
    out: dict[str, str] = {}
    with app.state.sessions() as s:
        for role in ("admin", "analyst", "reporter", "partner"):
            out[role] = create_key(s, "hotline", role)
        out["police_partner"] = create_key(s, "police", "partner")
        out["police_analyst"] = create_key(s, "police", "analyst")
        out["ngo_partner"] = create_key(s, "ngo", "partner")
    return out


@pytest.fixture
def server(app: FastAPI) -> Iterator[str]:
    with serve(app) as url:
        yield url

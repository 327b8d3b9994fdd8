"""Web fixtures: the real app (API + pages) on a real SQLite store, a test client that keeps
cookies like a browser, CSRF tokens read from the rendered forms, and a logged-in session.

Each test module gets its own store (migrations run once per module, not per test); tests
write reports with unique texts so they do not depend on each other. The session secret is
fixed for the tests so nothing is written to the user's data directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from lurewatch.api import Settings, create_app
from lurewatch.store.access import Viewer
from lurewatch.store.intake import ReportIn
from lurewatch.store.keys import create_key, get_or_create_org
from lurewatch.store.repository import ingest
from lurewatch.web.security import ENV_SECRET, login

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
TEST_LOGIN = "/__test__/login"


@pytest.fixture(scope="session", autouse=True)
def _web_env() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_SECRET, "test-secret-for-the-web-tests-only-0123456789")
        mp.setenv("LUREWATCH_WEB_RATE_PER_SECOND", "1000")
        mp.setenv("LUREWATCH_WEB_RATE_BURST", "1000")
        yield


def add_test_login(app: FastAPI) -> None:
    """A route the tests use to log a client in with an API key through `security.login`
    (the analyst pages have their own login form; the public pages must not depend on it)."""

    async def _login(request: Request) -> Response:
        key = (await request.body()).decode()
        viewer = login(request, key)
        return PlainTextResponse("ok" if viewer else "no", status_code=200 if viewer else 401)

    app.add_api_route(TEST_LOGIN, _login, methods=["POST"], include_in_schema=False)


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory, _web_env: None) -> FastAPI:
    db = tmp_path_factory.mktemp("web") / "store.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}", warm_up=False))
    add_test_login(app)
    return app


@pytest.fixture
def client(web_app: FastAPI) -> Iterator[TestClient]:
    """A fresh browser-like client (own cookies) on the module's app."""
    with TestClient(web_app, raise_server_exceptions=False) as c:
        yield c


def csrf(client: TestClient, path: str = "/check") -> str:
    """The CSRF token of this client's session, read from the form on `path`."""
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    found = CSRF_RE.search(page.text)
    assert found, "no CSRF field on " + path
    return found.group(1)


def make_key(app: FastAPI, role: str, org: str = "hotline") -> str:
    with app.state.sessions() as s:
        return create_key(s, org, role)


def log_in(client: TestClient, key: str) -> None:
    r = client.post(TEST_LOGIN, content=key.encode())
    assert r.status_code == 200, r.text


def store_report(app: FastAPI, text: str, *, org: str = "hotline", **kw: object) -> str:
    """Ingest a report (as an analyst of `org`); its uid."""
    with app.state.sessions() as s:
        org_id = get_or_create_org(s, org).id
        s.commit()
        rin = ReportIn(text=text, **kw)  # type: ignore[arg-type]
        return ingest(s, Viewer(org_id, "analyst"), rin).uid


def fixture_path(name: str) -> Path:
    return Path(__file__).parent / "fixtures" / name

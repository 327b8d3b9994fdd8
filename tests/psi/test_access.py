"""Every PSI route with every role, no key and a bad key (the REST API's matrix, for /psi)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from lurewatch.api import Settings, create_app
from lurewatch.psi import group
from lurewatch.store.keys import create_key

ROUTES = [
    (
        "POST",
        "/api/v1/psi/sessions",
        {"json": {"protocol": group.PROTOCOL, "type": "phone", "size": 100}},
    ),
    ("GET", "/api/v1/psi/sessions/s1", {}),
    (
        "POST",
        "/api/v1/psi/sessions/s1/offer",
        {"content": b"", "headers": {"Content-Type": "application/octet-stream"}},
    ),
    ("GET", "/api/v1/psi/sessions/s1/points", {}),
    (
        "POST",
        "/api/v1/psi/sessions/s1/confirm",
        {"content": b"", "headers": {"Content-Type": "application/octet-stream"}},
    ),
]
ALLOWED = {"admin", "analyst", "partner"}  # the `lookup` right


@pytest.fixture
def app(engine: Engine) -> FastAPI:
    return create_app(Settings(rate_per_second=1000, rate_burst=1000, warm_up=False), engine)


def test_every_psi_route_for_every_role(app: FastAPI) -> None:
    with app.state.sessions() as s:
        keys = {r: create_key(s, "hotline", r) for r in ("admin", "analyst", "reporter", "partner")}
    client = TestClient(app, raise_server_exceptions=False)
    paths = {p for p in client.get("/openapi.json").json()["paths"] if "/psi/" in p}
    assert len(paths) == len(ROUTES)
    for role in [*keys, None, "bogus"]:
        key = keys.get(role or "", "lw_not-a-key" if role == "bogus" else None)
        for method, path, kw in ROUTES:
            headers = {
                **kw.get("headers", {}),
                **({"Authorization": f"Bearer {key}"} if key else {}),
            }
            r = client.request(
                method, path, headers=headers, **{k: v for k, v in kw.items() if k != "headers"}
            )
            assert r.headers["content-type"].startswith("application/problem+json"), (role, path)
            if role in (None, "bogus"):
                assert r.status_code == 401, (role, path)
            elif role in ALLOWED:
                # allowed through: the store is empty (403 policy refusal) or the session unknown
                assert r.status_code in (403, 404), (role, path, r.text)
                assert "may not do this" not in r.json()["detail"]
            else:
                assert r.status_code == 403 and "may not do this" in r.json()["detail"]

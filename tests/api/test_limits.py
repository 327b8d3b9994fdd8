"""Size limits, rate limits, problem+json on every error, bulk ingest counts, OpenAPI."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from lurewatch.api import Settings, create_app
from lurewatch.store.keys import create_key
from tests.api.conftest import auth

PROBLEM = "application/problem+json"


@pytest.fixture
def tight(engine: Engine) -> Iterator[tuple[TestClient, str]]:
    app = create_app(
        Settings(rate_per_second=0.5, rate_burst=3, max_body_bytes=2_000, max_bulk_bytes=5_000),
        engine=engine,
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        with app.state.sessions() as s:
            key = create_key(s, "ngo", "analyst")
        yield client, key


def test_rate_limit_per_key(tight: tuple[TestClient, str]) -> None:
    client, key = tight
    codes = [client.get("/api/v1/reports", headers=auth(key)).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    r = client.get("/api/v1/reports", headers=auth(key))
    assert r.headers["content-type"].startswith(PROBLEM) and int(r.headers["retry-after"]) >= 1


def test_body_size_limits(tight: tuple[TestClient, str]) -> None:
    client, key = tight
    r = client.post("/api/v1/reports", json={"text": "x" * 5_000}, headers=auth(key))
    assert r.status_code == 413 and r.headers["content-type"].startswith(PROBLEM)
    bulk = "\n".join(json.dumps({"text": f"ad number {i} " * 30}) for i in range(40))
    r = client.post(
        "/api/v1/reports/bulk",
        content=bulk,
        headers={**auth(key), "Content-Type": "application/x-ndjson"},
    )
    assert r.status_code == 413


def test_validation_errors_are_problems(app_client: TestClient, keys: dict[str, str]) -> None:
    r = app_client.post(
        "/api/v1/reports", json={"text": "a", "messages": []}, headers=auth(keys["admin"])
    )
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["status"] == 422 and body["title"] and body["errors"]
    r = app_client.get("/api/v1/reports/deadbeef", headers=auth(keys["admin"]))
    assert r.status_code == 404 and r.json()["type"] == "about:blank"
    r = app_client.get("/api/v1/reports/n%20pe", headers=auth(keys["admin"]))
    assert r.status_code == 422
    r = app_client.get("/api/v1/indicators/shoe/123", headers=auth(keys["admin"]))
    assert r.status_code == 422


def test_bulk_jsonl_and_csv_counts(app_client: TestClient, keys: dict[str, str]) -> None:
    lines = [
        json.dumps({"id": "a1", "text": "Job in Bavet, salary 1500 USD, Telegram @hr_bavet"}),
        json.dumps({"id": "a1", "text": "same id again"}),
        "{not json",
        json.dumps({"messages": [{"text": "hi dear"}, {"text": "invest USDT with my uncle"}]}),
        json.dumps({"text": "t", "country": "Thailand"}),
    ]
    h = {**auth(keys["analyst"]), "Content-Type": "application/x-ndjson"}
    r = app_client.post("/api/v1/reports/bulk", content="\n".join(lines), headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["stored"], out["duplicates"], out["rejected"]) == (2, 1, 2)
    assert [x["line"] for x in out["reasons"]] == [3, 5]
    csv_body = "id,text,country,shared\nc1,Work in Poipet casino +855 12 345 678,KH,yes\nc1,dup,,\n"
    h = {**auth(keys["analyst"]), "Content-Type": "text/csv"}
    out = app_client.post("/api/v1/reports/bulk", content=csv_body, headers=h).json()
    assert (out["stored"], out["duplicates"], out["rejected"]) == (1, 1, 0)
    r = app_client.post(
        "/api/v1/reports/bulk",
        content="x",
        headers={**auth(keys["analyst"]), "Content-Type": "a/b"},
    )
    assert r.status_code == 415


def test_openapi_served(app_client: TestClient) -> None:
    doc = app_client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.") and "/api/v1/reports" in doc["paths"]

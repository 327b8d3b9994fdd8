"""Every route × every role: who may call it, and that no personal data leaks to anyone else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import ROLES, auth

PERSONAL = {
    "text": "My nephew Somchai Jaidee was recruited via +66 82 555 0101 for Myawaddy",
    "reporter": {"name": "Nok Jaidee", "contact": "nok.j@example.net"},
    "victims": [{"name": "Somchai Jaidee", "contact": "+66 91 222 3344"}],
    "shared": True,
}
SECRETS = ("Nok Jaidee", "nok.j@example.net", "+66 91 222 3344", "+66912223344")


def _routes(uid: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(method, path template) -> request kwargs; the allowed roles follow store.access.RIGHTS."""
    return {
        ("POST", "/api/v1/screen"): {"json": {"text": "hello, free iPhone at bit.ly/x"}},
        ("POST", "/api/v1/domains/check"): {"json": {"url": "binance-vip-login.top"}},
        ("GET", "/api/v1/indicators/{type}/{value}"): {
            "url": "/api/v1/indicators/phone/+66825550101"
        },
        ("POST", "/api/v1/reports"): {"json": {"text": "another ad, Telegram @jobs_th_99"}},
        ("POST", "/api/v1/reports/bulk"): {
            "content": json.dumps({"text": "bulk ad, LINE @job5566"}) + "\n",
            "headers": {"Content-Type": "application/x-ndjson"},
        },
        ("GET", "/api/v1/reports"): {},
        ("GET", "/api/v1/reports/{uid}"): {"url": f"/api/v1/reports/{uid}"},
        ("POST", "/api/v1/reports/{uid}/versions"): {
            "url": f"/api/v1/reports/{uid}/versions",
            "json": {"report": {"text": PERSONAL["text"] + " (corrected)"}},
        },
        ("POST", "/api/v1/reports/{uid}/redact"): {
            "url": f"/api/v1/reports/{uid}/redact",
            "json": {"reason": "asked by family"},
        },
    }


ALLOWED = {
    "/api/v1/screen": {"admin", "analyst", "partner"},
    "/api/v1/domains/check": {"admin", "analyst", "partner"},
    "/api/v1/indicators/{type}/{value}": {"admin", "analyst", "partner"},
    "/api/v1/reports": {"admin", "analyst", "reporter"},  # POST; GET below
    "/api/v1/reports/bulk": {"admin", "analyst"},
    "/api/v1/reports/{uid}": {"admin", "analyst", "partner"},
    "/api/v1/reports/{uid}/versions": {"admin", "analyst"},
    "/api/v1/reports/{uid}/redact": {"admin"},
}
GET_REPORTS = {"admin", "analyst", "partner"}


def _call(client: TestClient, method: str, path: str, kw: dict[str, Any], key: str | None) -> Any:
    kw = dict(kw)
    url = kw.pop("url", path)
    headers = {**kw.pop("headers", {}), **(auth(key) if key else {})}
    return client.request(method, url, headers=headers, **kw)


@pytest.fixture
def uid(app_client: TestClient, keys: dict[str, str]) -> str:
    r = app_client.post("/api/v1/reports", json=PERSONAL, headers=auth(keys["analyst"]))
    assert r.status_code == 201, r.text
    return str(r.json()["uid"])


ELSEWHERE: dict[tuple[str, str], str] = {
    **{
        (m, f"/api/v1/psi/sessions{p}"): "tests/psi/test_access.py"
        for m, p in [
            ("POST", ""),
            ("GET", "/{sid}"),
            ("POST", "/{sid}/offer"),
            ("GET", "/{sid}/points"),
            ("POST", "/{sid}/confirm"),
        ]
    },
    **{
        (m, f"/api/v1/operations{p}"): "tests/api/test_operations.py"
        for m, p in [
            ("GET", ""),
            ("GET", "/{uid}"),
            ("POST", "/{uid}/split"),
            ("POST", "/merge"),
            ("POST", "/link"),
        ]
    },
    ("GET", "/api/v1/sharing/export"): "tests/api/test_routes_sharing.py",
    ("POST", "/api/v1/sharing/import"): "tests/api/test_routes_sharing.py",
}
"""Routes of other modules, each tested role by role in its own module's test file."""


def test_matrix_covers_every_route(app_client: TestClient) -> None:
    """A new route fails this until it is in this matrix or registered with its own."""
    paths = app_client.get("/openapi.json").json()["paths"]
    api = {(m.upper(), p) for p, ops in paths.items() for m in ops}
    assert api == set(_routes("x")) | set(ELSEWHERE)
    root = Path(__file__).resolve().parents[2]
    for test_file in set(ELSEWHERE.values()):
        assert (root / test_file).is_file(), test_file


@pytest.mark.parametrize("role", [*ROLES, None, "bogus"])
def test_every_route_for_every_role(
    app_client: TestClient, keys: dict[str, str], uid: str, role: str | None
) -> None:
    key = {None: None, "bogus": "lw_not-a-key"}.get(role, keys.get(role or "")) if role else None
    for (method, path), kw in _routes(uid).items():
        r = _call(app_client, method, path, kw, key)
        if role is None or role == "bogus":
            assert r.status_code == 401, (method, path, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
            continue
        allowed = GET_REPORTS if (method, path) == ("GET", "/api/v1/reports") else ALLOWED[path]
        if role in allowed:
            assert r.status_code in (200, 201), (role, method, path, r.status_code, r.text)
        else:
            assert r.status_code == 403, (role, method, path, r.status_code, r.text)
            assert r.json()["status"] == 403
        if not (role == "admin" and "/reports" in path and method == "GET"):
            for secret in SECRETS:
                assert secret not in r.text, (role, method, path, secret)


def test_personal_data_only_to_same_org_admin(
    app_client: TestClient, keys: dict[str, str], uid: str
) -> None:
    own = app_client.get(f"/api/v1/reports/{uid}", headers=auth(keys["admin"])).json()
    assert {p["value"] for p in own["personal"]} >= {"Nok Jaidee", "nok.j@example.net"}
    for role in ("other_admin", "other_analyst", "other_partner", "analyst", "partner"):
        for url in (f"/api/v1/reports/{uid}", "/api/v1/reports"):
            r = app_client.get(url, headers=auth(keys[role]))
            assert r.status_code == 200, (role, url)
            assert "personal" not in r.text and all(s not in r.text for s in SECRETS)


def test_reporter_cannot_read_even_own_report(app_client: TestClient, keys: dict[str, str]) -> None:
    r = app_client.post("/api/v1/reports", json={"text": "my own"}, headers=auth(keys["reporter"]))
    assert r.status_code == 201 and set(r.json()) == {"status", "uid", "urgent"}
    got = app_client.get(f"/api/v1/reports/{r.json()['uid']}", headers=auth(keys["reporter"]))
    assert got.status_code == 403


def test_partner_sees_only_shared(app_client: TestClient, keys: dict[str, str], uid: str) -> None:
    private = app_client.post(
        "/api/v1/reports",
        json={"text": "not shared, wallet TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"},
        headers=auth(keys["analyst"]),
    ).json()["uid"]
    listed = app_client.get("/api/v1/reports", headers=auth(keys["other_partner"])).json()
    assert [r["uid"] for r in listed["reports"]] == [uid]
    r = app_client.get(f"/api/v1/reports/{private}", headers=auth(keys["other_partner"]))
    assert r.status_code == 404
    lk = app_client.get(
        "/api/v1/indicators/crypto_wallet/TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE",
        headers=auth(keys["other_partner"]),
    )
    assert lk.status_code == 404


def test_screen_route_scores_a_conversation_with_the_tracker(
    app_client: TestClient, keys: dict[str, str]
) -> None:
    body = {
        "messages": [
            {"sender": "them", "text": "Hi, is this Anna? Sorry, wrong number"},
            {"sender": "me", "text": "Yes it's wrong"},
            {"sender": "them", "text": "Maybe it's fate, can we be friends?"},
        ]
    }
    r = app_client.post("/api/v1/screen", json=body, headers=auth(keys["admin"]))
    assert r.status_code == 200, r.text
    out = r.json()
    assert len(out["turns"]) == 3 and "alert_turn" in out

"""Sessions and login for the pages: a revoked key logs its holder out at once, the session
holds no report data, the secret is written once and shared."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lurewatch.store.keys import revoke_key
from lurewatch.web import security
from lurewatch.web.security import SESSION_COOKIE
from tests.web.conftest import csrf, log_in, make_key, store_report


def session_payload(client: TestClient) -> dict[str, object]:
    raw = client.cookies[SESSION_COOKIE]
    body = raw.split(".")[0]
    data: dict[str, object] = json.loads(base64.b64decode(body + "=" * (-len(body) % 4)))
    return data


def test_session_holds_only_a_csrf_token_and_a_key_id(client: TestClient, web_app: FastAPI) -> None:
    token = csrf(client)
    client.post("/check", data={"csrf_token": token, "text": "Job in Dubai, free visa @hr_x"})
    assert set(session_payload(client)) == {"csrf"}
    log_in(client, make_key(web_app, "analyst"))
    assert set(session_payload(client)) == {"csrf", "key_id"}


def test_login_rotates_the_csrf_token(client: TestClient, web_app: FastAPI) -> None:
    before = csrf(client)
    log_in(client, make_key(web_app, "analyst"))
    after = csrf(client)
    assert before != after
    r = client.post("/check", data={"csrf_token": before, "text": "hello"})
    assert r.status_code == 403


def test_revoked_key_logs_out_at_once(client: TestClient, web_app: FastAPI) -> None:
    key = make_key(web_app, "analyst")
    store_report(web_app, "Free visa job in Bavet, Telegram @revoked_case_hr")
    log_in(client, key)
    token = csrf(client)
    text = "Customer service job in Bavet, free visa, Telegram @revoked_case_hr"
    assert "Seen before" in client.post("/check", data={"csrf_token": token, "text": text}).text
    with web_app.state.sessions() as s:
        from sqlalchemy import select

        from lurewatch.store.schema import ApiKey

        key_id = s.scalar(select(ApiKey.id).order_by(ApiKey.id.desc()))
        assert key_id is not None
        revoke_key(s, key_id)
    token = csrf(client)
    page = client.post("/check", data={"csrf_token": token, "text": text}).text
    assert "Seen before" not in page


def test_tampered_session_cookie_is_ignored(client: TestClient, web_app: FastAPI) -> None:
    log_in(client, make_key(web_app, "admin"))
    raw = client.cookies[SESSION_COOKIE]
    assert 'href="/analyst"' in client.get("/check").text  # logged in
    tampered = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    with TestClient(web_app) as other:
        page = other.get("/check", headers={"Cookie": f"{SESSION_COOKIE}={tampered}"})
    assert page.status_code == 200
    assert 'href="/analyst"' not in page.text


def test_unknown_key_does_not_log_in(client: TestClient) -> None:
    r = client.post("/__test__/login", content=b"lw_not_a_real_key")
    assert r.status_code == 401


def test_secret_written_once_with_private_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(security.ENV_SECRET, raising=False)
    monkeypatch.setattr(security.platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path))
    first = security.secret_key()
    assert len(first) >= 48 and security.secret_key() == first
    assert (os.stat(tmp_path / "web_secret").st_mode & 0o777) == 0o600
    monkeypatch.setenv(security.ENV_SECRET, "from-env")
    assert security.secret_key() == "from-env"

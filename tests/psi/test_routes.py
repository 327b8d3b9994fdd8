"""PSI over the API: a partner's `match_remote` against a live lurewatch on loopback."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, select

from lurewatch.api import Settings, create_app
from lurewatch.psi import group, routes
from lurewatch.psi.client import MatchError, match_remote
from lurewatch.psi.limits import Limits
from lurewatch.psi.tables import PsiSession
from lurewatch.store import ReportIn, Viewer, ingest
from lurewatch.store.keys import create_key, get_or_create_org
from lurewatch.store.schema import AuditEvent
from tests.live import serve

HELD = [f"+6681234{i:04d}" for i in range(12)]


@pytest.fixture
def app(engine: Engine) -> FastAPI:
    app = create_app(Settings(rate_per_second=10_000, rate_burst=10_000, warm_up=False), engine)
    app.state.psi_limits = Limits(min_set=5, daily_items_guessable=60, sessions_per_hour=6)
    with app.state.sessions() as s:
        org = get_or_create_org(s, "hotline")
        s.commit()
        for i, phone in enumerate(HELD):
            # not shared with partners: private matching is for what is not handed over
            text = f"Job offer in Myawaddy, call the agent on {phone} (case {i})"
            ingest(s, Viewer(org.id, "analyst"), ReportIn(text=text, shared=False))
    return app


def _keys(app: FastAPI) -> dict[str, str]:
    with app.state.sessions() as s:
        return {
            "police": create_key(s, "police", "partner"),
            "ngo": create_key(s, "ngo", "partner"),
            "reporter": create_key(s, "police", "reporter"),
        }


def test_partner_learns_the_intersection_and_so_does_the_responder(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "CHUNK_POINTS", 3)  # offer and confirmation in several chunks
    keys = _keys(app)
    mine = HELD[8:] + [f"+6681999{i:04d}" for i in range(6)]  # 4 in common, 6 not
    with serve(app) as url:
        shared = match_remote(url, keys["police"], "phone", mine)
    assert shared == sorted(HELD[8:])
    with app.state.sessions() as s:
        row = s.scalars(select(PsiSession)).one()
        assert (row.status, row.initiator_size, row.responder_size) == ("confirmed", 10, 12)
        assert row.intersection_size == 4 and sorted(row.matched) == sorted(HELD[8:])
        actions = set(s.scalars(select(AuditEvent.action)))
        assert {"psi.session", "psi.confirmed"} <= actions


def test_limits_and_malformed_requests(app: FastAPI) -> None:
    keys = _keys(app)
    police = {"Authorization": f"Bearer {keys['police']}"}
    octets = {**police, "Content-Type": "application/octet-stream"}
    with serve(app) as url:
        api = f"{url}/api/v1/psi/sessions"

        def open_session(size: int, key: str = "police") -> httpx.Response:
            body = {"protocol": group.PROTOCOL, "type": "phone", "size": size}
            return httpx.post(api, json=body, headers={"Authorization": f"Bearer {keys[key]}"})

        r = open_session(3)
        assert r.status_code == 403 and "at least 5" in r.json()["detail"]
        assert open_session(10, "reporter").status_code == 403
        r = httpx.post(
            api, json={"protocol": "other/9", "type": "phone", "size": 10}, headers=police
        )
        assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "protocol"]
        r = httpx.post(
            api, json={"protocol": group.PROTOCOL, "type": "money", "size": 10}, headers=police
        )
        assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "type"]
        opened = open_session(10)
        assert opened.status_code == 201
        sid = opened.json()["session"]
        offer = f"{api}/{sid}/offer"
        points = group.hash_to_group("phone", [f"+6681999{i:04d}" for i in range(10)])
        r = httpx.post(offer, content=group.pack(points[:2]), headers=police)
        assert r.status_code == 415
        r = httpx.post(offer, params={"offset": 3}, content=group.pack(points[:2]), headers=octets)
        assert r.status_code == 409 and "offset 0" in r.json()["detail"]
        r = httpx.post(offer, content=b"\xff" * 32, headers=octets)
        assert r.status_code == 400 and "ristretto255" in r.json()["detail"]
        r = httpx.post(offer, content=b"\x01" * 33, headers=octets)
        assert r.status_code == 400
        r = httpx.post(offer, content=group.pack(points), headers=octets)
        assert r.status_code == 200 and len(group.unpack(r.content)) == 10
        r = httpx.post(offer, params={"offset": 10}, content=group.pack(points[:1]), headers=octets)
        assert r.status_code == 422  # more than the session was opened for
        # another organisation cannot touch the session
        other = {
            "Authorization": f"Bearer {keys['ngo']}",
            "Content-Type": "application/octet-stream",
        }
        assert httpx.get(f"{api}/{sid}/points", headers=other).status_code == 404
        own = httpx.get(f"{api}/{sid}/points", headers=police)
        assert own.status_code == 200 and len(group.unpack(own.content)) == 12
        # daily quota for phones (60 here): 10 + 10 + 10 + 10 + 10 used, then refused
        for _ in range(4):
            assert open_session(10).status_code == 201
        r = open_session(15)
        assert r.status_code == 429 and "daily quota" in r.json()["detail"]
        assert r.headers["Retry-After"] == "3600"
        # sessions per hour (6): the ngo has its own quota but shares no session budget with police
        for _ in range(6):
            assert open_session(5, "ngo").status_code == 201
        r = open_session(5, "ngo")
        assert r.status_code == 429 and "an hour" in r.json()["detail"]
    with pytest.raises(MatchError, match="at least 5"), serve(app) as url:
        match_remote(url, keys["police"], "phone", HELD[:3])

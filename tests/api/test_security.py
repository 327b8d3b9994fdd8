"""The key cache: remembered keys skip the database, revocation still takes effect within the
TTL, and a key unknown a moment ago works as soon as it exists (unknown keys are not cached).

Time is a clock the tests move, so the TTL is tested exactly and a slow machine cannot make a
remembered key expire early."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from lurewatch.api import Settings, create_app
from lurewatch.api.security import KeyCache
from lurewatch.store.keys import create_key, get_or_create_org, hash_key, revoke_key
from lurewatch.store.schema import ApiKey
from tests.api.conftest import auth

TTL = 5.0
LOOKUP = "/api/v1/indicators/phone/%2B66812345678"  # 404 for a valid key: nothing stored


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _client(engine: Engine, ttl: float, clock: Clock) -> Iterator[TestClient]:
    app = create_app(
        Settings(rate_per_second=1000, rate_burst=1000, key_cache_seconds=ttl, warm_up=False),
        engine=engine,
    )
    app.state.key_cache = KeyCache(app.state.sessions, ttl, timer=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cached(engine: Engine, clock: Clock) -> Iterator[TestClient]:
    yield from _client(engine, TTL, clock)


@pytest.fixture
def uncached(engine: Engine, clock: Clock) -> Iterator[TestClient]:
    yield from _client(engine, 0.0, clock)


def _new_key(client: TestClient, role: str) -> str:
    with client.app.state.sessions() as s:  # type: ignore[attr-defined]
        return create_key(s, "hotline", role)


def _revoke(client: TestClient, secret: str) -> None:
    with client.app.state.sessions() as s:  # type: ignore[attr-defined]
        key_id = s.scalar(select(ApiKey.id).where(ApiKey.key_hash == hash_key(secret)))
        assert key_id is not None
        revoke_key(s, key_id)


def test_revoked_key_refused_once_the_ttl_is_over(cached: TestClient, clock: Clock) -> None:
    key = _new_key(cached, "analyst")
    assert cached.get(LOOKUP, headers=auth(key)).status_code == 404
    _revoke(cached, key)
    clock.now += TTL - 0.1
    # still remembered: the cache at work (the database already says revoked)
    assert cached.get(LOOKUP, headers=auth(key)).status_code == 404
    clock.now += 0.2
    r = cached.get(LOOKUP, headers=auth(key))
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    clock.now += 100  # and it stays refused: a refusal is not what gets remembered
    assert cached.get(LOOKUP, headers=auth(key)).status_code == 401


def test_without_cache_revocation_is_immediate(uncached: TestClient) -> None:
    key = _new_key(uncached, "partner")
    assert uncached.get(LOOKUP, headers=auth(key)).status_code == 404
    _revoke(uncached, key)
    assert uncached.get(LOOKUP, headers=auth(key)).status_code == 401


def test_forget_drops_remembered_keys(cached: TestClient) -> None:
    key = _new_key(cached, "analyst")
    assert cached.get(LOOKUP, headers=auth(key)).status_code == 404
    _revoke(cached, key)
    cached.app.state.key_cache.forget()  # type: ignore[attr-defined]
    assert cached.get(LOOKUP, headers=auth(key)).status_code == 401


def test_unknown_key_is_not_remembered(cached: TestClient) -> None:
    secret = "lw_" + "k" * 43
    assert cached.get(LOOKUP, headers=auth(secret)).status_code == 401
    with cached.app.state.sessions() as s:  # type: ignore[attr-defined]
        org = get_or_create_org(s, "hotline")
        s.add(ApiKey(org_id=org.id, role="analyst", prefix=secret[:10], key_hash=hash_key(secret)))
        s.commit()
    assert cached.get(LOOKUP, headers=auth(secret)).status_code == 404


def test_cached_key_keeps_its_role_and_rate(engine: Engine) -> None:
    app = create_app(
        Settings(rate_per_second=0.5, rate_burst=2, key_cache_seconds=60, warm_up=False),
        engine=engine,
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        reporter = _new_key(client, "reporter")
        codes = [client.get(LOOKUP, headers=auth(reporter)).status_code for _ in range(3)]
    assert codes == [403, 403, 429]  # the remembered viewer is still a reporter, still limited

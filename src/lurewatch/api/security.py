"""Authentication, authorisation, per-key rate limits and request size limits.

- Keys come as `Authorization: Bearer lw_...`; only their SHA-256 is stored (store.keys).
- Authenticated keys are remembered for a few seconds (`KeyCache`): the database lookup was
  a tenth of the CPU of a screening request, and under load most requests come from the same
  few keys. A revoked key therefore stops working within that TTL in every worker process
  (default 5 s, `LUREWATCH_KEY_CACHE_SECONDS`; 0 turns the cache off). Unknown keys are not
  remembered, so a new key works at once and guessing costs the guesser a lookup each time.
- `require(right)` is the one dependency every route uses, so the authorisation matrix in the
  tests covers every route by construction.
- Rate limit: a token bucket per key, in memory (one process serves an NGO's instance; a
  multi-process deployment would put this in front, e.g. in the reverse proxy). Written here
  because the few lines of a bucket are smaller than wiring an async limiter library into a
  FastAPI dependency, and it is exercised by tests.
- Size limit: an ASGI middleware that refuses a body above the limit from its Content-Length
  or, for chunked uploads, as soon as the streamed bytes pass it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from cachetools import TTLCache
from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lurewatch.api.problems import ProblemError, problem
from lurewatch.store.access import Viewer
from lurewatch.store.keys import authenticate_hash, hash_key

KEY_CACHE_MAX = 10_000
"""Distinct keys remembered at once per process (an NGO instance has tens)."""


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """Token bucket per key: `rate` requests per second sustained, `burst` at once."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self._buckets: dict[int, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key_id: int) -> float:
        """0 when allowed, else the seconds to wait before the next request may pass."""
        now = time.monotonic()
        with self._lock:
            b = self._buckets.get(key_id)
            if b is None:
                b = self._buckets[key_id] = _Bucket(float(self.burst), now)
            b.tokens = min(float(self.burst), b.tokens + (now - b.stamp) * self.rate)
            b.stamp = now
            if b.tokens >= 1.0:
                b.tokens -= 1.0
                return 0.0
            return (1.0 - b.tokens) / self.rate


class KeyCache:
    """Viewers of authenticated keys, by key hash, for `ttl` seconds after their lookup.

    The lookup itself runs in the threadpool (the database may be PostgreSQL over a network);
    a hit costs a SHA-256 and a dict lookup on the event loop."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        ttl: float,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions, self.ttl = sessions, ttl
        self._cache: TTLCache[str, Viewer] | None = (
            TTLCache(KEY_CACHE_MAX, ttl, timer=timer) if ttl > 0 else None
        )
        self._lock = threading.Lock()

    def _load(self, digest: str) -> Viewer | None:
        with self.sessions() as s:
            return authenticate_hash(s, digest)

    async def viewer(self, secret: str) -> Viewer | None:
        """The viewer `secret` stands for, or None for an unknown or revoked key."""
        digest = hash_key(secret)
        if self._cache is not None:
            with self._lock:
                found = self._cache.get(digest)
            if found is not None:
                return found
        viewer = await run_in_threadpool(self._load, digest)
        if viewer is not None and self._cache is not None:
            with self._lock:
                self._cache[digest] = viewer
        return viewer

    def forget(self) -> None:
        """Drop every remembered key (e.g. right after revoking one in this process)."""
        if self._cache is not None:
            with self._lock:
                self._cache.clear()


def key_cache(request: Request) -> KeyCache:
    """The app's key cache (created on first use for apps not built by `create_app`)."""
    state = request.app.state
    cache: KeyCache | None = getattr(state, "key_cache", None)
    if cache is None:
        cache = state.key_cache = KeyCache(state.sessions, 0.0)
    return cache


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ProblemError(
            401, "Send an API key as 'Authorization: Bearer <key>'.", {"WWW-Authenticate": "Bearer"}
        )
    return token.strip()


def require(right: str) -> Callable[[Request], Awaitable[Viewer]]:
    """Dependency: the caller's viewer, if its key is valid, has `right` and is under its rate.

    Async, so that a remembered key is checked on the event loop without a threadpool hop."""

    async def dependency(request: Request) -> Viewer:
        token = _bearer(request)
        viewer = await key_cache(request).viewer(token)
        if viewer is None:
            raise ProblemError(401, "Unknown or revoked API key.", {"WWW-Authenticate": "Bearer"})
        assert viewer.key_id is not None
        wait = request.app.state.limiter.take(viewer.key_id)
        if wait > 0:
            raise ProblemError(
                429, "Rate limit for this key reached.", {"Retry-After": str(int(wait) + 1)}
            )
        if not viewer.can(right):
            raise ProblemError(403, f"The {viewer.role} role may not do this ({right}).")
        return viewer

    dependency.__name__ = f"require_{right}"
    return dependency


class BodyLimit:
    """ASGI middleware: 413 for bodies over `limit` bytes (`bulk_limit` on bulk paths)."""

    def __init__(self, app: ASGIApp, limit: int, bulk_limit: int, bulk_suffix: str) -> None:
        self.app, self.limit, self.bulk_limit, self.bulk_suffix = (
            app,
            limit,
            bulk_limit,
            bulk_suffix,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.bulk_limit if scope["path"].endswith(self.bulk_suffix) else self.limit
        length = next((v for k, v in scope.get("headers") or () if k == b"content-length"), None)
        if length is not None and (not length.isdigit() or int(length) > limit):
            too_big = problem(413, f"The request body is over the {limit:,}-byte limit.")
            await too_big(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message: dict[str, Any] = dict(await receive())
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise ProblemError(413, f"The request body is over the {limit:,}-byte limit.")
            return message

        await self.app(scope, counted, send)

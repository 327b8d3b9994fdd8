"""Authentication, authorisation, per-key rate limits and request size limits.

- Keys come as `Authorization: Bearer lw_...`; only their SHA-256 is stored (store.keys).
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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lurewatch.api.problems import ProblemError, problem
from lurewatch.store.access import Viewer
from lurewatch.store.keys import authenticate


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


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ProblemError(
            401, "Send an API key as 'Authorization: Bearer <key>'.", {"WWW-Authenticate": "Bearer"}
        )
    return token.strip()


def require(right: str) -> Callable[[Request], Viewer]:
    """Dependency: the caller's viewer, if its key is valid, has `right` and is under its rate."""

    def dependency(request: Request) -> Viewer:
        token = _bearer(request)
        sessions = request.app.state.sessions
        with sessions() as s:
            viewer = authenticate(s, token)
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
        length = dict(scope.get("headers") or []).get(b"content-length")
        too_big = problem(413, f"The request body is over the {limit:,}-byte limit.")
        if length is not None and (not length.isdigit() or int(length) > limit):
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

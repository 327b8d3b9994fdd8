"""The FastAPI application: `create_app()` wires the store, limits, errors and routers.

Everything lives under `/api/v1`; the OpenAPI document is at `/openapi.json`. The app holds a
session factory and a rate limiter in `app.state`, so tests and benchmarks build as many
independent apps as they like.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from fastapi import FastAPI
from sqlalchemy import Engine

from lurewatch.api import problems, routes_operations, routes_reports, routes_tools
from lurewatch.api.security import BodyLimit, KeyCache, RateLimiter
from lurewatch.store.db import make_engine, session_factory
from lurewatch.store.migrate import upgrade

PREFIX = "/api/v1"


@dataclass
class Settings:
    database_url: str | None = None
    max_body_bytes: int = 1 << 20
    max_bulk_bytes: int = 64 << 20
    rate_per_second: float = field(
        default_factory=lambda: float(os.environ.get("LUREWATCH_RATE_PER_SECOND", "50"))
    )
    rate_burst: int = field(
        default_factory=lambda: int(os.environ.get("LUREWATCH_RATE_BURST", "200"))
    )
    key_cache_seconds: float = field(
        default_factory=lambda: float(os.environ.get("LUREWATCH_KEY_CACHE_SECONDS", "5"))
    )
    """How long an authenticated key is remembered: a revoked key works at most this long."""
    migrate: bool = True
    warm_up: bool = True
    """Load the signal packs and models before serving, so the first requests are not slow
    (and concurrent first requests do not each load them)."""


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """An app on `engine` (default: from settings / LUREWATCH_DATABASE_URL), schema upgraded."""
    settings = settings or Settings()
    engine = engine or make_engine(settings.database_url)
    if settings.migrate:
        upgrade(engine)
    if settings.warm_up:
        import lurewatch

        lurewatch.screen("warm up: Telegram @example +66 81 234 5678 bit.ly/x")
    app = FastAPI(
        title="lurewatch",
        version="1",
        description="Scam-compound intelligence: screening, reports, indicator lookups.",
        openapi_url="/openapi.json",
    )
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.limiter = RateLimiter(settings.rate_per_second, settings.rate_burst)
    app.state.key_cache = KeyCache(app.state.sessions, settings.key_cache_seconds)
    problems.install(app)
    app.include_router(routes_tools.router, prefix=PREFIX)
    app.include_router(routes_reports.router, prefix=PREFIX)
    app.include_router(routes_operations.router, prefix=PREFIX)
    from lurewatch.api.routes_sharing import router as sharing_router

    app.include_router(sharing_router, prefix=PREFIX)
    from lurewatch.psi.routes import router as psi_router
    from lurewatch.taxii.routes import mount_taxii

    app.include_router(psi_router, prefix=PREFIX)
    mount_taxii(app)  # TAXII 2.1 at /taxii2/ (a sub-app: its own media type and errors)
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        bulk_limit=settings.max_bulk_bytes,
        bulk_suffix="/reports/bulk",
    )
    from lurewatch.web.app import mount_web  # last: its page middleware is the outermost

    mount_web(app)
    return app

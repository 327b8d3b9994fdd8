"""`mount_web(app)`: the web pages on the API app that `lurewatch.api.app.create_app` builds.

One process serves both: the REST API under `/api/v1` (JSON problems for errors) and the pages
(HTML for errors, in the visitor's language). `WebGuard` is the outermost middleware for the
pages: it refuses an oversized body with a readable 413 page before anything reads it, sets the
security headers (a Content-Security-Policy that allows no inline script and no other origin)
and remembers a `?lang=` choice in a cookie.

Pages are added as routers here: the public pages (`web.public`) and the analyst pages.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lurewatch.api.problems import ProblemError
from lurewatch.web import i18n
from lurewatch.web.render import render
from lurewatch.web.security import (
    SESSION_COOKIE,
    SESSION_MAX_AGE_S,
    LoginRequired,
    WebError,
    https_only,
    secret_key,
)
from lurewatch.web.vendor import vendor_file

MAX_WEB_BODY_BYTES = 1 << 20
"""A pasted chat or an uploaded export (plus the form around it); the API's own limit is the
same, so the pages answer first with a page a person can read."""

API_PATHS = ("/api/", "/taxii2/", "/openapi.json", "/docs", "/redoc")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


def is_page(path: str) -> bool:
    """Whether `path` is a web page (HTML errors) rather than the API (problem+json)."""
    return not path.startswith(API_PATHS)


class WebGuard:
    """ASGI middleware for the pages: body limit with an HTML 413, security headers, the
    language cookie."""

    def __init__(self, app: ASGIApp, limit: int = MAX_WEB_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            response = too_large(request, self.limit)
            await response(scope, receive, send)
            return
        asked = request.query_params.get("lang", "")
        extra = list(SECURITY_HEADERS)
        if asked in i18n.LANGUAGES:
            cookie = f"{i18n.COOKIE}={asked}; Path=/; Max-Age=31536000; SameSite=Lax"
            extra.append((b"set-cookie", cookie.encode()))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def too_large(request: Request, limit: int) -> Response:
    return render(
        request,
        "error.html",
        {"status": 413, "message": "error_too_large", "values": {"mb": limit // (1 << 20)}},
        status_code=413,
        with_session=False,
        headers={"Connection": "close"},
    )


def error_page(request: Request, status: int, message: str, **values: Any) -> Response:
    # A 500 page does not touch the session or the store: either may be what failed.
    with_session = "session" in request.scope and status < 500
    return render(
        request,
        "error.html",
        {"status": status, "message": message, "values": values},
        status_code=status,
        with_session=with_session,
    )


STATUS_MESSAGES = {
    400: "error_bad_form",
    403: "error_forbidden",
    404: "error_not_found",
    405: "error_not_found",
    413: "error_too_large",
    422: "error_bad_form",
    429: "error_too_many",
}

Handler = Callable[[Request, Any], Awaitable[Response]]


def _html_for_pages(
    app: FastAPI, exc_class: type[Exception], status_of: Callable[[Any], int]
) -> None:
    """Answer `exc_class` with the HTML error page on pages, and as before on the API."""
    api_handler: Handler | None = app.exception_handlers.get(exc_class)  # type: ignore[assignment]

    async def handler(request: Request, exc: Any) -> Response:
        if not is_page(request.url.path) and api_handler is not None:
            return await api_handler(request, exc)
        status = status_of(exc)
        return error_page(request, status, STATUS_MESSAGES.get(status, "error_server"))

    app.add_exception_handler(exc_class, handler)


def mount_web(app: FastAPI) -> None:
    """Add the pages, static files, sessions and the page middleware to `app`.

    Call it last in `create_app`, so `WebGuard` is the outermost middleware."""
    from lurewatch.web import analyst, public

    static_dir = Path(str(resources.files("lurewatch.web").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static_dir), name="static")

    @app.get("/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> Response:
        path = vendor_file(name)
        if path is None:
            raise StarletteHTTPException(404)
        return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/check", status_code=303)

    app.include_router(public.router)
    app.include_router(analyst.router)

    async def web_error(request: Request, exc: WebError) -> Response:
        return error_page(request, exc.status, exc.message or "error_server", **exc.values)

    async def login_required(request: Request, exc: LoginRequired) -> Response:
        from urllib.parse import urlencode

        return RedirectResponse("/login?" + urlencode({"next": exc.next_path}), status_code=303)

    app.add_exception_handler(WebError, web_error)  # type: ignore[arg-type]
    app.add_exception_handler(LoginRequired, login_required)  # type: ignore[arg-type]
    _html_for_pages(app, StarletteHTTPException, lambda e: int(e.status_code))
    _html_for_pages(app, ProblemError, lambda e: int(e.status))
    _html_for_pages(app, RequestValidationError, lambda e: 422)
    _html_for_pages(app, Exception, lambda e: 500)

    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE_S,
        same_site="lax",
        https_only=https_only(),
    )
    app.add_middleware(WebGuard)

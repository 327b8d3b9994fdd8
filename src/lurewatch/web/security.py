"""Sessions, CSRF tokens and login for the web pages.

- Sessions are Starlette's `SessionMiddleware`: a cookie signed with itsdangerous, holding only
  small values (a CSRF token, the id of the API key an analyst logged in with), never report
  data or personal data. The secret is `LUREWATCH_WEB_SECRET`, else a random one written once
  (mode 0600) next to the default SQLite store, so several workers and restarts agree on it.
- CSRF: a random token bound to the session, put in a hidden field of every form and compared
  in constant time on every POST (`read_form`). A POST without it or with a wrong one is 403.
  The session cookie is also `SameSite=Lax`.
- Login: analysts log in with the API key they already have (the store's keys and roles are the
  one authority), `login()` keeps the key's id in a fresh session, and every request re-reads
  the key, so a revoked key logs its holder out at once. `require_login(right)` is the
  dependency the analyst pages use.
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import platformdirs
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from lurewatch.store.access import Role, Viewer
from lurewatch.store.keys import authenticate
from lurewatch.store.schema import ApiKey

ENV_SECRET = "LUREWATCH_WEB_SECRET"
ENV_HTTPS_ONLY = "LUREWATCH_WEB_HTTPS_ONLY"
SESSION_COOKIE = "lw_session"
SESSION_MAX_AGE_S = 8 * 3600
"""A working day: an analyst's shared machine does not stay logged in overnight."""
CSRF_FIELD = "csrf_token"
_CSRF_KEY = "csrf"
_KEY_ID = "key_id"

MAX_FORM_FIELDS = 60
MAX_FORM_FILES = 2
MAX_PART_BYTES = 1 << 20
"""One uploaded chat export or pasted text; the whole request is capped by the body limit."""


class WebError(Exception):
    """Raise from a page to answer with the error page: `message` is a catalog key."""

    def __init__(self, status: int, message: str = "", **values: Any) -> None:
        super().__init__(message or str(status))
        self.status = status
        self.message = message
        self.values = values


class LoginRequired(Exception):
    """Raised by `require_login` for anonymous visitors; answered with a redirect to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def secret_key() -> str:
    """`LUREWATCH_WEB_SECRET`, else the one kept in the user data directory (created once)."""
    env = os.environ.get(ENV_SECRET)
    if env:
        return env
    path = Path(platformdirs.user_data_dir("lurewatch", appauthor=False)) / "web_secret"
    try:
        return path.read_text("ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker wrote it first: use theirs
        return path.read_text("ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(candidate)
    return candidate


def https_only() -> bool:
    return os.environ.get(ENV_HTTPS_ONLY, "").lower() in ("1", "true", "yes")


def _session(request: Request) -> dict[str, Any]:
    return request.session if "session" in request.scope else {}


def csrf_token(request: Request) -> str:
    """This session's CSRF token (made on first use)."""
    session = _session(request)
    token = session.get(_CSRF_KEY)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        if "session" in request.scope:
            request.session[_CSRF_KEY] = token
    return token


def check_csrf(request: Request, form: FormData) -> None:
    """403 unless the form carries this session's CSRF token."""
    expected = _session(request).get(_CSRF_KEY)
    given = form.get(CSRF_FIELD)
    if (
        not isinstance(expected, str)
        or not isinstance(given, str)
        or not hmac.compare_digest(expected.encode(), given.encode())
    ):
        raise WebError(403, "error_csrf")


async def read_form(request: Request) -> FormData:
    """The POSTed form, size-limited and CSRF-checked: the one way pages read a form."""
    try:
        form = await request.form(
            max_files=MAX_FORM_FILES, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_PART_BYTES
        )
    except (HTTPException, MultiPartException) as exc:  # Starlette's words for a bad form
        detail = str(getattr(exc, "detail", None) or getattr(exc, "message", "")).lower()
        if "exceeded maximum size" in detail or "too many" in detail:
            raise WebError(413, "error_too_large") from None
        raise WebError(400, "error_bad_form") from None
    check_csrf(request, form)
    return form


def login(request: Request, secret: str) -> Viewer | None:
    """Log in with an API key: a fresh session (no fixation) holding the key's id, or None."""
    with request.app.state.sessions() as s:
        viewer = authenticate(s, secret.strip())
    if viewer is None or viewer.key_id is None:
        return None
    request.session.clear()
    request.session[_KEY_ID] = viewer.key_id
    csrf_token(request)
    return viewer


def logout(request: Request) -> None:
    request.session.clear()


def current_viewer(request: Request) -> Viewer | None:
    """The logged-in viewer, re-read from its key (None when anonymous or the key is revoked)."""
    cached = request.scope.get("lurewatch.viewer", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    viewer: Viewer | None = None
    key_id = _session(request).get(_KEY_ID)
    if isinstance(key_id, int):
        with request.app.state.sessions() as s:
            row = s.get(ApiKey, key_id)
            if row is not None and row.revoked_at is None:
                role = cast(Role, row.role)
                viewer = Viewer(org_id=row.org_id, role=role, key_id=row.id)
        if viewer is None:
            request.session.clear()
    request.scope["lurewatch.viewer"] = viewer
    return viewer


def require_login(right: str | None = None) -> Callable[[Request], Viewer]:
    """Dependency for analyst pages: the viewer, or a redirect to /login (anonymous), or 403
    (logged in without `right`)."""

    def dependency(request: Request) -> Viewer:
        viewer = current_viewer(request)
        if viewer is None:
            path = request.url.path
            if request.url.query:
                path += "?" + request.url.query
            raise LoginRequired(path)
        if right is not None and not viewer.can(right):
            raise WebError(403, "error_forbidden")
        return viewer

    dependency.__name__ = f"require_login_{right or 'any'}"
    return dependency

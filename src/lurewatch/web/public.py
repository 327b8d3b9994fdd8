"""The public pages (no login): check a message, report a scam, warning posters.

Routes are thin: each reads its form through `security.read_form` (size limits and the CSRF
check in one place) and hands the work to `public_check`, `public_report` or
`public_awareness`. Screening is CPU work anyone can ask for, so POSTs are rate-limited per
client address (the API's token bucket, keyed by a hash of the address).
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from lurewatch.api.security import RateLimiter
from lurewatch.store.access import Viewer
from lurewatch.web import public_awareness, public_check, public_report
from lurewatch.web.public_check import COUNTRIES
from lurewatch.web.render import render
from lurewatch.web.security import WebError, read_form, require_login

router = APIRouter(include_in_schema=False)
Reader = Annotated[Viewer, Depends(require_login("read"))]
OP_UID = re.compile(r"[A-Za-z0-9_.:-]{1,40}")
"""Operation ids as the analyst pages accept them."""

ENV_RATE = "LUREWATCH_WEB_RATE_PER_SECOND"
ENV_BURST = "LUREWATCH_WEB_RATE_BURST"


def limiter(request: Request) -> RateLimiter:
    state = request.app.state
    if not hasattr(state, "web_limiter"):
        state.web_limiter = RateLimiter(
            float(os.environ.get(ENV_RATE, "2")), int(os.environ.get(ENV_BURST, "60"))
        )
    found: RateLimiter = state.web_limiter
    return found


def throttle(request: Request) -> None:
    """429 page when this address sent too many forms (checks cost CPU)."""
    host = request.client.host if request.client else "unknown"
    key = int.from_bytes(hashlib.sha256(host.encode()).digest()[:8], "big")
    if limiter(request).take(key) > 0:
        raise WebError(429, "error_too_many")


@router.get("/check")
def check_form(request: Request) -> Response:
    return public_check.check_page(request, {})


@router.post("/check")
async def check_submit(request: Request) -> Response:
    form = await read_form(request)
    throttle(request)
    return await public_check.check_post(request, form)


@router.get("/report")
def report_form(request: Request) -> Response:
    return public_report.report_page(request)


@router.post("/report")
async def report_submit(request: Request) -> Response:
    form = await read_form(request)
    throttle(request)
    return await public_report.report_post(request, form)


@router.get("/awareness")
def awareness_form(request: Request) -> Response:
    return render(
        request,
        "public/awareness.html",
        {"categories": public_awareness.POSTER_CATEGORIES, "countries": COUNTRIES},
    )


@router.get("/awareness/poster")
def awareness_chosen(request: Request) -> Response:
    """The chooser form's target (GET, works without JavaScript): redirect to the poster (of
    an operation when a logged-in analyst named one)."""
    lang, _ = public_awareness.poster_params(request)
    country = request.query_params.get("country", "").upper()  # only when chosen
    fmt = ".pdf" if request.query_params.get("format") == "pdf" else ""
    query = urlencode({"in": lang, **({"country": country} if country in COUNTRIES else {})})
    operation = request.query_params.get("operation", "").strip()
    if operation:
        if not OP_UID.fullmatch(operation):
            raise WebError(404, "error_not_found")
        return RedirectResponse(f"/awareness/operation/{operation}{fmt}?{query}", 303)
    category = request.query_params.get("category", "")
    if category not in public_awareness.POSTER_CATEGORIES:
        raise WebError(404, "error_not_found")
    return RedirectResponse(f"/awareness/{category}{fmt}?{query}", status_code=303)


@router.get("/awareness/operation/{uid}.pdf")
def operation_poster_pdf(request: Request, uid: str, viewer: Reader) -> Response:
    return _operation_poster(request, uid, viewer, "pdf")


@router.get("/awareness/operation/{uid}")
def operation_poster(request: Request, uid: str, viewer: Reader) -> Response:
    return _operation_poster(request, uid, viewer, "html")


def _operation_poster(request: Request, uid: str, viewer: Viewer, fmt: str) -> Response:
    if not OP_UID.fullmatch(uid):
        raise WebError(404, "error_not_found")
    lang, country = public_awareness.poster_params(request)
    poster = public_awareness.operation_poster(request, viewer, uid, lang, country)
    return public_awareness.poster_response(poster, fmt, operation=uid)


@router.get("/awareness/{category}.pdf")
def awareness_pdf(request: Request, category: str) -> Response:
    lang, country = public_awareness.poster_params(request)
    poster = public_awareness.build_poster(request, category, lang, country)
    return public_awareness.poster_response(poster, "pdf")


@router.get("/awareness/{category}")
def awareness_poster(request: Request, category: str) -> Response:
    lang, country = public_awareness.poster_params(request)
    poster = public_awareness.build_poster(request, category, lang, country)
    return public_awareness.poster_response(poster, "html")

"""The public pages (no login): check a message, report a scam, warning posters.

Routes are thin: each reads its form through `security.read_form` (size limits and the CSRF
check in one place) and hands the work to `public_check`, `public_report` or
`public_awareness`. Screening is CPU work anyone can ask for, so POSTs are rate-limited per
client address (the API's token bucket, keyed by a hash of the address).
"""

from __future__ import annotations

import hashlib
import os

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from lurewatch.api.security import RateLimiter
from lurewatch.web import public_check
from lurewatch.web.security import WebError, read_form

router = APIRouter(include_in_schema=False)

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

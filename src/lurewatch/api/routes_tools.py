"""Stateless tools and lookups: screen a text or conversation, check a domain, look up an
indicator across the reports the caller may see.

The screen and lookup routes are `async def` and choose where their work runs: a short text is
screened on the event loop (about half a millisecond of CPU, less than the cost of handing it to
a thread and back), a long text or a conversation in the threadpool, so that one 100,000-
character text does not hold up the requests queued behind it. Lookups on PostgreSQL (a
network round trip per statement) run in the threadpool: one hop per request, where a plain
`def` route pays one for the route and another for checking its answer. Lookups on SQLite run
on the loop when the indicator was seen at most INLINE_LOOKUP_OCCURRENCES times (an index-only
count decides): measured at 1M indicators from 2 connections, p99 3.9 ms inline against 19.8
ms through the threadpool, where the loop and the lookup thread fight over the GIL. A phone
seen in thousands of reports still goes to the threadpool, where SQLite releases the GIL.
CPU parallelism comes from uvicorn worker processes (`lurewatch serve --workers`), one per
core; a process pool inside a worker would add a pickling round trip to each request.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool

import lurewatch
from lurewatch.api.problems import PROBLEM_RESPONSES, ProblemError
from lurewatch.api.security import require
from lurewatch.models import IndicatorType
from lurewatch.store import repository
from lurewatch.store.access import Viewer
from lurewatch.store.intake import MAX_MESSAGES, MAX_TEXT_CHARS, Message, Strict, one_of
from lurewatch.store.queries import lookup, occurrence_count

router = APIRouter(tags=["tools"], responses=PROBLEM_RESPONSES)

INLINE_SCREEN_CHARS = 2_000
"""Texts up to this long are screened on the event loop (measured: ~0.5 ms for a few hundred
characters); longer ones and conversations go to the threadpool."""
INLINE_LOOKUP_OCCURRENCES = 1_000
"""SQLite lookups of indicators seen at most this often run on the event loop (~1 ms)."""


class ScreenIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra=one_of("text", "messages"))

    text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    messages: list[Message] | None = Field(default=None, max_length=MAX_MESSAGES)
    kind: Literal["auto", "message", "job_ad"] = "auto"
    channel: str | None = Field(default=None, max_length=30)
    sender_known: bool | None = None
    region: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")

    @model_validator(mode="after")
    def _one(self) -> ScreenIn:
        if (self.text is None) == (self.messages is None):
            raise ValueError("give exactly one of 'text' or 'messages'")
        return self


def _screen_text(body: ScreenIn, text: str) -> dict[str, Any]:
    a = lurewatch.screen(
        text, body.kind, sender_known=body.sender_known, channel=body.channel, region=body.region
    )
    record: dict[str, Any] = a.to_record()
    return record


def _screen_body(body: ScreenIn) -> dict[str, Any]:
    if body.text is not None:
        return _screen_text(body, body.text)
    assert body.messages is not None
    turns = [m.model_dump(mode="json", exclude_none=True) for m in body.messages]
    return repository.screen_conversation(turns, body.region)


@router.post("/screen", summary="Screen a text or a conversation")
async def screen_route(
    body: ScreenIn, viewer: Annotated[Viewer, Depends(require("screen"))]
) -> dict[str, Any]:
    """A text gets one assessment; a conversation is scored turn by turn by the conversation
    tracker (stage arc, alert turn), the same as conversations stored in reports."""
    if body.text is not None and len(body.text) <= INLINE_SCREEN_CHARS:
        return _screen_text(body, body.text)
    return await run_in_threadpool(_screen_body, body)


class DomainIn(Strict):
    url: str = Field(min_length=1, max_length=2048)


@router.post("/domains/check", summary="Assess a URL or domain")
def domain_route(
    body: DomainIn, viewer: Annotated[Viewer, Depends(require("screen"))]
) -> dict[str, Any]:
    try:
        result = lurewatch.check_domain(body.url)
    except ValueError as exc:
        raise ProblemError(422, f"Not a URL or domain: {exc}") from None
    out: dict[str, Any] = result.model_dump(mode="json", exclude_none=True)
    return out


@router.get("/indicators/{type}/{value}", summary="Have we seen this indicator?")
async def indicator_route(
    request: Request,
    type: IndicatorType,
    value: Annotated[str, Path(min_length=1, max_length=512, pattern=r"^[^\x00]+$")],
    viewer: Annotated[Viewer, Depends(require("lookup"))],
) -> dict[str, Any]:
    """Reports (that the caller may see), first/last seen, countries, co-occurring indicators."""

    def run() -> dict[str, Any] | None:
        with request.app.state.sessions() as s:
            return lookup(s, viewer, type, value)

    if request.app.state.engine.dialect.name == "sqlite":
        with request.app.state.sessions() as s:
            inline = occurrence_count(s, type, value) <= INLINE_LOOKUP_OCCURRENCES
    else:
        inline = False
    found = run() if inline else await run_in_threadpool(run)
    if found is None:
        raise ProblemError(404, f"No {type} {value!r} in the reports you can see.")
    return found

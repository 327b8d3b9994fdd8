"""Reports: submit, bulk ingest, list, fetch, add a version, redact.

A reporter key may submit and gets back only the new id: it can never read a report, not even
its own, because a shared hotline phone or a seized device must not become a way in.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from lurewatch.api.problems import PROBLEM_RESPONSES, ProblemError
from lurewatch.api.security import require
from lurewatch.io.batch import Format
from lurewatch.store.access import Viewer
from lurewatch.store.bulk import ingest_stream
from lurewatch.store.intake import ReportIn, Strict
from lurewatch.store.privacy import redact
from lurewatch.store.queries import (
    MAX_PAGE,
    ReportFilter,
    get_report,
    list_reports,
    report_dict,
)
from lurewatch.store.repository import add_version, ingest

router = APIRouter(prefix="/reports", tags=["reports"], responses=PROBLEM_RESPONSES)
UID_PATTERN = r"^[0-9a-fA-F-]{1,64}$"
NO_NUL = r"^[^\x00]*$"

BULK_TYPES: dict[str, Format] = {
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/json-lines": "jsonl",
    "text/csv": "csv",
}


class Submitted(BaseModel):
    status: str
    uid: str
    urgent: bool


@router.post("", status_code=201, summary="Submit a report", response_model=Submitted)
def submit(
    request: Request, body: ReportIn, viewer: Annotated[Viewer, Depends(require("submit"))]
) -> Submitted:
    """Stored once: a second submission with the same `id` or content answers `duplicate`."""
    with request.app.state.sessions() as s:
        r = ingest(s, viewer, body)
    return Submitted(status=r.status, uid=r.uid, urgent=r.urgent)


@router.post(
    "/bulk",
    summary="Bulk ingest JSONL or CSV",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
async def bulk(
    request: Request, viewer: Annotated[Viewer, Depends(require("bulk"))]
) -> dict[str, Any]:
    """One report per JSONL line or CSV row; each is committed on its own, so an interrupted
    upload keeps what it stored and a retry skips those as duplicates."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = BULK_TYPES.get(ctype)
    if fmt is None:
        raise ProblemError(415, f"Send one of: {', '.join(BULK_TYPES)}.")
    raw = await request.body()

    def work() -> dict[str, Any]:
        with request.app.state.sessions() as s:
            return ingest_stream(s, viewer, io.BytesIO(raw), fmt).to_dict()

    return await run_in_threadpool(work)


@router.get("", summary="List reports (urgent first)")
def list_route(
    request: Request,
    viewer: Annotated[Viewer, Depends(require("read"))],
    urgent: bool | None = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
    language: Annotated[str | None, Query(max_length=12, pattern=NO_NUL)] = None,
    source: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> dict[str, Any]:
    flt = ReportFilter(urgent, country, language, source, since, until)
    with request.app.state.sessions() as s:
        total, page = list_reports(s, viewer, flt, offset, limit)
        items = [report_dict(s, viewer, r) for r in page]
    return {"total": total, "offset": offset, "limit": limit, "reports": items}


@router.get("/{uid}", summary="Fetch a report")
def fetch(
    request: Request,
    uid: Annotated[str, Path(pattern=UID_PATTERN)],
    viewer: Annotated[Viewer, Depends(require("read"))],
) -> dict[str, Any]:
    with request.app.state.sessions() as s:
        rep = get_report(s, viewer, uid)
        if rep is None:
            raise ProblemError(404, "No such report among those you can see.")
        return report_dict(s, viewer, rep)


class VersionIn(Strict):
    report: ReportIn
    note: str | None = Field(default=None, max_length=500)


@router.post("/{uid}/versions", status_code=201, summary="Add a corrected version")
def new_version(
    request: Request,
    uid: Annotated[str, Path(pattern=UID_PATTERN)],
    body: VersionIn,
    viewer: Annotated[Viewer, Depends(require("edit"))],
) -> dict[str, Any]:
    with request.app.state.sessions() as s:
        try:
            number = add_version(s, viewer, uid, body.report, body.note)
        except LookupError:
            raise ProblemError(404, "No such report in your organisation.") from None
    return {"uid": uid, "version": number}


class RedactIn(Strict):
    reason: str | None = Field(default=None, max_length=500)


@router.post("/{uid}/redact", summary="Redact personal data on request")
def redact_route(
    request: Request,
    uid: Annotated[str, Path(pattern=UID_PATTERN)],
    viewer: Annotated[Viewer, Depends(require("redact"))],
    body: RedactIn | None = None,
) -> dict[str, Any]:
    with request.app.state.sessions() as s:
        try:
            n = redact(s, viewer, uid, body.reason if body else None)
        except LookupError:
            raise ProblemError(404, "No such report in your organisation.") from None
    return {"uid": uid, "redacted_values": n}

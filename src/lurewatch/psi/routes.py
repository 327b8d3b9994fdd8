"""The responder's side of private matching over the API (`/api/v1/psi/...`).

A partner's `lurewatch match run` drives it:
  POST /psi/sessions                     {"protocol", "type", "size"} -> session, sizes, chunk
  POST /psi/sessions/{id}/offer?offset=N  a chunk of a·H(x) (octet-stream) -> b·a·H(x), same order
  GET  /psi/sessions/{id}/points          b·H(y) for this instance's set (octet-stream)
  POST /psi/sessions/{id}/confirm?offset=N a chunk of a·b·H(y) -> when complete, the count
  GET  /psi/sessions/{id}                 status and sizes
Points travel as raw 32-byte encodings in chunks below the API's 1 MiB body limit.

The session's secret scalar and blinded points stay in this process's memory for at most
`session_ttl_s` (one process per instance, like the rate limiter: a multi-worker deployment
needs sticky sessions for /psi). What is stored is the session record (tables.py) and an audit
event. Right needed: `lookup` (admin, analyst, partner): a private lookup of many values.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.api.problems import PROBLEM_RESPONSES, PROBLEM_SCHEMA, ProblemError
from lurewatch.api.security import require
from lurewatch.psi import group
from lurewatch.psi.limits import LimitError, Limits
from lurewatch.psi.normalize import MatchableType
from lurewatch.psi.protocol import ProtocolError, Responder
from lurewatch.psi.sets import store_values
from lurewatch.psi.tables import PsiSession
from lurewatch.store.access import Viewer, audit

_EXTRA: dict[int | str, dict[str, Any]] = {
    code: {
        "description": title,
        "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
    }
    for code, title in ((400, "Malformed points or request"), (409, "Out of order"))
}
router = APIRouter(
    prefix="/psi", tags=["private matching"], responses={**PROBLEM_RESPONSES, **_EXTRA}
)
_BINARY: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Points, 32 bytes each",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}
CHUNK_POINTS = 30_000
"""Points per request: 960,000 bytes, under the API's default 1 MiB body limit."""
OCTETS = "application/octet-stream"


@dataclass
class _Live:
    responder: Responder
    org_id: int
    expires: float
    own: threading.Thread
    confirmed: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Registry:
    """Open sessions of this process; expired ones are dropped on every access."""

    def __init__(self) -> None:
        self._live: dict[str, _Live] = {}
        self._lock = threading.Lock()

    def add(self, sid: str, live: _Live) -> None:
        with self._lock:
            self._purge()
            self._live[sid] = live

    def get(self, sid: str, viewer: Viewer) -> _Live:
        with self._lock:
            self._purge()
            live = self._live.get(sid)
        if live is None or live.org_id != viewer.org_id:
            raise ProblemError(404, "No open matching session with this id (it may have expired).")
        return live

    def drop(self, sid: str) -> None:
        with self._lock:
            self._live.pop(sid, None)

    def _purge(self) -> None:
        now = time.monotonic()
        for sid in [s for s, live in self._live.items() if live.expires < now]:
            del self._live[sid]


def _sessions(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.sessions
    return factory


def _registry(request: Request) -> _Registry:
    state = request.app.state
    if not hasattr(state, "psi_registry"):
        state.psi_registry = _Registry()
    if not hasattr(state, "psi_limits"):
        state.psi_limits = Limits.from_env()
    reg: _Registry = state.psi_registry
    return reg


class SessionRequest(BaseModel):
    protocol: Literal["lurewatch-psi/1"] = Field(description="The protocol and its version.")
    type: MatchableType = Field(description="The identifier type both sides match.")
    size: int = Field(ge=1, le=10_000_000, description="Distinct values the initiator offers.")


class SessionAnswer(BaseModel):
    session: str
    protocol: str
    type: str
    status: str
    initiator_size: int
    responder_size: int
    chunk_points: int
    expires_at: str | None = None
    intersection_size: int | None = None


def _answer(row: PsiSession, expires: datetime | None = None) -> SessionAnswer:
    return SessionAnswer(
        session=row.id,
        protocol=group.PROTOCOL,
        type=row.indicator_type,
        status=row.status,
        initiator_size=row.initiator_size,
        responder_size=row.responder_size,
        chunk_points=CHUNK_POINTS,
        expires_at=expires.isoformat() if expires else None,
        intersection_size=row.intersection_size,
    )


async def _points_body(request: Request) -> list[bytes]:
    if request.headers.get("content-type", "").split(";")[0].strip() != OCTETS:
        raise ProblemError(415, f"Send points as {OCTETS} (32 bytes each).")
    body = await request.body()
    if len(body) > CHUNK_POINTS * group.POINT_BYTES:
        raise ProblemError(413, f"At most {CHUNK_POINTS} points per request.")
    try:
        return group.unpack(body)
    except group.PointError as exc:
        raise ProblemError(400, str(exc)) from None


@router.post("/sessions", status_code=201, response_model=SessionAnswer)
def create_session(
    body: SessionRequest, request: Request, viewer: Annotated[Viewer, Depends(require("lookup"))]
) -> SessionAnswer:
    """Open a matching session: checks the limits, then blinds this instance's set."""
    reg = _registry(request)
    limits: Limits = request.app.state.psi_limits
    shared_only = os.environ.get("LUREWATCH_PSI_SCOPE", "all") == "shared"
    with _sessions(request)() as s:
        values = store_values(s, body.type, shared_only=shared_only)
        try:
            limits.check_sizes(body.size, len(values))
            limits.check_usage(s, viewer.org_id, body.type, body.size)
        except LimitError as exc:
            headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
            status = 429 if exc.retry_after else 403  # a policy refusal, not a bad request
            raise ProblemError(status, str(exc), headers) from None
        sid = str(uuid.uuid4())
        row = PsiSession(
            id=sid,
            org_id=viewer.org_id,
            key_id=viewer.key_id,
            indicator_type=body.type,
            initiator_size=body.size,
            responder_size=len(values),
        )
        s.add(row)
        audit(
            s,
            "psi.session",
            viewer=viewer,
            target=sid,
            detail={"type": body.type, "offered": body.size, "held": len(values)},
        )
        s.commit()
    responder = Responder(body.type, sorted(values))
    own = threading.Thread(target=responder.own_points, name=f"psi-{sid[:8]}", daemon=True)
    own.start()  # overlaps with the initiator blinding its own set
    reg.add(sid, _Live(responder, viewer.org_id, time.monotonic() + limits.session_ttl_s, own))
    return _answer(row, datetime.now(UTC) + timedelta(seconds=limits.session_ttl_s))


@router.get("/sessions/{sid}", response_model=SessionAnswer)
def get_session(
    sid: str, request: Request, viewer: Annotated[Viewer, Depends(require("lookup"))]
) -> SessionAnswer:
    """Status and sizes of a session this organisation opened."""
    with _sessions(request)() as s:
        row = s.get(PsiSession, sid)
        if row is None or row.org_id != viewer.org_id:
            raise ProblemError(404, "No matching session with this id.")
        return _answer(row)


def _offset(live: _Live, offset: int, done: int, what: str) -> None:
    if offset != done:
        raise ProblemError(409, f"The next {what} chunk starts at offset {done}, not {offset}.")


@router.post("/sessions/{sid}/offer", response_class=Response, responses=_BINARY)
async def offer_chunk(
    sid: str,
    request: Request,
    viewer: Annotated[Viewer, Depends(require("lookup"))],
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Blind a chunk of the initiator's offer; answers b·P for each point, in order."""
    live = _registry(request).get(sid, viewer)
    points = await _points_body(request)
    from starlette.concurrency import run_in_threadpool

    def work() -> list[bytes]:
        with live.lock:
            _offset(live, offset, live.responder.answered, "offer")
            size = _session_size(request, sid)
            if live.responder.answered + len(points) > size:
                raise ProblemError(422, f"The session was opened for {size} offered values.")
            try:
                doubled = live.responder.answer(points)
            except ProtocolError as exc:
                raise ProblemError(400, str(exc)) from None
            if live.responder.answered == size:
                with _sessions(request)() as s:
                    row = s.get(PsiSession, sid)
                    assert row is not None
                    row.status = "answered"
                    s.commit()
            return doubled

    doubled = await run_in_threadpool(work)
    return Response(group.pack(doubled), media_type=OCTETS)


def _session_size(request: Request, sid: str) -> int:
    with _sessions(request)() as s:
        row = s.get(PsiSession, sid)
        assert row is not None
        return row.initiator_size


@router.get("/sessions/{sid}/points", response_class=Response, responses=_BINARY)
def responder_points(
    sid: str, request: Request, viewer: Annotated[Viewer, Depends(require("lookup"))]
) -> Response:
    """This instance's blinded set b·H(y), in the order confirmations must follow."""
    live = _registry(request).get(sid, viewer)
    live.own.join()
    return Response(group.pack(live.responder.own_points()), media_type=OCTETS)


@router.post("/sessions/{sid}/confirm", response_model=SessionAnswer)
async def confirm_chunk(
    sid: str,
    request: Request,
    viewer: Annotated[Viewer, Depends(require("lookup"))],
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """Take a chunk of a·b·H(y); with the last one, this side learns the intersection too."""
    reg = _registry(request)
    live = reg.get(sid, viewer)
    points = await _points_body(request)
    from starlette.concurrency import run_in_threadpool

    def work() -> SessionAnswer:
        with live.lock:
            _offset(live, offset, len(live.confirmed), "confirmation")
            total = len(live.responder.values)
            if len(live.confirmed) + len(points) > total:
                raise ProblemError(422, f"The confirmation has {total} points in all.")
            live.confirmed.extend(points)
            with _sessions(request)() as s:
                row = s.get(PsiSession, sid)
                assert row is not None
                if len(live.confirmed) < total:
                    return _answer(row)
                if live.responder.answered < row.initiator_size:
                    raise ProblemError(409, "The offer is not complete yet.")
                try:
                    shared = live.responder.confirm(live.confirmed)
                except ProtocolError as exc:
                    raise ProblemError(400, str(exc)) from None
                row.status = "confirmed"
                row.intersection_size = len(shared)
                row.matched = shared
                row.finished_at = datetime.now(UTC)
                audit(
                    s,
                    "psi.confirmed",
                    viewer=viewer,
                    target=sid,
                    detail={"type": row.indicator_type, "intersection": len(shared)},
                )
                s.commit()
                reg.drop(sid)
                return _answer(row)

    return await run_in_threadpool(work)

"""Operations: list, detail, split, merge, and running the linking over the store.

Same keys, roles and problem+json errors as the report routes. What a caller sees of an
operation is built from the member reports it may read (`operations.queries`): a partner sees
operations only through reports shared with it, and nobody gets personal data.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import Field, field_validator
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from lurewatch.api.problems import PROBLEM_RESPONSES, ProblemError
from lurewatch.api.security import require
from lurewatch.operations.queries import (
    MAX_PAGE,
    OperationError,
    detail,
    latest_run,
    list_operations,
    merge_operations,
    split_operation,
)
from lurewatch.store.access import Viewer
from lurewatch.store.intake import Strict

router = APIRouter(prefix="/operations", tags=["operations"], responses=PROBLEM_RESPONSES)
OP_UID = r"^op-[0-9a-f]{12}$"
REPORT_UID = r"^[0-9a-fA-F-]{1,64}$"


def _actor(viewer: Viewer) -> str:
    return f"key:{viewer.key_id}"


@router.get("", summary="List operations (largest first)")
def list_route(
    request: Request,
    viewer: Annotated[Viewer, Depends(require("read"))],
    status: Literal["active", "merged", "retired", "all"] = "active",
    min_size: Annotated[int, Query(ge=2, le=1_000_000)] = 2,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> dict[str, Any]:
    with request.app.state.sessions() as s:
        total, page = list_operations(
            s, viewer, status=status, min_size=min_size, offset=offset, limit=limit
        )
        run = latest_run(s)
    return {"total": total, "offset": offset, "limit": limit, "run": run, "operations": page}


@router.get("/{uid}", summary="Operation detail: members, evidence, template, timeline")
def detail_route(
    request: Request,
    uid: Annotated[str, Path(pattern=OP_UID)],
    viewer: Annotated[Viewer, Depends(require("read"))],
) -> dict[str, Any]:
    with request.app.state.sessions() as s:
        try:
            return detail(s, viewer, uid)
        except OperationError as exc:
            raise ProblemError(exc.status, exc.detail) from None


class SplitIn(Strict):
    reports: list[Annotated[str, Field(pattern=REPORT_UID)]] = Field(min_length=1, max_length=1000)
    note: str | None = Field(default=None, max_length=2000)


@router.post("/{uid}/split", summary="Move reports out of an operation (recorded decision)")
def split_route(
    request: Request,
    uid: Annotated[str, Path(pattern=OP_UID)],
    body: SplitIn,
    viewer: Annotated[Viewer, Depends(require("edit"))],
) -> dict[str, Any]:
    """The named reports form an operation of their own; the decision is replayed after every
    re-linking, so new evidence does not silently undo it."""
    with request.app.state.sessions() as s:
        try:
            return split_operation(
                s, viewer, uid, body.reports, note=body.note, actor=_actor(viewer)
            )
        except OperationError as exc:
            raise ProblemError(exc.status, exc.detail) from None


class MergeIn(Strict):
    operations: list[Annotated[str, Field(pattern=OP_UID)]] = Field(
        min_length=2, max_length=50, json_schema_extra={"uniqueItems": True}
    )
    note: str | None = Field(default=None, max_length=2000)

    @field_validator("operations")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("name each operation once")
        return value


@router.post("/merge", summary="Merge operations into the first (recorded decision)")
def merge_route(
    request: Request, body: MergeIn, viewer: Annotated[Viewer, Depends(require("edit"))]
) -> dict[str, Any]:
    with request.app.state.sessions() as s:
        try:
            return merge_operations(
                s, viewer, body.operations, note=body.note, actor=_actor(viewer)
            )
        except OperationError as exc:
            raise ProblemError(exc.status, exc.detail) from None


class LinkIn(Strict):
    mode: Literal["auto", "full", "incremental"] = "auto"
    engine: Literal["duckdb", "spark"] = "duckdb"


@router.post("/link", summary="Run linking over the store (incremental by default)")
async def link_route(
    request: Request,
    viewer: Annotated[Viewer, Depends(require("bulk"))],
    body: LinkIn | None = None,
) -> dict[str, Any]:
    """Links new reports into operations (`auto`: incremental after the first full run)."""
    from lurewatch.operations.store_link import link_store

    opts = body or LinkIn()

    def work() -> dict[str, Any]:
        with request.app.state.sessions() as s:
            return link_store(s, engine=opts.engine, mode=opts.mode, actor=_actor(viewer)).to_dict()

    try:
        return await run_in_threadpool(work)
    except IntegrityError:  # another process wrote the same run number first; nothing was kept
        raise ProblemError(409, "Another linking run finished first; run again.") from None

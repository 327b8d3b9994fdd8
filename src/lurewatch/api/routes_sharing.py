"""Sharing over the REST API: export what a sharing group may receive, import a partner's
STIX bundle or MISP events.

- `GET /sharing/export?format=stix|misp&group=G[&dry_run=true]`: any reading key exports for
  a group its organisation is a member of (a report shared with one group reaches that
  group's members only); admins and analysts also for all partners, without a group. The
  dry run answers the plan: what goes, what is withheld, why.
- `POST /sharing/import` (admins and analysts): the body is a STIX 2.1 bundle or MISP events
  (detected); imported for the caller's organisation in one transaction. Malformed input is a
  422 problem whose `detail` names the object and the reason; nothing is imported. Bodies
  over the API's size limit are refused with 413 (use `lurewatch import` for big files).

The work runs in the threadpool: exports and imports are database- and CPU-bound.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from lurewatch.api.problems import PROBLEM_RESPONSES, ProblemError
from lurewatch.api.security import require
from lurewatch.sharing.cli import detect_format
from lurewatch.sharing.errors import NotMemberError, SharingError
from lurewatch.sharing.groups import require_member
from lurewatch.store.access import Viewer

router = APIRouter(prefix="/sharing", tags=["sharing"], responses=PROBLEM_RESPONSES)


@router.get("/export", summary="Export what a sharing group may receive (STIX 2.1 or MISP)")
async def export_route(
    request: Request,
    viewer: Annotated[Viewer, Depends(require("read"))],
    format: Annotated[Literal["stix", "misp"], Query()] = "stix",
    group: Annotated[str | None, Query(max_length=100)] = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    if group is not None and "\x00" in group:  # PostgreSQL cannot even compare it
        raise ProblemError(422, "A group name cannot contain NUL characters.")

    def work() -> dict[str, Any]:
        with request.app.state.sessions() as s:
            if group is None and not viewer.can("read_org"):
                raise ProblemError(
                    403, "A partner exports only for a sharing group its organisation is in."
                )
            try:
                if group is not None:
                    require_member(s, group, viewer.org_id)
                if format == "stix":
                    from lurewatch.sharing.stix import bundle_of, plan_export

                    plan: Any = plan_export(s, group)
                    out: dict[str, Any] = plan.to_dict() if dry_run else bundle_of(plan.objects)
                    return out
                from lurewatch.sharing.misp import plan_events

                plan = plan_events(s, group)
                out = plan.to_dict() if dry_run else plan.document()
                return out
            except NotMemberError:
                raise ProblemError(
                    403, "Only members of a sharing group may export what it receives."
                ) from None
            except SharingError as exc:  # an unknown group is a 404, not a 403
                raise ProblemError(404, str(exc)) from None

    result: dict[str, Any] = await run_in_threadpool(work)
    return result


IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A STIX 2.1 bundle, or MISP events ({Event}, {response: [...]}, a list).",
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [
                        {
                            "type": "object",
                            "required": ["type", "objects"],
                            "properties": {
                                "type": {"const": "bundle"},
                                "id": {"type": "string"},
                                "objects": {"type": "array", "items": {"type": "object"}},
                            },
                        },
                        {"type": "object", "required": ["Event"]},
                        {"type": "object", "required": ["response"]},
                        {"type": "array", "items": {"type": "object"}},
                    ]
                }
            }
        },
    }
}
"""The body as OpenAPI can say it; the STIX and MISP rules themselves are checked by the
importers (422 with the object and the reason)."""


@router.post(
    "/import",
    summary="Import a STIX 2.1 bundle or MISP events, all or nothing",
    status_code=201,
    openapi_extra=IMPORT_BODY,
)
async def import_route(
    request: Request, viewer: Annotated[Viewer, Depends(require("bulk"))]
) -> dict[str, Any]:
    raw = await request.body()
    try:
        document = json.loads(raw.decode("utf-8"))
        fmt = detect_format(document)
    except UnicodeDecodeError:
        raise ProblemError(422, "The body is not UTF-8; nothing was imported.") from None
    except json.JSONDecodeError as exc:
        raise ProblemError(422, f"The body is not JSON ({exc}); nothing was imported.") from None
    except SharingError as exc:
        raise ProblemError(422, f"{exc}; nothing was imported.") from None

    def work() -> dict[str, Any]:
        with request.app.state.sessions() as s:
            try:
                if fmt == "stix":
                    from lurewatch.sharing.stix_import import import_bundle

                    result = import_bundle(s, document, viewer.org_id, source="api", raw=raw)
                else:
                    from lurewatch.sharing.misp_import import import_events

                    result = import_events(s, document, viewer.org_id, source="api", raw=raw)
            except SharingError as exc:
                raise ProblemError(422, f"{exc}; nothing was imported.") from None
            return result.to_dict()

    answer: dict[str, Any] = await run_in_threadpool(work)
    return answer

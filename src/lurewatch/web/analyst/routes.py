"""The analyst pages: login, report queue, report detail, indicator lookup, operations with
their network graph, split/merge and export.

Rights are the API's (`store.access.RIGHTS`), checked by the foundation's `require_login`:
reading needs `read` (analyst, admin, partner), split and merge need `edit` (as in the API's
operation routes), export needs `read_org` (an organisation exports its own view; a partner
only receives). A reporter key cannot log in here at all: reporters submit, they never read.
Every form carries the session's CSRF token (`read_form` checks it); every page is rendered by
Jinja2 with autoescape, so report texts and identifiers are always escaped.

The analyst pages are in English: the people using them (NGO case workers, police analysts
across borders) share English as a working language; the public pages speak 8 languages.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from lurewatch.models import INDICATOR_TYPES
from lurewatch.operations.queries import (
    OperationError,
    detail,
    list_operations,
    merge_operations,
    split_operation,
)
from lurewatch.sharing import SharingError
from lurewatch.sharing import misp as misp_export
from lurewatch.sharing import stix as stix_export
from lurewatch.sharing.errors import NotMemberError
from lurewatch.sharing.groups import member_groups, require_member
from lurewatch.store.access import Viewer
from lurewatch.store.queries import lookup as store_lookup
from lurewatch.web.analyst import data
from lurewatch.web.analyst.graph import graph_for, prepare_graph
from lurewatch.web.render import render
from lurewatch.web.security import (
    WebError,
    login,
    logout,
    read_form,
    require_login,
)

router = APIRouter(include_in_schema=False)

UID = r"^[0-9a-fA-F-]{1,64}$"
OP_UID = r"^[A-Za-z0-9_.:-]{1,40}$"
EXPORT_FORMATS = ("stix", "misp")
MAX_LOOKUP_VALUE = 512
MAX_NOTE = 500
MAX_SPLIT_REPORTS = 1000
GRAPH_TABLE_ROWS = 200
"""Rows of the no-JavaScript evidence table; the graph itself shows every edge."""

Reader = Annotated[Viewer, Depends(require_login("read"))]
Editor = Annotated[Viewer, Depends(require_login("edit"))]
Exporter = Annotated[Viewer, Depends(require_login("read_org"))]


def _sessions(request: Request) -> Any:
    return request.app.state.sessions


def _safe_next(value: str | None) -> str:
    """Where to go after login: a path on this site only (never `//host` or a scheme)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/analyst"
    return value[:2000]


def _op_error(exc: OperationError) -> WebError:
    return WebError(exc.status, exc.detail)


def _check_uid(value: str, pattern: str = UID) -> str:
    if not re.fullmatch(pattern, value):
        raise WebError(404, "error_not_found")
    return value


# ---------------------------------------------------------------- login


@router.get("/login")
def login_page(request: Request, next: str = "/analyst") -> Response:
    return render(request, "analyst/login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
async def login_submit(request: Request) -> Response:
    form = await read_form(request)
    secret = str(form.get("api_key") or "")[:200]
    target = _safe_next(str(form.get("next") or ""))
    error = None
    viewer = login(request, secret) if secret.strip() else None
    if viewer is None:
        error = "That key is unknown or revoked."
    elif not viewer.can("read"):
        logout(request)
        error = f"A {viewer.role} key cannot open the analyst pages (it can only submit reports)."
    if error is not None:
        return render(
            request, "analyst/login.html", {"next": target, "error": error}, status_code=401
        )
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout_submit(request: Request) -> Response:
    await read_form(request)
    logout(request)
    return RedirectResponse("/login", status_code=303)


# ---------------------------------------------------------------- reports


@router.get("/analyst")
def queue_page(
    request: Request,
    viewer: Reader,
    urgent: bool = False,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{0,2}$")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    limit = data.QUEUE_PAGE
    with _sessions(request)() as s:
        total, rows = data.queue(
            s,
            viewer,
            urgent_only=urgent,
            country=country or None,
            offset=(page - 1) * limit,
            limit=limit,
        )
    pages = max(1, (total + limit - 1) // limit)

    def page_url(n: int) -> str:
        params: dict[str, Any] = {"page": n}
        if urgent:
            params["urgent"] = "true"
        if country:
            params["country"] = country
        return "/analyst?" + urlencode(params)

    return render(
        request,
        "analyst/queue.html",
        {
            "rows": rows,
            "total": total,
            "page": page,
            "pages": pages,
            "page_url": page_url,
            "urgent": urgent,
            "country": country or "",
        },
    )


@router.get("/analyst/reports/{uid}")
def report_page(request: Request, uid: str, viewer: Reader) -> Response:
    _check_uid(uid)
    with _sessions(request)() as s:
        view = data.report_view(s, viewer, uid)
    if view is None:
        raise WebError(404, "No such report among those you can see.")
    return render(request, "analyst/report.html", {"r": view})


@router.get("/analyst/lookup")
def lookup_page(
    request: Request,
    viewer: Reader,
    value: Annotated[str, Query(max_length=MAX_LOOKUP_VALUE)] = "",
    type: Annotated[str, Query(max_length=20)] = "auto",
) -> Response:
    value = value.replace("\x00", "").strip()
    kind = type if type in INDICATOR_TYPES else "auto"
    result = None
    tried: list[str] = []
    if value:
        with _sessions(request)() as s:
            kinds = [kind] if kind != "auto" else _guess_types(value)
            for k in kinds:
                tried.append(k)
                result = store_lookup(s, viewer, k, value)
                if result is not None:
                    break
    return render(
        request,
        "analyst/lookup.html",
        {
            "value": value,
            "kind": kind,
            "types": INDICATOR_TYPES,
            "result": result,
            "tried": tried,
        },
    )


def _guess_types(value: str) -> list[str]:
    """The types the extractor reads in `value` (most specific first), else every type."""
    import lurewatch

    found = [i.type for i in lurewatch.extract(value)]
    return list(dict.fromkeys(found)) or [t for t in INDICATOR_TYPES if t != "money"]


# ---------------------------------------------------------------- operations


@router.get("/analyst/operations")
def operations_page(
    request: Request,
    viewer: Reader,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    limit = 50
    with _sessions(request)() as s:
        total, ops = list_operations(s, viewer, offset=(page - 1) * limit, limit=limit)
    pages = max(1, (total + limit - 1) // limit)
    return render(
        request,
        "analyst/operations.html",
        {
            "ops": ops,
            "total": total,
            "page": page,
            "pages": pages,
            "page_url": lambda n: f"/analyst/operations?page={int(n)}",
        },
    )


def _bars(counts: dict[str, int] | None) -> list[tuple[str, int, int]]:
    """(key, count, the largest count) for a bar chart of `<meter>` elements (the pages'
    Content-Security-Policy allows no inline styles, and a meter is read out by screen
    readers as a value)."""
    items = sorted((counts or {}).items(), key=lambda kv: (-int(kv[1]), kv[0]))
    top = max((int(v) for _, v in items), default=0) or 1
    return [(k, int(v), top) for k, v in items]


TIMELINE_DAYS = 60
"""Above this many distinct days the timeline counts reports per month instead."""


def _timeline(days: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    """(day or month, reports, the largest count), oldest first."""
    counts: dict[str, int] = {}
    monthly = len(days) > TIMELINE_DAYS
    for t in days:
        when = str(t["date"])[:7] if monthly else str(t["date"])
        counts[when] = counts.get(when, 0) + int(t["reports"])
    top = max(counts.values(), default=0) or 1
    return [(k, n, top) for k, n in sorted(counts.items())]


def _template_parts(template: dict[str, Any] | None) -> list[tuple[str, str | None]]:
    """The template text cut into (text, slot name or None) using the slots' offsets."""
    if not template:
        return []
    text = str(template.get("text") or "")
    slots = sorted(
        (
            (int(s.get("start", -1)), int(s.get("end", -1)), str(s.get("name") or "slot"))
            for s in template.get("slots") or []
        ),
        key=lambda t: t[0],
    )
    parts: list[tuple[str, str | None]] = []
    pos = 0
    for start, end, name in slots:
        if start < pos or end <= start or end > len(text):
            continue
        if start > pos:
            parts.append((text[pos:start], None))
        parts.append((text[start:end], name))
        pos = end
    if pos < len(text):
        parts.append((text[pos:], None))
    return parts


@router.get("/analyst/operations/{uid}")
def operation_page(request: Request, uid: str, viewer: Reader) -> Response:
    _check_uid(uid, OP_UID)
    with _sessions(request)() as s:
        try:
            op = detail(s, viewer, uid)
        except OperationError as exc:
            raise _op_error(exc) from None
        groups = member_groups(s, viewer.org_id) if viewer.can("read_org") else []
        others = data.operation_choices(s, viewer, uid) if viewer.can("edit") else []
    timeline = op.get("timeline") or []
    evidence = op.get("evidence") or []
    response = render(
        request,
        "analyst/operation.html",
        {
            "op": op,
            "countries": _bars(op.get("countries")),
            "op_languages": _bars(op.get("languages")),
            "categories": _bars(op.get("categories")),
            "timeline": _timeline(timeline),
            "template_parts": _template_parts(op.get("template")),
            "evidence_rows": evidence[:GRAPH_TABLE_ROWS],
            "evidence_more": max(0, int(op.get("evidence_total") or 0) - GRAPH_TABLE_ROWS),
            "can_edit": viewer.can("edit"),
            "can_export": viewer.can("read_org"),
            "formats": EXPORT_FORMATS,
            "groups": groups,
            "others": others,
        },
    )
    # Lay the graph out once the page has been sent: while the browser parses the page and
    # loads its scripts (the JSON is preloaded from <head>). Started earlier, the layout (which
    # holds the GIL) would delay this page itself.
    response.background = BackgroundTask(prepare_graph, request.app.state.sessions, viewer, uid)
    return response


@router.get("/analyst/operations/{uid}/graph.json")
def operation_graph_json(request: Request, uid: str, viewer: Reader) -> Response:
    _check_uid(uid, OP_UID)
    try:
        graph = graph_for(request.app.state.sessions, viewer, uid)
    except OperationError as exc:
        return JSONResponse({"error": exc.detail}, status_code=exc.status)
    body = json.dumps(graph, separators=(",", ":"), ensure_ascii=False)
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})


def _actor(viewer: Viewer) -> str:
    return f"web:key{viewer.key_id}"


@router.post("/analyst/operations/{uid}/split")
async def split_submit(request: Request, uid: str, viewer: Editor) -> Response:
    _check_uid(uid, OP_UID)
    form = await read_form(request)
    reports = [str(r) for r in form.getlist("reports")][:MAX_SPLIT_REPORTS]
    note = str(form.get("note") or "")[:MAX_NOTE] or None
    with _sessions(request)() as s:
        try:
            done = split_operation(s, viewer, uid, reports, note=note, actor=_actor(viewer))
        except OperationError as exc:
            raise _op_error(exc) from None
    after = [o for o in done["operations"] if o != uid]
    target = f"/analyst/operations/{uid}?" + urlencode({"done": "split", "new": ",".join(after)})
    return RedirectResponse(target, status_code=303)


@router.post("/analyst/operations/{uid}/merge")
async def merge_submit(request: Request, uid: str, viewer: Editor) -> Response:
    _check_uid(uid, OP_UID)
    form = await read_form(request)
    other = str(form.get("other") or "").strip()
    if not re.fullmatch(OP_UID, other):
        raise WebError(422, "Choose the operation to merge into this one.")
    note = str(form.get("note") or "")[:MAX_NOTE] or None
    with _sessions(request)() as s:
        try:
            done = merge_operations(s, viewer, [uid, other], note=note, actor=_actor(viewer))
        except OperationError as exc:
            raise _op_error(exc) from None
    survivor = done["operations"][0] if done["operations"] else uid
    return RedirectResponse(f"/analyst/operations/{survivor}?done=merge", status_code=303)


# ---------------------------------------------------------------- export


@router.post("/analyst/export")
async def export_submit(request: Request, viewer: Exporter) -> Response:
    """Download what a sharing group may receive, as STIX 2.1 or MISP (the sharing module
    decides what leaves: shared reports only, never personal data)."""
    form = await read_form(request)
    fmt = str(form.get("format") or "")
    group = str(form.get("group") or "").strip()[:200] or None
    if fmt not in EXPORT_FORMATS:
        raise WebError(422, f"Unknown export format. Choose one of: {', '.join(EXPORT_FORMATS)}.")
    with _sessions(request)() as s:
        if group is not None:
            try:
                require_member(s, group, viewer.org_id)
            except NotMemberError:
                raise WebError(
                    403, "Your organisation is not a member of this sharing group."
                ) from None
            except SharingError as exc:  # an unknown group: a form error, as in `_export`
                raise WebError(422, f"Export refused: {exc}") from None
        body = _export(s, fmt, group)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"lurewatch-{fmt}-{stamp}.json"
    return Response(
        json.dumps(body, ensure_ascii=False, default=str),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _export(session: Session, fmt: str, group: str | None) -> Any:
    """The export document; the sharing layer's refusal (e.g. an unknown group) is a 422."""
    try:
        if fmt == "stix":
            return stix_export.export_bundle(session, group)
        return misp_export.export_events(session, group)
    except SharingError as exc:
        raise WebError(422, f"Export refused: {exc}") from None

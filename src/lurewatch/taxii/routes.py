"""The TAXII 2.1 server: discovery, one API root, collections, objects, manifests, versions,
status (OASIS TAXII 2.1, sections 4 and 5), mounted at `/taxii2/` inside `lurewatch serve`.

It is a FastAPI sub-application rather than a router of the REST API, because TAXII has its own
media type, its own error object and its own authentication forms, and its endpoints are not
part of the REST API's OpenAPI contract. It shares the parent app's store, keys and rate
limiter (`app.state.parent`).

Collections are visible to an organisation that may read or write them; others get 404.
POSTed envelopes are checked whole (ids, versions, and the stix2 library's parse of every
object); one bad object refuses the envelope with every reason listed, and nothing is added.
Accepted envelopes are processed at once, so the status resource is `complete` on return;
their objects are also imported into the store (the sharing importer) in the same transaction.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from lurewatch.sharing.errors import SharingError
from lurewatch.sharing.stix import bundle_of, import_bundle
from lurewatch.store.access import Viewer
from lurewatch.taxii import store
from lurewatch.taxii.auth import sessions, viewer
from lurewatch.taxii.media import (
    MAX_CONTENT_LENGTH,
    TAXII_MEDIA,
    TaxiiError,
    check_accept,
    check_content_type,
    decode_cursor,
    error_response,
    parse_stamp,
    stamp,
    taxii_json,
)
from lurewatch.taxii.tables import TaxiiCollection, TaxiiObject, TaxiiStatus

MOUNT = "/taxii2"
ROOT = "lurewatch"

Caller = Annotated[Viewer, Depends(viewer)]


def _accepting(request: Request) -> None:
    check_accept(request.headers.get("accept"))


def _filters(request: Request, *, versions_default: str = "last") -> store.Filters:
    q = request.query_params
    f = store.Filters(versions=[versions_default])

    def listed(name: str) -> list[str]:
        return [v.strip() for raw in q.getlist(name) for v in raw.split(",") if v.strip()]

    if "added_after" in q:
        f.added_after = parse_stamp(q["added_after"], "added_after")
    f.ids, f.types, f.spec_versions = (
        listed("match[id]"),
        listed("match[type]"),
        listed("match[spec_version]"),
    )
    if listed("match[version]"):
        f.versions = listed("match[version]")
        for v in f.versions:
            if v not in ("all", "first", "last"):
                parse_stamp(v, "match[version]")
    if "limit" in q:
        raw = q["limit"]
        if not raw.isdigit() or int(raw) < 1:
            raise TaxiiError(400, "Bad limit", "limit must be a positive whole number.")
        f.limit = min(int(raw), store.PAGE_MAX)
    if q.get("next"):
        f.after = decode_cursor(q["next"])
    return f


def _collection(s: Session, who: Viewer, cid: str, need: str) -> TaxiiCollection:
    coll = s.get(TaxiiCollection, cid)
    r = store.rights(s, who, coll) if coll else store.Rights(False, False)
    if coll is None or not (r.can_read or r.can_write):
        raise TaxiiError(404, "Collection not found", f"No collection {cid[:60]!r} for this key.")
    if need == "read" and not r.can_read:
        raise TaxiiError(403, "Forbidden", "This key may not read this collection.")
    if need == "write" and not r.can_write:
        raise TaxiiError(403, "Forbidden", "This key may not write to this collection.")
    return coll


def _page_headers(rows: list[TaxiiObject]) -> dict[str, str]:
    if not rows:
        return {}
    return {
        "X-TAXII-Date-Added-First": stamp(rows[0].date_added),
        "X-TAXII-Date-Added-Last": stamp(rows[-1].date_added),
    }


def _paged(rows: list[TaxiiObject], more: bool, key: str, items: list[Any]) -> JSONResponse:
    body: dict[str, Any] = {"more": more}
    if more:
        from lurewatch.taxii.media import encode_cursor

        body["next"] = encode_cursor(rows[-1].date_added, rows[-1].id)
    if items:
        body[key] = items
    return taxii_json(body, headers=_page_headers(rows))


def build() -> FastAPI:
    """The TAXII sub-application (state.parent must be set to the REST app's state)."""
    app = FastAPI(
        title="lurewatch TAXII 2.1",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(_accepting)],
    )

    @app.exception_handler(TaxiiError)
    async def _taxii(request: Request, exc: TaxiiError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = "Not found" if exc.status_code == 404 else "Error"
        if exc.status_code == 405:
            title = "Method not allowed"
        return error_response(TaxiiError(exc.status_code, title, str(exc.detail)))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(TaxiiError(400, "Bad request", "The request is malformed."))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        import logging

        logging.getLogger("lurewatch.taxii").exception("unhandled error on %s", request.url.path)
        return error_response(
            TaxiiError(500, "Internal error", "Something went wrong on our side; nothing changed.")
        )

    @app.get("/")
    def discovery(request: Request, who: Caller) -> JSONResponse:
        here = str(request.url.replace(query="")).rstrip("/") + "/"
        return taxii_json(
            {
                "title": "lurewatch TAXII 2.1",
                "description": "Scam-compound intelligence shared by this lurewatch instance: "
                "one collection per sharing group, plus configured collections.",
                "default": f"{here}{ROOT}/",
                "api_roots": [f"{here}{ROOT}/"],
            }
        )

    @app.get(f"/{ROOT}/")
    def api_root(who: Caller) -> JSONResponse:
        return taxii_json(
            {
                "title": "lurewatch",
                "description": "Reports, indicators, operations and their evidence as STIX 2.1.",
                "versions": [TAXII_MEDIA],
                "max_content_length": MAX_CONTENT_LENGTH,
            }
        )

    @app.get(f"/{ROOT}/status/{{status_id}}/")
    def get_status(status_id: str, request: Request, who: Caller) -> JSONResponse:
        with sessions(request)() as s:
            st = s.get(TaxiiStatus, status_id)
            if st is None or st.org_id != who.org_id:
                raise TaxiiError(404, "Status not found", "No status resource with this id.")
            return taxii_json(store.status_resource(st))

    @app.get(f"/{ROOT}/collections/")
    def collections(request: Request, who: Caller) -> JSONResponse:
        with sessions(request)() as s:
            store.sync_group_collections(s)
            out = []
            for coll in s.scalars(select(TaxiiCollection).order_by(TaxiiCollection.title)):
                r = store.rights(s, who, coll)
                if r.can_read or r.can_write:
                    out.append(store.collection_resource(coll, r))
        return taxii_json({"collections": out} if out else {})

    @app.get(f"/{ROOT}/collections/{{cid}}/")
    def collection(cid: str, request: Request, who: Caller) -> JSONResponse:
        with sessions(request)() as s:
            coll = _collection(s, who, cid, "any")
            return taxii_json(store.collection_resource(coll, store.rights(s, who, coll)))

    @app.get(f"/{ROOT}/collections/{{cid}}/manifest/")
    def manifest(cid: str, request: Request, who: Caller) -> JSONResponse:
        f = _filters(request)
        with sessions(request)() as s:
            _collection(s, who, cid, "read")
            rows, more = store.query(s, cid, f)
        items = [
            {
                "id": r.object_id,
                "date_added": stamp(r.date_added),
                "version": r.version,
                "media_type": r.media_type,
            }
            for r in rows
        ]
        return _paged(rows, more, "objects", items)

    @app.get(f"/{ROOT}/collections/{{cid}}/objects/")
    def get_objects(cid: str, request: Request, who: Caller) -> JSONResponse:
        f = _filters(request)
        with sessions(request)() as s:
            _collection(s, who, cid, "read")
            rows, more = store.query(s, cid, f)
        return _paged(rows, more, "objects", [r.body for r in rows])

    @app.post(f"/{ROOT}/collections/{{cid}}/objects/", status_code=202)
    async def add_objects(cid: str, request: Request, who: Caller) -> Response:
        check_content_type(request.headers.get("content-type"))
        body = await request.body()
        try:
            envelope = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise TaxiiError(400, "Bad envelope", f"The body is not JSON: {exc}") from None
        from starlette.concurrency import run_in_threadpool

        def work() -> dict[str, Any]:
            with sessions(request)() as s:
                coll = _collection(s, who, cid, "write")
                checked = store.check_envelope(envelope)
                successes = store.add_objects(s, coll, checked)
                status = store.record_status(s, who, coll, successes)
                # The objects also go into the store (filed under the posting organisation),
                # so lookups and linking see a partner's identifiers; the sharing importer
                # commits the collection, the status and the import together, or nothing.
                try:
                    import_bundle(
                        s, bundle_of([c.body for c in checked]), who.org_id, source=f"taxii:{cid}"
                    )
                except SharingError as exc:
                    s.rollback()
                    raise TaxiiError(
                        422, "Objects refused by the store", f"{exc}; nothing was added."
                    ) from None
                return store.status_resource(status)

        return taxii_json(await run_in_threadpool(work), status=202)

    @app.get(f"/{ROOT}/collections/{{cid}}/objects/{{object_id}}/")
    def get_object(cid: str, object_id: str, request: Request, who: Caller) -> JSONResponse:
        f = _filters(request)
        with sessions(request)() as s:
            _collection(s, who, cid, "read")
            if not store.object_exists(s, cid, object_id):
                raise TaxiiError(404, "Object not found", f"No object {object_id[:130]!r} here.")
            rows, more = store.query(s, cid, f, object_id)
        return _paged(rows, more, "objects", [r.body for r in rows])

    @app.delete(f"/{ROOT}/collections/{{cid}}/objects/{{object_id}}/")
    def delete_object(cid: str, object_id: str, request: Request, who: Caller) -> Response:
        f = _filters(request, versions_default="all")
        with sessions(request)() as s:
            _collection(s, who, cid, "write")
            if not store.object_exists(s, cid, object_id):
                raise TaxiiError(404, "Object not found", f"No object {object_id[:130]!r} here.")
            store.delete_versions(s, cid, object_id, f)
            s.commit()
        return Response(status_code=200, media_type=TAXII_MEDIA)

    @app.get(f"/{ROOT}/collections/{{cid}}/objects/{{object_id}}/versions/")
    def versions(cid: str, object_id: str, request: Request, who: Caller) -> JSONResponse:
        f = _filters(request, versions_default="all")
        f.versions = ["all"]
        with sessions(request)() as s:
            _collection(s, who, cid, "read")
            if not store.object_exists(s, cid, object_id):
                raise TaxiiError(404, "Object not found", f"No object {object_id[:130]!r} here.")
            rows, more = store.query(s, cid, f, object_id)
        ordered = sorted(rows, key=lambda r: r.version_at)
        return _paged(rows, more, "versions", [r.version for r in ordered])

    return app


def mount_taxii(parent: FastAPI) -> None:
    """Serve TAXII 2.1 at /taxii2/ on the REST app's store, keys and limits (one line in
    api/app.py)."""
    sub = build()
    sub.state.parent = parent.state
    parent.mount(MOUNT, sub)

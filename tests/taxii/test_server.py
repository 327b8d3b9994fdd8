"""The TAXII 2.1 server driven by the official taxii2-client against a live server on loopback."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from lurewatch.sharing.tables import ForeignObject
from lurewatch.taxii import store
from lurewatch.taxii.media import TAXII_MEDIA
from lurewatch.taxii.tables import TaxiiObject
from tests.taxii.objects import domain, indicator

ROOT = "/taxii2/lurewatch/"


def make_collection(app: FastAPI, **kw: Any) -> str:
    with app.state.sessions() as s:
        return store.create_collection(s, kw.pop("title", "Shared lures"), **kw).id


def fill(app: FastAPI, cid: str, objects: list[dict[str, Any]]) -> None:
    """Insert through the store (the same path as POST), without the stix2 deep parse."""
    with app.state.sessions() as s:
        coll = store.find_collection(s, cid)
        assert coll is not None
        store.add_objects(s, coll, store.check_envelope({"objects": objects}, deep=False))
        s.commit()


def count(app: FastAPI, cid: str) -> int:
    with app.state.sessions() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(TaxiiObject)
                .where(TaxiiObject.collection_id == cid)
            )
            or 0
        )


def test_discovery_root_and_collections_by_right(
    app: FastAPI, server: str, keys: dict[str, str]
) -> None:
    police = make_collection(app, alias="police-feed", readers=["police"], writers=["police"])
    public = make_collection(app, title="Everyone", readers=["*"])
    disc = Server(server + "/taxii2/", user="police", password=keys["police_partner"])
    assert disc.title == "lurewatch TAXII 2.1"
    assert disc.default.url == server + ROOT
    root = disc.api_roots[0]
    assert root.versions == [TAXII_MEDIA]
    seen = {c.id: c for c in root.collections}
    assert set(seen) == {police, public}
    assert seen[police].can_read and seen[police].can_write and seen[police].alias == "police-feed"
    assert seen[public].can_read and not seen[public].can_write
    # another partner organisation sees only the public one; its key is sent as a Bearer token
    other = ApiRoot(server + ROOT, auth=_bearer(keys["ngo_partner"]))
    assert [c.id for c in other.collections] == [public]


def _bearer(key: str) -> Any:
    import requests

    class Bearer(requests.auth.AuthBase):
        def __call__(self, r: Any) -> Any:
            r.headers["Authorization"] = f"Bearer {key}"
            return r

    return Bearer()


@pytest.mark.slow
def test_pages_through_10k_objects(app: FastAPI, server: str, keys: dict[str, str]) -> None:
    cid = make_collection(app, readers=["police"])
    objects = [indicator(i) for i in range(10_000)]
    started = time.perf_counter()
    fill(app, cid, objects)
    assert time.perf_counter() - started < 60
    coll = Collection(
        f"{server}{ROOT}collections/{cid}/", user="police", password=keys["police_partner"]
    )
    got: list[str] = []
    pages = 0
    for envelope in as_pages(coll.get_objects, per_request=1000):
        got.extend(o["id"] for o in envelope.get("objects", []))
        pages += 1
    assert pages == 10
    assert got == [o["id"] for o in objects]  # date_added order is the order of the envelope
    # the date headers bracket each page, and added_after resumes exactly after a page
    auth = ("police", keys["police_partner"])
    r = httpx.get(f"{server}{ROOT}collections/{cid}/objects/", params={"limit": 7}, auth=auth)
    assert r.headers["content-type"] == TAXII_MEDIA
    first, last = r.headers["X-TAXII-Date-Added-First"], r.headers["X-TAXII-Date-Added-Last"]
    assert first < last and r.json()["more"] is True
    r2 = httpx.get(
        f"{server}{ROOT}collections/{cid}/objects/",
        params={"limit": 3, "added_after": last},
        auth=auth,
    )
    assert [o["id"] for o in r2.json()["objects"]] == [o["id"] for o in objects[7:10]]


def test_post_envelope_status_and_reads(app: FastAPI, server: str, keys: dict[str, str]) -> None:
    cid = make_collection(app, readers=["police"], writers=["police"])
    coll = Collection(
        f"{server}{ROOT}collections/{cid}/", user="police", password=keys["police_partner"]
    )
    v1 = indicator(1)
    v2 = indicator(1, oid=v1["id"], modified="2026-11-02T00:00:00.000Z")
    status = coll.add_objects({"objects": [v1, domain(1), domain(2)]})
    assert status.status == "complete" and status.success_count == 3 and status.failure_count == 0
    with app.state.sessions() as s:  # the objects went into the store too
        stored = set(s.scalars(select(ForeignObject.object_id)))
    assert stored == {v1["id"], domain(1)["id"], domain(2)["id"]}
    again = coll.add_objects({"objects": [v1, v2, domain(1)]})
    messages = [s["message"] for s in again.successes]
    assert messages == ["already in the collection", "added", "already in the collection"]
    # the status resource can be read back by the organisation that posted
    root = ApiRoot(f"{server}{ROOT}", user="police", password=keys["police_partner"])
    assert root.get_status(again.id).success_count == 3
    # versions, by id, last/first/all, type and id filters, manifest
    versions = coll.object_versions(v1["id"])["versions"]
    assert versions == ["2026-11-01T00:00:00.000Z", "2026-11-02T00:00:00.000Z"]
    last = coll.get_object(v1["id"])["objects"]
    assert [o["modified"] for o in last] == ["2026-11-02T00:00:00.000Z"]
    first = coll.get_object(v1["id"], version="first")["objects"]
    assert [o["modified"] for o in first] == ["2026-11-01T00:00:00.000Z"]
    assert len(coll.get_objects(version="all")["objects"]) == 4
    assert {o["type"] for o in coll.get_objects(type="domain-name")["objects"]} == {"domain-name"}
    assert len(coll.get_objects(id=[v1["id"], domain(2)["id"]])["objects"]) == 2
    manifest = coll.get_manifest()["objects"]
    assert {m["id"] for m in manifest} == {v1["id"], domain(1)["id"], domain(2)["id"]}
    assert all(m["media_type"] == "application/stix+json;version=2.1" for m in manifest)
    # delete one version: the other becomes first and last
    coll.delete_object(v1["id"], version="2026-11-02T00:00:00.000Z")
    assert coll.object_versions(v1["id"])["versions"] == ["2026-11-01T00:00:00.000Z"]
    assert coll.get_object(v1["id"])["objects"][0]["modified"] == "2026-11-01T00:00:00.000Z"


def _taxii_error(r: httpx.Response, status: int, words: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == TAXII_MEDIA
    body: dict[str, Any] = r.json()
    assert body["http_status"] == str(status)
    assert words.lower() in (body["title"] + " " + body.get("description", "")).lower()
    return body


def test_bad_input_gets_taxii_errors_and_adds_nothing(
    app: FastAPI, server: str, keys: dict[str, str]
) -> None:
    cid = make_collection(app, readers=["police", "ngo"], writers=["police"])
    url = f"{server}{ROOT}collections/{cid}/objects/"
    auth = ("police", keys["police_partner"])
    post = {"Content-Type": TAXII_MEDIA, "Accept": TAXII_MEDIA}

    _taxii_error(httpx.post(url, content=b"{not json", headers=post, auth=auth), 400, "not JSON")
    _taxii_error(httpx.post(url, content=b"[1, 2]", headers=post, auth=auth), 400, "envelope")
    _taxii_error(httpx.post(url, json={"objects": []}, headers=post, auth=auth), 400, "objects")
    good = indicator(5)
    broken_pattern = indicator(6) | {"pattern": "[domain-name:value = "}
    bad_id = indicator(7) | {"id": "indicator--not-a-uuid"}
    wrong_spec = domain(3) | {"spec_version": "2.0"}
    bad_time = indicator(8) | {"modified": "yesterday"}
    body = _taxii_error(
        httpx.post(
            url,
            json={"objects": [good, broken_pattern, bad_id, wrong_spec, bad_time, "text"]},
            headers=post,
            auth=auth,
        ),
        422,
        "nothing was added",
    )
    failures = body["details"]["failures"]
    assert [f["index"] for f in failures] == [1, 2, 3, 4, 5]
    assert "pattern" in failures[0]["message"] and "UUID" in failures[1]["message"]
    assert "2.0" in failures[2]["message"] and "timestamp" in failures[3]["message"]
    assert count(app, cid) == 0  # the good object did not go in either
    # media types, auth and rights
    _taxii_error(
        httpx.post(
            url, json={"objects": [good]}, headers={"Content-Type": "application/json"}, auth=auth
        ),
        415,
        "media type",
    )
    _taxii_error(httpx.get(url, headers={"Accept": "application/json"}, auth=auth), 406, "accept")
    _taxii_error(httpx.get(url), 401, "API key")
    _taxii_error(httpx.get(url, auth=("x", "lw_wrong")), 401, "Unknown")
    _taxii_error(httpx.get(url, auth=("x", keys["reporter"])), 403, "Reporter")
    ngo = ("ngo", keys["ngo_partner"])
    _taxii_error(httpx.post(url, json={"objects": [good]}, headers=post, auth=ngo), 403, "write")
    _taxii_error(httpx.get(f"{server}{ROOT}collections/nope/objects/", auth=auth), 404, "not found")
    _taxii_error(httpx.get(url, params={"added_after": "last week"}, auth=auth), 400, "timestamp")
    _taxii_error(httpx.get(url, params={"limit": "-1"}, auth=auth), 400, "limit")
    _taxii_error(httpx.get(url, params={"next": "garbage"}, auth=auth), 400, "next")
    # an envelope over the 1 MiB body limit: a 413 a TAXII client can parse, not the web's page
    huge = httpx.post(url, content=b"x" * (1 << 20 + 1), headers=post, auth=auth)
    assert huge.status_code == 413 and "json" in huge.headers["content-type"]
    assert count(app, cid) == 0
    # and a good envelope still goes in afterwards
    ok = httpx.post(url, content=json.dumps({"objects": [good]}), headers=post, auth=auth)
    assert ok.status_code == 202 and ok.json()["success_count"] == 1
    assert count(app, cid) == 1

"""STIX 2.1 import: a partner's bundle into the store, all or nothing.

Every object is checked by the stix2 library (types, required properties, patterns) before
anything is written; the first bad object stops the import with its index, id and the reason.
Then, in one transaction: each object (each version) is kept verbatim in `foreign_objects`
with its producer and TLP, each `report` becomes a lurewatch report of the importing
organisation holding the identifiers it references (observables directly, through
`observed-data`, or through indicators' patterns), and identifiers no report references go
into one report for the bundle. Importing the same bundle again adds nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any

import stix2  # type: ignore[import-untyped]
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

import lurewatch.sharing.observables as obs
from lurewatch.sharing.errors import SharingError
from lurewatch.sharing.ingest import (
    MAX_OBJECTS,
    ImportResult,
    NativeReport,
    close_import,
    open_import,
    parse_time,
    resolve_org,
    store_counted,
)
from lurewatch.sharing.markings import level_of
from lurewatch.sharing.tables import ForeignObject
from lurewatch.store.schema import Organisation

STIX_ID = re.compile(r"^[a-z][a-z0-9-]{0,60}--[0-9a-fA-F-]{36}$")


def _check(bundle: Any) -> list[dict[str, Any]]:
    if not isinstance(bundle, dict):
        raise SharingError("a STIX bundle must be a JSON object")
    if bundle.get("type") != "bundle":
        raise SharingError(f"not a STIX bundle: type is {bundle.get('type')!r}, not 'bundle'")
    objects = bundle.get("objects", [])
    if not isinstance(objects, list):
        raise SharingError("bundle 'objects' must be a list")
    if len(objects) > MAX_OBJECTS:
        raise SharingError(f"bundle has {len(objects)} objects; at most {MAX_OBJECTS} per import")
    for i, obj in enumerate(objects):
        where = f"object {i}"
        if not isinstance(obj, dict):
            raise SharingError(f"{where}: not a JSON object")
        oid = obj.get("id")
        if not isinstance(oid, str) or not STIX_ID.match(oid):
            raise SharingError(f"{where}: missing or malformed id {oid!r}")
        if obj.get("type") != oid.split("--")[0]:
            raise SharingError(f"{where} ({oid}): type {obj.get('type')!r} does not match its id")
        if obj.get("spec_version", "2.1") != "2.1":
            raise SharingError(
                f"{where} ({oid}): spec_version {obj.get('spec_version')!r}; 2.1 only"
            )
        try:
            stix2.parse(obj, allow_custom=True, version="2.1")
        except Exception as exc:  # stix2 raises a family of its own errors
            raise SharingError(f"{where} ({oid}): {exc}") from None
        if obj["type"] == "indicator" and obj.get("pattern_type") == "stix":
            obs.keys_of_pattern(str(obj.get("pattern", "")))
    return objects


def _keys(obj: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """Identifiers an object stands for: an SCO's, an indicator's pattern's, an observed-data's
    observables'."""
    t = obj.get("type")
    if t == "indicator" and obj.get("pattern_type") == "stix":
        return obs.keys_of_pattern(str(obj.get("pattern", "")))
    if t == "observed-data":
        out: list[tuple[str, str]] = []
        for ref in obj.get("object_refs", []):
            if ref in by_id:
                out += obs.keys_of_sco(by_id[ref])
        return out
    return obs.keys_of_sco(obj)


def import_bundle(
    session: Session,
    bundle: Any,
    org: Organisation | int | str,
    *,
    source: str | None = None,
    raw: bytes | None = None,
) -> ImportResult:
    """Import `bundle` for `org` in one transaction; SharingError (nothing written) if bad."""
    objects = _check(bundle)
    try:
        result = _write(session, bundle, objects, org, source, raw)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return result


def _write(
    session: Session,
    bundle: dict[str, Any],
    objects: list[dict[str, Any]],
    org_ref: Organisation | int | str,
    source: str | None,
    raw: bytes | None,
) -> ImportResult:
    org = resolve_org(session, org_ref)
    names = {
        o["id"]: str(o.get("name", ""))
        for o in objects
        if o["type"] == "identity" and o.get("name")
    }
    raw = raw if raw is not None else json.dumps(bundle, sort_keys=True).encode()
    record, result = open_import(session, "stix", org, source, raw, len(objects))
    versions = [(o["id"], str(o.get("modified", ""))) for o in objects]
    have: set[tuple[str, str]] = set()
    for i in range(0, len(versions), 400):
        part = versions[i : i + 400]
        have |= {
            (a, b)
            for a, b in session.execute(
                select(ForeignObject.object_id, ForeignObject.version).where(
                    ForeignObject.format == "stix",
                    tuple_(ForeignObject.object_id, ForeignObject.version).in_(part),
                )
            )
        }
    by_id = {o["id"]: o for o in objects}
    # reports and the identifiers they hold
    natives: list[NativeReport] = []
    covered: set[str] = set()
    for o in objects:
        if o["type"] != "report":
            continue
        keys: list[tuple[str, str]] = []
        for ref in o.get("object_refs", []):
            if ref in by_id:
                keys += _keys(by_id[ref], by_id)
                covered.add(ref)
                if by_id[ref]["type"] == "observed-data":
                    covered.update(by_id[ref].get("object_refs", []))
        ctx = (o.get("extensions") or {}).get(obs.CONTEXT_EXTENSION) or {}
        producer = names.get(str(o.get("created_by_ref")), "a partner")
        natives.append(
            NativeReport(
                external_id=o["id"],
                source=f"stix: {producer}",
                text="\n\n".join(str(x) for x in (o.get("name"), o.get("description")) if x),
                received_at=parse_time(o.get("published")),
                identifiers=keys,
                country=ctx.get("country") if isinstance(ctx.get("country"), str) else None,
                language=ctx.get("language") if isinstance(ctx.get("language"), str) else None,
            )
        )
    loose: list[tuple[str, str]] = []
    for o in objects:
        if o["id"] not in covered and o["type"] != "report":
            loose += _keys(o, by_id)
    if loose:
        natives.append(
            NativeReport(
                external_id=str(bundle.get("id", f"bundle-{record.sha256[:16]}")),
                source="stix: bundle",
                text=f"identifiers in STIX bundle {bundle.get('id', '')}".strip(),
                received_at=None,
                identifiers=loose,
            )
        )
    report_rows = store_counted(session, org, natives, result)
    for o in objects:
        key = (o["id"], str(o.get("modified", "")))
        if key in have:
            result.duplicates += 1
            continue
        have.add(key)
        row = report_rows.get(o["id"])
        session.add(
            ForeignObject(
                format="stix",
                object_id=o["id"],
                object_type=o["type"],
                version=key[1],
                producer=names.get(str(o.get("created_by_ref")))
                or (names.get(o["id"]) if o["type"] == "identity" else None),
                tlp=level_of(list(o.get("object_marking_refs") or [])),
                org_id=org.id,
                import_id=record.id,
                report_id=row.id if row is not None else None,
                body=o,
            )
        )
        result.new_objects += 1
    return close_import(session, org, record, result)

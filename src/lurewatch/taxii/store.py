"""Collections, rights and objects of the TAXII server, on the lurewatch store.

Writes are all-or-nothing: an envelope is checked whole before anything is written (a bad
object refuses the envelope with every reason listed), then its new object versions go in one
transaction with one multi-row INSERT. Versions already in the collection count as successes,
so re-sending an envelope (a retried POST, a re-run pull) changes nothing.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, insert, or_, select, update
from sqlalchemy.orm import Session

from lurewatch.sharing.tables import SharingGroup, SharingGroupMember
from lurewatch.store.access import Viewer
from lurewatch.store.schema import Organisation
from lurewatch.taxii.media import STIX_MEDIA, TaxiiError, aware, parse_stamp, stamp
from lurewatch.taxii.tables import TaxiiCollection, TaxiiObject, TaxiiStatus

MAX_OBJECTS = 10_000
"""Objects per envelope (the body limit usually binds first)."""
PAGE_DEFAULT = 1000
PAGE_MAX = 5000
_ID = re.compile(
    r"^([a-z0-9][a-z0-9-]{1,248}[a-z0-9])--"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
_TIMESTAMPED_SCO_FREE = frozenset({"marking-definition"})


@dataclass(frozen=True)
class Rights:
    can_read: bool
    can_write: bool


def rights(session: Session, viewer: Viewer, coll: TaxiiCollection) -> Rights:
    """What `viewer` may do with `coll`: admins everything; reporters nothing; analysts and
    partners what their organisation is given (membership of the collection's sharing group,
    or the collection's reader/writer lists)."""
    if viewer.role == "admin":
        return Rights(True, True)
    if not viewer.can("read_shared"):
        return Rights(False, False)
    if coll.group_id is not None:
        member = session.scalar(
            select(
                exists().where(
                    SharingGroupMember.group_id == coll.group_id,
                    SharingGroupMember.org_id == viewer.org_id,
                )
            )
        )
        return Rights(bool(member), bool(member))
    org = session.get(Organisation, viewer.org_id)
    name = org.name if org else ""
    return Rights(
        "*" in coll.readers or name in coll.readers, "*" in coll.writers or name in coll.writers
    )


def sync_group_collections(session: Session) -> None:
    """Give every sharing group its collection (groups are created by the sharing commands)."""
    have = set(session.scalars(select(TaxiiCollection.group_id)))
    for g in session.scalars(select(SharingGroup)):
        if g.id not in have:
            session.add(
                TaxiiCollection(
                    id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"lurewatch:taxii:group:{g.name}")),
                    alias=f"group-{g.name}"[:100],
                    title=f"Sharing group {g.name}",
                    description=g.description or f"What this instance shares with {g.name}.",
                    group_id=g.id,
                )
            )
    session.commit()


def create_collection(
    session: Session,
    title: str,
    *,
    alias: str | None = None,
    description: str | None = None,
    readers: Sequence[str] = (),
    writers: Sequence[str] = (),
) -> TaxiiCollection:
    coll = TaxiiCollection(
        id=str(uuid.uuid4()),
        alias=alias,
        title=title,
        description=description,
        readers=list(readers),
        writers=list(writers),
    )
    session.add(coll)
    session.commit()
    return coll


def find_collection(session: Session, ref: str) -> TaxiiCollection | None:
    """A collection by id or alias."""
    return session.get(TaxiiCollection, ref) or session.scalar(
        select(TaxiiCollection).where(TaxiiCollection.alias == ref)
    )


def collection_resource(coll: TaxiiCollection, r: Rights) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": coll.id,
        "title": coll.title,
        "can_read": r.can_read,
        "can_write": r.can_write,
        "media_types": [STIX_MEDIA],
    }
    if coll.description:
        out["description"] = coll.description
    if coll.alias:
        out["alias"] = coll.alias
    return out


# --- adding objects ---------------------------------------------------------------------------


@dataclass
class Checked:
    object_id: str
    type: str
    spec_version: str
    version: str | None
    version_at: datetime | None
    body: dict[str, Any]


def _check_object(obj: Any, deep: bool) -> Checked:
    """The object's key fields, or ValueError with the reason it cannot go in."""
    if not isinstance(obj, dict):
        raise ValueError("an object must be a JSON object")
    oid, otype = obj.get("id"), obj.get("type")
    if not isinstance(otype, str) or not isinstance(oid, str):
        raise ValueError("an object needs string 'type' and 'id' properties")
    m = _ID.match(oid)
    if m is None or m.group(1) != otype:
        raise ValueError(f"id {oid[:140]!r} is not '{otype[:100]}--<UUID>'")
    spec = obj.get("spec_version", "2.1")
    if spec != "2.1":
        raise ValueError(f"spec_version {str(spec)[:20]!r} is not supported (2.1 only)")
    version: str | None = None
    version_at: datetime | None = None
    for prop in ("modified", "created"):
        raw = obj.get(prop)
        if raw is not None:
            if not isinstance(raw, str) or len(raw) > 40:
                raise ValueError(f"'{prop}' must be a timestamp string")
            try:
                version_at = parse_stamp(raw, prop)
            except TaxiiError as exc:
                raise ValueError(exc.description or exc.title) from None
            version = raw
            break
    if deep:
        import stix2  # type: ignore[import-untyped]
        import stix2.exceptions  # type: ignore[import-untyped]

        try:
            stix2.parse(obj, allow_custom=True)
        except (stix2.exceptions.STIXError, ValueError) as exc:
            raise ValueError(str(exc)[:500]) from None
    return Checked(oid, otype, "2.1", version, version_at, obj)


def check_envelope(envelope: Any, *, deep: bool = True) -> list[Checked]:
    """Every object of a TAXII envelope, checked; TaxiiError listing all failures otherwise."""
    if not isinstance(envelope, dict):
        raise TaxiiError(400, "Bad envelope", "The body must be a JSON object (an envelope).")
    objects = envelope.get("objects")
    if not isinstance(objects, list) or not objects:
        raise TaxiiError(400, "Bad envelope", "The envelope needs a non-empty 'objects' list.")
    if len(objects) > MAX_OBJECTS:
        raise TaxiiError(413, "Too many objects", f"At most {MAX_OBJECTS} objects in one envelope.")
    checked: list[Checked] = []
    failures: list[dict[str, Any]] = []
    for i, obj in enumerate(objects):
        try:
            checked.append(_check_object(obj, deep))
        except ValueError as exc:
            oid = obj.get("id") if isinstance(obj, dict) else None
            failures.append(
                {"index": i, "id": oid if isinstance(oid, str) else None, "message": str(exc)}
            )
    if failures:
        raise TaxiiError(
            422,
            "Invalid objects",
            f"{len(failures)} of {len(objects)} object(s) are not valid STIX 2.1; "
            "nothing was added.",
            details={"failures": failures[:100]},
        )
    return checked


def _first_last(versions: Iterable[tuple[Any, datetime]]) -> tuple[set[Any], set[Any]]:
    items = sorted(versions, key=lambda kv: kv[1])
    return ({items[0][0]}, {items[-1][0]}) if items else (set(), set())


def add_objects(
    session: Session, coll: TaxiiCollection, checked: Sequence[Checked], origin: str = "posted"
) -> list[dict[str, Any]]:
    """Add checked objects (one transaction); returns the status `successes` entries."""
    # Take the collection's write lock first (a row lock on PostgreSQL, the database write
    # lock on SQLite), so concurrent writers get strictly increasing date_added values.
    session.execute(
        update(TaxiiCollection).where(TaxiiCollection.id == coll.id).values(title=coll.title)
    )
    last = session.scalar(
        select(TaxiiObject.date_added)
        .where(TaxiiObject.collection_id == coll.id)
        .order_by(TaxiiObject.date_added.desc())
        .limit(1)
    )
    now = datetime.now(UTC)
    base = max(now, aware(last) + timedelta(microseconds=1)) if last else now
    ids = sorted({c.object_id for c in checked})
    existing: dict[str, list[tuple[int, datetime, str, bool, bool]]] = {}
    for i in range(0, len(ids), 500):
        rows = session.execute(
            select(
                TaxiiObject.object_id,
                TaxiiObject.id,
                TaxiiObject.version_at,
                TaxiiObject.version,
                TaxiiObject.is_first,
                TaxiiObject.is_last,
            ).where(
                TaxiiObject.collection_id == coll.id, TaxiiObject.object_id.in_(ids[i : i + 500])
            )
        )
        for oid, rid, vat, ver, first, last_flag in rows:
            existing.setdefault(oid, []).append((rid, aware(vat), ver, first, last_flag))
    successes: list[dict[str, Any]] = []
    new: dict[tuple[str, str], dict[str, Any]] = {}
    n = 0
    for c in checked:
        added = base + timedelta(microseconds=n)
        version = c.version or stamp(added)
        version_at = c.version_at or added
        key = (c.object_id, version)
        known = {v for _, _, v, _, _ in existing.get(c.object_id, [])}
        # An object without timestamps (a cyber-observable) has a content-derived id: the
        # same id again is the same object, not a new version.
        unversioned_dup = c.version is None and (known or any(oid == c.object_id for oid, _ in new))
        if key in new or version in known or unversioned_dup:
            successes.append(
                {"id": c.object_id, "version": version, "message": "already in the collection"}
            )
            continue
        n += 1
        new[key] = {
            "collection_id": coll.id,
            "object_id": c.object_id,
            "type": c.type,
            "spec_version": c.spec_version,
            "version": version,
            "version_at": version_at,
            "date_added": added,
            "is_first": True,
            "is_last": True,
            "media_type": STIX_MEDIA,
            "origin": origin,
            "body": c.body,
        }
        successes.append({"id": c.object_id, "version": version, "message": "added"})
    # first/last flags over old and new versions of each touched object
    by_object: dict[str, list[tuple[Any, datetime]]] = {}
    for (oid, ver), row in new.items():
        by_object.setdefault(oid, []).append((("new", ver), row["version_at"]))
    for oid, versions in by_object.items():
        old = existing.get(oid, [])
        if len(versions) == 1 and not old:
            continue
        firsts, lasts = _first_last(versions + [(("old", rid), vat) for rid, vat, *_ in old])
        for key, _ in versions:
            row = new[(oid, key[1])]
            row["is_first"], row["is_last"] = key in firsts, key in lasts
        for rid, _, _, was_first, was_last in old:
            first, last_now = ("old", rid) in firsts, ("old", rid) in lasts
            if (first, last_now) != (was_first, was_last):
                session.execute(
                    update(TaxiiObject)
                    .where(TaxiiObject.id == rid)
                    .values(is_first=first, is_last=last_now)
                )
    if new:
        session.execute(insert(TaxiiObject), list(new.values()))
    return successes


def record_status(
    session: Session, viewer: Viewer, coll: TaxiiCollection, successes: list[dict[str, Any]]
) -> TaxiiStatus:
    status = TaxiiStatus(
        id=str(uuid.uuid4()),
        org_id=viewer.org_id,
        collection_id=coll.id,
        status="complete",
        total_count=len(successes),
        success_count=len(successes),
        failure_count=0,
        pending_count=0,
        successes=successes,
        failures=[],
    )
    session.add(status)
    return status


def status_resource(status: TaxiiStatus) -> dict[str, Any]:
    return {
        "id": status.id,
        "status": status.status,
        "request_timestamp": stamp(status.request_timestamp),
        "total_count": status.total_count,
        "success_count": status.success_count,
        "successes": status.successes,
        "failure_count": status.failure_count,
        "failures": status.failures,
        "pending_count": status.pending_count,
        "pendings": [],
    }


# --- reading ----------------------------------------------------------------------------------


@dataclass
class Filters:
    added_after: datetime | None = None
    ids: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=lambda: ["last"])
    spec_versions: list[str] = field(default_factory=list)
    limit: int = PAGE_DEFAULT
    after: tuple[datetime, int] | None = None


def _version_condition(versions: list[str]) -> ColumnElement[bool] | None:
    if "all" in versions:
        return None
    conds: list[ColumnElement[bool]] = []
    stamps: list[datetime] = []
    for v in versions:
        if v == "last":
            conds.append(TaxiiObject.is_last.is_(True))
        elif v == "first":
            conds.append(TaxiiObject.is_first.is_(True))
        else:
            stamps.append(parse_stamp(v, "match[version]"))
    if stamps:
        conds.append(TaxiiObject.version_at.in_(stamps))
    return or_(*conds)


def query(
    session: Session, coll_id: str, f: Filters, object_id: str | None = None
) -> tuple[list[TaxiiObject], bool]:
    """A page of object versions in date_added order, and whether more follow."""
    q = select(TaxiiObject).where(TaxiiObject.collection_id == coll_id)
    if object_id is not None:
        q = q.where(TaxiiObject.object_id == object_id)
    if f.added_after is not None:
        q = q.where(TaxiiObject.date_added > f.added_after)
    if f.ids:
        q = q.where(TaxiiObject.object_id.in_(f.ids))
    if f.types:
        q = q.where(TaxiiObject.type.in_(f.types))
    if f.spec_versions:
        q = q.where(TaxiiObject.spec_version.in_(f.spec_versions))
    cond = _version_condition(f.versions)
    if cond is not None:
        q = q.where(cond)
    if f.after is not None:
        when, rid = f.after
        q = q.where(
            or_(
                TaxiiObject.date_added > when,
                and_(TaxiiObject.date_added == when, TaxiiObject.id > rid),
            )
        )
    rows = list(
        session.scalars(q.order_by(TaxiiObject.date_added, TaxiiObject.id).limit(f.limit + 1))
    )
    return rows[: f.limit], len(rows) > f.limit


def object_exists(session: Session, coll_id: str, object_id: str) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    TaxiiObject.collection_id == coll_id, TaxiiObject.object_id == object_id
                )
            )
        )
    )


def delete_versions(session: Session, coll_id: str, object_id: str, f: Filters) -> int:
    """Delete the matching versions of one object; first/last flags of the rest are redone."""
    rows, _ = query(
        session,
        coll_id,
        Filters(versions=f.versions, spec_versions=f.spec_versions, limit=1_000_000),
        object_id,
    )
    for row in rows:
        session.delete(row)
    session.flush()
    rest = list(
        session.scalars(
            select(TaxiiObject).where(
                TaxiiObject.collection_id == coll_id, TaxiiObject.object_id == object_id
            )
        )
    )
    firsts, lasts = _first_last((r.id, aware(r.version_at)) for r in rest)
    for r in rest:
        r.is_first, r.is_last = r.id in firsts, r.id in lasts
    return len(rows)

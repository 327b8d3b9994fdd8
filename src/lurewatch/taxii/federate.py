"""Publishing the store into collections, and pulling a partner's collection into the store.

Publish: the sharing exporter (`lurewatch.sharing.stix.export_objects`) decides what a sharing
group may receive (redaction, TLP, personal data never leaves); its objects go into the group's
collection, and what this instance published before but the exporter no longer sends is
withdrawn. Ids and timestamps are deterministic, so publishing an unchanged store adds nothing.

Pull: the official `taxii2-client` pages through a remote collection (all versions), first its
manifest (to learn the newest `date_added`), then its objects. The objects go into a local
mirror collection and into the store through the sharing importer, in one transaction: a
malformed object or a refused bundle leaves everything as it was. The next pull asks only for
what was added after the newest `date_added` seen; objects seen twice are no-ops, so a pull is
idempotent.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lurewatch.sharing.errors import SharingError
from lurewatch.sharing.tables import SharingGroup
from lurewatch.taxii import store
from lurewatch.taxii.media import TaxiiError
from lurewatch.taxii.tables import TaxiiCollection, TaxiiObject, TaxiiPull

PAGE = 1000


class PullError(RuntimeError):
    """The remote server or its content could not be pulled; nothing was stored."""


def publish(session: Session, coll: TaxiiCollection) -> tuple[int, int, int]:
    """Bring the collection in line with what its audience may receive now: add new objects
    and versions, and withdraw every object this instance published that the exporter no
    longer sends (its report was redacted or unshared). Partners' objects are left alone.
    Returns (objects exported, versions added, objects withdrawn)."""
    from lurewatch.sharing.stix import export_objects

    audience = session.get(SharingGroup, coll.group_id) if coll.group_id is not None else None
    objects = export_objects(session, audience)
    added = 0
    if objects:
        checked = store.check_envelope({"objects": objects}, deep=False)
        successes = store.add_objects(session, coll, checked, origin="published")
        added = sum(1 for s in successes if s["message"] == "added")
    current = {o["id"] for o in objects}
    stale = [
        oid
        for oid in set(
            session.scalars(
                select(TaxiiObject.object_id).where(
                    TaxiiObject.collection_id == coll.id, TaxiiObject.origin == "published"
                )
            )
        )
        if oid not in current
    ]
    for i in range(0, len(stale), 500):
        session.execute(
            delete(TaxiiObject).where(
                TaxiiObject.collection_id == coll.id,
                TaxiiObject.origin == "published",
                TaxiiObject.object_id.in_(stale[i : i + 500]),
            )
        )
    session.commit()
    return len(objects), added, len(stale)


@dataclass
class PullResult:
    collection: str
    fetched: int
    added: int
    imported: dict[str, Any] | None
    last_added: str | None


def _remote_collection(api_root: str, ref: str, auth: dict[str, Any]) -> Any:
    from taxii2client.exceptions import TAXIIServiceException  # type: ignore[import-untyped]
    from taxii2client.v21 import ApiRoot, Server  # type: ignore[import-untyped]

    try:
        root = ApiRoot(api_root, **auth)
        root.refresh()
    except Exception:  # the URL may be the discovery endpoint rather than an API root
        try:
            server = Server(api_root, **auth)
            root = server.default or server.api_roots[0]
            root.refresh()
        except (TAXIIServiceException, IndexError, ValueError, OSError) as exc:
            raise PullError(
                f"{api_root}: not a TAXII 2.1 API root or discovery URL ({exc})"
            ) from None
        except Exception as exc:
            raise PullError(f"{api_root}: {exc}") from None
    for coll in root.collections:
        if ref in (coll.id, coll.alias):
            if not coll.can_read:
                raise PullError(f"the key may not read collection {ref!r}")
            return root.url, coll
    raise PullError(f"no collection {ref!r} visible to this key at {root.url}")


def _mirror(session: Session, api_root: str, remote: Any) -> TaxiiCollection:
    tag = hashlib.sha256(f"{api_root}|{remote.id}".encode()).hexdigest()[:10]
    alias = f"pulled-{tag}"
    coll = store.find_collection(session, alias)
    if coll is None:
        host = urlsplit(api_root).netloc
        coll = TaxiiCollection(
            id=str(uuid.uuid4()),
            alias=alias,
            title=f"Pulled from {host}: {remote.title}"[:200],
            description=f"Mirror of {api_root}collections/{remote.id}/ (readable by admins).",
            readers=[],
            writers=[],
        )
        session.add(coll)
        session.flush()
    return coll


def pull(
    session: Session,
    api_root: str,
    collection: str,
    *,
    org: str,
    user: str | None = None,
    password: str | None = None,
    verify: bool = True,
) -> PullResult:
    """Pull new objects of a remote collection into a mirror collection and the store."""
    from lurewatch.sharing.stix import bundle_of, import_bundle

    auth = {"user": user or "lurewatch", "password": password, "verify": verify}
    root_url, remote = _remote_collection(api_root, collection, auth)
    state = session.scalar(
        select(TaxiiPull).where(
            TaxiiPull.api_root == root_url, TaxiiPull.remote_collection == remote.id
        )
    )
    since = {"added_after": state.last_added} if state and state.last_added else {}
    try:
        from taxii2client.v21 import as_pages

        newest = state.last_added if state else None
        for page in as_pages(remote.get_manifest, per_request=PAGE, version="all", **since):
            for entry in page.get("objects", []):
                if newest is None or entry["date_added"] > newest:
                    newest = entry["date_added"]
        objects: list[dict[str, Any]] = []
        for page in as_pages(remote.get_objects, per_request=PAGE, version="all", **since):
            objects.extend(page.get("objects", []))
    except PullError:
        raise
    except Exception as exc:
        raise PullError(f"pulling {remote.url}: {exc}") from None
    mirror = _mirror(session, root_url, remote)
    if state is None:
        state = TaxiiPull(
            api_root=root_url, remote_collection=remote.id, local_collection_id=mirror.id
        )
        session.add(state)
    state.last_added, state.pulled_at = newest, datetime.now(UTC)
    added, imported = 0, None
    if objects:
        try:
            checked = store.check_envelope({"objects": objects})
        except TaxiiError as exc:
            session.rollback()
            raise PullError(f"{remote.url}: {exc.description} {exc.details or ''}") from None
        successes = store.add_objects(session, mirror, checked, origin="pulled")
        added = sum(1 for s in successes if s["message"] == "added")
        state.objects += added
        try:  # commits the mirror, the pull state and the import together
            result = import_bundle(session, bundle_of(objects), org, source=remote.url)
        except SharingError as exc:
            session.rollback()
            raise PullError(f"{remote.url}: the store refused the objects: {exc}") from None
        imported = result.to_dict()
    else:
        session.commit()
    return PullResult(mirror.id, len(objects), added, imported, newest)

"""User-imported known-bad lists, versioned in the intelligence store.

`lurewatch lists update FILE...` must work without a release and be reversible, so every
update is a NEW `ListVersion` row (numbered 1, 2, ...; earlier versions stay). A version's
manifest names every list in force: the files imported now (name, source, format, entry count,
SHA-256) and the lists carried over from the previous version, which point at the version whose
`ListEntry` rows hold them instead of being copied. A list imported under the name of an earlier
one replaces it from this version on.

Every file is read and normalized BEFORE the database is touched, and the version with all its
entries is written in one transaction: a bad file, or a crash halfway, imports nothing.

This replaces the earlier directory-per-version layout (`<data dir>/lists/versions/NNNNNN`);
`import_legacy_dir` moves such a directory's current version into the store once.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.domains.listfiles import ListFormatError, detect_format, read_list
from lurewatch.domains.lists import normalize_entry
from lurewatch.store.schema import ListEntry, ListVersion, Organisation

SCHEMA = "lurewatch.lists/2"
INSERT_CHUNK = 10_000
MAX_NAME_CHARS = 80

EntryRow = tuple[str, str, str, str | None, bool]
"""(list name, host, path, since, allow)"""


class ListStoreError(ValueError):
    """An update that cannot be done as asked (unknown organisation, lost a numbering race)."""


@dataclass(frozen=True)
class PreparedList:
    """One file read and normalized, not yet stored."""

    name: str
    source: Path
    format: str
    sha256: str
    rows: list[tuple[str, str, str | None, bool]]
    """(host, path, since, allow)"""


@dataclass(frozen=True)
class VersionInfo:
    number: int
    created_at: datetime
    created_by: str | None
    org: str | None
    manifest: dict[str, Any]


def data_dir() -> Path:
    """`LUREWATCH_DATA_DIR`, else the platform's user data directory for lurewatch."""
    env = os.environ.get("LUREWATCH_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir("lurewatch", appauthor=False))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _safe_name(name: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
    return keep.strip("_")[:MAX_NAME_CHARS] or "list"


def prepare(path: Path, name: str | None = None, today: str | None = None) -> PreparedList:
    """Read one list file; raises `ListFormatError` (also for unreadable files)."""
    today = today or datetime.now(UTC).date().isoformat()
    rows: list[tuple[str, str, str | None, bool]] = []
    for raw in read_list(path):
        norm = normalize_entry(raw.entry)
        if norm is not None:
            rows.append((norm[0], norm[1], raw.since or today, raw.allow))
    try:
        digest = _sha256(path)
    except OSError as exc:
        raise ListFormatError(f"{path}: cannot read ({exc.strerror})") from exc
    return PreparedList(_safe_name(name or path.stem), path, detect_format(path), digest, rows)


def _latest(session: Session) -> ListVersion | None:
    return session.scalar(select(ListVersion).order_by(ListVersion.number.desc()).limit(1))


def _info(session: Session, v: ListVersion) -> VersionInfo:
    org = session.get(Organisation, v.org_id) if v.org_id is not None else None
    return VersionInfo(v.number, v.created_at, v.created_by, org.name if org else None, v.manifest)


def store_version(
    sessions: sessionmaker[Session],
    lists: Sequence[PreparedList],
    *,
    created_by: str | None = None,
    org: str | None = None,
    note: str | None = None,
) -> VersionInfo:
    """Write `lists` as the next version, in one transaction (all or nothing)."""
    now = datetime.now(UTC).replace(microsecond=0)
    with sessions.begin() as s:
        org_id = None
        if org is not None:
            org_id = s.scalar(select(Organisation.id).where(Organisation.name == org))
            if org_id is None:
                raise ListStoreError(f"no organisation named {org!r} in the store")
        previous = _latest(s)
        number = previous.number + 1 if previous else 1
        new_names = {p.name for p in lists}
        files: list[dict[str, Any]] = [
            meta
            for meta in (previous.manifest.get("files", []) if previous else [])
            if meta["name"] not in new_names
        ]
        for p in lists:
            files.append(
                {
                    "name": p.name,
                    "file": p.source.name,
                    "source": str(p.source.resolve()),
                    "format": p.format,
                    "sha256": p.sha256,
                    "entries": len(p.rows),
                    "imported_at": now.isoformat(),
                    "version": number,
                }
            )
        manifest: dict[str, Any] = {
            "schema": SCHEMA,
            "parent": previous.number if previous else None,
            "files": files,
        }
        if note:
            manifest["note"] = note
        version = ListVersion(
            number=number, created_at=now, created_by=created_by, org_id=org_id, manifest=manifest
        )
        s.add(version)
        s.flush()  # a racing update taking the same number fails here (unique number)
        for p in lists:
            for i in range(0, len(p.rows), INSERT_CHUNK):
                chunk = p.rows[i : i + INSERT_CHUNK]
                s.execute(
                    insert(ListEntry),
                    [
                        {
                            "version_id": version.id,
                            "list_name": p.name,
                            "host": host,
                            "path": path,
                            "since": since,
                            "allow": allow,
                        }
                        for host, path, since, allow in chunk
                    ],
                )
        return _info(s, version)


def update(
    sessions: sessionmaker[Session],
    paths: Sequence[Path],
    *,
    created_by: str | None = None,
    org: str | None = None,
) -> VersionInfo:
    """Import `paths` as a new version; raises `ListFormatError` before any change."""
    import_legacy_dir(sessions)
    today = datetime.now(UTC).date().isoformat()
    prepared = [prepare(p, today=today) for p in paths]
    return store_version(sessions, prepared, created_by=created_by, org=org)


def versions(sessions: sessionmaker[Session]) -> list[VersionInfo]:
    """Every list version, oldest first."""
    with sessions() as s:
        return [_info(s, v) for v in s.scalars(select(ListVersion).order_by(ListVersion.number))]


def latest_entries(session: Session) -> tuple[int | None, Iterator[EntryRow]]:
    """The newest version's number and the entries of every list in force at it."""
    latest = _latest(session)
    if latest is None:
        return None, iter(())
    pairs = [(int(f["version"]), str(f["name"])) for f in latest.manifest.get("files", [])]

    def rows() -> Iterator[EntryRow]:
        for number, name in pairs:
            stmt = (
                select(ListEntry.list_name, ListEntry.host, ListEntry.path, ListEntry.since)
                .add_columns(ListEntry.allow)
                .join(ListVersion, ListVersion.id == ListEntry.version_id)
                .where(ListVersion.number == number, ListEntry.list_name == name)
                .execution_options(yield_per=INSERT_CHUNK)
            )
            for r in session.execute(stmt):
                yield r[0], r[1], r[2], r[3], bool(r[4])

    return latest.number, rows()


def current_user() -> str | None:
    """The OS account running the CLI, recorded as who made a version (None when unknown)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None


def import_legacy_dir(sessions: sessionmaker[Session], root: Path | None = None) -> int | None:
    """Move the current version of the old `<data dir>/lists` layout into an empty store, once.

    Returns the new version number, or None when there was nothing to move (no legacy
    directory, or the store already has versions). The directory is left as it was.
    """
    base = (root or data_dir()) / "lists"
    try:
        number = int((base / "CURRENT").read_text().strip())
        folder = base / "versions" / f"{number:06d}"
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    with sessions() as s:
        if _latest(s) is not None:
            return None
    prepared = [prepare(folder / f["file"], name=f["name"]) for f in manifest.get("files", [])]
    info = store_version(sessions, prepared, note=f"imported from {folder}")
    return info.number

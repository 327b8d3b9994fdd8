"""User-imported lists, versioned under the user data directory.

`lurewatch lists update FILE...` must work without a release and be reversible, so every
update writes a NEW version directory (previous lists carried over, new ones added or
replacing a list of the same name) and then moves the `CURRENT` pointer atomically. Each
version has a `manifest.json` (schema `lurewatch.lists/1`) recording, per list, its source
path, SHA-256, format, entry count and import time: the metadata the project's store will take
over when it exists. Imports are normalized to one CSV shape (`domain,first_seen,list`) that
`listfiles.read_list` reads like any shared list.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from lurewatch.domains.listfiles import detect_format, read_list
from lurewatch.domains.lists import normalize_entry

SCHEMA = "lurewatch.lists/1"


def data_dir() -> Path:
    """`LUREWATCH_DATA_DIR`, else the platform's user data directory for lurewatch."""
    env = os.environ.get("LUREWATCH_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir("lurewatch", appauthor=False))


def lists_root(root: Path | None = None) -> Path:
    return (root or data_dir()) / "lists"


@dataclass(frozen=True)
class ListVersion:
    number: int
    path: Path
    manifest: dict[str, Any]

    def files(self) -> list[Path]:
        return [self.path / f["file"] for f in self.manifest.get("files", [])]


def current_version(root: Path | None = None) -> ListVersion | None:
    """The version `CURRENT` points to, or None when nothing was imported yet."""
    base = lists_root(root)
    try:
        number = int((base / "CURRENT").read_text().strip())
        manifest = json.loads((base / "versions" / f"{number:06d}" / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    return ListVersion(number, base / "versions" / f"{number:06d}", manifest)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _safe_name(name: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
    return keep.strip("_")[:80] or "list"


def update(paths: Sequence[Path], root: Path | None = None) -> ListVersion:
    """Import `paths` as a new version; raises `ListFormatError`/`OSError` before any change."""
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    today = now[:10]
    prepared: list[tuple[str, Path, list[tuple[str, str, str]]]] = []
    for path in paths:
        rows: list[tuple[str, str, str]] = []
        for raw in read_list(path):
            norm = normalize_entry(raw.entry)
            if norm is not None:
                rows.append(("".join(norm), raw.since or today, "allow" if raw.allow else "deny"))
        prepared.append((_safe_name(path.stem), path, rows))
    base = lists_root(root)
    previous = current_version(root)
    number = (previous.number + 1) if previous else 1
    target = base / "versions" / f"{number:06d}"
    tmp = base / "versions" / f".{number:06d}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    new_names = {name for name, _, _ in prepared}
    files: list[dict[str, Any]] = []
    if previous:
        for meta in previous.manifest.get("files", []):
            if meta["name"] not in new_names:
                shutil.copy2(previous.path / meta["file"], tmp / meta["file"])
                files.append(meta)
    for name, source, rows in prepared:
        out = tmp / f"{name}.csv"
        with out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["domain", "first_seen", "list"])
            writer.writerows(rows)
        files.append(
            {
                "name": name,
                "file": out.name,
                "source": str(source.resolve()),
                "source_sha256": _sha256(source),
                "format": detect_format(source),
                "entries": len(rows),
                "imported_at": now,
            }
        )
    manifest = {
        "schema": SCHEMA,
        "version": number,
        "parent": previous.number if previous else None,
        "created": now,
        "files": files,
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    tmp.rename(target)
    pointer = base / "CURRENT.tmp"
    pointer.write_text(f"{number}\n")
    os.replace(pointer, base / "CURRENT")
    return ListVersion(number, target, manifest)

"""A set of prefilter pieces compiled ahead of time by Hyperscan, cached on disk.

Why: RE2 builds its DFA lazily, and on traffic it has not seen every message needs new
states: ~60-90 us per message over the signal sets however long the warm-up (measured on
corpus texts, also with an 8x larger memory budget). Hyperscan compiles the whole automaton
once (also linear-time, no backtracking) and then scans a message in a few microseconds:
the signal stage of batch screening went from ~84 to ~33 us per unseen corpus message.

Its syntax and RE2's agree on what the packs use once both are told the same: UTF-8,
case-insensitive with Unicode case folding, ASCII `\\w \\d \\s \\b` (RE2's only kind,
Hyperscan's without its UCP flag), `.` not matching a newline. `Prefilter` keeps any piece
Hyperscan rejects in an RE2 set, and tests/signals/test_prefilter_hyperscan.py compares the
two engines' candidates on every pack example, the screening fixtures and corpus texts.

Compiling the built-in packs takes ~25 s, so each compiled database is written to the user
cache directory (`LUREWATCH_CACHE_DIR` overrides it), named by a hash of the Hyperscan
version, the flags and the pieces, and loaded from there next time (milliseconds). A file
that does not load (another CPU, another version, damaged) is compiled again and replaced.
Only the most recently used `KEEP_FILES` databases are kept (`prune`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import cast

import hyperscan
import platformdirs

HyperscanError = hyperscan.error

KEEP_FILES = 24
"""Compiled databases kept in the cache directory (the built-in packs and extraction use a
handful; custom packs and versions add more)."""


def cache_dir() -> Path:
    env = os.environ.get("LUREWATCH_CACHE_DIR")
    base = Path(env) if env else Path(platformdirs.user_cache_dir("lurewatch", appauthor=False))
    return base / "hyperscan"


def _flags(case_sensitive: bool) -> int:
    flags: int = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SINGLEMATCH
    if not case_sensitive:
        flags |= hyperscan.HS_FLAG_CASELESS
    return flags


def _compile(pieces: Sequence[str], flags: int) -> hyperscan.Database:
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(
        expressions=[p.encode("utf-8") for p in pieces],
        ids=list(range(len(pieces))),
        elements=len(pieces),
        flags=flags,
    )
    return db


def _cached(pieces: Sequence[str], flags: int) -> hyperscan.Database:
    key = json.dumps([version("hyperscan"), flags, list(pieces)], ensure_ascii=False)
    path = cache_dir() / (hashlib.sha256(key.encode("utf-8")).hexdigest() + ".hsdb")
    try:
        db = hyperscan.loadb(path.read_bytes(), mode=hyperscan.HS_MODE_BLOCK)
        with contextlib.suppress(OSError):
            os.utime(path)  # last use, for `prune`
        return db
    except (OSError, HyperscanError):
        pass
    db = _compile(pieces, flags)
    try:  # written whole or not at all: a temporary file renamed over the target
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(hyperscan.dumpb(db))
        os.replace(tmp, path)
        prune(path.parent)
    except OSError:
        pass  # no writable cache: compile again next time
    return db


def prune(directory: Path, keep: int = KEEP_FILES) -> int:
    """Delete all but the `keep` most recently used databases; return how many went.

    Why: a file is named by its patterns, so every upgrade or edited signal pack leaves the
    old one behind (47 files, 37 MB after one day of development here). Loading touches a
    file, so the ones in use stay; one pruned by mistake is only compiled again."""
    files = sorted(directory.glob("*.hsdb"), key=_mtime, reverse=True)
    gone = 0
    for old in files[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
            gone += 1
    return gone


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


class HyperscanSet:
    """`Match(data)` lists the indices of the pieces that occur in the UTF-8 `data`, like
    RE2's `Set.Match`. Scratch space is per thread: a Hyperscan scratch must not be used by
    two scans at once."""

    def __init__(self, pieces: Sequence[str], case_sensitive: bool, cache: bool = True) -> None:
        flags = _flags(case_sensitive)
        self._db = _cached(pieces, flags) if cache else _compile(pieces, flags)
        self._local = threading.local()

    @staticmethod
    def compiles(piece: str, case_sensitive: bool) -> bool:
        """Whether Hyperscan accepts `piece` (with the flags sets are compiled with)."""
        try:
            _compile([piece], _flags(case_sensitive))
        except HyperscanError:
            return False
        return True

    def Match(self, data: bytes) -> list[int]:  # the shape of RE2's Set.Match
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        found: list[int] = []
        self._db.scan(data, match_event_handler=_collect, context=found, scratch=scratch)
        return found


def _collect(pid: int, _start: int, _end: int, _flags: int, found: object) -> None:
    cast("list[int]", found).append(pid)

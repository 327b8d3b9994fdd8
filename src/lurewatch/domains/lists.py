"""Known-bad lookup: every listed domain and URL in one hash table.

A dict from host to an interned tuple of (list, since) records. A lookup walks the host's
parent domains (`a.b.evil.xyz`, `b.evil.xyz`, `evil.xyz`): a handful of dict probes, which is
why it runs at hundreds of thousands of lookups per second without a PSL call. Entries with a
path (`bit.ly/abc`) only match that URL, so a shortener is never listed as a whole.
Allow entries (polkadot-js allow, MetaMask whitelist) stop the walk.

The lists are NOT shipped with the package (some are GPL-3.0); they are read at run time from
`LUREWATCH_LISTS_DIR` or `../shared/data/indicators` next to the repository, plus the user's
versioned imports (see `store.py`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from lurewatch import hosts
from lurewatch.domains.catalogue import default_catalogue
from lurewatch.domains.listfiles import ListFormatError, RawEntry, read_list
from lurewatch.domains.models import ListHit
from lurewatch.text.deobfuscate import refang
from lurewatch.text.offsets import OffsetMap

Record = tuple[str, str | None]
"""(list name, since)"""

_SKIP_FILES = ("popular", "address", "sender")
"""Shared files that are not lists of bad sites (benign popularity list, wallets, phones)."""


_SPECIAL = re.compile(r"[/:@?#\s]")
_PATH_START = re.compile(r"[/?#]")


def _split(value: str) -> tuple[str, str]:
    """(host, path) of a URL or host, lower-cased host, without scheme, port, credentials, www."""
    if value.isascii() and _SPECIAL.search(value) is None:
        host = value.lower().rstrip(".")  # fast path: a bare host, the common case
        return (host[4:] if host.startswith("www.") else host), ""
    s = value.strip()
    i = s.find("://", 0, 16)
    if i >= 0:
        s = s[i + 3 :]
    m = _PATH_START.search(s)
    cut = m.start() if m is not None else len(s)
    host, path = s[:cut].lower(), s[cut:]
    if "@" in host:
        host = host.rpartition("@")[2]
    if ":" in host:
        host = host.partition(":")[0]
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if not host.isascii():
        host = hosts.to_ascii(host) or ""
    if len(path) == 1:
        path = ""
    return host, path


def normalize_entry(entry: str) -> tuple[str, str] | None:
    """(host, path) for a list entry, or None when it is not a usable domain or URL."""
    if any(h in entry for h in ("[", "(", "hxxp")):
        entry = OffsetMap(len(entry)).apply(entry, refang(entry))
    if entry.startswith("*."):
        entry = entry[2:]
    host, path = _split(entry)
    if "." not in host or len(host) > hosts.MAX_HOST_CHARS or " " in host:
        return None
    return host, path


class KnownBadIndex:
    """Listed hosts and URLs; `lookup(url_or_host)` says which lists carry it and since when."""

    def __init__(self, whole_host_never: Iterable[str] = ()) -> None:
        self._never_whole = frozenset(whole_host_never)
        self._hosts: dict[str, tuple[Record, ...]] = {}
        self._urls: dict[str, list[tuple[str, Record]]] = {}
        # The same URL entries by prefix, so a lookup costs one dict probe per distinct prefix
        # length instead of a scan: shortener hosts carry thousands of listed paths each.
        self._url_prefixes: dict[str, dict[str, list[tuple[int, Record]]]] = {}
        self._prefix_lengths: dict[str, list[int]] = {}
        self._allow: set[str] = set()
        self._interned: dict[tuple[Record, ...], tuple[Record, ...]] = {}
        self.counts: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._hosts) + sum(len(v) for v in self._urls.values())

    def add(
        self, entry: str, list_name: str, since: str | None = None, allow: bool = False
    ) -> bool:
        """Add one entry; returns False when it is not a usable domain or URL."""
        norm = normalize_entry(entry)
        if norm is None:
            return False
        host, path = norm
        if allow:
            self._allow.add(host)
            return True
        if hosts.public_suffix(host) == host:
            return False  # a bare public suffix (e.g. "pages.dev") would list everyone on it
        if not path and host in self._never_whole:
            return False  # "bit.ly" alone in a list would flag every short link
        rec: Record = (list_name, since)
        if path:
            entries = self._urls.setdefault(host, [])
            self._url_prefixes.setdefault(host, {}).setdefault(path, []).append((len(entries), rec))
            lengths = self._prefix_lengths.setdefault(host, [])
            if len(path) not in lengths:
                lengths.append(len(path))
                lengths.sort()
            entries.append((path, rec))
        else:
            old = self._hosts.get(host, ())
            if any(r[0] == list_name for r in old):
                return True
            new = (*old, rec)
            self._hosts[host] = self._interned.setdefault(new, new)
        self.counts[list_name] = self.counts.get(list_name, 0) + 1
        return True

    def add_entries(self, entries: Iterable[RawEntry], list_name: str) -> int:
        return sum(self.add(e.entry, list_name, e.since, e.allow) for e in entries)

    def add_file(self, path: Path, list_name: str | None = None) -> int:
        """Load one list file (any supported format); returns the number of usable entries."""
        return self.add_entries(read_list(path), list_name or path.stem)

    def lookup(self, url_or_host: str) -> list[ListHit]:
        """Lists that carry this URL, its host, or a parent domain of its host."""
        host, path = _split(url_or_host)
        if not host:
            return []
        hits: list[ListHit] = []
        if path and host in self._url_prefixes:
            by_prefix = self._url_prefixes[host]
            found: list[tuple[int, str, Record]] = []
            for n in self._prefix_lengths[host]:
                if n > len(path):
                    break
                prefix = path[:n]
                found += [(seq, prefix, rec) for seq, rec in by_prefix.get(prefix, ())]
            for _seq, prefix, (name, since) in sorted(found, key=lambda f: f[0]):
                hits.append(ListHit.model_construct(list=name, entry=host + prefix, since=since))
        h = host
        allow = self._allow
        table = self._hosts
        while True:
            if h in allow:
                return hits
            recs = table.get(h)
            if recs is not None:
                hits.extend(ListHit.model_construct(list=n, entry=h, since=s) for n, s in recs)
                return hits
            dot = h.find(".")
            if dot < 0 or h.find(".", dot + 1) < 0:
                return hits
            h = h[dot + 1 :]

    def contains(self, url_or_host: str) -> bool:
        """Fast yes/no form of `lookup` (no result objects built)."""
        host, _ = _split(url_or_host)
        h = host
        while h:
            if h in self._allow:
                return False
            if h in self._hosts:
                return True
            dot = h.find(".")
            if dot < 0 or h.find(".", dot + 1) < 0:
                return False
            h = h[dot + 1 :]
        return False


def default_lists_dir() -> Path | None:
    """`LUREWATCH_LISTS_DIR`, else `../shared/data/indicators` beside the repo or the cwd."""
    env = os.environ.get("LUREWATCH_LISTS_DIR")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[3]
    for base in (repo, Path.cwd()):
        candidate = base.parent / "shared" / "data" / "indicators"
        if candidate.is_dir():
            return candidate
    return None


def shared_list_files(directory: Path) -> list[Path]:
    """The files in a lists directory that hold bad domains or URLs."""
    return sorted(
        p
        for p in directory.iterdir()
        if p.suffix.lower() in (".csv", ".txt", ".json")
        and not any(s in p.name.lower() for s in _SKIP_FILES)
    )


def load_index(
    directory: Path | None = None, *, extra: Iterable[Path] = (), errors: list[str] | None = None
) -> KnownBadIndex:
    """Index of the shared lists in `directory` (default: `default_lists_dir()`) plus `extra`.

    Unreadable files are skipped and described in `errors` when given, so one bad file does
    not take the whole lookup down.
    """
    index = KnownBadIndex(whole_host_never=default_catalogue().shorteners)
    directory = directory or default_lists_dir()
    files = shared_list_files(directory) if directory and directory.is_dir() else []
    for path in [*files, *extra]:
        try:
            index.add_file(path)
        except ListFormatError as exc:
            if errors is not None:
                errors.append(str(exc))
    # Popular hosts are never listed as a whole: URL lists gathered from reported spam name
    # booking.com or a bank's own site because spammers link to them too. A listed subdomain
    # or path under a popular host is still found (the walk meets it before the allow entry).
    popular = sorted(directory.glob("*popular*")) if directory and directory.is_dir() else []
    for path in popular:
        try:
            for entry in read_list(path):
                index.add(entry.entry, "popular", allow=True)
        except ListFormatError as exc:
            if errors is not None:
                errors.append(str(exc))
    return index

"""Operation ids that survive re-linking while membership barely changes.

Why: analysts cite operation ids in case notes, alerts and exports; a re-run that only added a
report must not rename the operation. Each new cluster is matched to a previous operation by
membership overlap, best pair first (greedy on Jaccard similarity, then on shared members), and
takes its id when the overlap passes `THRESHOLD` (or when the cluster holds nearly all of the
previous operation: it grew). Unmatched clusters get an id derived from their members alone
(`op-` + 12 hex digits of SHA-256), so two runs, or two engines, on the same input name the same
clusters the same way, whatever order they were found in.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

THRESHOLD = 0.5
"""Jaccard similarity of memberships above which a cluster keeps a previous operation's id."""
GREW = 0.8
"""...or: share of the previous operation's members the cluster holds (it grew around them)."""


def derived_id(members: Collection[str], taken: Collection[str] = ()) -> str:
    """A deterministic id from the sorted members, skipping ids in `taken`."""
    body = "\n".join(sorted(members))
    salt = 0
    while True:
        raw = body if salt == 0 else f"{body}\n#{salt}"
        uid = "op-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]
        if uid not in taken:
            return uid
        salt += 1


def match_previous(
    clusters: Sequence[Collection[str]], previous: Mapping[str, Collection[str]]
) -> dict[int, str]:
    """{index of cluster: previous operation id} for the clusters that keep an id."""
    owner: dict[str, list[str]] = defaultdict(list)
    for uid, members in previous.items():
        for rid in members:
            owner[rid].append(uid)
    pairs: list[tuple[float, int, str, int]] = []
    for idx, members in enumerate(clusters):
        shared: dict[str, int] = defaultdict(int)
        for rid in members:
            for uid in owner.get(rid, ()):
                shared[uid] += 1
        for uid, inter in shared.items():
            before = len(previous[uid])
            union = len(members) + before - inter
            jaccard = inter / union if union else 0.0
            if jaccard >= THRESHOLD or inter >= GREW * before:
                pairs.append((jaccard, inter, uid, idx))
    pairs.sort(key=lambda p: (-p[0], -p[1], p[2], p[3]))
    out: dict[int, str] = {}
    used: set[str] = set()
    for _j, _inter, uid, idx in pairs:
        if idx in out or uid in used:
            continue
        out[idx] = uid
        used.add(uid)
    return out


def assign_ids(
    clusters: Sequence[Collection[str]],
    previous: Mapping[str, Collection[str]] | None = None,
    reserved: Collection[str] = (),
) -> list[str]:
    """One id per cluster: a matched previous id, else a derived one.

    `reserved` are ids that must not be reused (e.g. retired operations' ids), so an id never
    comes to name a different operation than the one it named before.
    """
    previous = previous or {}
    kept = match_previous(clusters, previous)
    taken = set(previous) | set(reserved)
    out: list[str] = []
    for idx, members in enumerate(clusters):
        if idx in kept:
            out.append(kept[idx])
            continue
        uid = derived_id(members, taken)
        taken.add(uid)
        out.append(uid)
    return out

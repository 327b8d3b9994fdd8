"""Analysts' split and merge decisions, replayed on every new clustering.

Why replay rather than patch: linking recomputes clusters from evidence each run, and new
reports can bring new evidence. An analyst's judgement ("these three reports are a different
operation", "these two operations are one") is kept as a decision naming *reports*, not cluster
numbers, and applied again, in the order made, on whatever clustering the new run produced. So
the judgement survives re-runs and new data, and a decision whose reports have since been
deleted simply applies to the ones that remain.

- split: the named reports leave their groups and form one group of their own (a single report
  just leaves: it is no longer part of any operation). What is left of a group is cut into its
  connected parts over the remaining evidence, so no group is held together by a removed report.
- merge: the groups holding the named reports (one report per merged operation) become one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

import numpy as np
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]  # no stubs installed
from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

DecisionKind = Literal["split", "merge"]


@dataclass(frozen=True, slots=True)
class Decision:
    kind: DecisionKind
    reports: tuple[str, ...]
    """split: the reports moved out. merge: the members of the merged operations when merged
    (all of them, so the merge still holds if new evidence cuts one of them in two)."""
    operations: tuple[str, ...] = ()
    """The operation ids as the analyst saw them (merge: the first one survives)."""
    id: int | None = None


@dataclass(slots=True)
class Group:
    """A set of reports that will become one operation, and the decisions that shaped it."""

    members: set[str]
    decisions: set[int] = field(default_factory=set)
    prefer: str | None = None
    """An operation id a merge asked to keep for this group."""
    merged: bool = False
    """Held together by an analyst's merge (a split does not cut it along the evidence)."""


def components(members: Iterable[str], pairs: Iterable[tuple[str, str]]) -> list[set[str]]:
    """Connected parts of `members` over the `pairs` between them (scipy's csgraph)."""
    ids = sorted(set(members))
    index = {rid: i for i, rid in enumerate(ids)}
    rows: list[int] = []
    cols: list[int] = []
    for a, b in pairs:
        if a in index and b in index:
            rows.append(index[a])
            cols.append(index[b])
    graph = coo_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(len(ids), len(ids))
    )
    _n, labels = connected_components(graph, directed=False)
    parts: dict[int, set[str]] = {}
    for rid, label in zip(ids, labels, strict=True):
        parts.setdefault(int(label), set()).add(rid)
    return list(parts.values())


def replay(
    groups: Sequence[set[str]],
    pairs: Iterable[tuple[str, str]],
    decisions: Sequence[Decision],
    universe: set[str] | None = None,
    shared: Sequence[set[str]] = (),
) -> list[Group]:
    """Apply `decisions` in order to the clustering `groups` (linked by evidence `pairs`).

    `universe` is every report that exists now (default: those in `groups`); decisions ignore
    reports outside it. `shared` lists sets of reports that hold one indicator key in common:
    they stay connected to each other whichever of them is split out (linking draws a shared
    key as a star around one report; removing that report must not cut the others apart).
    Returns the groups of at least two reports, each with the ids of the
    decisions that changed it.
    """
    edges = list(pairs)
    out = [Group(set(g)) for g in groups]
    known = universe if universe is not None else set().union(*groups) if groups else set()
    for n, d in enumerate(decisions):
        did = d.id if d.id is not None else n
        named = {r for r in d.reports if r in known}
        if d.kind == "split":
            out = _split(out, edges, shared, named, did)
        elif d.kind == "merge":
            out = _merge(out, named, did, d.operations[0] if d.operations else None)
    return [g for g in out if len(g.members) >= 2]


def _split(
    groups: list[Group],
    edges: list[tuple[str, str]],
    shared: Sequence[set[str]],
    moved: set[str],
    did: int,
) -> list[Group]:
    if not moved:
        return groups
    out: list[Group] = []
    for g in groups:
        if not g.members & moved:
            out.append(g)
            continue
        rest = g.members - moved
        rest_edges = [(a, b) for a, b in edges if a in rest and b in rest]
        for holders in shared:
            left = sorted(holders & rest)
            rest_edges += list(pairwise(left))
        # a group an analyst merged stays one group: only evidence-made groups fall apart
        parts = [rest] if g.merged else components(rest, rest_edges)
        for part in parts:
            out.append(Group(part, g.decisions | {did}, g.prefer, g.merged))
    out.append(Group(set(moved), {did}))
    return out


def _merge(groups: list[Group], wanted: set[str], did: int, prefer: str | None) -> list[Group]:
    hit = [g for g in groups if g.members & wanted]
    if not wanted:
        return groups
    merged = Group(set(wanted), {did}, prefer, merged=True)
    for g in hit:
        merged.members |= g.members
        merged.decisions |= g.decisions
    rest = [g for g in groups if not g.members & wanted]
    return [*rest, merged]

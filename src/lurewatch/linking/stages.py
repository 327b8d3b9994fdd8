"""Running the SQL stages on an engine and turning their output into clusters.

An engine is anything that can materialise a SELECT as a named table, count, and fetch rows
as Arrow (`Runner`); `run` drives the stages and the component rounds the same way for both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs

from lurewatch.linking import sql
from lurewatch.linking.config import THRESHOLD_MILLI, LinkConfig
from lurewatch.linking.model import Cluster, Edge, KeyStat

MAX_ROUNDS = 64
"""Label propagation with pointer jumping needs about log2(diameter) rounds; this bound is
never reached on real graphs and guards against an engine bug looping forever."""


MATERIALISED = frozenset({"key_df", "live_keys", "candidates", "edges", "pairs", "labels_0"})
"""Stages computed once and kept: those read more than once downstream or by every component
round. The others may stay lazy views (a Spark job each would cost more than recomputing)."""


class Runner(Protocol):
    def create(self, name: str, select: str) -> None:
        """Materialise `select` as table `name` (replacing it)."""

    def view(self, name: str, select: str) -> None:
        """Make `select` available as `name`; the engine may compute it lazily."""

    def drop(self, name: str) -> None: ...

    def count(self, select: str) -> int: ...

    def fetch(self, select: str) -> pa.Table: ...

    def load(self, name: str, table: pa.Table) -> None:
        """Make a small Arrow table available as `name`."""


def weight_tables(config: LinkConfig) -> tuple[pa.Table, pa.Table]:
    """`df_weight(df, w)` and `tmpl_weight(m, w)`, only rows with w > 0."""
    dfs = [d for d in range(2, config.max_df) if config.key_weight_milli(d) > 0]
    ms = [m for m in range(config.bins + 1) if config.template_weight_milli(m) > 0]
    return (
        pa.table(
            {
                "df": pa.array(dfs, pa.int64()),
                "w": pa.array([config.key_weight_milli(d) for d in dfs], pa.int64()),
            }
        ),
        pa.table(
            {
                "m": pa.array(ms, pa.int64()),
                "w": pa.array([config.template_weight_milli(m) for m in ms], pa.int64()),
            }
        ),
    )


def run(runner: Runner, config: LinkConfig) -> tuple[pa.Table, pa.Table]:
    """Run all stages on `reports` and `report_keys`; (edges with component, key stats)."""
    df_w, tmpl_w = weight_tables(config)
    runner.load("df_weight", df_w)
    runner.load("tmpl_weight", tmpl_w)
    for name, select in sql.edge_stages(config):
        if name in MATERIALISED:
            runner.create(name, select)
        else:
            runner.view(name, select)
    labels = "labels_0"
    for i in range(1, MAX_ROUNDS + 1):
        # materialised: Spark 4.3's constraint propagation fails ("key not found: v#..") on
        # the self-join of a lazy UNION ALL view here
        runner.create(f"hop_{i}", sql.hop(labels))
        runner.create(f"labels_{i}", sql.jump(f"hop_{i}"))
        runner.drop(f"hop_{i}")
        moved = runner.count(sql.changed(f"labels_{i}", labels))
        runner.drop(labels)
        labels = f"labels_{i}"
        if moved == 0:
            break
    else:
        raise RuntimeError("connected components did not converge")
    return runner.fetch(sql.fetch_edges(labels)), runner.fetch(sql.fetch_key_stats())


def clusters_from(edges: pa.Table, ids: Sequence[str], config: LinkConfig) -> list[Cluster]:
    """Clusters from the fetched edge rows, which come ordered by (component, a, b, kind,
    key): component labels are first members, so clusters come out sorted by their first
    report id and each cluster's edges in `Edge` order, without sorting objects here."""
    out: list[Cluster] = []
    cols = edges.to_pydict()
    comps = cols["comp"]
    n = len(comps)
    i = 0
    while i < n:
        comp = comps[i]
        j = i
        members: set[int] = set()
        group: list[Edge] = []
        while j < n and comps[j] == comp:
            a, b, w = cols["a"][j], cols["b"][j], cols["w"][j]
            members.add(a)
            members.add(b)
            if cols["kind"][j] == "template":
                jac = w / config.bins
                group.append(Edge(ids[a], ids[b], "template", f"template:jaccard={jac:.2f}", jac))
            else:
                group.append(
                    Edge(ids[a], ids[b], "indicator", cols["ikey"][j], w / THRESHOLD_MILLI)
                )
            j += 1
        out.append(Cluster(tuple(ids[r] for r in sorted(members)), tuple(group)))
        i = j
    return out


def key_stats_from(table: pa.Table, config: LinkConfig) -> dict[str, KeyStat]:
    cols = table.to_pydict()
    out: dict[str, KeyStat] = {}
    for key, df, stop, cap in zip(cols["ikey"], cols["df"], cols["stop"], cols["cap"], strict=True):
        if stop is None and df >= config.max_df:
            stop = f"too common: in {df:,} reports (limit {config.max_df:,})"
        weight = 0.0 if stop else min(config.key_weight_milli(df), cap) / THRESHOLD_MILLI
        out[key] = KeyStat(key, df, weight, stop)
    return out

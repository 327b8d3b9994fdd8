"""Running the SQL stages on an engine and turning their output into clusters.

An engine is anything that can materialise a SELECT as a named table, count, and fetch rows
as Arrow (`Runner`); `run` drives the stages and the component rounds the same way for both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs

from lurewatch.linking import sql
from lurewatch.linking.config import THRESHOLD_MILLI, LinkConfig
from lurewatch.linking.model import Cluster, Edge, KeyStat

MAX_ROUNDS = 64
"""Label propagation with pointer jumping needs about log2(diameter) rounds; this bound is
never reached on real graphs and guards against an engine bug looping forever."""


class Runner(Protocol):
    def create(self, name: str, select: str) -> None:
        """Materialise `select` as table/view `name` (replacing it)."""

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
        runner.create(name, select)
    labels = "labels_0"
    for i in range(1, MAX_ROUNDS + 1):
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
    """Clusters (sorted by first report id) from the fetched edge rows."""
    by_comp: dict[int, list[Edge]] = defaultdict(list)
    members: dict[int, set[int]] = defaultdict(set)
    cols = edges.to_pydict()
    for comp, a, b, kind, key, w in zip(
        cols["comp"], cols["a"], cols["b"], cols["kind"], cols["ikey"], cols["w"], strict=True
    ):
        if kind == "template":
            j = w / config.bins
            edge = Edge(ids[a], ids[b], "template", f"template:jaccard={j:.2f}", j)
        else:
            edge = Edge(ids[a], ids[b], "indicator", key, w / THRESHOLD_MILLI)
        by_comp[comp].append(edge)
        members[comp].update((a, b))
    out = [
        Cluster(tuple(ids[r] for r in sorted(members[c])), tuple(sorted(by_comp[c])))
        for c in sorted(members)
    ]
    return out


def key_stats_from(table: pa.Table, config: LinkConfig) -> dict[str, KeyStat]:
    cols = table.to_pydict()
    out: dict[str, KeyStat] = {}
    for key, df, stop in zip(cols["ikey"], cols["df"], cols["stop"], strict=True):
        if stop is None and df >= config.max_df:
            stop = f"too common: in {df:,} reports (limit {config.max_df:,})"
        weight = 0.0 if stop else config.key_weight_milli(df) / THRESHOLD_MILLI
        out[key] = KeyStat(key, df, weight, stop)
    return out

"""Running the SQL stages on an engine and turning their output into clusters.

An engine is anything that can materialise a SELECT as a named table, count, and fetch rows
as Arrow (`Runner`); `run` drives the stages and the component rounds the same way for both.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import Protocol

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs
import pyarrow.compute as pc  # type: ignore[import-untyped]
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

from lurewatch.linking import lsh, sql
from lurewatch.linking.config import THRESHOLD_MILLI, LinkConfig
from lurewatch.linking.model import Cluster, Edge, EdgeKind, KeyStat

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


def run(
    runner: Runner, config: LinkConfig, signatures: lsh.SignatureMatrix | None = None
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Run all stages on `reports` and `report_keys`; (edges with component, labels, key
    stats). With `signatures` (the DuckDB engine, which holds them in numpy), the LSH stages
    run in numpy on them (`reports` is not read) and the components are found by scipy."""
    df_w, tmpl_w = weight_tables(config)
    runner.load("df_weight", df_w)
    runner.load("tmpl_weight", tmpl_w)
    cand: tuple[lsh.I64, lsh.I64] | None = None
    for name, select in sql.edge_stages(config):
        if signatures is not None and name in sql.LSH_STAGES:
            cand = _native(runner, config, signatures, name, cand)
        elif signatures is not None and name == "labels_0":
            runner.load("labels", components(runner.fetch("SELECT a, b FROM pairs")))
            return _results(runner, "labels")
        elif name in MATERIALISED:
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
    return _results(runner, labels)


def _results(runner: Runner, labels: str) -> tuple[pa.Table, pa.Table, pa.Table]:
    return (
        runner.fetch(sql.fetch_edges(labels)),
        runner.fetch(sql.fetch_labels(labels)),
        runner.fetch(sql.fetch_key_stats()),
    )


def components(pairs: pa.Table) -> pa.Table:
    """`labels(v, l)` of the nodes of `pairs(a, b)`: each node's label is the smallest node of
    its connected component, which is what the SQL rounds of min-label propagation converge
    to. scipy's union-find-like traversal takes about a second at 1M reports, where the SQL
    rounds (a join of all pairs per round, more rounds as merged components grow long) took
    37 s of wall time on the loaded benchmark machine."""
    a = pairs.column("a").to_numpy().astype(np.int64)
    b = pairs.column("b").to_numpy().astype(np.int64)
    nodes = np.unique(np.concatenate([a, b]))
    if len(nodes) == 0:
        return pa.table({"v": nodes, "l": nodes})
    ia, ib = np.searchsorted(nodes, a), np.searchsorted(nodes, b)
    graph = coo_matrix((np.ones(len(ia), dtype=np.int8), (ia, ib)), shape=(len(nodes),) * 2)
    _, comp = connected_components(graph, directed=False)
    # nodes are sorted, so a component's first node (np.unique's index) is its smallest
    _, first = np.unique(comp, return_index=True)
    return pa.table({"v": nodes, "l": nodes[first[comp]]})


def _native(
    runner: Runner,
    config: LinkConfig,
    sigs: lsh.SignatureMatrix,
    name: str,
    cand: tuple[lsh.I64, lsh.I64] | None,
) -> tuple[lsh.I64, lsh.I64] | None:
    """One of `sql.LSH_STAGES` computed by `lsh` and loaded as the table SQL would make."""
    if name == "candidates":
        weak = runner.fetch(sql.weak_pairs(config))
        cand = lsh.candidate_pairs(
            sigs,
            config,
            weak.column("a").to_numpy().astype(np.int64),
            weak.column("b").to_numpy().astype(np.int64),
        )
        runner.load("candidates", pa.table({"a": cand[0], "b": cand[1]}))
    elif name == "tmpl_scored":
        if cand is None:
            raise RuntimeError("the candidates stage must come before tmpl_scored")
        a, b, m, w = lsh.template_scores(sigs, config, *cand)
        runner.load("tmpl_scored", pa.table({"a": a, "b": b, "m": m, "w": w}))
    return cand


def clusters_from(
    edges: pa.Table, labels: pa.Table, ids: Sequence[str], config: LinkConfig
) -> list[Cluster]:
    """Clusters from the fetched rows: `labels` ordered by (label, node), `edges` by
    (component, a, b, kind, key). Component labels are first members, so clusters come out
    sorted by their first report id and each cluster's edges in `Edge` order.

    Built for millions of edges: the columns are converted in bulk (numpy, Arrow dictionary
    encoding), report ids and keys are the existing string objects looked up by index rather
    than a new string per edge (at 1M reports ~6M edges: fewer allocations, and several hundred
    MB less held), and each `Edge` tuple is made by `tuple.__new__` without a Python-level
    `__init__`."""
    if labels.num_rows == 0:
        return []
    id_list = list(ids)
    lab = labels.column("l").to_numpy()
    node_ids = list(map(id_list.__getitem__, labels.column("v").to_numpy().tolist()))
    comp = edges.column("comp").to_numpy()
    a_ids = map(id_list.__getitem__, edges.column("a").to_numpy().tolist())
    b_ids = map(id_list.__getitem__, edges.column("b").to_numpy().tolist())
    is_tmpl = pc.equal(edges.column("kind"), "template").to_numpy(zero_copy_only=False)
    w = edges.column("w").to_numpy()
    weights = np.where(is_tmpl, w / config.bins, w / THRESHOLD_MILLI).tolist()
    kind_of: tuple[EdgeKind, EdgeKind] = ("indicator", "template")
    kinds = map(kind_of.__getitem__, is_tmpl.tolist())
    # a key as an index into one list: the indicator keys' dictionary, then the template keys
    # by their count of equal bins
    ikey = pc.dictionary_encode(pc.fill_null(edges.column("ikey"), "")).combine_chunks()
    names = ikey.dictionary.to_pylist()
    tmpl_keys = [f"template:jaccard={m / config.bins:.2f}" for m in range(config.bins + 1)]
    key_index = np.where(is_tmpl, len(names) + w, ikey.indices.to_numpy(zero_copy_only=False))
    keys = map((names + tmpl_keys).__getitem__, key_index.tolist())
    all_edges = list(
        map(tuple.__new__, repeat(Edge), zip(a_ids, b_ids, kinds, keys, weights, strict=True))
    )
    node_cuts = np.flatnonzero(np.diff(lab)) + 1
    edge_cuts = np.flatnonzero(np.diff(comp)) + 1
    node_bounds = [0, *node_cuts.tolist(), len(lab)]
    edge_bounds = [0, *edge_cuts.tolist(), len(comp)]
    return [
        Cluster(
            tuple(node_ids[node_bounds[i] : node_bounds[i + 1]]),
            tuple(all_edges[edge_bounds[i] : edge_bounds[i + 1]]),
        )
        for i in range(len(node_bounds) - 1)
    ]


def key_stats_from(table: pa.Table, config: LinkConfig) -> dict[str, KeyStat]:
    cols = table.to_pydict()
    out: dict[str, KeyStat] = {}
    for key, df, stop, cap in zip(cols["ikey"], cols["df"], cols["stop"], cols["cap"], strict=True):
        if stop is None and df >= config.max_df:
            stop = f"too common: in {df:,} reports (limit {config.max_df:,})"
        weight = 0.0 if stop else min(config.key_weight_milli(df), cap) / THRESHOLD_MILLI
        out[key] = KeyStat(key, df, weight, stop)
    return out

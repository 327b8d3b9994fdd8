"""Components found by scipy (the DuckDB engine) label each node with its component's
smallest node, as the SQL rounds of min-label propagation do."""

from __future__ import annotations

from collections import defaultdict

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs

from lurewatch.linking import LinkConfig, sql
from lurewatch.linking.config import THRESHOLD_MILLI
from lurewatch.linking.duck import DuckRunner
from lurewatch.linking.prepare import keys_table, prepare_batch, reports_table
from lurewatch.linking.stages import components, weight_tables
from lurewatch.linking.synthetic import generate
from tests.linking.test_engine import handwritten


def test_each_node_is_labelled_with_the_smallest_node_of_its_component() -> None:
    # a long chain 9-8-...-3 (many propagation rounds), a triangle 20-21-22, a pair 40-41
    a = [8, 7, 6, 5, 4, 3, 20, 21, 20, 41]
    b = [9, 8, 7, 6, 5, 4, 21, 22, 22, 40]
    got = components(pa.table({"a": a, "b": b})).to_pydict()
    labels = dict(zip(got["v"], got["l"], strict=True))
    assert labels == {**dict.fromkeys(range(3, 10), 3), 20: 20, 21: 20, 22: 20, 40: 40, 41: 40}


def test_no_pairs_no_labels() -> None:
    empty = pa.array([], pa.int64())
    assert components(pa.table({"a": empty, "b": empty})).num_rows == 0


def test_cand_keys_and_edges_against_the_rules_over_fetched_tables() -> None:
    """`cand_keys` (a semi-join in SQL): every key both reports of a candidate pair carry;
    `edges` (a UNION of the indicator rows only): the strong keys' stars, the shared keys and
    the template of each accepted pair, each row once."""
    records = generate(1500, seed=11).records + handwritten()
    config = LinkConfig(pair_cap=3, strong_df=8, max_df=60)
    ordered = sorted(records, key=lambda r: r.report_id)
    batch = prepare_batch(ordered, config)
    rids = range(len(ordered))
    runner = DuckRunner(duckdb.connect())
    runner.load("report_keys", keys_table(batch, rids))
    runner.load("reports", reports_table(batch, rids, config))
    df_w, tmpl_w = weight_tables(config)
    runner.load("df_weight", df_w)
    runner.load("tmpl_weight", tmpl_w)
    for name, select in sql.edge_stages(config):
        runner.create(name, select)
        if name == "edges":
            break
    cand = runner.fetch("SELECT a, b FROM candidates").to_pydict()
    live = runner.fetch("SELECT rid, ikey, w FROM live_keys").to_pydict()
    got = runner.fetch("SELECT a, b, ikey, w FROM cand_keys").to_pylist()
    tables = {
        name: [tuple(r.values()) for r in runner.fetch(f"SELECT * FROM {name}").to_pylist()]
        for name in ("strong_edges", "cand_keys", "tmpl_scored", "accepted", "edges")
    }
    runner.con.close()
    keys_of: dict[int, dict[str, int]] = defaultdict(dict)
    for rid, key, w in zip(live["rid"], live["ikey"], live["w"], strict=True):
        keys_of[rid][key] = w
    expect = sorted(
        (a, b, key, w)
        for a, b in zip(cand["a"], cand["b"], strict=True)
        for key, w in keys_of[a].items()
        if key in keys_of[b]
    )
    assert sorted((r["a"], r["b"], r["ikey"], r["w"]) for r in got) == expect
    weights = {w for *_, w in expect}
    assert len(expect) > 100 and THRESHOLD_MILLI in weights and min(weights) < THRESHOLD_MILLI
    accepted = set(tables["accepted"])
    edge_rule = (
        set(tables["strong_edges"])
        | {(a, b, "indicator", k, w) for a, b, k, w in tables["cand_keys"] if (a, b) in accepted}
        | {
            (a, b, "template", "template", m)
            for a, b, m, _ in tables["tmpl_scored"]
            if (a, b) in accepted
        }
    )
    assert sorted(tables["edges"]) == sorted(edge_rule)  # each row once
    assert {k for _, _, k, *_ in tables["edges"]} >= {"indicator", "template"}

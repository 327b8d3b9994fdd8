"""The DuckDB engine: embedded, the default; reads records, Parquet, CSV or JSONL files."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs

from lurewatch.linking import lsh, stages
from lurewatch.linking.config import LinkConfig
from lurewatch.linking.model import LinkRecord, LinkResult
from lurewatch.linking.prepare import (
    KeyItem,
    Meta,
    PreparedReports,
    keys_table,
    prepare_batch,
    reports_table,
)

BATCH = 50_000
"""Records prepared per batch: big enough for the vectorised passes, small enough that a
batch's shingle arrays (~20 bytes per character) stay within a few hundred MB.

Batches are prepared here, one after the other: preparing them in two spawned worker
processes was measured slower (300k reports, same run, load ~3.4: 25 s wall / 25 s CPU
inline against 66-87 s wall / 58 s CPU with two workers: start-up, pickling 70 MB a batch each
way, and unpickling a million reports in this process cost more than the second core gave)."""

MEMORY_LIMIT = "4GB"
"""DuckDB's own memory cap. Without it DuckDB takes up to 80% of RAM and at 1M reports its
candidate-pair joins and the Python side's prepared reports together passed 8 GB; with it
DuckDB spills its joins and aggregates to a temporary directory instead."""


def _cpu() -> float:
    """CPU seconds of this process's threads (DuckDB's included) and finished children: what a
    phase costs whatever the machine's load does to its wall time."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class DuckRunner:
    """`stages.Runner` on one DuckDB connection (temporary tables)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.seconds: dict[str, float] = {}
        """Wall seconds up to each materialised table since the previous one (so a stage
        computed in numpy and then loaded counts under its table; component rounds are
        summed under `labels`): which stage the time goes to, for benchmarks."""
        self.mark = time.perf_counter()

    def create(self, name: str, select: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}")
        now = time.perf_counter()
        key = "labels" if name.startswith(("hop_", "labels_")) else name
        self.seconds[key] = self.seconds.get(key, 0.0) + now - self.mark
        self.mark = now

    def view(self, name: str, select: str) -> None:
        self.create(name, select)  # DuckDB materialises fast; a table is read at full speed

    def drop(self, name: str) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {name}")

    def count(self, select: str) -> int:
        row = self.con.execute(select).fetchone()
        return int(row[0]) if row else 0

    def fetch(self, select: str) -> pa.Table:
        return self.con.sql(select).to_arrow_table()

    def load(self, name: str, table: pa.Table) -> None:
        self.con.register(f"{name}_arrow", table)
        self.create(name, f"SELECT * FROM {name}_arrow")
        self.con.unregister(f"{name}_arrow")


def link_duckdb(
    records: Sequence[LinkRecord],
    config: LinkConfig,
    bad: list[tuple[int, str]],
    *,
    threads: int | None = None,
    native_lsh: bool = True,
    release: bool = False,
) -> LinkResult:
    """Link `records` (unique ids) with DuckDB in memory.

    With `native_lsh` (the default) the LSH stages run in numpy on the signature matrix
    (`lsh.py`) and the signatures never enter DuckDB; without it they run as the SQL Spark
    runs (tests compare the two). With `release` (the caller's own list, not needed after
    this call: `link` and `link_files`) `records` is emptied once the records are prepared,
    so their texts (~1 GB at 1M synthetic reports) are not held through the stages."""
    ordered = sorted(records, key=lambda r: r.report_id)
    if release and isinstance(records, list):
        records.clear()
    ids = [r.report_id for r in ordered]
    spill = tempfile.TemporaryDirectory(prefix="lurewatch-duck-")
    con = duckdb.connect(
        config={
            "preserve_insertion_order": False,
            "memory_limit": MEMORY_LIMIT,
            "temp_directory": spill.name,
        }
    )
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    runner = DuckRunner(con)
    indicators: list[tuple[str, ...]] = []
    masked: list[str] = []
    meta: dict[int, Meta] = {}
    clock = time.perf_counter()
    timings: dict[str, float] = {}
    cpu = _cpu()
    sigs = lsh.SignatureMatrix.empty(len(ordered), config.bins)
    key_cache: dict[str, KeyItem] = {}
    try:
        for start in range(0, max(len(ordered), 1), BATCH):
            prep = prepare_batch(ordered[start : start + BATCH], config, key_cache=key_cache)
            rids = range(start, start + len(prep.ids))
            indicators += prep.indicators
            masked += prep.masked
            meta.update((start + i, m) for i, m in prep.meta.items())
            # the prepared reports read their signatures from here too (the stages only
            # read the matrix)
            sigs.sig[rids.start : rids.stop] = prep.sig
            sigs.has[rids.start : rids.stop] = prep.has_sig
            tables = [("report_keys", keys_table(prep, rids))]
            if not native_lsh:
                tables.append(("reports", reports_table(prep, rids, config)))
            for name, table in tables:
                con.register("chunk_arrow", table)
                if start == 0:
                    runner.create(name, "SELECT * FROM chunk_arrow")
                else:
                    con.execute(f"INSERT INTO {name} SELECT * FROM chunk_arrow")
                con.unregister("chunk_arrow")
        key_cache.clear()
        del ordered, prep
        timings["prepare"] = time.perf_counter() - clock
        timings["cpu:prepare"], cpu = _cpu() - cpu, _cpu()
        runner.seconds.clear()
        runner.mark = time.perf_counter()
        edges, labels, keys = stages.run(runner, config, sigs if native_lsh else None)
        timings["stages"] = time.perf_counter() - clock - timings["prepare"]
        timings.update({f"stage:{k}": v for k, v in runner.seconds.items()})
        timings["cpu:stages"], cpu = _cpu() - cpu, _cpu()
    finally:
        con.close()
        spill.cleanup()
    result = LinkResult(
        clusters=stages.clusters_from(edges, labels, ids, config),
        prepared=PreparedReports(ids, indicators, masked, meta, sigs.sig, sigs.has),
        key_stats=stages.key_stats_from(keys, config),
        bad=sorted(bad),
        timings=timings,
    )
    timings["assemble"] = time.perf_counter() - clock - timings["prepare"] - timings["stages"]
    timings["cpu:assemble"] = _cpu() - cpu
    return result

"""One entry point, two engines: `link(records, engine="duckdb"|"spark")` and `link_files`."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import repeat
from pathlib import Path
from typing import Any, Literal

from lurewatch.io.batch import BadRecord, detect_format, read_records
from lurewatch.linking.config import LinkConfig
from lurewatch.linking.model import LinkRecord, LinkResult
from lurewatch.linking.records import BadRow, record_from, unique

Engine = Literal["duckdb", "spark"]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a job builds millions of acyclic objects
    (records, prepared reports, edges): each collection walks the whole growing heap, and at
    100k reports the pauses were ~15% of prepare's CPU, more at 1M. Reference counting still
    frees everything; the collector is back on (as it was) when the job ends."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def link(
    records: Iterable[LinkRecord],
    *,
    engine: Engine = "duckdb",
    config: LinkConfig | None = None,
    spark: Any = None,
) -> LinkResult:
    """Link reports into clusters. Records with a repeated id are skipped and listed in
    `LinkResult.bad` with their position (1-based) in `records`."""
    bad: list[tuple[int, str]] = []
    with _gc_paused():
        recs = list(unique(enumerate(records, 1), bad))
        return _run(recs, engine, config or LinkConfig(), bad, spark)


def _run(
    recs: list[LinkRecord],
    engine: Engine,
    config: LinkConfig,
    bad: list[tuple[int, str]],
    spark: Any,
) -> LinkResult:
    if engine == "duckdb":
        from lurewatch.linking.duck import link_duckdb

        return link_duckdb(recs, config, bad, release=True)
    if engine == "spark":
        from lurewatch.linking.spark import link_spark

        return link_spark(recs, config, bad, spark)
    raise ValueError(f"unknown engine {engine!r} (duckdb or spark)")


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line or row number, row dict or error) from a JSONL, CSV, text or Parquet file."""
    if path.suffix.lower() == ".parquet":
        import duckdb

        con = duckdb.connect()
        try:
            rel = con.sql("SELECT * FROM read_parquet($p)".replace("$p", "?"), params=[str(path)])
            names = rel.columns
            reader = rel.to_arrow_reader(50_000)
            n = 0
            for batch in reader:
                # column by column: one conversion per column, then one dict per row made by
                # map/zip in C rather than a Python loop (~40% of this function's CPU)
                columns = [batch.column(i).to_pylist() for i in range(len(names))]
                rows = map(dict, map(zip, repeat(names), zip(*columns, strict=True)))
                yield from zip(range(n + 1, n + 1 + batch.num_rows), rows, strict=True)
                n += batch.num_rows
        finally:
            con.close()
        return
    with path.open("rb") as fh:
        for item in read_records(fh, detect_format(path)):
            if isinstance(item, BadRecord):
                yield item.line, item.error
            else:
                yield item.line, {**item.data, "id": item.id}


def link_files(
    path: str | Path,
    *,
    engine: Engine = "duckdb",
    config: LinkConfig | None = None,
    spark: Any = None,
) -> LinkResult:
    """Link the reports in a JSONL, CSV, text or Parquet file.

    Each row is `{"id", "text", "indicators"?, "country"?, "language"?, "category"?, "risk"?,
    "seen_at"?}`. Malformed rows (bad JSON or UTF-8, no text, malformed indicators, repeated
    id, ...) are skipped and reported as (line number, reason) in `LinkResult.bad`; the job
    finishes with the rest."""
    bad: list[tuple[int, str]] = []
    clock = time.perf_counter()

    def good() -> Iterator[tuple[int, LinkRecord]]:
        for line, row in _rows(Path(path)):
            if isinstance(row, str):
                bad.append((line, row))
                continue
            try:
                yield line, record_from(row, str(line))
            except BadRow as exc:
                bad.append((line, str(exc)))

    with _gc_paused():
        recs = list(unique(good(), bad))
        read = time.perf_counter() - clock
        result = _run(recs, engine, config or LinkConfig(), bad, spark)
    result.timings["read"] = read
    return result

"""The Spark engine: the same prepare code in `mapInPandas`, the same SQL in Spark SQL.

For data that outgrows one machine. Each materialised stage is `localCheckpoint`ed so the
lineage of the iterative component rounds stays short. Locally (`local[2]`) it is much slower
than DuckDB on the same data (JVM start, a job per stage); the test suite asserts that both
produce identical clusters.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

from lurewatch.linking import stages
from lurewatch.linking.config import LinkConfig
from lurewatch.linking.model import LinkRecord, LinkResult, PreparedReport
from lurewatch.linking.prepare import prepare_batch, signature_columns


def local_session(cores: int = 2, shuffle_partitions: int = 4) -> SparkSession:
    """A local SparkSession without UI, with Arrow transfer and few shuffle partitions."""
    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("lurewatch-link")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )


class SparkRunner:
    """`stages.Runner` on Spark SQL temp views over locally checkpointed DataFrames."""

    def __init__(self, spark: SparkSession) -> None:
        self.spark = spark
        self.frames: dict[str, DataFrame] = {}
        # Constraint propagation only costs planning time on these plans of unions and joins
        # (and trips on a self-join of a union view in Spark 4.3).
        spark.conf.set("spark.sql.constraintPropagation.enabled", "false")

    def create(self, name: str, select: str) -> None:
        self.put(name, self.spark.sql(select))

    def view(self, name: str, select: str) -> None:
        self.spark.sql(select).createOrReplaceTempView(name)

    def put(self, name: str, df: DataFrame) -> None:
        df = df.localCheckpoint(eager=True)
        df.createOrReplaceTempView(name)
        self.frames[name] = df

    def drop(self, name: str) -> None:
        if name not in self.frames:
            return  # a lazy view: later views may still read its plan
        self.spark.catalog.dropTempView(name)
        df = self.frames.pop(name, None)
        if df is not None:
            df.unpersist()

    def count(self, select: str) -> int:
        return int(self.spark.sql(select).collect()[0][0])

    def fetch(self, select: str) -> pa.Table:
        return self.spark.sql(select).toArrow()

    def load(self, name: str, table: pa.Table) -> None:
        self.put(name, self.spark.createDataFrame(table))

    def close(self) -> None:
        for name in list(self.frames):
            self.drop(name)


_INPUT = T.StructType(
    [
        T.StructField("rid", T.LongType(), False),
        T.StructField("report_id", T.StringType(), False),
        T.StructField("text", T.StringType(), False),
        T.StructField("indicators", T.StringType(), True),
        T.StructField("country", T.StringType(), True),
    ]
)


def _output_schema(config: LinkConfig) -> T.StructType:
    fields = [
        T.StructField("kind", T.StringType(), False),
        T.StructField("rid", T.LongType(), False),
        T.StructField("masked", T.StringType(), True),
        T.StructField("ikey", T.StringType(), True),
        T.StructField("stop", T.StringType(), True),
        T.StructField("cap", T.LongType(), True),
        T.StructField("has_sig", T.BooleanType(), True),
    ]
    fields += [T.StructField(c, T.LongType(), True) for c in signature_columns(config)]
    return T.StructType(fields)


def _prepare_partitions(config: LinkConfig) -> Any:
    cols = signature_columns(config)

    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in frames:
            recs = [
                LinkRecord(
                    report_id=str(rid),
                    text=str(text),
                    indicators=tuple((str(t), str(v)) for t, v in json.loads(ind))
                    if isinstance(ind, str)
                    else None,
                    country=country if isinstance(country, str) else None,
                )
                for rid, text, ind, country in zip(
                    frame["report_id"],
                    frame["text"],
                    frame["indicators"],
                    frame["country"],
                    strict=True,
                )
            ]
            batch = prepare_batch(recs, config)
            rids = [int(r) for r in frame["rid"]]
            rows: dict[str, list[Any]] = {
                "kind": ["r"] * len(rids),
                "rid": list(rids),
                "masked": [p.masked_text for p in batch.reports],
                "ikey": [None] * len(rids),
                "stop": [None] * len(rids),
                "cap": [None] * len(rids),
                "has_sig": batch.has_sig.tolist(),
            }
            for i, c in enumerate(cols):
                rows[c] = [
                    int(v) if ok else None
                    for v, ok in zip(batch.sig[:, i].tolist(), rows["has_sig"], strict=True)
                ]
            for rid, keys in zip(rids, batch.keys, strict=True):
                for key, why, cap in keys:
                    rows["kind"].append("k")
                    rows["rid"].append(rid)
                    rows["masked"].append(None)
                    rows["ikey"].append(key)
                    rows["stop"].append(why)
                    rows["cap"].append(cap)
                    rows["has_sig"].append(None)
                    for c in cols:
                        rows[c].append(None)
            out = pd.DataFrame(rows)
            for c in ["rid", "cap", *cols]:
                out[c] = out[c].astype("Int64")
            yield out

    return run


def link_spark(
    records: Sequence[LinkRecord],
    config: LinkConfig,
    bad: list[tuple[int, str]],
    spark: SparkSession | None = None,
) -> LinkResult:
    """Link `records` (unique ids) with Spark (`spark`, else the active or a local session)."""
    session = spark or SparkSession.getActiveSession() or local_session()
    ordered = sorted(records, key=lambda r: r.report_id)
    ids = [r.report_id for r in ordered]
    frame = pd.DataFrame(
        {
            "rid": list(range(len(ordered))),
            "report_id": ids,
            "text": [r.text for r in ordered],
            "indicators": [
                None if r.indicators is None else json.dumps([list(p) for p in r.indicators])
                for r in ordered
            ],
            "country": [r.country for r in ordered],
        }
    )
    runner = SparkRunner(session)
    try:
        source = session.createDataFrame(frame, schema=_INPUT)
        runner.put(
            "prepped", source.mapInPandas(_prepare_partitions(config), _output_schema(config))
        )
        sig = ", ".join(signature_columns(config))
        runner.view("reports", f"SELECT rid, has_sig, {sig} FROM prepped WHERE kind = 'r'")
        runner.view("report_keys", "SELECT rid, ikey, stop, cap FROM prepped WHERE kind = 'k'")
        prepped = runner.fetch("SELECT * FROM prepped").to_pydict()
        edges, labels, keys = stages.run(runner, config)
    finally:
        runner.close()
    return LinkResult(
        clusters=stages.clusters_from(edges, labels, ids, config),
        prepared=_prepared(prepped, ordered, config),
        key_stats=stages.key_stats_from(keys, config),
        bad=sorted(bad),
    )


def _prepared(
    cols: dict[str, list[Any]], ordered: Sequence[LinkRecord], config: LinkConfig
) -> dict[str, PreparedReport]:
    sig_cols = signature_columns(config)
    masked: dict[int, str] = {}
    sigs: dict[int, array[int]] = {}
    keys: dict[int, list[str]] = {}
    for i, kind in enumerate(cols["kind"]):
        rid = cols["rid"][i]
        if kind == "r":
            masked[rid] = cols["masked"][i]
            sigs[rid] = array("q", (cols[c][i] for c in sig_cols) if cols["has_sig"][i] else ())
        else:
            keys.setdefault(rid, []).append(cols["ikey"][i])
    out: dict[str, PreparedReport] = {}
    for rid, rec in enumerate(ordered):
        out[rec.report_id] = PreparedReport(
            report_id=rec.report_id,
            indicators=tuple(sorted(keys.get(rid, []))),
            masked_text=masked[rid],
            signature=sigs[rid],
            country=rec.country,
            language=rec.language,
            category=rec.category,
            risk=rec.risk,
            seen_at=rec.seen_at,
        )
    return out

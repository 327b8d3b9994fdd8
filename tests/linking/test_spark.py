"""Spark local and DuckDB must produce the same clusters, edges, key statistics, prepared
reports and bad-row list on the same input: a JSONL file of noisy synthetic reports,
hand-written decoys and malformed lines. One Spark run (a local job costs seconds)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lurewatch.linking import LinkConfig, link_files
from lurewatch.linking.synthetic import generate
from tests.linking.test_engine import handwritten
from tests.linking.test_files import write_messy_jsonl


@pytest.mark.slow
@pytest.mark.timeout(1200)  # ~1 min on an idle 2-core machine, several under heavy load
def test_spark_and_duckdb_agree_on_noisy_reports_with_bad_rows(spark: Any, tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    write_messy_jsonl(path)  # 13 lines, 8 of them bad
    records = generate(300, seed=5).records + handwritten()
    with path.open("a", encoding="utf-8") as fh:
        for r in records:
            row = {
                "id": r.report_id,
                "text": r.text,
                "indicators": [list(p) for p in r.indicators or ()],
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        fh.write("{not json}\n")
    config = LinkConfig(strong_df=8, max_df=60)  # small thresholds so weak keys occur at 300
    duck = link_files(path, config=config)
    sp = link_files(path, engine="spark", config=config, spark=spark)
    assert len(duck.clusters) > 15
    assert any(e.kind == "template" for c in duck.clusters for e in c.edges)
    assert any(0 < k.weight < 1 for k in duck.key_stats.values())
    assert [line for line, _ in duck.bad] == [3, 4, 5, 8, 9, 10, 11, 13, 14 + len(records)]
    assert sp.clusters == duck.clusters
    assert sp.key_stats == duck.key_stats
    assert sp.prepared == duck.prepared
    assert sp.bad == duck.bad

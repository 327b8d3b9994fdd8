"""DuckDB and Spark give the same operations (ids, members, templates, evidence) on the sample
and on a synthetic set with planted operations and noise."""

from __future__ import annotations

from typing import Any

import pytest

from lurewatch.linking import LinkRecord, link
from lurewatch.linking.synthetic import generate
from lurewatch.operations.build import build_operations
from tests.linking.conftest import spark  # noqa: F401  (the one local SparkSession)
from tests.operations.conftest import SAMPLE_ROWS


def _sample() -> list[LinkRecord]:
    out = []
    for row in SAMPLE_ROWS:
        text = row.get("text") or "\n".join(m["text"] for m in row["messages"])
        out.append(LinkRecord(row["id"], text, country=row.get("country")))
    return out


@pytest.mark.slow
def test_same_operations_on_both_engines(spark: Any) -> None:  # noqa: F811
    for records in (_sample(), generate(400, seed=3).records):
        duck = [o.to_dict() for o in build_operations(link(records, engine="duckdb"))]
        sparked = [
            o.to_dict() for o in build_operations(link(records, engine="spark", spark=spark))
        ]
        assert duck == sparked
        assert len(duck) >= 4

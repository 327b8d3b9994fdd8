"""Components found by scipy (the DuckDB engine) label each node with its component's
smallest node, as the SQL rounds of min-label propagation do."""

from __future__ import annotations

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs

from lurewatch.linking.stages import components


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

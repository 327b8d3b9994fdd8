"""The operation network before it reaches the browser: which nodes and edges exist for a
viewer, and that the layout places every node inside the fixed range."""

from __future__ import annotations

import math
from typing import Any

from lurewatch.operations.tables import Operation
from lurewatch.web.analyst.graph import SPREAD, GraphData, _LayoutCache, build_graph, layout


def _op(evidence: list[dict[str, Any]]) -> Operation:
    return Operation(uid="op-test", evidence=evidence)


def _e(a: str, b: str, kind: str = "indicator", key: str = "phone:+66811111111") -> dict[str, Any]:
    return {"a": a, "b": b, "kind": kind, "key": key, "weight": 0.5}


def test_indicator_evidence_becomes_a_shared_node_and_template_a_direct_edge() -> None:
    op = _op([_e("r1", "r2"), _e("r2", "r3"), _e("r1", "r3", "template", "template:j=0.9")])
    g = build_graph(op, {"r1": "TH", "r2": "KH", "r3": None})
    ids = [n[0] for n in g.nodes]
    assert ids == ["r:r1", "r:r2", "r:r3", "i:phone:+66811111111"]
    phone = g.nodes[3]
    assert phone[1:] == ("phone", "+66811111111", 3)  # three reports share it
    assert g.nodes[0][3] == "TH"
    edges = {(ids[i], ids[j], kind) for i, j, kind, _ in g.edges}
    assert edges == {
        ("r:r1", "i:phone:+66811111111", "indicator"),
        ("r:r2", "i:phone:+66811111111", "indicator"),
        ("r:r3", "i:phone:+66811111111", "indicator"),
        ("r:r1", "r:r3", "template"),
    }


def test_hidden_reports_and_their_evidence_are_left_out() -> None:
    op = _op([_e("r1", "secret"), _e("r1", "r2", key="handle:kk_hr"), _e("secret", "r2")])
    g = build_graph(op, {"r1": None, "r2": None})
    ids = [n[0] for n in g.nodes]
    assert "r:secret" not in ids
    # the phone only linked to the hidden report: it is not shown either
    assert ids == ["r:r1", "r:r2", "i:handle:kk_hr"]
    assert g.nodes[2][3] == 2


def test_malformed_evidence_rows_are_skipped_not_fatal() -> None:
    op = _op([{"a": None, "b": "r2"}, {"kind": "indicator"}, _e("r1", "r2")])
    g = build_graph(op, {"r1": None, "r2": None})
    assert len(g.nodes) == 3 and len(g.edges) == 2


def test_layout_places_every_node_in_range() -> None:
    n = 1200  # above 1,000: the grid variant
    nodes: list[tuple[str, str, str, Any]] = [(f"r:{i}", "report", str(i), None) for i in range(n)]
    edges = [(i, (i * 7 + 1) % n, "template", 0.5) for i in range(n)]
    coords = layout(GraphData(nodes, edges))
    assert len(coords) == n
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in coords)
    assert max(max(abs(x), abs(y)) for x, y in coords) <= SPREAD + 0.1
    assert len(set(coords)) > n * 0.9  # spread out, not piled on one point
    assert layout(GraphData([], [])) == []
    assert layout(GraphData(nodes[:1], [])) == [(0.0, 0.0)]


def test_cache_keeps_the_most_recent() -> None:
    cache = _LayoutCache(2)
    for k in range(3):
        cache.put((k,), {"k": k})
    assert cache.get((0,)) is None
    assert cache.get((1,)) == {"k": 1} and cache.get((2,)) == {"k": 2}
    cache.put((3,), {"k": 3})  # (1,) was used before (2,): (1,) goes
    assert cache.get((1,)) is None and cache.get((2,)) is not None

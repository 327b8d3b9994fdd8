"""An operation as a network for the browser: reports and indicators as nodes, evidence as
edges, positions computed here on the server.

Why the layout is done on the server: a force layout of thousands of nodes in the page would
block the browser's main thread (or need a worker and a bundler); igraph's Fruchterman-Reingold
(C, grid-accelerated) lays out 5,000 nodes in 0.18 s of CPU (0.65-0.8 s wall on the loaded
2-core machine), where networkx's `spring_layout` took 91 s (measured in one run, see
docs/dashboard.md). The
page then only draws (sigma.js on WebGL), so it stays responsive. A layout is cached per
(operation, its last update, the nodes the viewer sees), so a partner and an analyst never
share one and an updated operation is laid out again.

Shape of the JSON (compact, because a 5,000-node operation is sent whole):
`{"operation", "nodes": [[id, kind, label, x, y, extra], ...], "edges": [[i, j, kind, w], ...]}`
where `kind` is "report" or an indicator type for nodes, "indicator" or "template" for edges,
and edges name nodes by their index. `extra` is the report's country (reports) or the number of
member reports that share the indicator (indicators).

Visibility is the operations layer's (`operations.queries.members_of`): only member reports the
viewer may read become nodes, and only evidence between two of them becomes edges, so nothing
about another organisation's unshared reports reaches a partner's page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import igraph  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.orm import Session

from lurewatch.operations.build import split_key
from lurewatch.operations.queries import OperationError, members_of
from lurewatch.operations.tables import Operation
from lurewatch.store.access import Viewer

CACHE_SIZE = 32
LAYOUT_ITERATIONS = 300
LARGE_GRAPH = 2000
LARGE_GRAPH_ITERATIONS = 150
"""Fruchterman-Reingold iterations: 300 settles a graph; above LARGE_GRAPH nodes 150 are used,
which halves the cost (0.09 s against 0.18 s of CPU for 5,000 nodes) for a slightly looser
picture. The cost matters beyond its size: python-igraph holds the GIL while it lays out
(measured: a Python loop in another thread ran 8x slower meanwhile), so the layout delays the
page that is being rendered at the same time."""
SPREAD = 100.0
"""Coordinates are scaled into [-SPREAD, SPREAD]; sigma rescales to its viewport anyway, the
fixed range only keeps the JSON short (one decimal)."""


@dataclass(frozen=True, slots=True)
class GraphData:
    """Nodes and edges before layout: node tuples (id, kind, label, extra), edge index pairs."""

    nodes: list[tuple[str, str, str, Any]]
    edges: list[tuple[int, int, str, float]]


def build_graph(op: Operation, visible: dict[str, str | None]) -> GraphData:
    """The network of `op` restricted to the `visible` member reports (uid -> country).

    Indicator evidence between reports a and b through key k becomes two edges, a-k and b-k
    (the indicator is a node of its own: that is what an analyst follows); template evidence
    is a report-report edge."""
    nodes: list[tuple[str, str, str, Any]] = []
    index: dict[str, int] = {}
    for uid in sorted(visible):
        index["r:" + uid] = len(nodes)
        nodes.append(("r:" + uid, "report", uid[:8], visible[uid]))
    edges: dict[tuple[int, int, str], float] = {}
    shared: dict[str, set[str]] = {}
    for e in op.evidence or []:
        a, b = str(e.get("a")), str(e.get("b"))
        if a not in visible or b not in visible:
            continue
        weight = float(e.get("weight") or 0.0)
        ia, ib = index["r:" + a], index["r:" + b]
        if e.get("kind") == "indicator":
            key = str(e.get("key"))
            node_id = "i:" + key
            if node_id not in index:
                kind, value = split_key(key)
                index[node_id] = len(nodes)
                nodes.append((node_id, kind, value, 0))
                shared[node_id] = set()
            ik = index[node_id]
            shared[node_id] |= {a, b}
            for ir in (ia, ib):
                edges[(ir, ik, "indicator")] = max(weight, edges.get((ir, ik, "indicator"), 0.0))
        else:
            lo, hi = min(ia, ib), max(ia, ib)
            edges[(lo, hi, "template")] = max(weight, edges.get((lo, hi, "template"), 0.0))
    for node_id, reports in shared.items():
        i = index[node_id]
        nid, kind, label, _ = nodes[i]
        nodes[i] = (nid, kind, label, len(reports))
    return GraphData(nodes, [(i, j, k, w) for (i, j, k), w in edges.items()])


def layout(data: GraphData) -> list[tuple[float, float]]:
    """Positions for every node (Fruchterman-Reingold, grid variant above 1,000 nodes)."""
    n = len(data.nodes)
    if n == 0:
        return []
    if n == 1:
        return [(0.0, 0.0)]
    g = igraph.Graph(n=n, edges=[(i, j) for i, j, _, _ in data.edges])
    niter = LAYOUT_ITERATIONS if n <= LARGE_GRAPH else LARGE_GRAPH_ITERATIONS
    coords = g.layout_fruchterman_reingold(niter=niter, grid="auto").coords
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    scale = SPREAD / half
    return [(round((x - cx) * scale, 1), round((y - cy) * scale, 1)) for x, y in coords]


class _LayoutCache:
    """A small LRU of laid-out graphs (the layout is the costly part; the JSON is cheap)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> dict[str, Any] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def put(self, key: tuple[Any, ...], value: dict[str, Any]) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


CACHE = _LayoutCache(CACHE_SIZE)


def operation_graph(session: Session, viewer: Viewer, uid: str) -> dict[str, Any]:
    """The laid-out network of operation `uid` as `viewer` may see it (raises
    `OperationError` 404 when the viewer cannot see the operation)."""
    op = session.scalar(select(Operation).where(Operation.uid == uid))
    members = [m for m in members_of(session, viewer, op) if m.visible] if op else []
    if op is None or (len(members) < 2 and op.status == "active"):
        # the operations layer's rule (`queries.view`), without building the whole view
        raise OperationError(404, "No such operation among those you can see.")
    visible = {m.uid: m.country for m in members}
    key = (op.uid, op.run, str(op.updated_at), len(op.evidence or []), frozenset(visible))
    cached = CACHE.get(key)
    if cached is not None:
        return cached
    data = build_graph(op, visible)
    coords = layout(data)
    out = {
        "operation": op.uid,
        "nodes": [
            [nid, kind, label, x, y, extra]
            for (nid, kind, label, extra), (x, y) in zip(data.nodes, coords, strict=True)
        ],
        "edges": [[i, j, kind, round(w, 3)] for i, j, kind, w in data.edges],
    }
    CACHE.put(key, out)
    return out


# Laying out starts as soon as the operation's page has been sent, so it runs while the browser
# parses the page and loads its scripts; the JSON request then finds it done or under way.
_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lurewatch-graph")
_PENDING: dict[tuple[int, str, str], Future[dict[str, Any]]] = {}
_PENDING_LOCK = threading.Lock()


def _compute(sessions: Callable[[], Session], viewer: Viewer, uid: str) -> dict[str, Any]:
    with sessions() as s:
        return operation_graph(s, viewer, uid)


def prepare_graph(sessions: Callable[[], Session], viewer: Viewer, uid: str) -> None:
    """Start laying out `uid` for `viewer` in the background (no-op when already started)."""
    key = (viewer.org_id, viewer.role, uid)
    with _PENDING_LOCK:
        if key in _PENDING:
            return
        future = _POOL.submit(_compute, sessions, viewer, uid)
        _PENDING[key] = future

    def forget(_: Future[dict[str, Any]]) -> None:
        with _PENDING_LOCK:
            _PENDING.pop(key, None)

    future.add_done_callback(forget)


def graph_for(sessions: Callable[[], Session], viewer: Viewer, uid: str) -> dict[str, Any]:
    """The laid-out graph: waits for a layout `prepare_graph` started, else computes it (a
    finished background layout is in the cache). Errors are raised here, in the request."""
    with _PENDING_LOCK:
        future = _PENDING.get((viewer.org_id, viewer.role, uid))
    if future is not None:
        try:
            return future.result(timeout=120)
        except Exception:
            pass
    return _compute(sessions, viewer, uid)

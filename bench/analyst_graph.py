"""Benchmark: the analyst network graph of a 5,000-node operation, layout and drawing.

    uv run --frozen --group bench python bench/analyst_graph.py [--skip-networkx]

Layout (server side, one process): igraph's Fruchterman-Reingold (what the pages use) against
networkx's `spring_layout`, on the same graph as the browser test (3,000 reports, 2,000
identifiers each shared by about three reports). CPU seconds and wall seconds.

Drawing (headless Debian Chromium with --disable-gpu, driven by Playwright): sigma.js on WebGL
(what the pages use) against cytoscape.js on canvas with the same preset positions, from page
start to the first drawn frame, three runs each. Cytoscape is not a project dependency: it is
installed for this run into a temporary npm prefix.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import subprocess
import tempfile
import threading
import time
from itertools import pairwise
from pathlib import Path

import igraph  # type: ignore[import-untyped]

from lurewatch.web.analyst.graph import GraphData, layout

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PORT = 18590


def graph(reports: int = 3000, indicators: int = 2000) -> GraphData:
    holders: dict[int, list[int]] = {}
    for r in range(reports):
        for k in (r % indicators, (r * 7 + 3) % indicators):
            holders.setdefault(k, []).append(r)
    nodes: list[tuple[str, str, str, object]] = [
        (f"r:{i}", "report", str(i), "TH") for i in range(reports)
    ]
    nodes += [(f"i:{k}", "phone", str(k), 3) for k in range(indicators)]
    edges = set()
    for k, rs in holders.items():
        for x, y in pairwise(sorted(set(rs))):
            edges.add((x, reports + k, "indicator", 0.8))
            edges.add((y, reports + k, "indicator", 0.8))
    return GraphData(nodes, sorted(edges))


def timed(fn: object, *args: object) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.process_time() - cpu, time.perf_counter() - wall


def bench_layout(data: GraphData, networkx: bool) -> None:
    print(f"layout of {len(data.nodes)} nodes, {len(data.edges)} edges")
    for _ in range(3):
        cpu, wall = timed(layout, data)
        print(f"  igraph Fruchterman-Reingold (pages): cpu {cpu:.3f} s  wall {wall:.3f} s")
    g = igraph.Graph(n=len(data.nodes), edges=[(i, j) for i, j, _, _ in data.edges])
    cpu, wall = timed(lambda: g.layout_drl())
    print(f"  igraph DrL:                          cpu {cpu:.3f} s  wall {wall:.3f} s")
    if networkx:
        import networkx as nx

        G = nx.Graph()
        G.add_nodes_from(range(len(data.nodes)))
        G.add_edges_from((i, j) for i, j, _, _ in data.edges)
        cpu, wall = timed(lambda: nx.spring_layout(G, iterations=50, seed=1))
        print(f"  networkx spring_layout (50 it.):     cpu {cpu:.3f} s  wall {wall:.3f} s")


PAGE_SIGMA = """<!doctype html><html><body><div id="g" style="width:1200px;height:800px"></div>
<script src="graphology.umd.min.js"></script><script src="sigma.min.js"></script><script>
fetch("graph.json").then(r => r.json()).then(d => {
  const g = new graphology.Graph();
  d.nodes.forEach(n => g.addNode(n[0], {x: n[3], y: n[4], size: 3, color: "#1f4e8c"}));
  d.edges.forEach(e => { const a = d.nodes[e[0]][0], b = d.nodes[e[1]][0];
    if (!g.hasEdge(a, b)) g.addEdge(a, b, {color: "#b9bec7", size: 0.5}); });
  const s = new Sigma(g, document.getElementById("g"), {renderLabels: false});
  s.once("afterRender", () => { window.drawn = performance.now(); }); s.refresh();
});
</script></body></html>"""

PAGE_CYTOSCAPE = """<!doctype html><html><body><div id="g" style="width:1200px;height:800px"></div>
<script src="cytoscape.min.js"></script><script>
fetch("graph.json").then(r => r.json()).then(d => {
  const els = d.nodes.map(n => ({data: {id: n[0]}, position: {x: n[3] * 5, y: n[4] * 5}}));
  d.edges.forEach(e => els.push({data: {source: d.nodes[e[0]][0], target: d.nodes[e[1]][0]}}));
  const cy = cytoscape({container: document.getElementById("g"), elements: els,
    layout: {name: "preset"}, textureOnViewport: true, hideEdgesOnViewport: true,
    style: [{selector: "node", style: {width: 6, height: 6, "background-color": "#1f4e8c"}},
            {selector: "edge", style: {width: 0.5, "line-color": "#b9bec7"}}]});
  cy.one("render", () => { window.drawn = performance.now(); });
});
</script></body></html>"""


def bench_draw(data: GraphData) -> None:
    from playwright.sync_api import sync_playwright

    site = Path(tempfile.mkdtemp(prefix="lw-bench-graph-"))
    try:
        coords = layout(data)
        nodes = [
            [n[0], n[1], n[2], x, y, n[3]] for n, (x, y) in zip(data.nodes, coords, strict=True)
        ]
        (site / "graph.json").write_text(json.dumps({"nodes": nodes, "edges": data.edges}))
        modules = ROOT / "node_modules"
        shutil.copy(modules / "graphology/dist/graphology.umd.min.js", site)
        shutil.copy(modules / "sigma/dist/sigma.min.js", site)
        subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--no-save",
                "--prefix",
                str(site / "npm"),
                "cytoscape@3",
            ],
            check=True,
        )
        shutil.copy(site / "npm/node_modules/cytoscape/dist/cytoscape.min.js", site)
        (site / "sigma.html").write_text(PAGE_SIGMA)
        (site / "cytoscape.html").write_text(PAGE_CYTOSCAPE)

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

        handler = functools.partial(Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"drawing {len(nodes)} nodes in headless Chromium (--disable-gpu), ms to first frame")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for name in ("sigma", "cytoscape"):
                runs = []
                for _ in range(3):
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    page.goto(f"http://127.0.0.1:{PORT}/{name}.html")
                    page.wait_for_function("window.drawn !== undefined", timeout=60_000)
                    runs.append(page.evaluate("window.drawn"))
                    page.close()
                print(f"  {name:10s} " + "  ".join(f"{r:6.0f}" for r in runs))
            browser.close()
        server.shutdown()
    finally:
        shutil.rmtree(site, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-networkx", action="store_true", help="networkx takes minutes")
    ap.add_argument("--skip-draw", action="store_true")
    args = ap.parse_args()
    data = graph()
    bench_layout(data, not args.skip_networkx)
    if not args.skip_draw:
        bench_draw(data)


if __name__ == "__main__":
    main()

"""Linking benchmark: DuckDB, Spark local and a networkx baseline on synthetic report sets.

For each size a report set with planted operations is generated once (`lurewatch.linking.
synthetic`, fixed seed), written to Parquet and kept in `~/.cache/lurewatch-bench-link`
(`--cache`) for the next run. Each engine then runs in its own child process
(so peak memory is its own: `ru_maxrss` of the child and of the child's own children, e.g. the
Spark JVM) and is timed from reading the Parquet file to the list of clusters:

- duckdb:   `link_files(parquet)`;
- spark:    `link_files(parquet, engine="spark")` on `local[2]`, session start excluded;
- networkx: the same prepare step and the same evidence rules written as Python loops over
            dicts, components by `networkx.connected_components`; its clusters are compared
            with DuckDB's (they must be the same partition).

Indicators are GIVEN in the timed part (as when linking the store, where intake already
extracted them); `--extract N` separately times linking N raw texts with extraction.
`--minhash N` compares datasketch's MinHash with ours on N masked texts.

    uv run --group bench python bench/link.py [--sizes 10000 100000 1000000]
        [--engines duckdb spark networkx] [--limit 900] [--extract 5000] [--minhash 2000]
        [--stages]   # also each SQL stage's wall seconds (DuckDB)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.common import table  # noqa: E402

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "lurewatch-bench-link"
"""Generated report sets are kept here between runs (generating 1M reports takes minutes of
the machine's time); the file name carries the size, the seed and a hash of the generator's
source, so a changed generator makes a new set."""


def _write_set(n: int, seed: int, directory: Path) -> tuple[Path, Path, dict[str, Any]]:
    """(Parquet file, truth JSON, stats) of a report set, from the cache when it is there."""
    import hashlib

    from lurewatch.linking import synthetic

    source = Path(synthetic.__file__).read_bytes()
    tag = f"{n}_{seed}_{hashlib.sha256(source).hexdigest()[:12]}"
    path = directory / f"reports_{tag}.parquet"
    truth = directory / f"truth_{tag}.json"
    stats_path = directory / f"stats_{tag}.json"
    if not (path.exists() and truth.exists() and stats_path.exists()):
        directory.mkdir(parents=True, exist_ok=True)
        stats = _generate(n, seed, path, truth)
        stats_path.write_text(json.dumps(stats))
    return path, truth, json.loads(stats_path.read_text())


def _generate(n: int, seed: int, path: Path, truth: Path) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from lurewatch.linking.synthetic import generate

    s = generate(n, seed=seed)
    pq.write_table(
        pa.table(
            {
                "id": [r.report_id for r in s.records],
                "text": [r.text for r in s.records],
                "indicators": [
                    json.dumps([list(p) for p in r.indicators or ()]) for r in s.records
                ],
            }
        ),
        path.with_suffix(".tmp"),
        row_group_size=100_000,
    )
    truth.write_text(json.dumps(s.truth))
    path.with_suffix(".tmp").rename(path)
    return dict(s.stats())


def _networkx_clusters(records: list[Any], config: Any) -> list[tuple[str, ...]]:
    """The SQL stages' rules as plain Python, components with networkx."""
    import networkx as nx

    from lurewatch.linking.config import THRESHOLD_MILLI as T
    from lurewatch.linking.prepare import prepare_batch

    ordered = sorted(records, key=lambda r: r.report_id)
    ids = [r.report_id for r in ordered]
    keys_of: list[dict[str, int]] = []
    sigs: list[tuple[int, ...]] = []
    raw: list[list[tuple[str, str | None, int]]] = []
    for start in range(0, len(ordered), 50_000):
        batch = prepare_batch(ordered[start : start + 50_000], config)
        raw.extend(batch.keys)
        sigs.extend(p.signature for p in batch.reports)
    df: dict[str, int] = defaultdict(int)
    stopped: set[str] = set()
    cap: dict[str, int] = {}
    for keys in raw:
        for k, why, c in keys:
            df[k] += 1
            cap[k] = c
            if why:
                stopped.add(k)
    members: dict[str, list[int]] = defaultdict(list)
    for rid, keys in enumerate(raw):
        live: dict[str, int] = {}
        for k, _, _ in keys:
            if k in stopped or df[k] < 2:
                continue
            w = min(config.key_weight_milli(df[k]), cap[k])
            if w > 0:
                live[k] = w
                members[k].append(rid)
        keys_of.append(live)
    graph = nx.Graph()
    candidates: set[tuple[int, int]] = set()

    def pairs(group: list[int]) -> None:
        if len(group) <= config.pair_cap:
            candidates.update((a, b) for i, a in enumerate(group) for b in group[i + 1 :])
        else:
            for i in range(1, len(group)):
                candidates.add((group[0], group[i]))
                candidates.add((group[i - 1], group[i]))

    for k, group in members.items():
        if keys_of[group[0]][k] >= T:
            graph.add_edges_from((group[0], b) for b in group[1:])
        else:
            pairs(group)
    r = config.rows
    for band in range(config.bands):
        buckets: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for rid, sig in enumerate(sigs):
            if sig:
                buckets[sig[band * r : (band + 1) * r]].append(rid)
        for group in buckets.values():
            if len(group) >= 2:
                pairs(group)
    for a, b in candidates:
        score = sum(w for k, w in keys_of[a].items() if k in keys_of[b])
        if sigs[a] and sigs[b]:
            m = sum(1 for x, y in zip(sigs[a], sigs[b], strict=True) if x == y)
            score += config.template_weight_milli(m)
        if score >= T:
            graph.add_edge(a, b)
    return sorted(tuple(ids[i] for i in sorted(c)) for c in nx.connected_components(graph))


def child(engine: str, path: str, out: str) -> None:
    """Run one engine on one file and write its figures to `out` (JSON)."""
    from lurewatch.linking import LinkConfig, link_files
    from lurewatch.linking.stoplists import default_stoplists

    default_stoplists()  # imports and list loading are not part of the job
    from lurewatch.linking.masking import mask

    mask("warm up")
    spark = None
    if engine == "spark":
        from lurewatch.linking.spark import local_session

        spark = local_session(cores=2, shuffle_partitions=4)
        spark.sparkContext.setLogLevel("ERROR")
    c0 = os.times()
    t0 = time.perf_counter()
    if engine == "networkx":
        from lurewatch.linking.engine import _rows
        from lurewatch.linking.records import record_from

        recs = [record_from(row, str(n)) for n, row in _rows(Path(path)) if isinstance(row, dict)]
        clusters = _networkx_clusters(recs, LinkConfig())
        timings: dict[str, float] = {}
    else:
        res = link_files(path, engine=engine, spark=spark)  # type: ignore[arg-type]
        clusters = [c.report_ids for c in res.clusters]
        timings = res.timings
    wall = time.perf_counter() - t0
    c1 = os.times()
    if spark is not None:
        spark.stop()
    Path(out).write_text(
        json.dumps(
            {
                "wall": wall,
                "cpu": (c1.user - c0.user) + (c1.system - c0.system),
                "cpu_children": (c1.children_user - c0.children_user)
                + (c1.children_system - c0.children_system),
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                "clusters": clusters,
                "timings": timings,
            }
        )
    )


def _stage_line(timings: dict[str, float]) -> str:
    """`name seconds` of the DuckDB engine's SQL stages, slowest first."""
    stages = {k.removeprefix("stage:"): v for k, v in timings.items() if k.startswith("stage:")}
    return ", ".join(f"{k} {v:.1f}" for k, v in sorted(stages.items(), key=lambda kv: -kv[1]))


def _scores(clusters: list[list[str]], truth: dict[str, str | None]) -> tuple[float, float, float]:
    from lurewatch.linking.model import Cluster
    from lurewatch.linking.synthetic import pairwise_scores

    return pairwise_scores([Cluster(tuple(c), ()) for c in clusters], truth)


def _run_child(engine: str, path: Path, limit: float, tmp: Path) -> dict[str, Any] | str:
    out = tmp / f"{engine}_{path.stem}.json"
    cmd = [sys.executable, __file__, "--child", engine, str(path), str(out)]
    try:
        proc = subprocess.run(cmd, timeout=limit, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return f"did not finish in {limit:.0f} s"
    if proc.returncode != 0 or not out.exists():
        tail = (proc.stderr or "").strip().splitlines()[-3:]
        return "failed: " + " / ".join(tail)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def minhash_comparison(n: int) -> str:
    """datasketch MinHash (64 permutations, update_batch) against ours, same masked texts."""
    from datasketch import MinHash

    from lurewatch.linking.config import LinkConfig
    from lurewatch.linking.masking import mask_many
    from lurewatch.linking.minhash import signatures
    from lurewatch.linking.synthetic import generate

    config = LinkConfig()
    texts = mask_many([r.text for r in generate(n, seed=3).records])
    t0 = time.process_time()
    signatures(texts, config)
    ours = time.process_time() - t0
    t0 = time.process_time()
    for t in texts:
        low = t.lower()
        sh = [low[i : i + config.shingle].encode() for i in range(len(low) - config.shingle + 1)]
        m = MinHash(num_perm=config.bins)
        m.update_batch(sh)
    theirs = time.process_time() - t0
    return (
        f"MinHash of {n:,} masked texts, CPU seconds: numpy one-permutation {ours:.3f} s, "
        f"datasketch (64 permutations, update_batch) {theirs:.3f} s: "
        f"datasketch is {theirs / ours:.0f}x slower"
    )


def extraction_comparison(n: int) -> str:
    """Linking n raw texts with extraction vs the same texts with indicators given."""
    from lurewatch.linking import link
    from lurewatch.linking.synthetic import generate, pairwise_scores

    given = generate(n, seed=4)
    raw = generate(n, seed=4, indicators=False)
    link(given.records[:50])
    link(raw.records[:50])
    out = []
    for label, s in (("given", given), ("extracted", raw)):
        t0 = time.perf_counter()
        c0 = time.process_time()
        res = link(s.records)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        p, r, f1 = pairwise_scores(res.clusters, s.truth)
        out.append(f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU, P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    return f"{n:,} reports, DuckDB, indicators " + "; ".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--engines", nargs="+", default=["duckdb", "spark", "networkx"])
    ap.add_argument("--limit", type=float, default=900.0, help="seconds per engine run")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--extract", type=int, default=0, help="also time extraction on N texts")
    ap.add_argument("--minhash", type=int, default=0, help="also compare datasketch on N texts")
    ap.add_argument("--cache", type=Path, default=CACHE, help="where report sets are kept")
    ap.add_argument(
        "--stages", action="store_true", help="print each SQL stage's wall seconds (DuckDB)"
    )
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    if args.minhash:
        print(minhash_comparison(args.minhash), flush=True)
    if args.extract:
        print(extraction_comparison(args.extract), flush=True)
    rows: list[list[object]] = []
    walls: dict[str, dict[int, float]] = defaultdict(dict)
    with tempfile.TemporaryDirectory(prefix="lw-bench-link-") as d:
        tmp = Path(d)
        for n in args.sizes:
            t0 = time.perf_counter()
            path, truth_path, stats = _write_set(n, args.seed, args.cache)
            truth = json.loads(truth_path.read_text())
            print(
                f"\n{n:,} reports: {stats['operations']:,} operations (largest "
                f"{stats['largest_operation']:,}), {stats['indicator_occurrences']:,} indicator "
                f"occurrences; generated or read from {args.cache} in "
                f"{time.perf_counter() - t0:.0f} s",
                flush=True,
            )
            reference: list[list[str]] | None = None
            for engine in args.engines:
                got = _run_child(engine, path, args.limit, tmp)
                if isinstance(got, str):
                    rows.append([f"{n:,}", engine, got, "", "", "", "", "", ""])
                    print(rows[-1], flush=True)
                    continue
                clusters = got["clusters"]
                p, r, f1 = _scores(clusters, truth)
                same = ""
                if engine == "duckdb":
                    reference = sorted(clusters)
                elif reference is not None:
                    same = "yes" if sorted(clusters) == reference else "NO"
                walls[engine][n] = got["wall"]
                tm = got["timings"]
                phases = " / ".join(
                    f"{tm[k]:.1f}" for k in ("read", "prepare", "stages", "assemble") if k in tm
                )
                if args.stages and tm:
                    print("  stages (wall s): " + _stage_line(tm), flush=True)
                    cpu = [f"{k[4:]} {v:.1f}" for k, v in tm.items() if k.startswith("cpu:")]
                    print("  CPU s (all threads): " + ", ".join(cpu), flush=True)
                rows.append(
                    [
                        f"{n:,}",
                        engine,
                        f"{got['wall']:.1f}",
                        f"{got['cpu'] + got['cpu_children']:.1f}",
                        phases,
                        f"{max(got['rss_mb'], got['rss_children_mb']):,.0f}",
                        f"{p:.3f} / {r:.3f} / {f1:.3f}",
                        same,
                        f"{os.getloadavg()[0]:.1f}",
                    ]
                )
                print(rows[-1], flush=True)
    print()
    print(
        table(
            [
                "reports",
                "engine",
                "wall s",
                "CPU s",
                "read / prepare / stages / assemble s",
                "peak RSS MB",
                "pairwise P / R / F1",
                "same clusters as DuckDB",
                "load after",
            ],
            rows,
        )
    )
    for engine, by_n in walls.items():
        if 100_000 in by_n and 1_000_000 in by_n:
            ratio = by_n[1_000_000] / by_n[100_000]
            nlogn = 10 * math.log(1e6) / math.log(1e5)
            print(f"{engine}: 100k -> 1M wall ratio {ratio:.1f} (n log n would be {nlogn:.1f})")
    for n in args.sizes:
        if n in walls.get("duckdb", {}) and n in walls.get("networkx", {}):
            print(
                f"{n:,}: networkx baseline / DuckDB wall = "
                f"{walls['networkx'][n] / walls['duckdb'][n]:.1f}"
            )


if __name__ == "__main__":
    main()

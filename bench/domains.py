"""Benchmark: known-bad lookups/s and unseen-domain checks/s, against plain baselines.

    uv run --frozen python bench/domains.py [--lists DIR] [--queries N]

Index: the shared lists (~354k usable entries), padded with deterministic synthetic domains to
400k. Baselines: a plain Python `set` (exact host only: no subdomains, URLs, www., allow
entries or provenance) and a naive Levenshtein scan (the unseen domain's label against every
listed domain's label, rapidfuzz in C; and a pure-Python DP against the brand tokens).
One process, one core; rates are per CPU-second of this process.
"""

from __future__ import annotations

import argparse
import gc
import random
import string
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from lurewatch.domains.catalogue import default_catalogue
from lurewatch.domains.check import DomainChecker
from lurewatch.domains.listfiles import read_list
from lurewatch.domains.lists import default_lists_dir, load_index
from lurewatch.domains.model import default_model

TARGET_LISTED = 400_000


def _rate(fn: Callable[[str], object], items: Sequence[str], min_seconds: float = 1.0) -> float:
    # CPU time of this process, not wall time: the machine is shared, and the bar is
    # "on one core" (single-threaded code, so CPU seconds are core seconds).
    n = 0
    start = time.process_time()
    while True:
        for x in items:
            fn(x)
        n += len(items)
        elapsed = time.process_time() - start
        if elapsed >= min_seconds:
            return n / elapsed


def _synthetic(n: int, rng: random.Random) -> list[str]:
    tlds = ["com", "xyz", "top", "vip", "net", "io", "app", "site", "online"]
    letters = string.ascii_lowercase + string.digits
    return [
        "".join(rng.choices(letters, k=rng.randint(6, 16))) + "." + rng.choice(tlds)
        for _ in range(n)
    ]


def _dp_levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lists", type=Path, default=default_lists_dir())
    ap.add_argument("--queries", type=int, default=50_000)
    args = ap.parse_args()
    rng = random.Random(7)

    t0 = time.perf_counter()
    index = load_index(args.lists)
    load_s = time.perf_counter() - t0
    real = len(index)
    pad = _synthetic(max(0, TARGET_LISTED - real), rng)
    for d in pad:
        index.add(d, "synthetic")
    listed = [e.entry for e in read_list(args.lists / "scamsniffer_domains_2022_2024.csv")]
    plain = set(listed) | set(pad)

    gc.freeze()  # as default_checker() does: long-lived index objects leave the GC's scans
    hits = rng.sample(listed, args.queries // 2)
    misses = _synthetic(args.queries // 2, rng)
    queries = hits + misses
    rng.shuffle(queries)
    urls = [f"https://www.{q}/login?x=1" for q in queries[: args.queries // 5]]

    rows: list[tuple[str, float]] = [
        ("lurewatch contains(host)", _rate(index.contains, queries)),
        ("lurewatch lookup(host) -> hits", _rate(index.lookup, queries)),
        ("lurewatch lookup(full URL)", _rate(index.lookup, urls)),
        ("plain set, exact host only", _rate(plain.__contains__, queries)),
    ]

    unseen_src = [e.entry for e in read_list(args.lists / "popular_domains_umbrella_top10k.csv")]
    unseen = rng.sample(unseen_src, 2000) + rng.sample(listed, 2000)
    checker = DomainChecker(index=None, model=default_model())
    full = DomainChecker(index=index, model=default_model())
    rows.append(("check_domain, unseen (model+look-alike)", _rate(checker.check, unseen, 2.0)))
    rows.append(("check_domain incl. list lookup", _rate(full.check, unseen, 2.0)))

    labels = [d.split(".")[0] for d in list(plain)[:TARGET_LISTED]]
    few = unseen[:20]

    def naive_scan(d: str) -> object:
        return process.extractOne(
            d.split(".")[0], labels, scorer=Levenshtein.distance, score_cutoff=2
        )

    rows.append(("naive Levenshtein scan of 400k labels (C)", _rate(naive_scan, few, 2.0)))
    tokens = [t for b in default_catalogue().brands for t in b.tokens]

    def naive_brands(d: str) -> object:
        label = d.split(".")[0]
        return min(_dp_levenshtein(label, t) for t in tokens)

    rows.append(("naive pure-Python DP vs brand tokens", _rate(naive_brands, few * 5, 2.0)))

    print(
        f"listed entries: {real:,} from shared lists (+{len(pad):,} synthetic = "
        f"{len(index):,}); load {load_s:.1f}s"
    )
    print(f"{'operation':45s} {'per second':>14s}")
    for name, rate in rows:
        print(f"{name:45s} {rate:14,.0f}")


if __name__ == "__main__":
    main()

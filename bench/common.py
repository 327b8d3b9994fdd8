"""Helpers shared by the benchmarks: the shared corpus, one-core pinning, tables.

Benchmarks compare lurewatch with named peers side by side in ONE run on the same input, and
report ratios: these machines are shared and noisy, so absolute times mean little on their own.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("LUREWATCH_SHARED_DATA", REPO.parent / "shared" / "data"))


def pin_one_core() -> str:
    """Run on one core so figures compare with "per core" bars; returns a note for the table."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def corpus_rows(kinds: Sequence[str] = ("message", "job_ad")) -> Iterator[dict[str, str]]:
    """Every row of every corpus file in the shared data, in a fixed order."""
    corpus = SHARED_DATA / "corpus"
    if not corpus.is_dir():
        sys.exit(f"shared corpus not found at {corpus} (set LUREWATCH_SHARED_DATA)")
    for path in sorted(corpus.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row.get("kind") in kinds:
                    yield row


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table, so results paste straight into the docs."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    out = []
    for k, r in enumerate(cells):
        out.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
        if k == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)

"""Shared check that an extractor's time grows linearly with hostile input.

Times one extractor on pre-normalized text (so other families and normalization, owned
elsewhere, do not blur the measurement), in CPU time, best of two runs.
"""

from __future__ import annotations

import time

from lurewatch.indicators.base import Context, Extractor
from lurewatch.text import normalize


def _cpu(extractor: Extractor, ctx: Context) -> float:
    best = float("inf")
    for _ in range(2):
        t = time.process_time()
        list(extractor(ctx))
        best = min(best, time.process_time() - t)
    return best


def growth(extractor: Extractor, unit: str, small: int = 5_000, region: str | None = None) -> float:
    """Time ratio on 10x more hostile text (about 10 when linear, 100 when quadratic)."""
    short = Context(nt=normalize((unit * (small // len(unit) + 1))[:small]), region=region)
    long = Context(
        nt=normalize((unit * (10 * small // len(unit) + 1))[: 10 * small]), region=region
    )
    return _cpu(extractor, long) / max(_cpu(extractor, short), 1e-3)

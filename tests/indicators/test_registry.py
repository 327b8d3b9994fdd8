"""The extraction entry point: overlap policy, type filtering, hostile sizes."""

from __future__ import annotations

import gc
import time

import pytest

from lurewatch import extract
from lurewatch.indicators.registry import resolve_overlaps
from lurewatch.models import Indicator


def _ind(type_: str, start: int, end: int) -> Indicator:
    return Indicator(
        type=type_,  # type: ignore[arg-type]
        value="x" * (end - start),
        normalized="x",
        start=start,
        end=end,
        valid=True,
    )


def test_more_specific_numeric_reading_wins() -> None:
    out = resolve_overlaps(
        [_ind("phone", 0, 10), _ind("bank_account", 0, 10), _ind("phone", 20, 30)]
    )
    assert [(i.type, i.start) for i in out] == [("bank_account", 0), ("phone", 20)]
    out = resolve_overlaps([_ind("iban", 0, 22), _ind("bank_account", 4, 22)])
    assert [i.type for i in out] == ["iban"]


def test_web_families_may_overlap() -> None:
    out = resolve_overlaps([_ind("url", 0, 12), _ind("handle", 0, 12), _ind("phone", 5, 12)])
    assert sorted(i.type for i in out) == ["handle", "phone", "url"]


def test_unknown_type_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown indicator type"):
        extract("x", types=["telepathy"])  # type: ignore[list-item]


def test_empty_text() -> None:
    assert extract("") == []


def _elapsed(n: int) -> float:
    items = [_ind("phone" if k % 2 else "money", k * 3, k * 3 + 5) for k in range(n)]
    # CPU time (wall time on a shared machine measures the neighbours), with the cyclic GC
    # paused: its passes over the n freshly built objects are not the algorithm's cost.
    gc.collect()
    gc.disable()
    try:
        t0 = time.process_time()
        resolve_overlaps(items)
        return time.process_time() - t0
    finally:
        gc.enable()


def test_overlap_resolution_is_not_quadratic() -> None:
    _elapsed(1000)
    small = min(_elapsed(5_000) for _ in range(3))
    big = min(_elapsed(50_000) for _ in range(3))
    assert big <= max(30 * small, 0.05), (small, big)

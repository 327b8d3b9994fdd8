"""The numpy LSH stages (`lsh.py`, the DuckDB engine's default) against the SQL stages and
against the rules written out as plain loops."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from itertools import combinations

import numpy as np
import numpy.typing as npt
import pytest

from lurewatch.linking import LinkConfig, lsh
from lurewatch.linking.duck import link_duckdb
from lurewatch.linking.lsh import (
    SignatureMatrix,
    _band_order,
    _bucket_pairs,
    _equal_counts,
    candidate_pairs,
    template_scores,
)
from lurewatch.linking.minhash import splitmix64
from lurewatch.linking.synthetic import generate
from tests.linking.test_engine import handwritten


def _rule_pairs(groups: list[list[int]], cap: int) -> set[tuple[int, int]]:
    """`sql._pairs` written out: all pairs up to `cap`, else first-and-predecessor."""
    out: set[tuple[int, int]] = set()
    for g in groups:
        if len(g) <= cap:
            out.update(combinations(sorted(g), 2))
        else:
            g = sorted(g)
            for i in range(1, len(g)):
                out.add((g[0], g[i]))
                out.add((g[i - 1], g[i]))
    return out


@pytest.mark.parametrize(("cap", "max_bucket"), [(3, None), (12, None), (3, 6)])
def test_numpy_and_sql_stages_give_the_same_result(cap: int, max_bucket: int | None) -> None:
    records = generate(1500, seed=11).records + handwritten()
    config = LinkConfig(pair_cap=cap, strong_df=8, max_df=60, max_bucket=max_bucket)
    native = link_duckdb(records, config, [])
    in_sql = link_duckdb(records, config, [], native_lsh=False)
    assert any(e.kind == "template" for c in native.clusters for e in c.edges)
    assert native.clusters == in_sql.clusters
    assert native.key_stats == in_sql.key_stats
    assert native.prepared == in_sql.prepared


_WEAK_MIXES: dict[str, Callable[[npt.NDArray[np.uint64]], npt.NDArray[np.uint64]] | None] = {
    "splitmix64": None,
    # everything in one run of equal prefixes: the whole band is sorted exactly
    "constant": lambda h: h & np.uint64(0),
    # 3 prefixes for 256 distinct values: every run holds several values, in other orders
    "three prefixes": lambda h: (h % np.uint64(3)) << np.uint64(61),
    # only the values with a zero in the low 2 bits of a column clash with each other
    "some clash": lambda h: np.where(
        (h & np.uint64(3 << 36)) == 0, np.uint64(7) << np.uint64(58), splitmix64(h)
    ),
}


@pytest.mark.parametrize("mix_name", list(_WEAK_MIXES))
def test_band_buckets_are_exactly_the_rows_with_equal_values(mix_name: str) -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(0, 4, size=(500, 4)).astype(np.int64) << 36  # many repeats
    # a mix whose hash prefixes clash forces the exact re-sort of the clashing runs
    mix = _WEAK_MIXES[mix_name]
    order, starts = _band_order(values, mix) if mix else _band_order(values)
    groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for i, row in enumerate(values.tolist()):
        groups[tuple(row)].append(i)
    got: list[list[int]] = []
    for i, row in zip(order.tolist(), starts.tolist(), strict=True):
        if row:
            got.append([])
        got[-1].append(i)
    assert all(g == sorted(g) for g in got)  # report order within a bucket
    assert sorted(got) == sorted(groups.values())


def test_bucket_pairs_follow_the_sql_rule() -> None:
    cap = 4
    groups = [[0], [1, 5], [2, 3, 4, 9], [6, 7, 8, 10, 11, 12, 13], [14, 20, 30, 40, 50]]
    rids = np.array([r for g in groups for r in g], dtype=np.int64)
    starts = np.array([i == 0 for g in groups for i in range(len(g))])
    a, b = _bucket_pairs(rids, starts, cap)
    got = list(zip(a.tolist(), b.tolist(), strict=True))
    assert set(got) == _rule_pairs(groups, cap)
    assert len(got) == len(set(got))  # no pair twice within a band


@pytest.mark.parametrize(("chunk", "max_bucket"), [(lsh.SCORE_CHUNK, None), (7, None), (7, 8)])
def test_candidates_and_scores_against_plain_loops(
    chunk: int, max_bucket: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lsh, "SCORE_CHUNK", chunk)  # 7: many chunks, a short last one
    config = LinkConfig(pair_cap=3, max_bucket=max_bucket)
    rng = np.random.default_rng(5)
    n = 300
    base = rng.integers(0, 1 << 39, size=(6, config.bins))
    sig = base[rng.integers(0, 6, size=n)].copy()
    # change a random share of each row's bins; keep the low byte of some changed bins
    # equal, so the one-byte pre-filter sees more matches than there are
    for i in range(n):
        k = int(rng.integers(0, config.bins))
        cols = rng.choice(config.bins, size=k, replace=False)
        sig[i, cols] = (rng.integers(1, 1 << 30, size=k) << 8) | (sig[i, cols] & 0xFF)
    has = rng.random(n) > 0.1
    sigs = SignatureMatrix(sig.astype(np.int64), has)
    weak_a = np.array([0, 1, 2], dtype=np.int64)
    weak_b = np.array([5, 7, 2 + n // 2], dtype=np.int64)
    a, b = candidate_pairs(sigs, config, weak_a, weak_b)
    expect: set[tuple[int, int]] = {(0, 5), (1, 7), (2, 2 + n // 2)}
    r = config.rows
    left_out = 0
    for band in range(config.bands):
        buckets: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for i in range(n):
            if has[i]:
                buckets[tuple(sig[i, band * r : (band + 1) * r].tolist())].append(i)
        groups = [g for g in buckets.values() if len(g) >= 2]
        left_out += sum(len(g) > (max_bucket or n) for g in groups)
        expect |= _rule_pairs([g for g in groups if len(g) <= (max_bucket or n)], config.pair_cap)
    assert (max_bucket is None) == (left_out == 0)
    got = list(zip(a.tolist(), b.tolist(), strict=True))
    assert got == sorted(expect)
    ta, tb, tm, tw = template_scores(sigs, config, a, b)
    scored = {}
    for x, y in got:
        if has[x] and has[y]:
            m = int(np.count_nonzero(sig[x] == sig[y]))
            if config.template_weight_milli(m) > 0:
                scored[(x, y)] = (m, config.template_weight_milli(m))
    assert len(scored) > 10
    assert {
        (x, y): (m, w)
        for x, y, m, w in zip(ta.tolist(), tb.tolist(), tm.tolist(), tw.tolist(), strict=True)
    } == scored


@pytest.mark.parametrize("width", [8, 16, 64, 248, 256, 5])
def test_equal_counts_match_count_nonzero(width: int) -> None:
    rng = np.random.default_rng(width)
    x = rng.integers(0, 3, size=(400, width)).astype(np.int64)
    y = rng.integers(0, 3, size=(400, width)).astype(np.int64)
    y[:50] = x[:50]  # all equal: the largest count
    y[50:100] = x[50:100] + 1  # none equal
    got = _equal_counts(x, y)
    assert got.dtype == np.int64
    assert got.tolist() == np.count_nonzero(x == y, axis=1).tolist()
    assert got[:50].tolist() == [width] * 50
    assert _equal_counts(x.astype(np.uint8), y.astype(np.uint8)).tolist() == got.tolist()

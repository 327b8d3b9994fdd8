"""LSH candidate pairs and their template scores in numpy, for the DuckDB engine.

Why not SQL here (as Spark runs it, `sql.edge_stages`): the DuckDB engine already holds every
signature in one numpy matrix after `prepare`, and the SQL form of these two stages was most of
the linking time at scale (measured at 300k reports: bucketing 16 bands by a window over
4.8M rows 9.4 s, the DISTINCT union of 6.4M candidate pairs 12.6 s, the 64-bin equality sum
joined twice with a 64-column `reports` table 10.8 s). Here:

- each band's buckets come from one stable sort of a 64-bit mix of its 4 values (rows stay in
  report order within a bucket); the bucket boundaries are then checked on the values
  themselves, and a band whose mix collides falls back to an exact lexicographic sort, so a
  bucket is exactly "equal band values", as in SQL;
- a bucket's pairs follow `sql._pairs`: all pairs up to `pair_cap` members, else each member
  with the first and with its predecessor;
- candidate pairs are deduplicated as one sorted int64 code per pair;
- a pair's template score is its number of equal bins. A one-byte fingerprint of each bin is
  compared first (equal bins have equal fingerprints, so a pair with too few equal
  fingerprints cannot reach a template weight); only the survivors are compared on the full
  values.

The output tables are the ones the SQL stages produce (`candidates(a, b)`, `tmpl_scored(a, b,
m, w)`), so the stages after them, and `tests/linking/test_spark.py`'s equality of the two
engines, are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lurewatch.linking.config import LinkConfig
from lurewatch.linking.minhash import splitmix64

I64 = npt.NDArray[np.int64]

SCORE_CHUNK = 1 << 20
"""Pairs compared per numpy step: the gathered fingerprints of a chunk take ~128 MB."""


@dataclass(slots=True)
class SignatureMatrix:
    """All reports' signatures, row = report rank `rid`; `has[rid]` is False without one."""

    sig: I64
    has: npt.NDArray[np.bool_]

    @classmethod
    def empty(cls, n: int, bins: int) -> SignatureMatrix:
        return cls(np.zeros((n, bins), dtype=np.int64), np.zeros(n, dtype=bool))


def _band_order(
    values: I64, mix: Callable[[npt.NDArray[np.uint64]], npt.NDArray[np.uint64]] = splitmix64
) -> tuple[I64, npt.NDArray[np.bool_]]:
    """(order of the rows by band values then row, True where a sorted row starts a bucket).
    `mix` is a parameter so that tests can force the collision fallback."""
    with np.errstate(over="ignore"):
        h = mix(values[:, 0].astype(np.uint64))
        for j in range(1, values.shape[1]):
            h = mix(h ^ values[:, j].astype(np.uint64))
    order = np.argsort(h, kind="stable").astype(np.int64)
    sv = values[order]
    differs = (sv[1:] != sv[:-1]).any(axis=1)
    hs = h[order]
    if np.any(differs & (hs[1:] == hs[:-1])):  # two different bands share a mix: be exact
        keys = tuple(values[:, j] for j in range(values.shape[1] - 1, -1, -1))
        order = np.lexsort((np.arange(len(values)), *keys)).astype(np.int64)
        sv = values[order]
        differs = (sv[1:] != sv[:-1]).any(axis=1)
    return order, np.concatenate(([True], differs))


def _bucket_pairs(rids: I64, starts: npt.NDArray[np.bool_], cap: int) -> tuple[I64, I64]:
    """Pairs (a < b) of one band's buckets: `rids` sorted by bucket then rid, `starts` marks
    each bucket's first row. Same rule as `sql._pairs`."""
    n = len(rids)
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    size = np.diff(np.append(first, n))[group]
    rank = np.arange(n) - first[group]
    out_a: list[I64] = []
    out_b: list[I64] = []
    small = size <= cap
    for d in range(1, cap):
        # row i and row i + d are in one small bucket
        same = (rank[: n - d] + d < size[: n - d]) & small[: n - d]
        idx = np.flatnonzero(same)
        out_a.append(rids[idx])
        out_b.append(rids[idx + d])
    big = np.flatnonzero(~small & (rank > 0))
    out_a.append(rids[first[group[big]]])
    out_b.append(rids[big])
    later = big[rank[big] > 1]  # rank 1's predecessor is the first: that pair is already in
    out_a.append(rids[later - 1])
    out_b.append(rids[later])
    return np.concatenate(out_a), np.concatenate(out_b)


def candidate_pairs(sigs: SignatureMatrix, config: LinkConfig, a: I64, b: I64) -> tuple[I64, I64]:
    """Distinct candidate pairs (a < b), sorted: the given pairs (weak keys) plus every LSH
    bucket's pairs."""
    rows = np.flatnonzero(sigs.has).astype(np.int64)
    n = len(sigs.has)
    codes = [a.astype(np.int64) * n + b.astype(np.int64)]
    r = config.rows
    for band in range(config.bands):
        values = sigs.sig[rows, band * r : (band + 1) * r]
        order, starts = _band_order(values)
        pa_, pb_ = _bucket_pairs(rows[order], starts, config.pair_cap)
        codes.append(pa_ * n + pb_)
    code = _sorted_unique(np.concatenate(codes))
    return code // max(n, 1), code % max(n, 1)


def _sorted_unique(x: I64) -> I64:
    """`np.unique` by sorting: numpy >= 2.3's hash-based `unique` took 5.9 s for what one
    in-place sort does in 0.5 s (16 bands' pairs at 100k reports)."""
    x.sort()
    if len(x) == 0:
        return x
    return x[np.concatenate(([True], x[1:] != x[:-1]))]


def template_scores(
    sigs: SignatureMatrix, config: LinkConfig, a: I64, b: I64
) -> tuple[I64, I64, I64, I64]:
    """(a, b, m, w) of the pairs whose template has a weight: `m` equal bins of `bins`, `w` its
    weight in thousandths (`LinkConfig.template_weight_milli`)."""
    weight = np.array(
        [config.template_weight_milli(m) for m in range(config.bins + 1)], dtype=np.int64
    )
    least = int(np.flatnonzero(weight > 0)[0]) if weight.any() else config.bins + 1
    both = sigs.has[a] & sigs.has[b]
    a, b = a[both], b[both]
    finger = (sigs.sig & 0xFF).astype(np.uint8)
    keep_a: list[I64] = []
    keep_b: list[I64] = []
    keep_m: list[I64] = []
    for s in range(0, len(a), SCORE_CHUNK):
        ca, cb = a[s : s + SCORE_CHUNK], b[s : s + SCORE_CHUNK]
        rough = np.count_nonzero(finger[ca] == finger[cb], axis=1)
        hit = np.flatnonzero(rough >= least)
        ca, cb = ca[hit], cb[hit]
        m = np.count_nonzero(sigs.sig[ca] == sigs.sig[cb], axis=1).astype(np.int64)
        ok = weight[m] > 0
        keep_a.append(ca[ok])
        keep_b.append(cb[ok])
        keep_m.append(m[ok])
    if not keep_a:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, e
    m_all = np.concatenate(keep_m)
    return np.concatenate(keep_a), np.concatenate(keep_b), m_all, weight[m_all]

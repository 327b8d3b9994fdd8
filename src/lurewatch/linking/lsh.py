"""LSH candidate pairs and their template scores in numpy, for the DuckDB engine.

Why not SQL here (as Spark runs it, `sql.edge_stages`): the DuckDB engine already holds every
signature in one numpy matrix after `prepare`, and the SQL form of these two stages was most of
the linking time at scale (measured at 300k reports: bucketing 16 bands by a window over
4.8M rows 9.4 s, the DISTINCT union of 6.4M candidate pairs 12.6 s, the 64-bin equality sum
joined twice with a 64-column `reports` table 10.8 s). Here:

- each band's buckets come from one sort of keys made of a 64-bit mix of its 4 values with
  the row number in the low bits (rows stay in report order within a bucket); the bucket
  boundaries are then checked on the values themselves, and a run of rows whose different
  values share a prefix is re-sorted exactly, so a bucket is exactly "equal band values", as
  in SQL;
- a bucket's pairs follow `sql._pairs`: all pairs up to `pair_cap` members, else each member
  with the first and with its predecessor; with `max_bucket` set, larger buckets give none;
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

SCORE_CHUNK = 1 << 15
"""Pairs compared per numpy step: a chunk's gathered fingerprints (2 x 2 MB) and full bins
(2 x 16 MB at most) are reused buffers that stay in cache far better than a million pairs'."""


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
    """(order of the rows by bucket, rows in order within a bucket; True where a sorted row
    starts a bucket). Buckets are exactly the rows with equal values. `mix` is a parameter so
    that tests can force the collision path.

    Why this way: each row's key is its 64-bit mix with the low bits replaced by the row's
    index, so the keys are distinct and one plain `np.sort` (numpy's SIMD sort) orders the rows
    by hash prefix and then by row; a stable `argsort` of the hashes cost ~5x more. Rows of a
    run of equal prefixes are then compared on their values; in the rare run where two
    different values share a prefix, only that run's rows are re-sorted exactly (by values,
    then row)."""
    n, r = values.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    with np.errstate(over="ignore"):
        h = mix(values[:, 0].astype(np.uint64))
        for j in range(1, r):
            h = mix(h ^ values[:, j].astype(np.uint64))
    bits = max((n - 1).bit_length(), 1)
    low = np.uint64((1 << bits) - 1)
    key = (h & ~low) | np.arange(n, dtype=np.uint64)
    key.sort()
    order = (key & low).astype(np.int64)
    prefix = key >> np.uint64(bits)
    sv = np.take(values, order, axis=0)  # np.take: ~7x faster than values[order] on rows
    differs = _rows_differ(sv)
    same = prefix[1:] == prefix[:-1]
    clash = same & differs
    if clash.any():  # two different values share a hash prefix: be exact in their runs
        run = np.cumsum(np.concatenate(([True], ~same)))
        pos = np.flatnonzero(np.isin(run, run[1:][clash]))
        sub = order[pos]
        cols = tuple(values[sub, j] for j in range(r - 1, -1, -1))
        order[pos] = sub[np.lexsort((sub, *cols, run[pos]))]
        differs = _rows_differ(np.take(values, order, axis=0))
    return order, np.concatenate(([True], differs))


def _rows_differ(sv: I64) -> npt.NDArray[np.bool_]:
    """True where row i + 1 of `sv` differs from row i (column by column: `.any(axis=1)` on
    an (n, r) bool matrix is slower)."""
    differs: npt.NDArray[np.bool_] = np.not_equal(sv[1:, 0], sv[:-1, 0])
    for j in range(1, sv.shape[1]):
        differs |= sv[1:, j] != sv[:-1, j]
    return differs


def _bucket_pairs(rids: I64, starts: npt.NDArray[np.bool_], cap: int) -> tuple[I64, I64]:
    """Pairs (a < b) of one band's buckets: `rids` sorted by bucket then rid, `starts` marks
    each bucket's first row. Same rule as `sql._pairs`.

    The all-pairs steps (row i with row i + d, d < cap) only visit rows of buckets of 2 to
    `cap` members, fewer at each step (a row stays while its bucket has a member d further
    on): at 1M reports about a quarter of a band's rows are in such buckets."""
    n = len(rids)
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    sizes = np.diff(np.append(first, n))
    size = sizes[group]
    rank = np.arange(n) - first[group]
    out_a: list[I64] = []
    out_b: list[I64] = []
    small = size <= cap
    cur = np.flatnonzero(small & (size >= 2))
    left = size[cur] - rank[cur]  # members from this row to the bucket's end, itself included
    for d in range(1, cap):
        keep = left > d  # row i + d is in the same bucket
        cur, left = cur[keep], left[keep]
        if len(cur) == 0:
            break
        out_a.append(rids[cur])
        out_b.append(rids[cur + d])
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
    # a pair is one int64 code, a in the high bits and b in the low ones: sorting the codes
    # sorts the pairs, and shifts undo it (cheaper than `// n` and `% n` on every code)
    bits = max((len(sigs.has) - 1).bit_length(), 1)
    codes = [(a.astype(np.int64) << bits) | b.astype(np.int64)]
    r = config.rows
    for band in range(config.bands):
        values = np.take(sigs.sig[:, band * r : (band + 1) * r], rows, axis=0)
        order, starts = _band_order(values)
        if config.max_bucket is not None:
            order, starts = _small_buckets(order, starts, config.max_bucket)
        pa_, pb_ = _bucket_pairs(rows[order], starts, config.pair_cap)
        pa_ <<= bits  # in place: at 1M reports every fresh array of pairs costs page faults
        pa_ |= pb_
        codes.append(pa_)
    code = _sorted_unique(np.concatenate(codes))
    b_out = code & ((1 << bits) - 1)
    code >>= bits
    return code, b_out


def _small_buckets(
    order: I64, starts: npt.NDArray[np.bool_], limit: int
) -> tuple[I64, npt.NDArray[np.bool_]]:
    """`order` and `starts` without the buckets of more than `limit` rows
    (`LinkConfig.max_bucket`)."""
    first = np.flatnonzero(starts)
    sizes = np.diff(np.append(first, len(order)))
    keep = np.repeat(sizes <= limit, sizes)
    return order[keep], starts[keep]


def _sorted_unique(x: I64) -> I64:
    """`np.unique` by sorting: numpy >= 2.3's hash-based `unique` took 5.9 s for what one
    in-place sort does in 0.5 s (16 bands' pairs at 100k reports)."""
    x.sort()
    if len(x) == 0:
        return x
    return x[np.concatenate(([True], x[1:] != x[:-1]))]


def _equal_counts(x: npt.NDArray[np.generic], y: npt.NDArray[np.generic]) -> I64:
    """Number of equal columns in each row of two (k, w) arrays.

    Why not `np.count_nonzero(x == y, axis=1)`: numpy sums a bool matrix along its rows
    element by element. Here the 0/1 bytes of the comparison are read as uint64 words, the
    words of a row are added (each byte then holds at most w / 8) and one multiplication adds
    a word's 8 bytes into its top byte, which is exact while w < 256."""
    eq: npt.NDArray[np.bool_] = np.equal(x, y)
    w = eq.shape[1]
    if w % 8 or w >= 256:
        counts: I64 = np.count_nonzero(eq, axis=1).astype(np.int64)
        return counts
    words = eq.view(np.uint64)
    total = words[:, 0].copy()
    for j in range(1, w // 8):
        total += words[:, j]
    return ((total * _BYTE_SUM) >> np.uint64(56)).astype(np.int64)


_BYTE_SUM = np.uint64(0x0101010101010101)


def template_scores(
    sigs: SignatureMatrix, config: LinkConfig, a: I64, b: I64
) -> tuple[I64, I64, I64, I64]:
    """(a, b, m, w) of the pairs whose template has a weight: `m` equal bins of `bins`, `w` its
    weight in thousandths (`LinkConfig.template_weight_milli`).

    Pairs go in chunks of `SCORE_CHUNK` gathered with `np.take` into buffers reused by every
    chunk: gathering a million pairs at once into fresh arrays (fancy indexing) cost more in
    page faults and cache misses than the comparisons themselves (300k reports, 6.4M
    candidate pairs: 3.2-4.4 s CPU before, 1.1-1.7 s after)."""
    weight = np.array(
        [config.template_weight_milli(m) for m in range(config.bins + 1)], dtype=np.int64
    )
    least = int(np.flatnonzero(weight > 0)[0]) if weight.any() else config.bins + 1
    finger = sigs.sig.astype(np.uint8)  # the low byte of each bin (C cast truncates)
    chunk = min(SCORE_CHUNK, len(a))
    fa = np.empty((chunk, config.bins), dtype=np.uint8)
    fb = np.empty_like(fa)
    va = np.empty((chunk, config.bins), dtype=np.int64)
    vb = np.empty_like(va)
    keep_a: list[I64] = []
    keep_b: list[I64] = []
    keep_m: list[I64] = []
    for s in range(0, len(a), SCORE_CHUNK):
        ca, cb = a[s : s + SCORE_CHUNK], b[s : s + SCORE_CHUNK]
        both = sigs.has[ca] & sigs.has[cb]
        if not both.all():
            ca, cb = ca[both], cb[both]
        k = len(ca)
        np.take(finger, ca, axis=0, out=fa[:k])
        np.take(finger, cb, axis=0, out=fb[:k])
        hit = np.flatnonzero(_equal_counts(fa[:k], fb[:k]) >= least)
        ca, cb = ca[hit], cb[hit]
        k = len(ca)
        np.take(sigs.sig, ca, axis=0, out=va[:k])
        np.take(sigs.sig, cb, axis=0, out=vb[:k])
        m = _equal_counts(va[:k], vb[:k])
        ok = weight[m] > 0
        keep_a.append(ca[ok])
        keep_b.append(cb[ok])
        keep_m.append(m[ok])
    if not keep_a:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, e
    m_all = np.concatenate(keep_m)
    return np.concatenate(keep_a), np.concatenate(keep_b), m_all, weight[m_all]

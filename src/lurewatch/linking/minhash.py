"""MinHash signatures of many texts at once (one-permutation hashing, numpy), and LSH bands.

Why not `datasketch`: its `MinHash` applies k permutations to every shingle of one document,
one document per Python call; measured with `bench/link.py --minhash 1000` (CPU seconds, same
masked texts, 64 permutations, `update_batch`) it is ~19x slower than this module (0.41 s vs
0.022 s), i.e. ~7 minutes of CPU for a million reports whose whole linking budget is two
minutes. Here a whole batch is hashed in a few vectorised passes:

1. the lower-cased texts are concatenated and read as UTF-32 code points;
2. every window of `shingle` code points gets a 64-bit polynomial hash, finished with the
   splitmix64 mixer (all in wrapping uint64 arithmetic);
3. one-permutation hashing (Li, Owen & Zhang 2012): the top bits of a shingle's hash choose one
   of `bins` bins, the next 32 bits are its value, and each bin keeps its minimum
   (`np.minimum.at`), so one hash per shingle replaces `bins` permutations;
4. empty bins are filled by rotation densification (Shrivastava & Li 2014): from the next
   non-empty bin to the right, plus 2^32 per step, so two texts agree on a filled bin only
   when they agree on its source.

The fraction of equal bins of two signatures estimates the Jaccard similarity of the shingle
sets. A signature is a row of `bins` non-negative int64 values below 2^39.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from lurewatch.linking.config import LinkConfig

_P = np.uint64(0x100000001B3)  # FNV-1 64-bit prime as the polynomial base
_STEP = 1 << 32
_EMPTY = np.int64(1 << 62)
Signatures = npt.NDArray[np.int64]


def splitmix64(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64 finaliser: every input bit affects every output bit (also mixes LSH band
    values into one sort key in `lsh`)."""
    return _splitmix64_into(h.copy())


def _splitmix64_into(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """`splitmix64` overwriting `h` (returned), with one scratch array instead of a fresh
    one per operation: on a batch's ~10M shingle hashes each fresh 90 MB array costs its
    page faults, so in place halves the cost of the mixer."""
    tmp = np.empty_like(h)
    with np.errstate(over="ignore"):
        for shift, mul in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB)):
            np.right_shift(h, np.uint64(shift), out=tmp)
            np.bitwise_xor(h, tmp, out=h)
            np.multiply(h, np.uint64(mul), out=h)
        np.right_shift(h, np.uint64(31), out=tmp)
        np.bitwise_xor(h, tmp, out=h)
    return h


SIGN_CHUNK = 2048
"""Texts hashed in one go by `signatures`. Its arrays take ~8 bytes per character; for a
50k-report batch (~12M characters) each fresh ~100 MB array cost its page faults again (the
first pass over new memory in this VM is slow) and none stayed in cache: the 50k masked texts
took 0.5-1.6 s CPU as one chunk, ~0.3 s in chunks of 2,000 (a few MB each, reused by malloc)."""


def signatures(
    texts: Sequence[str], config: LinkConfig
) -> tuple[Signatures, npt.NDArray[np.bool_]]:
    """(signatures `[len(texts), bins]`, has_signature) for already masked texts.

    A text with fewer than `config.min_shingles` shingles has no signature (its row is
    meaningless and `has_signature` is False). Texts are hashed `SIGN_CHUNK` at a time; a
    text's row depends on that text alone, so the chunking changes nothing but the cost."""
    n = len(texts)
    sig = np.full((n, config.bins), _EMPTY, dtype=np.int64)
    has = np.zeros(n, dtype=bool)
    for start in range(0, n, SIGN_CHUNK):
        stop = min(n, start + SIGN_CHUNK)
        _sign(texts[start:stop], config, sig[start:stop], has[start:stop])
    return sig, has


def _sign(
    texts: Sequence[str], config: LinkConfig, sig: Signatures, has: npt.NDArray[np.bool_]
) -> None:
    """Fill `sig` (rows of `_EMPTY`, C-contiguous) and `has` for `texts`, in place."""
    n = len(texts)
    k = config.shingle
    bins = config.bins
    if n == 0:
        return
    low = [t.lower() for t in texts]
    lengths = np.fromiter((len(t) for t in low), dtype=np.int64, count=n)
    counts = np.maximum(lengths - k + 1, 0)
    has[:] = counts >= config.min_shingles
    joined = "".join(low)
    if not joined:
        return
    cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    total = len(cps)
    windows = total - k + 1
    if windows <= 0:
        return
    # in place (code points stay uint32, widened as they are added): fewer fresh arrays
    h = cps[:windows].astype(np.uint64)
    with np.errstate(over="ignore"):
        for j in range(1, k):
            np.multiply(h, _P, out=h)
            np.add(h, cps[j : j + windows], out=h)
    h = _splitmix64_into(h)
    # keep the windows that lie inside one text with enough shingles: all windows of texts
    # without a signature, and the last k-1 of every text (they run into the next one), go
    del cps
    keep = np.repeat(has, lengths)[:windows]
    tail = (np.cumsum(lengths)[:, None] - np.arange(1, k, dtype=np.int64)).ravel()
    keep[tail[(tail >= 0) & (tail < windows)]] = False
    h = h[keep]
    # the kept windows of a text are its first counts[i] ones, in text order
    doc = np.repeat(np.arange(n, dtype=np.int64), np.where(has, counts, 0))
    shift = 64 - int(bins).bit_length() + 1
    index = (h >> np.uint64(shift)).view(np.int64)  # the bin: below `bins`
    index += doc * bins
    value = h >> np.uint64(shift - 32)
    value &= np.uint64(0xFFFFFFFF)
    flat = sig.reshape(-1)
    np.minimum.at(flat, index, value.view(np.int64))
    _densify(sig, has)


def _densify(sig: Signatures, has: npt.NDArray[np.bool_]) -> None:
    """Fill empty bins of rows with a signature from the next non-empty bin (circularly),
    plus 2^32 per step.

    In one pass over the matrix: the position of the next non-empty bin at or after each bin
    is a running minimum from the right over the row written twice (a row with a signature has
    a non-empty bin, so it is found within one turn). This replaced one step per distance
    over the whole matrix (as many steps as the longest gap: ~20 on synthetic reports)."""
    rows = np.flatnonzero(has & (sig == _EMPTY).any(axis=1))
    if rows.size == 0:
        return
    sub = sig[rows]
    bins = sub.shape[1]
    full = sub != _EMPTY
    span = np.arange(2 * bins)
    at = np.where(np.concatenate([full, full], axis=1), span, 2 * bins)
    nxt = np.minimum.accumulate(at[:, ::-1], axis=1)[:, ::-1][:, :bins]
    src = np.take_along_axis(sub, nxt % bins, axis=1)
    sig[rows] = src + (nxt - span[:bins]) * _STEP


def jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures (0 when either is empty)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


def band_keys(signature: Sequence[int], config: LinkConfig) -> list[str]:
    """LSH band keys `"lsh:<band>:<digest>"` of one signature: two reports share a band key
    exactly when the SQL stage would put them in the same bucket."""
    if not signature:
        return []
    r = config.rows
    out = []
    for b in range(config.bands):
        part = np.asarray(signature[b * r : (b + 1) * r], dtype=np.int64).tobytes()
        out.append(f"lsh:{b}:{hashlib.blake2b(part, digest_size=8).hexdigest()}")
    return out

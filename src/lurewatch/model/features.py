"""Features: character n-grams of the normalized text, plus optional extra features.

Why character n-grams: they work across scripts without word segmentation (Thai and Chinese
have no spaces) and survive the spelling games scammers play. Each text is represented by the
SET of its hashed n-gram buckets (binary), L2-normalised: its score is then
`table[buckets].sum() / sqrt(len(buckets))`, one numpy gather.

Why our own hashing rather than scikit-learn's HashingVectorizer: measured, its per-call
overhead and Python-level analyzer cost well over 100 us for one 150-character message, above
the whole budget; `ngram_buckets` does the same job in a few vectorised numpy operations. The one
function is used for training and at run time, so both sides see exactly the same features.

Extra features (e.g. the fired-signal category scores from `lurewatch.signals`) come from an
`ExtraFeatures` function `NormalizedText -> {name: value}`; the model learns one weight per name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]  # scipy comes with scikit-learn

from lurewatch.text import NormalizedText, normalize

ExtraFeatures = Callable[[NormalizedText], Mapping[str, float]]
"""Maps a normalized text to named numeric features (absent names count as 0)."""


HASH_BITS = 20
"""Feature buckets: 2**20 (~1 M); training keeps the `max_features` largest weights of them."""
_BASE = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def ngram_buckets(text: str, lo: int, hi: int, max_chars: int) -> np.ndarray:
    """Sorted distinct hash buckets of the character n-grams (lo..hi) of `text`.

    The text is lower-cased, cut to `max_chars` and padded with one space each side. Each
    n-gram's code points are combined by a polynomial rolling hash (uint64, wrapping), mixed with
    its length and multiplied by a golden-ratio constant; the top `HASH_BITS` bits are the
    bucket. All in a handful of numpy operations: linear in `max_chars * hi`, ~30 us for a
    150-character message, with no Python-level loop over the n-grams and no n-gram strings.
    """
    t = " " + text[:max_chars].lower() + " "
    cp = np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts: list[np.ndarray] = []
    h = cp
    for n in range(1, hi + 1):
        if n > 1:
            if len(cp) < n:
                break
            h = h[:-1] * _BASE + cp[n - 1 :]
        if n >= lo:
            parts.append(((h ^ np.uint64(n << 40)) * _MIX) >> np.uint64(64 - HASH_BITS))
    if not parts:
        return np.zeros(0, dtype=np.int64)
    # sort + neighbour test rather than np.unique: numpy 2's hash-based unique measured
    # ~2x slower on these ~500-value arrays; the result is the same sorted distinct array.
    grams = np.sort(np.concatenate(parts)).astype(np.int64)
    first = np.ones(len(grams), dtype=bool)
    np.not_equal(grams[1:], grams[:-1], out=first[1:])
    return grams[first]


def ngram_bucket_rows(
    texts: Sequence[str], lo: int, hi: int, max_chars: int
) -> tuple[np.ndarray, np.ndarray]:
    """`ngram_buckets` of many texts at once, as CSR (`indptr`, `indices`).

    Row i is `indices[indptr[i]:indptr[i + 1]]`, equal element for element to
    `ngram_buckets(texts[i], lo, hi, max_chars)`. Why a batch form: per text the work is a
    dozen numpy calls on ~500 values, so call overhead and `np.unique`'s hash table dominate
    (~60 us per message measured). Here the rolling hash runs once over the concatenated
    texts into a (position, n) table, so each text's n-grams are one contiguous stretch of it
    with nothing moved; the n-grams that would run into the next text are marked -1. Each
    stretch is sorted in place (small, cache-resident sorts: a single sort of the whole
    chunk, or scipy's CSR canonicalisation, measured 1.5-2x slower) and duplicates and
    marks are dropped in one vectorised pass: ~20 us per message (scattering each n-gram
    into a row of its own, the previous layout, cost ~16 us more).
    """
    n_texts = len(texts)
    if n_texts == 0 or hi < lo:
        return np.zeros(n_texts + 1, dtype=np.int64), np.zeros(0, dtype=np.int64)
    padded = [" " + t[:max_chars].lower() + " " for t in texts]
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=n_texts)
    ends = np.cumsum(lengths)
    cp = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    width = hi - lo + 1
    table = np.full((len(cp), width), -1, dtype=np.int64)  # [p, n - lo]: n-gram starting at p
    h = cp
    for n in range(1, hi + 1):
        if n > 1:
            h = h[:-1] * _BASE + cp[n - 1 :]
        if n >= lo:
            table[: len(h), n - lo] = ((h ^ np.uint64(n << 40)) * _MIX) >> np.uint64(64 - HASH_BITS)
            back = np.arange(1, n, dtype=np.int64)  # the last n - 1 starts of each text
            tail = (ends[:, None] - back[None, :])[back[None, :] <= lengths[:, None]]
            table[tail, n - lo] = -1
    grams = table.ravel()
    bounds = np.zeros(n_texts + 1, dtype=np.int64)
    bounds[1:] = ends * width
    edges = bounds.tolist()
    for i in range(n_texts):
        grams[edges[i] : edges[i + 1]].sort()
    first = np.ones(len(grams), dtype=bool)
    np.not_equal(grams[1:], grams[:-1], out=first[1:])
    first[bounds[:-1]] = True  # each row starts afresh (every row holds >= 2 positions)
    first &= grams >= 0
    kept = np.zeros(len(grams) + 1, dtype=np.int64)
    np.cumsum(first, out=kept[1:])
    return kept[bounds], grams[first]


def ngram_matrix(
    texts: Sequence[str], lo: int, hi: int, max_chars: int, min_df: int
) -> sp.csr_matrix:
    """Binary, L2-normalised n-gram bucket matrix for training (`2**HASH_BITS` columns).

    Each row is scaled by 1/sqrt(its number of distinct buckets), counted BEFORE the buckets
    seen in fewer than `min_df` texts are dropped, exactly as the run-time scorer does (a bucket
    it has no weight for adds 0 but still counts).
    """
    rows = [ngram_buckets(t, lo, hi, max_chars) for t in texts]
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    data = np.repeat(1.0 / np.sqrt(np.maximum(lengths, 1)), lengths).astype(np.float32)
    df = np.bincount(indices, minlength=1 << HASH_BITS)
    keep = df[indices] >= min_df
    row_of = np.repeat(np.arange(len(rows)), lengths)
    return sp.csr_matrix(
        (data[keep], (row_of[keep], indices[keep])), shape=(len(rows), 1 << HASH_BITS)
    )


def extra_matrix(
    texts: Sequence[str], extra: ExtraFeatures | None, names: Sequence[str] | None = None
) -> tuple[sp.csr_matrix | None, list[str]]:
    """Matrix of extra features for `texts` (already normalized) and the feature names.

    `names` fixes the columns (at prediction / on a held-out fold); otherwise they are the sorted
    union of the names the function returned.
    """
    if extra is None:
        return None, []
    rows = [dict(extra(normalize(t))) for t in texts]
    cols = sorted({k for r in rows for k in r}) if names is None else list(names)
    index = {k: i for i, k in enumerate(cols)}
    data: list[float] = []
    ind: list[int] = []
    ptr = [0]
    for r in rows:
        for k, v in r.items():
            if k in index and v:
                ind.append(index[k])
                data.append(float(v))
        ptr.append(len(ind))
    m = sp.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(ind, dtype=np.int32), ptr),
        shape=(len(rows), len(cols)),
    )
    return m, cols


def memoized(extra: ExtraFeatures) -> ExtraFeatures:
    """`extra` with its results cached by normalized text (cross-validation asks repeatedly)."""
    cache: dict[str, Mapping[str, float]] = {}

    def features(nt: NormalizedText) -> Mapping[str, float]:
        hit = cache.get(nt.text)
        if hit is None:
            hit = cache[nt.text] = extra(nt)
        return hit

    return features


def signal_features() -> ExtraFeatures | None:
    """The fired-signal category scores as features, if `lurewatch.signals` is installed.

    Returns None when the signals engine is not available (it is built separately), so the
    text model works on its own.
    """
    try:
        engine = importlib.import_module("lurewatch.signals")
        match_signals = engine.match_signals
        score_signals = engine.score_signals
    except (ImportError, AttributeError):
        return None

    def features(nt: NormalizedText) -> Mapping[str, float]:
        result = score_signals(match_signals(nt))
        out = {f"signal:{cat}": float(v) for cat, v in dict(result.by_category).items()}
        out["signal:score"] = float(result.score)
        return out

    return features

"""Features: character n-grams of the normalized text, plus optional extra features.

Why character n-grams: they work across scripts without word segmentation (Thai and Chinese
have no spaces) and survive the spelling games scammers play. Each text is represented by the
SET of its n-grams (binary), L2-normalised: the weight of the text is then
`sum(w[g] for g in set) / sqrt(len(set))`, which a dict lookup computes in tens of
microseconds, so prediction needs no scikit-learn pipeline at run time.

The one n-gram function (`char_ngrams`) is used both for training (as the analyzer of
scikit-learn's `CountVectorizer`) and at run time, so both sides see exactly the same features.

Extra features (e.g. the fired-signal category scores from `lurewatch.signals`) come from an
`ExtraFeatures` function `NormalizedText -> {name: value}`; the model learns one weight per name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]  # scipy comes with scikit-learn
from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]

from lurewatch.text import NormalizedText, normalize

ExtraFeatures = Callable[[NormalizedText], Mapping[str, float]]
"""Maps a normalized text to named numeric features (absent names count as 0)."""


def char_ngrams(text: str, lo: int, hi: int, max_chars: int) -> list[str]:
    """All character n-grams (lo..hi) of the lower-cased text padded with one space each side.

    Linear in `max_chars * (hi - lo + 1)`; the text is cut to `max_chars` first.
    """
    t = " " + text[:max_chars].lower() + " "
    n_chars = len(t)
    return [t[i : i + n] for n in range(lo, hi + 1) for i in range(n_chars - n + 1)]


class NgramAnalyzer:
    """Picklable analyzer for `CountVectorizer` that calls `char_ngrams` with fixed settings."""

    def __init__(self, lo: int, hi: int, max_chars: int) -> None:
        self.lo = lo
        self.hi = hi
        self.max_chars = max_chars

    def __call__(self, text: str) -> list[str]:
        return char_ngrams(text, self.lo, self.hi, self.max_chars)


def ngram_matrix(
    texts: Sequence[str], analyzer: NgramAnalyzer, min_df: int
) -> tuple[sp.csr_matrix, list[str], np.ndarray]:
    """Binary, L2-normalised n-gram matrix for training.

    Returns the matrix over the n-grams seen in at least `min_df` texts, that vocabulary, and
    each text's total number of distinct n-grams (the normaliser, which counts n-grams outside
    the vocabulary too, exactly as the run-time scorer does).
    """
    vec = CountVectorizer(analyzer=analyzer, binary=True, dtype=np.float32)
    full = vec.fit_transform(texts).tocsr()
    distinct = np.diff(full.indptr).astype(np.float32)
    df = np.bincount(full.indices, minlength=full.shape[1])
    keep = np.flatnonzero(df >= min_df)
    scale = 1.0 / np.sqrt(np.maximum(distinct, 1.0))
    x = sp.diags(scale).dot(full[:, keep]).tocsr().astype(np.float32)
    names = vec.get_feature_names_out()
    vocab = [str(names[i]) for i in keep]
    return x, vocab, distinct


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

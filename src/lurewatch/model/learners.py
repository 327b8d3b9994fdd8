"""Linear learners over the binary n-gram matrix, and how two of them are merged into one.

Why these learners (measured, 5-fold grouped CV on the message corpora, docs/model.md):
- `nblr`: logistic regression on features scaled by their naive-Bayes log-count ratio
  (Wang & Manning's NB-SVM idea, with LR). It beat plain LR on every language (en F1 0.864 ->
  0.872, th 0.920 -> 0.928, id 0.958 -> 0.966) because the NB ratio is a strong prior for
  rare, decisive n-grams in short texts.
- `svm`: a linear SVM (hinge loss) on the unscaled features: different errors from `nblr`.
- `nbsvm`: the linear SVM on NB-scaled features (the original NB-SVM); as accurate as `nblr`
  here and several times faster to train, so the shipped message model merges `nbsvm` + `svm`.
- `lr`: the plain logistic regression the first version shipped (still used for job ads).

All three give weights for the SAME features, so a weighted sum of their decision functions is
again one linear function: `merge` folds the NB ratios and the per-learner scales into one
weight vector. The run-time scorer stays one gather over one table whatever was combined.
Each learner's score is divided by its standard deviation on the training rows before the
sum, so neither dominates by scale; Platt scaling (on out-of-fold scores) calibrates the sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]  # scipy comes with scikit-learn
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

LEARNERS = ("lr", "nblr", "svm", "nbsvm")


@dataclass
class LinearFit:
    """Weights over the columns of the training matrix and an intercept."""

    coef: np.ndarray
    intercept: float


def nb_ratio(
    x: sp.csr_matrix, y: np.ndarray, sample_weight: np.ndarray, alpha: float = 1.0
) -> np.ndarray:
    """Per-column log-count ratio log(P(col | risky) / P(col | benign)), add-`alpha` smoothed.

    Presence counts (x > 0), weighted by `sample_weight`, so down-weighted datasets count less.
    """
    present = (x > 0).astype(np.float64)
    pos = np.asarray(present.T @ (sample_weight * (y == 1))).ravel() + alpha
    neg = np.asarray(present.T @ (sample_weight * (y == 0))).ravel() + alpha
    return np.asarray(np.log(pos / pos.sum()) - np.log(neg / neg.sum()))


def fit_one(
    learner: str,
    x: sp.csr_matrix,
    y: np.ndarray,
    sample_weight: np.ndarray,
    *,
    C: float,
    svm_C: float,
    random_state: int,
    n_scaled: int | None = None,
) -> LinearFit:
    """Fit one learner; returns weights in the space of the UNSCALED columns of `x`.

    `n_scaled`: only the first `n_scaled` columns (the n-gram buckets) get NB scaling; extra
    numeric features after them keep scale 1.
    """
    if learner not in LEARNERS:
        raise ValueError(f"unknown learner {learner!r}; choose from {LEARNERS}")
    scale = np.ones(x.shape[1])
    if learner in ("nblr", "nbsvm"):
        n = x.shape[1] if n_scaled is None else n_scaled
        scale[:n] = nb_ratio(x[:, :n], y, sample_weight)
        x = x @ sp.diags(scale.astype(np.float32))
    if learner in ("svm", "nbsvm"):
        model = LinearSVC(C=svm_C, random_state=random_state, max_iter=5000)
    else:
        model = LogisticRegression(
            C=C, solver="liblinear", max_iter=1000, random_state=random_state
        )
    model.fit(x, y, sample_weight=sample_weight)
    coef = np.asarray(model.coef_[0], dtype=np.float64) * scale
    return LinearFit(coef=coef, intercept=float(model.intercept_[0]))


def fit_merged(
    learners: Sequence[str],
    x: sp.csr_matrix,
    y: np.ndarray,
    sample_weight: np.ndarray | None = None,
    *,
    C: float,
    svm_C: float = 1.0,
    random_state: int = 0,
    n_scaled: int | None = None,
) -> LinearFit:
    """Fit each learner and merge them: sum of decision functions / their training std.

    One learner is returned as fitted (no rescaling), so a single `lr` is plain LR.
    """
    y = np.asarray(y)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    fits = [
        fit_one(name, x, y, w, C=C, svm_C=svm_C, random_state=random_state, n_scaled=n_scaled)
        for name in learners
    ]
    if len(fits) == 1:
        return fits[0]
    coef = np.zeros(x.shape[1])
    intercept = 0.0
    for fit in fits:
        sd = float(np.std(x @ fit.coef)) or 1.0
        coef += fit.coef / sd
        intercept += fit.intercept / sd
    return LinearFit(coef=coef, intercept=intercept)

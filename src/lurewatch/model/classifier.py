"""The classifiers: a linear model over character n-grams, its calibration, and the bundle.

Why a hand-rolled scorer on top of scikit-learn's LogisticRegression: training uses sklearn,
but predicting through a TfidfVectorizer + LogisticRegression pipeline costs ~220 us per
message here, most of it pipeline overhead. The learned weights are pruned to the largest
`max_features` (bucket, float32 weight) pairs, and one text's score is a numpy gather over its
hashed n-gram buckets divided by sqrt(their number).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]  # scipy comes with scikit-learn
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from lurewatch.model.features import (
    HASH_BITS,
    ExtraFeatures,
    extra_matrix,
    ngram_bucket_rows,
    ngram_buckets,
    ngram_matrix,
)
from lurewatch.model.learners import fit_merged


class NgramLogit:
    """Linear model on binary, L2-normalised character n-grams (+ optional extras).

    `learners` picks what fits the weights (`learners.LEARNERS`; several are merged into one
    weight vector, see `learners.fit_merged`); the default is plain logistic regression.

    Configuration in `__init__`; `fit` returns self; learned attributes end in `_`.
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 4),
        max_chars: int = 1000,
        min_df: int = 2,
        C: float = 10.0,
        max_features: int = 150_000,
        extra: ExtraFeatures | None = None,
        random_state: int = 0,
        learners: tuple[str, ...] = ("lr",),
        svm_C: float = 1.0,
    ) -> None:
        self.ngram_range = ngram_range
        self.max_chars = max_chars
        self.min_df = min_df
        self.C = C
        self.max_features = max_features
        self.extra = extra
        self.random_state = random_state
        self.learners = learners
        self.svm_C = svm_C

    def fit(
        self,
        texts: Sequence[str],
        y: Sequence[int] | np.ndarray,
        sample_weight: np.ndarray | None = None,
    ) -> NgramLogit:
        """Learn n-gram weights from normalized `texts` and 0/1 targets `y`."""
        lo, hi = self.ngram_range
        x = ngram_matrix(texts, lo, hi, self.max_chars, self.min_df)
        n_buckets = x.shape[1]
        ex, names = extra_matrix(texts, self.extra)
        if ex is not None:
            x = sp.hstack([x, ex], format="csr")
        fit = fit_merged(
            self.learners,
            x,
            np.asarray(y),
            sample_weight,
            C=self.C,
            svm_C=self.svm_C,
            random_state=self.random_state,
            n_scaled=n_buckets,
        )
        coef = fit.coef
        w = coef[:n_buckets]
        order = np.argsort(-np.abs(w), kind="stable")[: self.max_features]
        order = np.sort(order[w[order] != 0])
        self.set_weights(order, w[order].astype(np.float32))
        self.extra_names_: list[str] = names
        self.extra_weights_: list[float] = [float(v) for v in coef[n_buckets:]]
        self.intercept_: float = fit.intercept
        return self

    def set_weights(self, buckets: np.ndarray, weights: np.ndarray) -> None:
        """Install the kept (bucket, weight) pairs and the dense lookup table built from them."""
        self.buckets_: np.ndarray = np.asarray(buckets, dtype=np.int64)
        self.bucket_weights_: np.ndarray = np.asarray(weights, dtype=np.float32)
        table = np.zeros(1 << HASH_BITS, dtype=np.float32)
        table[self.buckets_] = self.bucket_weights_
        self.table_: np.ndarray = table

    def buckets(self, text: str) -> np.ndarray:
        """The hashed n-gram buckets of one normalized text under this head's settings."""
        lo, hi = self.ngram_range
        return ngram_buckets(text, lo, hi, self.max_chars)

    def decision_buckets(
        self, buckets: np.ndarray, extras: Mapping[str, float] | None = None
    ) -> float:
        """Log-odds from precomputed `buckets` (heads with equal settings share them)."""
        total = float(self.table_[buckets].sum(dtype=np.float64))
        return self.decision_from_sum(total, len(buckets), extras)

    def decision_from_sum(
        self, total: float, n_buckets: int, extras: Mapping[str, float] | None = None
    ) -> float:
        """Log-odds from the summed weights of a text's `n_buckets` distinct buckets.

        The one place the score is put together, so the batch path (`bucket_sums`) and the
        one-text path give the same float to the last bit."""
        s = total / math.sqrt(max(n_buckets, 1)) + self.intercept_
        if extras and self.extra_names_:
            for name, wt in zip(self.extra_names_, self.extra_weights_, strict=True):
                s += wt * float(extras.get(name, 0.0))
        return s

    def bucket_rows(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """`buckets` of many normalized texts at once, as CSR (`indptr`, `indices`)."""
        lo, hi = self.ngram_range
        return ngram_bucket_rows(texts, lo, hi, self.max_chars)

    def bucket_sums(self, indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
        """Per row of a CSR bucket matrix, the float64 sum of its weights.

        `np.add.reduceat` reduces each row's slice with the same pairwise summation as
        `table_[buckets].sum(dtype=np.float64)` on that row alone (tests/model check it), so
        a row's sum does not depend on the other rows of the batch."""
        out = np.zeros(len(indptr) - 1, dtype=np.float64)
        nonempty = np.flatnonzero(indptr[1:] > indptr[:-1])
        if len(nonempty):
            vals = self.table_[indices].astype(np.float64)
            out[nonempty] = np.add.reduceat(vals, indptr[:-1][nonempty])
        return out

    def decision_one(self, text: str, extras: Mapping[str, float] | None = None) -> float:
        """Log-odds for one normalized text (the run-time hot path)."""
        return self.decision_buckets(self.buckets(text), extras)

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Log-odds for many normalized texts (computes extras with `self.extra` if set)."""
        extra = self.extra if self.extra_names_ else None
        out = np.empty(len(texts), dtype=np.float64)
        for i, t in enumerate(texts):
            extras = None
            if extra is not None:
                from lurewatch.text import normalize

                extras = extra(normalize(t))
            out[i] = self.decision_one(t, extras)
        return out


@dataclass
class Platt:
    """Sigmoid calibration `p = 1 / (1 + exp(-(a * s + b)))` fitted on out-of-fold scores."""

    a: float = 1.0
    b: float = 0.0

    def fit(self, scores: np.ndarray, y: np.ndarray) -> Platt:
        lr = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
        lr.fit(scores.reshape(-1, 1), y)
        self.a = float(lr.coef_[0][0])
        self.b = float(lr.intercept_[0])
        return self

    def __call__(self, s: float) -> float:
        z = self.a * s + self.b
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def many(self, scores: np.ndarray) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-(self.a * scores + self.b))))


@dataclass
class Prediction:
    """What the model says about one text."""

    risk: float
    """Calibrated probability that the text is fraud or spam."""
    flagged: bool
    """`risk >= threshold` (the threshold shipped with the model)."""
    scam: float | None
    """Calibrated P(fraud | risky); None when there is no head or it was not run."""


@dataclass
class RiskModel:
    """Risk head (+ optional scam-vs-spam head), calibrations and the default threshold."""

    kind: str
    risk_head: NgramLogit
    risk_calibration: Platt
    threshold: float
    scam_head: NgramLogit | None = None
    scam_calibration: Platt | None = None
    language_thresholds: dict[str, float] = field(default_factory=dict)
    """Stricter thresholds for languages whose benign texts score high (never below default)."""
    metadata: dict[str, object] = field(default_factory=dict)

    def threshold_for(self, language: str | None) -> float:
        """The flagging threshold for a text in `language` (detected; None: the default)."""
        if language is None:
            return self.threshold
        return self.language_thresholds.get(language, self.threshold)

    def predict_text(
        self,
        text: str,
        extras: Mapping[str, float] | None = None,
        language: str | None = None,
        *,
        with_scam: bool | None = None,
    ) -> Prediction:
        """Predict for one NORMALIZED text (see `lurewatch.text.normalize`).

        `language` (as `NormalizedText.language` detects it) selects the threshold. The
        scam-vs-spam head runs only for flagged texts unless `with_scam` says otherwise: most
        traffic is benign and the category only matters once a text is flagged.
        """
        buckets = self.risk_head.buckets(text)
        risk = self.risk_calibration(self.risk_head.decision_buckets(buckets, extras))
        flagged = risk >= self.threshold_for(language)
        scam: float | None = None
        run_scam = flagged if with_scam is None else with_scam
        head = self.scam_head
        if run_scam and head is not None and self.scam_calibration is not None:
            same = (head.ngram_range, head.max_chars) == (
                self.risk_head.ngram_range,
                self.risk_head.max_chars,
            )
            scam_b = buckets if same else head.buckets(text)
            scam = self.scam_calibration(head.decision_buckets(scam_b, extras))
        return Prediction(risk=risk, flagged=flagged, scam=scam)

    def predict_many(
        self,
        texts: Sequence[str],
        extras: Sequence[Mapping[str, float] | None] | None = None,
        languages: Sequence[str | None] | None = None,
    ) -> list[Prediction]:
        """`predict_text` for many NORMALIZED texts: the same Predictions, in order.

        For a pipeline that screens chunks of traffic: the n-gram hashing, de-duplication
        and weight lookups run once over the whole chunk (`NgramLogit.bucket_rows`) instead of
        a dozen numpy calls per text; the per-text remainder is a few float operations. Each
        result equals `predict_text(texts[i], extras[i], languages[i])` exactly (tested).
        """
        n = len(texts)
        ex = list(extras) if extras is not None else [None] * n
        langs = list(languages) if languages is not None else [None] * n
        if len(ex) != n or len(langs) != n:
            raise ValueError("texts, extras and languages must have the same length")
        head = self.risk_head
        indptr, indices = head.bucket_rows(texts)
        sums = head.bucket_sums(indptr, indices).tolist()
        counts = np.diff(indptr).tolist()
        scam_head = self.scam_head if self.scam_calibration is not None else None
        same = scam_head is not None and (scam_head.ngram_range, scam_head.max_chars) == (
            head.ngram_range,
            head.max_chars,
        )
        out: list[Prediction] = []
        for i in range(n):
            risk = self.risk_calibration(head.decision_from_sum(sums[i], counts[i], ex[i]))
            flagged = risk >= self.threshold_for(langs[i])
            scam: float | None = None
            if flagged and scam_head is not None and self.scam_calibration is not None:
                b = indices[indptr[i] : indptr[i + 1]] if same else scam_head.buckets(texts[i])
                scam = self.scam_calibration(scam_head.decision_buckets(b, ex[i]))
            out.append(Prediction(risk=risk, flagged=flagged, scam=scam))
        return out

    def thresholds(self, languages: Sequence[str | None]) -> np.ndarray:
        """Per-text thresholds for texts in `languages`."""
        return np.array([self.threshold_for(lang) for lang in languages], dtype=np.float64)

    def risk_many(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated risk for many normalized texts."""
        return self.risk_calibration.many(self.risk_head.decision_function(texts))

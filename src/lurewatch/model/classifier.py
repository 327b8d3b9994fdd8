"""The classifiers: a linear model over character n-grams, its calibration, and the bundle.

Why a hand-rolled scorer on top of scikit-learn's LogisticRegression: training uses sklearn,
but predicting through a TfidfVectorizer + LogisticRegression pipeline costs ~220 us per
message here, most of it pipeline overhead. The learned weights are kept as a compact
`{n-gram: float32 weight}` dict (pruned to the largest weights), and one text's score is a sum of
dict lookups divided by sqrt(number of distinct n-grams): ~20-40 us per 150-char message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]  # scipy comes with scikit-learn
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from lurewatch.model.features import (
    ExtraFeatures,
    NgramAnalyzer,
    char_ngrams,
    extra_matrix,
    ngram_matrix,
)


class NgramLogit:
    """Logistic regression on binary, L2-normalised character n-grams (+ optional extras).

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
    ) -> None:
        self.ngram_range = ngram_range
        self.max_chars = max_chars
        self.min_df = min_df
        self.C = C
        self.max_features = max_features
        self.extra = extra
        self.random_state = random_state

    def fit(
        self,
        texts: Sequence[str],
        y: Sequence[int] | np.ndarray,
        sample_weight: np.ndarray | None = None,
    ) -> NgramLogit:
        """Learn n-gram weights from normalized `texts` and 0/1 targets `y`."""
        analyzer = NgramAnalyzer(self.ngram_range[0], self.ngram_range[1], self.max_chars)
        x, vocab, _ = ngram_matrix(texts, analyzer, self.min_df)
        ex, names = extra_matrix(texts, self.extra)
        if ex is not None:
            x = sp.hstack([x, ex], format="csr")
        lr = LogisticRegression(
            C=self.C, solver="liblinear", max_iter=1000, random_state=self.random_state
        )
        lr.fit(x, np.asarray(y), sample_weight=sample_weight)
        coef = np.asarray(lr.coef_[0], dtype=np.float64)
        w = coef[: len(vocab)]
        order = np.argsort(-np.abs(w), kind="stable")[: self.max_features]
        order = order[w[order] != 0]
        self.weights_: dict[str, float] = {
            vocab[i]: float(np.float32(w[i])) for i in sorted(order.tolist())
        }
        self.extra_names_: list[str] = names
        self.extra_weights_: list[float] = [float(v) for v in coef[len(vocab) :]]
        self.intercept_: float = float(lr.intercept_[0])
        return self

    def decision_one(self, text: str, extras: Mapping[str, float] | None = None) -> float:
        """Log-odds for one normalized text (the run-time hot path)."""
        lo, hi = self.ngram_range
        grams = set(char_ngrams(text, lo, hi, self.max_chars))
        total = sum(map(self.weights_.get, grams, repeat(0.0)))
        s = total / math.sqrt(max(len(grams), 1)) + self.intercept_
        if extras and self.extra_names_:
            for name, wt in zip(self.extra_names_, self.extra_weights_, strict=True):
                s += wt * float(extras.get(name, 0.0))
        return s

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
    """Calibrated probability that a risky text is fraud rather than mere spam (None: no head)."""


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
    ) -> Prediction:
        """Predict for one NORMALIZED text (see `lurewatch.text.normalize`).

        `language` (as `NormalizedText.language` detects it) selects the threshold.
        """
        risk = self.risk_calibration(self.risk_head.decision_one(text, extras))
        scam: float | None = None
        if self.scam_head is not None and self.scam_calibration is not None:
            scam = self.scam_calibration(self.scam_head.decision_one(text, extras))
        return Prediction(risk=risk, flagged=risk >= self.threshold_for(language), scam=scam)

    def thresholds(self, languages: Sequence[str | None]) -> np.ndarray:
        """Per-text thresholds for texts in `languages`."""
        return np.array([self.threshold_for(lang) for lang in languages], dtype=np.float64)

    def risk_many(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated risk for many normalized texts."""
        return self.risk_calibration.many(self.risk_head.decision_function(texts))

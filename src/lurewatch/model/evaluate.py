"""Metrics, grouped cross-validation, threshold choice and the report tables.

Why grouped CV: near-duplicate templates (see `corpus.deduplicate`) share a group, and
`StratifiedGroupKFold` keeps a group inside one fold, so a campaign is never both trained on
and tested on. Everything is reported overall, per language and per dataset because the bars
are per language and per dataset, and one large benign set (NUS) would hide the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedGroupKFold  # type: ignore[import-untyped]

from lurewatch.model.corpus import Example


@dataclass
class Metrics:
    """Binary metrics at one threshold (positive = risky)."""

    n: int
    positives: int
    tp: int
    fp: int
    fn: int
    tn: int
    roc_auc: float | None

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def fpr(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "n": self.n,
            "positives": self.positives,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "fpr": round(self.fpr, 4),
            "roc_auc": None if self.roc_auc is None else round(self.roc_auc, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
        }


def binary_metrics(y: np.ndarray, prob: np.ndarray, threshold: float | np.ndarray) -> Metrics:
    """Metrics of `prob >= threshold` against 0/1 `y` (ROC-AUC only when both classes occur).

    `threshold` is one number or one per text.
    """
    y = np.asarray(y).astype(bool)
    pred = np.asarray(prob) >= threshold
    auc = float(roc_auc_score(y, prob)) if 0 < y.sum() < len(y) else None
    return Metrics(
        n=len(y),
        positives=int(y.sum()),
        tp=int((pred & y).sum()),
        fp=int((pred & ~y).sum()),
        fn=int((~pred & y).sum()),
        tn=int((~pred & ~y).sum()),
        roc_auc=auc,
    )


def breakdown(
    examples: Sequence[Example],
    prob: np.ndarray,
    threshold: float | np.ndarray,
    target: str = "risk",
) -> dict[str, dict[str, dict[str, float | int | None]]]:
    """Metrics overall, per language (as labelled in the data) and per dataset."""
    y = np.array([getattr(e, target) for e in examples])
    threshold = np.broadcast_to(np.asarray(threshold, dtype=np.float64), prob.shape)
    out: dict[str, dict[str, dict[str, float | int | None]]] = {
        "overall": {"all": binary_metrics(y, prob, threshold).as_dict()}
    }
    for attr in ("language", "dataset"):
        table: dict[str, dict[str, float | int | None]] = {}
        for value in sorted({getattr(e, attr) for e in examples}):
            idx = np.array([getattr(e, attr) == value for e in examples])
            table[value] = binary_metrics(y[idx], prob[idx], threshold[idx]).as_dict()
        out[attr] = table
    return out


def oof_scores(
    examples: Sequence[Example],
    target: str,
    fit_score: Callable[[list[int], list[int]], np.ndarray],
    *,
    folds: int,
    seed: int,
) -> np.ndarray:
    """Out-of-fold scores: `fit_score(train_idx, test_idx)` trains and scores one fold."""
    y = np.array([getattr(e, target) for e in examples])
    groups = np.array([e.group for e in examples])
    cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    out = np.zeros(len(examples), dtype=np.float64)
    for train_idx, test_idx in cv.split(np.zeros(len(y)), y, groups):
        out[test_idx] = fit_score(train_idx.tolist(), test_idx.tolist())
    return out


def choose_threshold(
    y: np.ndarray,
    prob: np.ndarray,
    *,
    benign_mask: np.ndarray | None = None,
    max_fpr: float = 1.0,
) -> float:
    """The threshold maximising F1 subject to FPR <= `max_fpr` on the `benign_mask` rows.

    Candidates are the distinct probabilities; with no constraint this is the F1-optimal
    threshold. Returns 0.5 when nothing satisfies the constraint... which cannot happen because
    a threshold above every score has FPR 0.
    """
    y = np.asarray(y).astype(bool)
    cands = np.unique(np.round(prob, 6))
    best_t, best_f1 = float(np.nextafter(prob.max(), 2.0)), -1.0
    ref = prob[benign_mask] if benign_mask is not None else None
    for t in cands[::-1]:
        if ref is not None and len(ref) and float((ref >= t).mean()) > max_fpr:
            break  # lower thresholds only raise the FPR further
        pred = prob >= t
        tp = int((pred & y).sum())
        fp = int((pred & ~y).sum())
        fn = int((~pred & y).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1:
            best_t, best_f1 = float(t), f1
    return best_t


def format_table(report: dict[str, dict[str, dict[str, float | int | None]]]) -> str:
    """Plain-text tables of a `breakdown` report."""
    cols = ("n", "positives", "precision", "recall", "f1", "fpr", "roc_auc", "tp", "fp", "fn", "tn")
    lines: list[str] = []
    for section, table in report.items():
        lines.append(f"[{section}]")
        lines.append(f"{'':22}" + "".join(f"{c:>10}" for c in cols))
        for name, row in table.items():
            cells = []
            for c in cols:
                v = row.get(c)
                cells.append(f"{'-':>10}" if v is None else f"{v:>10}")
            lines.append(f"{name[:22]:22}" + "".join(cells))
        lines.append("")
    return "\n".join(lines)

"""Train the shipped models: cross-validate, calibrate, choose the threshold, refit on all.

Decisions (measured; see docs/model.md):
- The main head is binary: fraud-or-spam (`scam` or `spam`) vs benign -> `risk`. Many sources
  label reported texts "spam" without knowing whether they are fraud, so a scam-only target
  would be noisy; a second head predicts scam-vs-spam, trained only on datasets whose labels
  separate the two (Mendeley, SpamHunter-labelled, Indonesian, Thai).
- Filipino texts are pre-processed (lower-cased, stop words removed) and SpamHunter-reported
  texts are lemmatised with digits masked as X: neither looks like a raw message. They are
  given a reduced sample weight (see `MESSAGE.weights`) so they add vocabulary without
  teaching the model that lower-case or "XXXX" means spam.
- Learners: messages merge an NB-SVM and a linear SVM into one weight table (en F1 0.863 ->
  0.874, th 0.920 -> 0.933, id 0.958 -> 0.968 in grouped CV); job ads keep plain LR (NB-SVM
  lowered their ROC-AUC 0.861 -> 0.829). See `learners.py` and docs/model.md.
- Calibration: Platt scaling on out-of-fold scores. Threshold: for messages, the F1-best
  threshold with out-of-fold FPR on NUS ordinary messages <= `MESSAGE.max_benign_fpr` (below the
  0.5% bar for margin); for job ads, the F1-best threshold.
All randomness is seeded, so `lurewatch train` is reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lurewatch.model.classifier import NgramLogit, Platt, RiskModel
from lurewatch.model.corpus import Example, deduplicate, load_corpus
from lurewatch.model.evaluate import breakdown, choose_threshold, oof_scores
from lurewatch.model.features import ExtraFeatures, memoized


@dataclass
class KindConfig:
    """How to train the model for one input kind."""

    kind: str
    ngram_range: tuple[int, int]
    max_chars: int
    C: float
    min_df: int = 2
    max_features: int = 150_000
    learners: tuple[str, ...] = ("lr",)
    """What fits the weights (see `learners.fit_merged`); several are merged into one table."""
    svm_C: float = 1.0
    weights: dict[str, float] = field(default_factory=dict)
    """Sample weight per dataset (default 1); 0 leaves a dataset out."""
    benign_reference: str | None = None
    """Dataset whose out-of-fold FPR constrains the threshold."""
    max_benign_fpr: float = 1.0
    scam_datasets: tuple[str, ...] = ()
    """Datasets that label scam and spam apart (train the scam-vs-spam head); empty: no head."""

    def head(self, extra: ExtraFeatures | None, seed: int) -> NgramLogit:
        return NgramLogit(
            ngram_range=self.ngram_range,
            max_chars=self.max_chars,
            min_df=self.min_df,
            C=self.C,
            max_features=self.max_features,
            extra=extra,
            random_state=seed,
            learners=self.learners,
            svm_C=self.svm_C,
        )


MESSAGE = KindConfig(
    kind="message",
    ngram_range=(1, 4),
    max_chars=1000,
    C=10.0,
    learners=("nbsvm", "svm"),
    svm_C=1.0,
    weights={"filipino_sms": 0.5, "spamhunter_reported": 0.0},
    benign_reference="nus_sms",
    max_benign_fpr=0.004,
    scam_datasets=("mendeley_sms", "spamhunter_labelled", "indonesian_sms", "thai_sms"),
)
JOB_AD = KindConfig(kind="job_ad", ngram_range=(1, 3), max_chars=1500, C=10.0)
CONFIGS = {"message": MESSAGE, "job_ad": JOB_AD}


@dataclass
class TrainResult:
    """A trained model and what cross-validation measured for it."""

    model: RiskModel
    cv_report: dict[str, object]
    examples: list[Example]
    oof_risk: np.ndarray


def prepare(data_dir: Path, config: KindConfig) -> tuple[list[Example], dict[str, int]]:
    """Load, de-duplicate, and drop the datasets weighted 0."""
    rows = load_corpus(data_dir, kind=config.kind)
    rows = [r for r in rows if config.weights.get(r.dataset, 1.0) > 0]
    return deduplicate(rows)


def _fit_head(
    config: KindConfig,
    examples: Sequence[Example],
    target: str,
    extra: ExtraFeatures | None,
    seed: int,
) -> NgramLogit:
    texts = [e.text for e in examples]
    y = np.array([getattr(e, target) for e in examples])
    w = np.array([config.weights.get(e.dataset, 1.0) for e in examples])
    return config.head(extra, seed).fit(texts, y, sample_weight=w)


def _cv_head(
    config: KindConfig,
    examples: list[Example],
    target: str,
    extra: ExtraFeatures | None,
    folds: int,
    seed: int,
) -> np.ndarray:
    def fit_score(train_idx: list[int], test_idx: list[int]) -> np.ndarray:
        head = _fit_head(config, [examples[i] for i in train_idx], target, extra, seed)
        return head.decision_function([examples[i].text for i in test_idx])

    return oof_scores(examples, target, fit_score, folds=folds, seed=seed)


MIN_LANGUAGE_ROWS = 300


def language_thresholds(
    examples: Sequence[Example], y: np.ndarray, prob: np.ndarray, default: float
) -> dict[str, float]:
    """Per detected language, the F1-best out-of-fold threshold where it is above `default`.

    Only raising is allowed: a lower threshold would raise false positives on benign texts of
    that language that the corpora do not show (and break the NUS bound for English).
    Languages with fewer than `MIN_LANGUAGE_ROWS` rows or one class keep the default.
    """
    out: dict[str, float] = {}
    langs = np.array([e.detected for e in examples])
    for lang in sorted(set(langs.tolist())):
        idx = langs == lang
        if idx.sum() < MIN_LANGUAGE_ROWS or len(set(y[idx].tolist())) < 2:
            continue
        t = choose_threshold(y[idx], prob[idx])
        if t > default:
            out[lang] = round(t, 6)
    return out


def train_kind(
    data_dir: Path,
    config: KindConfig,
    *,
    folds: int = 5,
    seed: int = 0,
    extra: ExtraFeatures | None = None,
    refit: bool = True,
) -> TrainResult:
    """Cross-validate, calibrate, choose the threshold and (if `refit`) fit on all the data."""
    examples, dedup_stats = prepare(data_dir, config)
    if extra is not None:
        extra = memoized(extra)
    y = np.array([e.risk for e in examples])
    oof = _cv_head(config, examples, "risk", extra, folds, seed)
    calib = Platt().fit(oof, y)
    prob = calib.many(oof)
    mask = None
    if config.benign_reference:
        mask = np.array([e.dataset == config.benign_reference for e in examples])
    threshold = choose_threshold(y, prob, benign_mask=mask, max_fpr=config.max_benign_fpr)
    by_language = language_thresholds(examples, y, prob, threshold)
    per_text = np.array([by_language.get(e.detected, threshold) for e in examples])
    report: dict[str, object] = {
        "dedup": dedup_stats,
        "folds": folds,
        "seed": seed,
        "learners": list(config.learners),
        "C": config.C,
        "svm_C": config.svm_C,
        "threshold": threshold,
        "language_thresholds": by_language,
        "risk": breakdown(examples, prob, per_text),
    }

    scam_head = scam_calib = None
    scam_rows = [e for e in examples if e.risk and e.dataset in config.scam_datasets]
    if scam_rows:
        s_oof = _cv_head(config, scam_rows, "scam", extra, folds, seed)
        scam_calib = Platt().fit(s_oof, np.array([e.scam for e in scam_rows]))
        report["scam_vs_spam"] = breakdown(scam_rows, scam_calib.many(s_oof), 0.5, "scam")
        if refit:
            scam_head = _fit_head(config, scam_rows, "scam", extra, seed)

    risk_head = _fit_head(config, examples, "risk", extra, seed) if refit else config.head(None, 0)
    model = RiskModel(
        kind=config.kind,
        risk_head=risk_head,
        risk_calibration=calib,
        threshold=threshold,
        scam_head=scam_head,
        scam_calibration=scam_calib if scam_head is not None else None,
        language_thresholds=by_language,
        metadata={"cv": report},
    )
    return TrainResult(model=model, cv_report=report, examples=examples, oof_risk=prob)

"""Save and load the shipped models without pickle.

Why not pickle: a model file is data that may travel between organisations; unpickling runs
code. Each model is two files in `ARTIFACT_DIR`: `<kind>.npz` (per head: the kept hash buckets as
uint32 and their float32 weights) loaded with `allow_pickle=False`, and `<kind>.json`
(settings, calibration, threshold, cross-validated metrics).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from lurewatch.model.classifier import NgramLogit, Platt, RiskModel
from lurewatch.model.features import HASH_BITS

ARTIFACT_DIR = Path(__file__).resolve().parent / "artifacts"
FORMAT_VERSION = 2


class ArtifactError(RuntimeError):
    """A model artifact is missing, corrupt, or from an incompatible format version."""


def _head_arrays(prefix: str, head: NgramLogit) -> dict[str, np.ndarray]:
    return {
        f"{prefix}_buckets": head.buckets_.astype(np.uint32),
        f"{prefix}_weights": head.bucket_weights_.astype(np.float32),
    }


def _head_meta(head: NgramLogit) -> dict[str, Any]:
    return {
        "ngram_range": list(head.ngram_range),
        "max_chars": head.max_chars,
        "min_df": head.min_df,
        "C": head.C,
        "max_features": head.max_features,
        "learners": list(head.learners),
        "svm_C": head.svm_C,
        "intercept": head.intercept_,
        "extra_names": head.extra_names_,
        "extra_weights": head.extra_weights_,
    }


def save_model(model: RiskModel, directory: Path = ARTIFACT_DIR) -> list[Path]:
    """Write `<kind>.npz` and `<kind>.json`; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    arrays = _head_arrays("risk", model.risk_head)
    meta: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "kind": model.kind,
        "threshold": model.threshold,
        "language_thresholds": model.language_thresholds,
        "risk_head": _head_meta(model.risk_head),
        "risk_calibration": {"a": model.risk_calibration.a, "b": model.risk_calibration.b},
        "metadata": model.metadata,
    }
    if model.scam_head is not None and model.scam_calibration is not None:
        arrays.update(_head_arrays("scam", model.scam_head))
        meta["scam_head"] = _head_meta(model.scam_head)
        meta["scam_calibration"] = {"a": model.scam_calibration.a, "b": model.scam_calibration.b}
    npz = directory / f"{model.kind}.npz"
    js = directory / f"{model.kind}.json"
    np.savez_compressed(npz, **arrays)  # type: ignore[arg-type]
    js.write_text(json.dumps(meta, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return [npz, js]


def _load_head(prefix: str, arrays: Any, meta: dict[str, Any]) -> NgramLogit:
    lo, hi = meta["ngram_range"]
    head = NgramLogit(
        ngram_range=(int(lo), int(hi)),
        max_chars=int(meta["max_chars"]),
        min_df=int(meta["min_df"]),
        C=float(meta["C"]),
        max_features=int(meta["max_features"]),
        learners=tuple(str(v) for v in meta.get("learners", ["lr"])),
        svm_C=float(meta.get("svm_C", 1.0)),
    )
    buckets = arrays[f"{prefix}_buckets"].astype(np.int64)
    weights = arrays[f"{prefix}_weights"].astype(np.float32)
    if len(buckets) != len(weights) or (len(buckets) and buckets.max() >= 1 << HASH_BITS):
        raise ArtifactError(f"{prefix} head: bucket and weight arrays do not match")
    head.set_weights(buckets, weights)
    head.intercept_ = float(meta["intercept"])
    head.extra_names_ = list(meta["extra_names"])
    head.extra_weights_ = [float(v) for v in meta["extra_weights"]]
    return head


def load_model(kind: str, directory: Path = ARTIFACT_DIR) -> RiskModel:
    """Load the model for `kind` ("message" or "job_ad") from `directory`."""
    npz, js = directory / f"{kind}.npz", directory / f"{kind}.json"
    if not npz.exists() or not js.exists():
        raise ArtifactError(f"no {kind} model in {directory}; run `lurewatch model train`")
    try:
        meta = json.loads(js.read_text(encoding="utf-8"))
        if meta.get("format_version") != FORMAT_VERSION:
            raise ArtifactError(f"{js}: format {meta.get('format_version')} != {FORMAT_VERSION}")
        with np.load(npz, allow_pickle=False) as arrays:
            risk = _load_head("risk", arrays, meta["risk_head"])
            scam = _load_head("scam", arrays, meta["scam_head"]) if "scam_head" in meta else None
    except (OSError, ValueError, KeyError) as exc:
        raise ArtifactError(f"cannot load the {kind} model from {directory}: {exc}") from exc
    scam_cal = meta.get("scam_calibration")
    return RiskModel(
        kind=kind,
        risk_head=risk,
        risk_calibration=Platt(**meta["risk_calibration"]),
        threshold=float(meta["threshold"]),
        language_thresholds={k: float(v) for k, v in meta["language_thresholds"].items()},
        scam_head=scam,
        scam_calibration=Platt(**scam_cal) if scam_cal else None,
        metadata=dict(meta.get("metadata", {})),
    )


@lru_cache(maxsize=4)
def shipped_model(kind: str) -> RiskModel:
    """The model shipped inside the package for `kind`, loaded once per process."""
    return load_model(kind)

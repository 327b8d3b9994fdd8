"""Run-time scoring with the trained domain-risk model (a calibrated logistic regression).

Inference is hand-rolled over the saved weight vector instead of calling scikit-learn: the
model is linear over binary hashed features, so a score is a sum of ~60 array reads, which
keeps unseen-domain checks in the thousands per second; sklearn's per-call overhead alone
(`transform` + `predict_proba`, measured ~0.3 ms) would eat the budget. Training uses sklearn.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from lurewatch.domains.catalogue import Catalogue
from lurewatch.domains.features import (
    DIM,
    FEATURE_VERSION,
    describe,
    feature_names,
    hash_index,
)
from lurewatch.domains.models import DomainReason
from lurewatch.domains.parse import ParsedDomain

ARTIFACT = Path(__file__).parent / "artifacts" / "domain_model.npz"


class ModelError(RuntimeError):
    """The model artifact is missing or was built for another feature version."""


@dataclass(frozen=True)
class DomainModel:
    weights: npt.NDArray[np.float32]
    intercept: float
    platt_a: float
    platt_b: float
    threshold: float
    """Calibrated probability at or above which a domain is flagged (chosen on validation)."""
    meta: dict[str, Any]

    @classmethod
    def load(cls, path: Path = ARTIFACT) -> DomainModel:
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                if meta.get("feature_version") != FEATURE_VERSION or int(z["dim"]) != DIM:
                    raise ModelError(f"{path.name} was built for other features; retrain it")
                return cls(
                    weights=z["weights"].astype(np.float32),
                    intercept=float(z["intercept"]),
                    platt_a=float(z["platt_a"]),
                    platt_b=float(z["platt_b"]),
                    threshold=float(z["threshold"]),
                    meta=meta,
                )
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"cannot load the domain model {path}: {exc}") from exc

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(
                fh,
                weights=self.weights.astype(np.float16),
                intercept=np.float64(self.intercept),
                platt_a=np.float64(self.platt_a),
                platt_b=np.float64(self.platt_b),
                threshold=np.float64(self.threshold),
                dim=np.int64(DIM),
                meta=np.array(json.dumps(self.meta, sort_keys=True)),
            )

    def probability(self, margin: float) -> float:
        z = self.platt_a * margin + self.platt_b
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0

    @cached_property
    def _weights_list(self) -> list[float]:
        # Python floats: indexing a list is ~5x faster than indexing a numpy array per element.
        return [float(x) for x in self.weights]

    def score_names(self, names: list[str]) -> tuple[float, list[tuple[str, float]]]:
        """(calibrated probability, features by contribution, largest first)."""
        w = self._weights_list
        indices = list(map(hash_index, names))
        seen = dict(zip(indices, names, strict=True))  # index -> its LAST name, first position
        if len(seen) != len(set(names)):
            # Two different names share an index (a hash collision): the first name explains it.
            seen = {}
            for i, n in zip(indices, names, strict=True):
                seen.setdefault(i, n)
        weights = [w[i] for i in seen]
        # The same additions in the same order as summing feature by feature: the same float.
        margin = self.intercept + sum(weights)
        # sorted(..., reverse=True)[:4] is what heapq.nlargest(4, ...) is documented to equal
        # (ties keep their order), at a fraction of the pure-Python heap's cost.
        top = sorted(range(len(weights)), key=weights.__getitem__, reverse=True)[:4]
        kept = list(seen.values())
        return self.probability(margin), [(kept[k], weights[k]) for k in top]

    def reason(self, p: ParsedDomain, catalogue: Catalogue) -> DomainReason | None:
        """The model's verdict as a reason, naming the features that pushed it up."""
        names = feature_names(p, catalogue)
        if not names:
            return None
        prob, contrib = self.score_names(names)
        top: list[str] = []
        for n, c in contrib:
            if c <= 0 or len(top) == 3:
                break
            phrase = describe(n)
            if phrase not in top:
                top.append(phrase)
        detail = f"score {prob:.2f}; " + (
            "raised by " + ", ".join(top) if top else "nothing in the name looks like a scam site"
        )
        return DomainReason(
            id="model.lexical",
            title="Name resembles known scam sites" if prob >= 0.5 else "Name looks ordinary",
            weight=round(prob, 4),
            detail=detail,
        )


@lru_cache(maxsize=1)
def default_model() -> DomainModel | None:
    """The shipped model, or None when the artifact is absent (lists and look-alikes still work)."""
    if not ARTIFACT.exists():
        return None
    return DomainModel.load(ARTIFACT)

"""Cross-validated comparison of text-model variants (the numbers in docs/model.md, "Tries").

Runs the shipped protocol (dedup, near-duplicate groups, 5-fold StratifiedGroupKFold seed 0,
Platt on out-of-fold scores, NUS-capped default threshold, raise-only language thresholds)
through the REAL training code (`train_kind(..., refit=False)`), with the configuration fields
overridden from the command line, and prints one JSON line: F1 / ROC-AUC / FPR per language
and per dataset.

Run: `uv run --frozen python bench/model_experiments.py KIND [FIELD=VALUE ...]`, e.g.
  uv run --frozen python bench/model_experiments.py message learners=nbsvm,svm svm_C=1
  uv run --frozen python bench/model_experiments.py job_ad learners=lr C=10 max_chars=4000
Fields are those of `lurewatch.model.train.KindConfig` (ints, floats, comma-separated tuples).
About 2-5 minutes per message variant on this shared 2-core machine.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Any

from lurewatch.model.train import CONFIGS, train_kind

DATA = Path(os.environ.get("LUREWATCH_DATA", "../shared/data"))


def _parse(config: Any, item: str) -> tuple[str, Any]:
    name, _, raw = item.partition("=")
    current = getattr(config, name)
    if isinstance(current, tuple):
        parts = [p for p in raw.split(",") if p]
        kind = type(current[0]) if current else str
        return name, tuple(kind(p) for p in parts)
    return name, type(current)(raw)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in CONFIGS:
        raise SystemExit(f"usage: model_experiments.py {{{'|'.join(CONFIGS)}}} [FIELD=VALUE ...]")
    config = CONFIGS[argv[0]]
    config = dataclasses.replace(config, **dict(_parse(config, a) for a in argv[1:]))
    result = train_kind(DATA, config, refit=False)
    risk = result.cv_report["risk"]
    assert isinstance(risk, dict)

    def short(table: dict[str, dict[str, Any]]) -> dict[str, list[Any]]:
        return {k: [v["f1"], v["roc_auc"], v["fpr"]] for k, v in table.items()}

    print(
        json.dumps(
            {
                "kind": config.kind,
                "overrides": argv[1:],
                "threshold": result.cv_report["threshold"],
                "language_thresholds": result.cv_report["language_thresholds"],
                "overall": risk["overall"]["all"],
                "language [f1, auc, fpr]": short(risk["language"]),
                "dataset [f1, auc, fpr]": short(risk["dataset"]),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])

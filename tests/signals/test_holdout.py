"""The signal packs on hold-out texts written apart from the rules: do they generalise?

`tests/fixtures/screening_holdout/<lang>.yaml` holds texts written after the rules and in other
styles (reordered, informal, code-mixed, very short or rambling). Per language: at least 90% of
the positives are flagged with the right category by the signal layer alone, and no negative is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lurewatch.signals import match_signals, score_signals
from lurewatch.text import normalize

HOLDOUT = Path(__file__).resolve().parent.parent / "fixtures" / "screening_holdout"
FILES = sorted(HOLDOUT.glob("*.yaml"))
MIN_RECALL = 0.9


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_holdout_language(path: Path) -> None:
    cases = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    positives = [c for c in cases if c["category"] != "benign"]
    negatives = [c for c in cases if c["category"] == "benign"]
    assert len(positives) >= 15 and len(negatives) >= 15, "hold-out sets need 15 + 15"
    misses, false_alarms = [], []
    for case in positives:
        s = score_signals(match_signals(normalize(case["text"])))
        if not (s.flagged and s.category == case["category"]):
            misses.append(f"  missed ({s.category} {s.score:.2f}): {case['text'][:90]}")
    for case in negatives:
        s = score_signals(match_signals(normalize(case["text"])))
        if s.flagged:
            false_alarms.append(f"  false alarm ({s.category} {s.score:.2f}): {case['text'][:90]}")
    recall = 1 - len(misses) / len(positives)
    detail = "\n".join(misses + false_alarms)
    assert recall >= MIN_RECALL and not false_alarms, (
        f"{path.stem}: recall {recall:.2f} ({len(positives)} positives), "
        f"{len(false_alarms)} false alarm(s) of {len(negatives)}\n{detail}"
    )

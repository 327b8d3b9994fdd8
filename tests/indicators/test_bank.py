"""Bank account and IBAN extraction: the labelled fixtures, focused behaviour, and linear time on hostile input."""

from __future__ import annotations

import time

import pytest

from lurewatch import extract
from tests.indicators.fixtures import FIXTURE_DIR, Score, load_cases, score_case

CASES = [c for c in load_cases(FIXTURE_DIR) if c.file == "bank.yaml"]


def test_fixture_precision_and_recall() -> None:
    total = Score()
    for case in CASES:
        s = score_case(case)
        total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        total.misses += s.misses
    assert len(CASES) >= 35
    assert total.precision >= 0.98 and total.recall >= 0.98, "\n".join(total.misses)

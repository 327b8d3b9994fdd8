"""Screening fixtures: whole messages and job ads per language, judged by the signals alone.

Every `tests/fixtures/screening/*.yaml` is a list of `{text, category, kind}`. Positives must
come out flagged with the expected category; `benign` items (hard negatives: licensed
agencies, real friends, real bank notices) must not be flagged. New languages' files are
picked up automatically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from lurewatch.signals.schema import CATEGORIES
from lurewatch.signals.scoring import score_signals
from lurewatch.text import normalize
from tests.signals.conftest import ENGINE

FIXTURE_DIR = Path(__file__).parent.parent / "fixtures" / "screening"
FILES = sorted(FIXTURE_DIR.glob("*.yaml"))
MIN_EACH = 20


def _items(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, list), f"{path.name} must be a list of items"
    return data


CASES = [
    pytest.param(item, id=f"{path.stem}-{i}-{item.get('category', '?')}")
    for path in FILES
    for i, item in enumerate(_items(path))
]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_fixture_file_shape(path: Path) -> None:
    items = _items(path)
    for item in items:
        assert set(item) <= {"text", "category", "kind", "note"}, item
        assert item["kind"] in {"job_ad", "message"}, item
        assert item["category"] == "benign" or item["category"] in CATEGORIES, item
        assert item["category"] != "any", item
        assert isinstance(item["text"], str) and item["text"].strip(), item
    positives = [i for i in items if i["category"] != "benign"]
    negatives = [i for i in items if i["category"] == "benign"]
    assert len(positives) >= MIN_EACH, f"{path.name}: {len(positives)} positives"
    assert len(negatives) >= MIN_EACH, f"{path.name}: {len(negatives)} negatives"
    texts = [i["text"] for i in items]
    assert len(set(texts)) == len(texts), f"{path.name}: duplicate texts"


@pytest.mark.parametrize("item", CASES)
def test_screening_item(item: dict[str, Any]) -> None:
    hits = ENGINE.match(normalize(item["text"]))
    result = score_signals(hits)
    fired = [f"{h.id}={h.weight}" for h in hits]
    if item["category"] == "benign":
        assert not result.flagged, f"false alarm {result.score:.2f} {result.category}: {fired}"
    else:
        assert result.flagged, f"missed ({result.score:.2f} {result.category}): {fired}"
        assert result.category == item["category"], f"wrong category: {fired}"

"""Confidence is the weakest necessary link of the strongest spanning tree."""

from __future__ import annotations

import pytest

from lurewatch.linking.model import Edge
from lurewatch.operations.confidence import confidence, pair_strengths


def e(a: str, b: str, w: float, key: str = "k") -> Edge:
    return Edge(a, b, "indicator", key, w)


def test_weakest_needed_link_counts_not_redundant_weak_ones() -> None:
    edges = [e("a", "b", 0.9), e("b", "c", 0.8), e("a", "c", 0.1)]
    assert confidence("abc", edges) == pytest.approx(0.8)
    assert confidence("abcd", [*edges, e("c", "d", 0.3)]) == pytest.approx(0.3)


def test_independent_clues_add_up() -> None:
    edges = [e("a", "b", 0.5, "phone:1"), e("a", "b", 0.5, "wallet:2")]
    assert pair_strengths(edges)[("a", "b")] == pytest.approx(0.75)
    assert confidence("ab", edges) == pytest.approx(0.75)


def test_groups_made_by_decisions() -> None:
    assert confidence("ab", []) == 1.0  # an analyst merged them
    # two evidence parts joined by a merge: the weaker part's bottleneck
    assert confidence("abcd", [e("a", "b", 0.9), e("c", "d", 0.4)]) == pytest.approx(0.4)
    assert confidence("a", []) == 0.0

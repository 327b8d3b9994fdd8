from __future__ import annotations

import pytest

from lurewatch.linking import link
from lurewatch.linking.model import Cluster
from lurewatch.linking.synthetic import generate, pairwise_scores


def test_same_seed_same_set_other_seed_other_set() -> None:
    a, b, c = generate(500, seed=3), generate(500, seed=3), generate(500, seed=4)
    assert a.records == b.records and a.truth == b.truth
    assert a.records != c.records


def test_sizes_noise_and_indicator_density() -> None:
    s = generate(3000, seed=1)
    st = s.stats()
    assert st["reports"] == 3000
    assert 2.5 <= st["per_report"] <= 3.5
    assert sum(v is None for v in s.truth.values()) >= 0.15 * 3000
    keys = {k for r in s.records for k in (r.indicators or ())}
    assert ("domain", "facebook.com") in keys or ("domain", "google.com") in keys
    assert any(t == "url" and v.startswith("http://bit.ly/") for t, v in keys)


def test_pairwise_scores() -> None:
    truth = {"a": "x", "b": "x", "c": "x", "d": None, "e": "y", "f": "y"}
    perfect = [Cluster(("a", "b", "c"), ()), Cluster(("e", "f"), ())]
    assert pairwise_scores(perfect, truth) == (1.0, 1.0, 1.0)
    merged = [Cluster(("a", "b", "c", "e", "f"), ())]
    p, r, _ = pairwise_scores(merged, truth)
    assert (p, r) == (4 / 10, 1.0)
    assert pairwise_scores([], truth)[1] == 0.0


def test_planted_operations_are_recovered_at_5k() -> None:
    s = generate(5000, seed=11)
    p, r, f1 = pairwise_scores(link(s.records).clusters, s.truth)
    assert f1 >= 0.95, (p, r, f1)


@pytest.mark.slow
def test_planted_operations_are_recovered_from_raw_text_with_extraction() -> None:
    s = generate(1500, seed=12, indicators=False)
    p, r, f1 = pairwise_scores(link(s.records).clusters, s.truth)
    assert f1 >= 0.9, (p, r, f1)

"""`DomainChecker.check`: links to one host share its host reasons, and nothing else."""

from __future__ import annotations

import pytest

import lurewatch.domains.check as check
from lurewatch.domains.check import DomainChecker
from lurewatch.domains.lists import KnownBadIndex
from lurewatch.domains.model import default_model


def _fresh(index: KnownBadIndex) -> DomainChecker:
    return DomainChecker(index=index, model=default_model())


def test_paths_on_one_host_reuse_host_reasons_with_the_same_verdicts(
    small_index: KnownBadIndex,
) -> None:
    shared = _fresh(small_index)
    links = [
        "https://claim-rewards.site/drop",  # a listed URL
        "https://claim-rewards.site/other",  # same host, not listed
        "claim-rewards.site:8080/x",  # same host, odd port
        "https://binance.com@claim-rewards.site/",  # text before '@': not from the host cache
        "https://claim-rewards.site/drop",
    ]
    for link in links:
        assert shared.check(link) == _fresh(small_index).check(link), link
    assert list(shared._by_host) == ["claim-rewards.site"]
    listed, other = shared.check(links[0]), shared.check(links[1])
    assert listed.listed and not other.listed
    assert listed.risk > other.risk


def test_host_cache_is_bounded(small_index: KnownBadIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "CACHE_SIZE", 3)
    c = _fresh(small_index)
    for i in range(5):
        c.check(f"shop{i}-promo.top")
    assert list(c._by_host) == ["shop2-promo.top", "shop3-promo.top", "shop4-promo.top"]

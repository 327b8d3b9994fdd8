from __future__ import annotations

import pytest

from lurewatch.linking.config import THRESHOLD_MILLI, LinkConfig


def test_key_weight_is_full_up_to_strong_df_then_falls_to_zero_at_max_df() -> None:
    c = LinkConfig(strong_df=10, max_df=1000)
    assert c.key_weight_milli(2) == c.key_weight_milli(10) == THRESHOLD_MILLI
    falling = [c.key_weight_milli(d) for d in (11, 50, 100, 500, 900)]
    assert falling == sorted(falling, reverse=True)
    assert 0 < falling[-1] < falling[0] < THRESHOLD_MILLI
    assert c.key_weight_milli(1000) == c.key_weight_milli(10**6) == 0


def test_template_weight_is_zero_below_candidate_and_full_at_strong() -> None:
    c = LinkConfig(bins=64, template_candidate=0.5, template_strong=0.75)
    assert c.template_weight_milli(31) == 0  # 0.484
    assert 0 < c.template_weight_milli(40) < THRESHOLD_MILLI
    assert c.template_weight_milli(48) == c.template_weight_milli(64) == THRESHOLD_MILLI


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bins": 60},
        {"bins": 64, "bands": 5},
        {"template_candidate": 0.8, "template_strong": 0.7},
        {"strong_df": 100, "max_df": 50},
        {"pair_cap": 1},
        {"max_bucket": 1},
    ],
)
def test_inconsistent_settings_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        LinkConfig(**kwargs)  # type: ignore[arg-type]

"""TLP 2.0 levels: published ids, reading levels back, and who may receive a partner's object."""

from __future__ import annotations

import pytest

from lurewatch.sharing.markings import (
    TLP2_IDS,
    level_of,
    may_pass_on,
    strictest,
    tlp_marking,
)


def test_published_ids() -> None:  # FIRST/OASIS TLP 2.0 marking-definition ids
    assert TLP2_IDS["clear"] == "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
    assert TLP2_IDS["red"] == "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
    assert tlp_marking("green")["name"] == "TLP:GREEN"
    with pytest.raises(ValueError, match="unknown TLP level"):
        tlp_marking("white")


def test_levels_read_back_tlp2_and_tlp1() -> None:
    assert level_of([TLP2_IDS["amber"]]) == "amber"
    assert level_of(["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"]) == "clear"
    assert level_of([TLP2_IDS["green"], TLP2_IDS["red"]]) == "red"
    assert level_of([]) is None
    assert strictest(["green", "amber+strict", "amber"]) == "amber+strict"


@pytest.mark.parametrize(
    ("level", "audience", "ok"),
    [
        ("clear", "clear", True),
        ("green", "amber", True),
        ("green", "clear", False),
        ("amber", "amber", False),
        ("amber+strict", "red", False),
        ("red", "red", False),
        (None, "green", False),
    ],
)
def test_onward_sharing(level: str | None, audience: str, ok: bool) -> None:
    assert may_pass_on(level, audience) is ok

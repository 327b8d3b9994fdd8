"""Every example of every rule of every pack, as one parametrised test.

A new rule (or a new language's pack) needs no new test code: its examples are collected
here automatically. Positives must fire the rule, negatives must not, through the real engine
over ALL packs (so the combined RE2 set is what is tested, not the rule alone).
"""

from __future__ import annotations

import pytest

from lurewatch.signals.lint import example_hits
from tests.signals.conftest import ENGINE, PACKS

CASES = [
    pytest.param(rule.id, kind, text, id=f"{rule.id}-{kind}{i}")
    for pack in PACKS
    for rule in pack.rules
    for kind, texts in (("pos", rule.examples.positive), ("neg", rule.examples.negative))
    for i, text in enumerate(texts)
]


@pytest.mark.parametrize(("rule_id", "kind", "text"), CASES)
def test_rule_example(rule_id: str, kind: str, text: str) -> None:
    fired = rule_id in example_hits(ENGINE, text)
    if kind == "pos":
        assert fired, f"{rule_id} should fire on {text!r}"
    else:
        assert not fired, f"{rule_id} must not fire on {text!r}"


def test_there_are_examples() -> None:
    assert len(CASES) >= 4 * sum(len(p.rules) for p in PACKS) > 0

"""The issue's bars, measured on our labelled conversations (tests/fixtures/conversations)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lurewatch.conversation.evaluate import Metrics, evaluate, load_labelled

LABELLED = Path(__file__).parent.parent / "fixtures" / "conversations" / "labelled.jsonl"


@pytest.fixture(scope="module")
def metrics() -> Metrics:
    return evaluate(LABELLED)


def test_fixture_set_is_broad_enough() -> None:
    items = load_labelled(LABELLED)
    assert len(items) >= 40
    assert len({i["language"] for i in items}) >= 6
    labels = {i["label"] for i in items}
    assert labels == {"scam", "benign"}
    for i in items:
        if i.get("money_turn") is not None:
            assert i["messages"][i["money_turn"]]["from"] == "them", i["id"]


def test_scams_alerted(metrics: Metrics) -> None:
    missed = [o.id for o in metrics.scams if o.alert_turn is None]
    assert metrics.alerted_share >= 0.9, missed


def test_alerts_come_before_the_money_request(metrics: Metrics) -> None:
    late = [(o.id, o.alert_turn, o.money_turn) for o in metrics.scams if (o.lead or 1) <= 0]
    assert metrics.before_money_share >= 0.75, late


def test_no_alert_on_benign_conversations(metrics: Metrics) -> None:
    assert [o.id for o in metrics.benign if o.alert_turn is not None] == []

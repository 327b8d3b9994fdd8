"""Measure the tracker on labelled conversations: the numbers the issue's bars are about.

A labelled line is a conversation plus `label` ("scam"/"benign"), `language`, `arc` and
`money_turn` (index of the first message asking for money or a deposit; null when the scam
never got that far). For every scam we ask: did it alert, and was the alert strictly before
the money request (how many turns ahead)? For every benign chat: did it alert at all?
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lurewatch.conversation.tracker import track


@dataclass
class Outcome:
    id: str
    label: str
    language: str
    alert_turn: int | None
    money_turn: int | None
    stages: list[str]
    risk: float

    @property
    def lead(self) -> int | None:
        """Turns between the alert and the first money request (positive = before)."""
        if self.alert_turn is None or self.money_turn is None:
            return None
        return self.money_turn - self.alert_turn


@dataclass
class Metrics:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def scams(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.label == "scam"]

    @property
    def benign(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.label == "benign"]

    @property
    def alerted_share(self) -> float:
        scams = self.scams
        return sum(o.alert_turn is not None for o in scams) / len(scams) if scams else 0.0

    @property
    def before_money_share(self) -> float:
        """Of the alerted scams that reached a money request, the share alerted before it."""
        leads = [o.lead for o in self.scams if o.lead is not None]
        return sum(lead > 0 for lead in leads) / len(leads) if leads else 0.0

    @property
    def false_alerts(self) -> int:
        return sum(o.alert_turn is not None for o in self.benign)

    def summary(self) -> dict[str, Any]:
        leads = sorted(o.lead for o in self.scams if o.lead is not None)
        return {
            "conversations": len(self.outcomes),
            "scam": len(self.scams),
            "benign": len(self.benign),
            "languages": len({o.language for o in self.outcomes}),
            "alerted_share": round(self.alerted_share, 4),
            "before_money_share": round(self.before_money_share, 4),
            "median_turns_ahead": leads[len(leads) // 2] if leads else None,
            "false_alerts": self.false_alerts,
        }


def load_labelled(path: Path) -> list[dict[str, Any]]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def evaluate(path: Path) -> Metrics:
    metrics = Metrics()
    for item in load_labelled(path):
        a = track(item)
        metrics.outcomes.append(
            Outcome(
                id=item["id"],
                label=item["label"],
                language=item["language"],
                alert_turn=a.alert_turn,
                money_turn=item.get("money_turn"),
                stages=a.stages,
                risk=a.risk,
            )
        )
    return metrics

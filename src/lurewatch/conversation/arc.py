"""How per-message stage evidence becomes a conversation risk.

A single message is weak evidence ("Hi, how are you?"); the SHAPE of a chat is strong
evidence. The stages of the scams we track fall into phases:

    contact  : opener (wrong number, long-lost contact, unsolicited hello)
    grooming : rapport, romance
    move     : off_platform (move to WhatsApp/Telegram/LINE) — suspicious in any position
    pitch    : pitch (investment, teacher, guaranteed returns), task, impersonation
    money    : onboarding, money_request, fake_profit, withdrawal_block, recovery_scam

The state keeps, per phase, the noisy-OR of the distinct evidence seen (each rule or cue id
counted once, at its strongest) and the turn the phase was first reached: memory bounded by
the number of rules, O(1) work per turn, so adding a message never re-reads the history.

Scoring, in log-odds so every factor is an explainable likelihood ratio:
- evidence of the ambiguous stages counts at HALF strength (`LONE_FACTOR`): a lone opener, a
  mention of crypto, "my love" are what ordinary chats contain too. Stages that have no
  harmless reading — paid-likes tasks, impersonation of police or family, "pay the tax
  before you can withdraw", recovery fees — count in full;
- every further phase reached IN ORDER (its first turn after the previous one's) multiplies
  the odds by `ORDER_BONUS`; a move to another app counts as ordered wherever it comes.
  Phases out of order (sweet words AFTER a payment link, as between a couple booking a trip)
  add their evidence but no bonus (`UNORDERED_BONUS` = 1): the order is the evidence.
So an opener followed by a pitch is far stronger than either alone, and a wrong number that
ends politely stays one weak opener.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

PHASES: dict[str, str] = {
    "opener": "contact",
    "rapport": "grooming",
    "romance": "grooming",
    "off_platform": "move",
    "pitch": "pitch",
    "task": "pitch",
    "impersonation": "pitch",
    "onboarding": "money",
    "money_request": "money",
    "fake_profit": "money",
    "withdrawal_block": "money",
    "recovery_scam": "money",
}
PHASE_ORDER: tuple[str, ...] = ("contact", "grooming", "pitch", "money")
ANY_ORDER_PHASE = "move"
STAGE_ORDER: tuple[str, ...] = (
    "opener", "rapport", "romance", "off_platform", "pitch", "task", "impersonation",
    "onboarding", "money_request", "fake_profit", "withdrawal_block", "recovery_scam",
)  # fmt: skip
"""Stages from earliest to latest; a turn showing several is labelled with the latest."""

LONE_FACTOR = 0.5
FULL_STAGES = frozenset({"task", "impersonation", "withdrawal_block", "recovery_scam"})
ORDER_BONUS = 3.0
UNORDERED_BONUS = 1.0
MIN_PHASE_EVIDENCE = 0.2
"""Evidence below this does not count as reaching a phase (it still adds to the score)."""
MAX_WEIGHT = 0.99


def logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


@dataclass
class ArcState:
    """Running per-phase evidence; `update` and `risk` do constant work per call."""

    evidence: dict[str, float] = field(default_factory=dict)
    """Evidence id -> strongest effective weight so far (bounded by the number of rules)."""
    miss: dict[str, float] = field(default_factory=dict)
    """Phase -> product of (1 - weight) over its distinct evidence."""
    first_turn: dict[str, int] = field(default_factory=dict)
    stages_seen: list[str] = field(default_factory=list)

    def update(self, turn: int, items: list[tuple[str, str, float]]) -> None:
        """Fold one message's evidence in: (evidence id, stage, weight) triples."""
        for key, stage, weight in items:
            phase = PHASES[stage]
            factor = 1.0 if stage in FULL_STAGES else LONE_FACTOR
            w = min(weight * factor, MAX_WEIGHT)
            old = self.evidence.get(key, 0.0)
            if w > old:
                self.evidence[key] = w
                self.miss[phase] = self.miss.get(phase, 1.0) / (1.0 - old) * (1.0 - w)
            if weight >= MIN_PHASE_EVIDENCE:
                self.first_turn.setdefault(phase, turn)
                if stage not in self.stages_seen:
                    self.stages_seen.append(stage)

    def phases_in_order(self) -> tuple[int, int]:
        """(length of the longest in-order chain of phases, phases reached at all)."""
        reached = [p for p in PHASE_ORDER if p in self.first_turn]
        move = ANY_ORDER_PHASE in self.first_turn
        if not reached:
            return int(move), int(move)
        # At most four phases: the quadratic longest-chain scan is constant work.
        best = [1] * len(reached)
        for j in range(len(reached)):
            for i in range(j):
                if self.first_turn[reached[i]] <= self.first_turn[reached[j]]:
                    best[j] = max(best[j], best[i] + 1)
        return max(best) + int(move), len(reached) + int(move)

    def risk(self) -> float:
        """Conversation risk from the phases reached and their order."""
        if not self.miss:
            return 0.0
        miss = 1.0
        for m in self.miss.values():
            miss *= m
        ordered, reached = self.phases_in_order()
        z = logit(1.0 - miss)
        if ordered > 1:
            z += (ordered - 1) * math.log(ORDER_BONUS)
        if reached > ordered:
            z += (reached - ordered) * math.log(UNORDERED_BONUS)
        return sigmoid(z)

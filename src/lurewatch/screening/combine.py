"""How the evidence becomes one verdict.

Three sources, each already calibrated on its own terms:
- the text model: a probability calibrated on the training corpora, whose operating point
  (threshold per language, chosen for ≤ 0.5% false positives on personal messages) is moved to
  0.5 by a shift of the log-odds. A log-odds shift is exactly a change of the prior, so the
  result is still a calibrated probability, for a population where scams are rarer than in the
  spam corpora;
- red-flag signals and risky links: noisy-OR evidence (lurewatch.signals.scoring), which is what
  covers languages and scam types the corpora lack (recruitment lures, pig-butchering);
- context (is the sender a saved contact?) that re-weights the opener signals.
The verdict is the noisy-OR of the model risk and the evidence score.
"""

from __future__ import annotations

import math

from lurewatch.signals.scoring import SignalHit, SignalScore

OPENER = "opener"
UNKNOWN_SENDER_BOOST = 2
"""An opener from a stranger counts as if seen twice: 1 - (1 - w)^2."""


def shift_to_threshold(p: float, threshold: float) -> float:
    """`p` with its log-odds moved so that `threshold` maps to 0.5 (monotone, prior shift)."""
    eps = 1e-9
    p = min(max(p, eps), 1 - eps)
    t = min(max(threshold, eps), 1 - eps)
    z = math.log(p / (1 - p)) - math.log(t / (1 - t))
    return 1.0 / (1.0 + math.exp(-z))


def apply_sender_context(
    hits: list[SignalHit], sender_known: bool | None
) -> tuple[list[SignalHit], list[str]]:
    """Re-weight opener hits by who sent the message; returns hits and what was done."""
    openers = [h for h in hits if h.stage == OPENER]
    if not openers:
        return hits, []
    if sender_known is None:
        return hits, [
            "The text opens like a message from a stranger. If the sender is a saved contact "
            "this is not a warning sign; if it is a stranger, that is how many investment and "
            "romance scams begin (pass sender_known to take this into account)."
        ]
    if sender_known:
        kept = [h for h in hits if h.stage != OPENER]
        return kept, ["The sender is a saved contact, so the friendly opener is not counted."]
    boosted = [
        h.model_copy(update={"weight": 1.0 - (1.0 - h.weight) ** UNKNOWN_SENDER_BOOST})
        if h.stage == OPENER
        else h
        for h in hits
    ]
    return boosted, ["An unsolicited opener from an unknown sender counts as a stronger flag."]


def combine(model_risk: float | None, evidence: SignalScore) -> float:
    """Noisy-OR of the (prior-shifted) model risk and the evidence score."""
    if model_risk is None:
        return evidence.score
    return 1.0 - (1.0 - model_risk) * (1.0 - evidence.score)

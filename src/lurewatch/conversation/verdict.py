"""The words around a conversation verdict: its category and the sentences explaining it.

Kept apart from the tracker so the scoring loop stays about numbers; this is what a person
worried about a chat with a stranger reads first.
"""

from __future__ import annotations

from collections import Counter

from lurewatch.conversation.arc import ArcState

_ROMANCE_ARC = ("romance",)
_MONEY_STAGES = ("onboarding", "fake_profit", "withdrawal_block")


def category_for(flagged: bool, stages: list[str], message_categories: Counter[str]) -> str:
    """The scam the stage path describes; the commonest flagged-message category otherwise."""
    if not flagged:
        return "benign"
    seen = set(stages)
    if "impersonation" in seen:
        return "impersonation"
    if "task" in seen:
        return "job_scam"
    if seen & {"pitch", "fake_profit", "withdrawal_block", "recovery_scam"}:
        return "pig_butchering" if seen & {"opener", "rapport", "romance"} else "investment"
    if "romance" in seen:
        return "romance"
    if message_categories:
        return message_categories.most_common(1)[0][0]
    return "pig_butchering" if "opener" in seen else "spam"


_STAGE_WORDS = {
    "opener": "an unsolicited first contact (wrong number, long-lost contact)",
    "rapport": "friendly personal questions",
    "romance": "affection or romance",
    "off_platform": "a move to another messaging app",
    "pitch": "an investment or money-making pitch",
    "task": "paid online 'tasks'",
    "impersonation": "someone claiming to be an official, a company or a relative",
    "onboarding": "instructions to sign up, download an app or deposit",
    "money_request": "a request to send or transfer money",
    "fake_profit": "shown profits",
    "withdrawal_block": "a fee, tax or frozen account before you can withdraw (or a parcel "
    "released)",
    "recovery_scam": "an offer to recover lost money",
}


def explain(
    arc: ArcState, alert_turn: int | None, context: set[str], me_started: bool
) -> list[str]:
    """Plain sentences: the path the chat took, when we would have warned, what the user said."""
    out: list[str] = []
    if arc.stages_seen:
        path = "; then ".join(_STAGE_WORDS[s] for s in arc.stages_seen)
        out.append(f"The other person's messages showed: {path}.")
    if alert_turn is not None:
        out.append(
            f"This chat follows the pattern of a scam; the warning would have come at message "
            f"{alert_turn + 1}."
        )
    else:
        out.append("No scam pattern strong enough to warn about.")
    if me_started:
        out.append("You wrote first, so their greeting is not counted as unsolicited.")
    if "stranger" in context:
        out.append("You said you do not know this person.")
    if "declined" in context:
        out.append("You declined; scammers often keep trying after a no.")
    if "paid" in context and alert_turn is not None:
        out.append(
            "You said you already sent money: do not send more (no 'tax', 'fee' or 'deposit' "
            "will release it), keep the chat and receipts, and report it to your bank and the "
            "police."
        )
    return out

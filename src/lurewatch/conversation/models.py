"""What a conversation is, and what the tracker says about it.

A `Conversation` is the importers' output and the tracker's input: an id and an ordered list of
`Message`s, each from "them" (the other party, the only source of scam evidence) or "me" (the
person we protect, whose replies are context). `TurnAssessment` is the tracker's answer after
one message; `ConversationAssessment` the answer for the whole chat, with `to_record()` giving
the JSONL record `lurewatch screen --input` writes for a line with `messages`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from lurewatch.advice import Advice

Sender = Literal["them", "me"]

MAX_MESSAGES = 100_000
"""A conversation longer than this is refused: no real chat needs it, and it bounds memory."""
MAX_MESSAGE_CHARS = 20_000
"""One message longer than this is refused (chat apps cap messages well below it)."""


class ConversationError(ValueError):
    """Input that is not a usable conversation; the message names the line or message."""


class UnknownParticipantError(ConversationError):
    """The export names several people and none of them is known to be the user.

    `participants` lists them (in order of first appearance) so a CLI or UI can ask which one
    is "me" and parse again with `me=NAME`.
    """

    def __init__(self, participants: list[str], detail: str = "") -> None:
        self.participants = participants
        names = ", ".join(repr(p) for p in participants)
        super().__init__(
            f"cannot tell which participant is you{detail}; participants: {names}. "
            "Say which one with --me NAME (or me=NAME)."
        )


class Message(BaseModel):
    """One chat message, after import."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    sender: Sender = Field(alias="from")
    text: str = Field(max_length=MAX_MESSAGE_CHARS)
    ts: str | None = None
    name: str | None = None
    """The display name in the export, when there was one."""
    line: int | None = None
    """Where the message started in the source file (1-based), for error messages."""


class Conversation(BaseModel):
    """An imported chat: the messages in order, and where it came from."""

    model_config = ConfigDict(frozen=True)

    id: str
    messages: list[Message]
    source_format: str = "json"
    participants: list[str] = Field(default_factory=list)


class TurnSignal(BaseModel):
    """One piece of evidence on a turn: a signal-pack rule or a conversation cue."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    stage: str | None
    weight: float
    source: Literal["rule", "cue", "link", "model"] = "rule"


class TurnAssessment(BaseModel):
    """The tracker's answer after one message: that message's evidence and the running verdict."""

    model_config = ConfigDict(frozen=True)

    index: int
    sender: Sender
    stage: str | None
    """The scam stage this message shows (None for ordinary talk and for "me" messages)."""
    message_risk: float = Field(ge=0.0, le=1.0)
    """Evidence in this message alone (0 for "me" messages)."""
    risk: float = Field(ge=0.0, le=1.0)
    """Conversation risk after this message (it never needs the earlier messages again)."""
    alert: bool
    """True on the first turn whose conversation risk crosses the threshold."""
    signals: list[TurnSignal] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    """What this "me" message told us (declined, asked who this is, ...)."""

    def to_record(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "index": self.index,
            "from": self.sender,
            "risk": round(self.risk, 4),
            "message_risk": round(self.message_risk, 4),
            "stage": self.stage,
            "signals": [s.id for s in self.signals],
        }
        if self.context:
            out["context"] = self.context
        return out


class ConversationAssessment(BaseModel):
    """Verdict for a whole conversation: risk, the stage path, the alert turn and advice."""

    model_config = ConfigDict(frozen=True)

    risk: float = Field(ge=0.0, le=1.0)
    flagged: bool
    category: str
    language: str
    turns: list[TurnAssessment]
    alert_turn: int | None
    stages: list[str]
    """Stages reached, in the order they first appeared."""
    advice: Advice
    explanation: list[str] = Field(default_factory=list)

    def to_record(self, item_id: str | None = None) -> dict[str, Any]:
        """The JSONL record for one conversation (`lurewatch screen --input`, `conversation`)."""
        out: dict[str, Any] = {"id": item_id} if item_id is not None else {}
        out.update(
            kind="conversation",
            risk=round(self.risk, 4),
            flagged=self.flagged,
            category=self.category,
            language=self.language,
            alert_turn=self.alert_turn,
            stages=self.stages,
            turns=[t.to_record() for t in self.turns],
            advice=self.advice.model_dump(exclude_defaults=True),
            explanation=self.explanation,
        )
        return out

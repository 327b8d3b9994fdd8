"""`ConversationTracker`: read a chat one message at a time, as a messaging platform would.

Each "them" message is screened once (`lurewatch.screening.screen`: signal packs, links, text
model) and its stage evidence — signal rules with a `stage`, plus the conversation cues of
`cues.py` — is folded into an `arc.ArcState`. Nothing about earlier messages is kept except
that constant-size state, so `add()` costs the same at turn 5 and at turn 5,000 and the
conversation risk never needs the history again. "me" messages are not screened for scam
evidence; they give context: who started the chat, "who is this?", "no thanks", "I paid".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import ValidationError

from lurewatch.advice import advice_for
from lurewatch.conversation.arc import PHASES, STAGE_ORDER, ArcState
from lurewatch.conversation.cues import me_context, them_cues
from lurewatch.conversation.models import (
    MAX_MESSAGES,
    Conversation,
    ConversationAssessment,
    ConversationError,
    Message,
    TurnAssessment,
    TurnSignal,
)
from lurewatch.conversation.verdict import category_for, explain
from lurewatch.screening import screen
from lurewatch.screening.assessment import Assessment
from lurewatch.signals.scoring import SignalHit, SignalSpan, distinct_evidence, score_signals
from lurewatch.text import normalize

ALERT_THRESHOLD = 0.5
"""The conversation alerts on the first turn whose risk reaches this (same scale as screening)."""
MODEL_FACTOR = 0.5
"""The text model scores single messages; inside a chat its opinion is one piece of evidence
among many and counts at half strength (a friend's "send me the link" is not a scam)."""
STRANGER_OPENER = 0.4
"""Opener evidence when the user says they do not know the sender."""
MIN_STAGE_EVIDENCE = 0.15
"""A message is labelled with a stage only when that stage's evidence reaches this."""


def _hits(a: Assessment) -> list[SignalHit]:
    return [
        SignalHit(
            id=e.id,
            title=e.title,
            title_local=e.title_local,
            category=e.category,
            stage=e.stage,
            weight=e.weight,
            spans=[SignalSpan(start=s.start, end=s.end, text=s.text) for s in e.spans],
        )
        for e in a.signals
    ]


def _evidence_items(hits: list[SignalHit], cues: dict[str, float]) -> list[tuple[str, str, float]]:
    """(id, stage, weight) for the distinct staged rule hits and the cues of one message."""
    items = [
        (h.id, h.stage, h.weight)
        for h in distinct_evidence(h for h in hits if h.stage in PHASES)
        if h.stage is not None
    ]
    return items + [(f"cue.{stage}", stage, w) for stage, w in cues.items()]


def _stage_evidence(items: list[tuple[str, str, float]]) -> dict[str, float]:
    """Stage -> strength in this message: noisy-OR of its evidence."""
    miss: dict[str, float] = {}
    for _, stage, w in items:
        miss[stage] = miss.get(stage, 1.0) * (1.0 - w)
    return {stage: 1.0 - m for stage, m in miss.items()}


def _turn_stage(evidence: dict[str, float]) -> str | None:
    """The latest stage (in scam order) with enough evidence: the furthest the chat has got."""
    strong = [s for s, w in evidence.items() if w >= MIN_STAGE_EVIDENCE]
    return max(strong, key=STAGE_ORDER.index) if strong else None


class ConversationTracker:
    """Incremental conversation scoring: `add(message)` returns that turn's assessment.

    `region` is the user's ISO country (hotlines, phone parsing), `channel` where the chat is
    happening. `assessment()` gives the verdict so far at any point, without rescoring.
    """

    def __init__(self, *, region: str | None = None, channel: str | None = None) -> None:
        self.region = region
        self.channel = channel
        self.arc = ArcState()
        self.other = 0.0
        """Strongest stage-less evidence so far (unstaged rules, links, the text model)."""
        self.turns: list[TurnAssessment] = []
        self.alert_turn: int | None = None
        self.me_started: bool | None = None
        self.sender_known: bool | None = None
        self.context: set[str] = set()
        self.languages: Counter[str] = Counter()
        self.categories: Counter[str] = Counter()

    @property
    def risk(self) -> float:
        arc = self.arc.risk()
        return 1.0 - (1.0 - arc) * (1.0 - self.other)

    def add(self, message: Message | dict[str, object]) -> TurnAssessment:
        """Score one message and return the running verdict after it."""
        if isinstance(message, Message):
            msg = message
        else:
            try:
                msg = Message.model_validate(message)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise ConversationError(
                    f"message {len(self.turns) + 1}: {where}: {first['msg']}"
                ) from None
        index = len(self.turns)
        if index >= MAX_MESSAGES:
            raise ConversationError(f"conversation longer than {MAX_MESSAGES:,} messages")
        if self.me_started is None:
            self.me_started = msg.sender == "me"
        mine = msg.sender == "me"
        turn = self._add_mine(index, msg) if mine else self._add_theirs(index, msg)
        self.turns.append(turn)
        return turn

    def _add_mine(self, index: int, msg: Message) -> TurnAssessment:
        found = me_context(normalize(msg.text).text)
        if "stranger" in found and not self.me_started:
            # "Who is this?" / "wrong number": the chat is unsolicited contact from a stranger,
            # which is the opener stage whatever words they used.
            self.sender_known = False
            self.arc.update(index, [("me.stranger", "opener", STRANGER_OPENER)])
        self.context.update(found)
        return self._turn(index, msg, None, 0.0, [], found)

    def _add_theirs(self, index: int, msg: Message) -> TurnAssessment:
        a = screen(
            msg.text, sender_known=self.sender_known, channel=self.channel, region=self.region
        )
        hits = _hits(a)
        cues = them_cues(normalize(msg.text).text)
        if self.me_started:  # you wrote first: their hello is not unsolicited
            hits = [h for h in hits if h.stage != "opener"]
            cues.pop("opener", None)
        items = _evidence_items(hits, cues)
        evidence = _stage_evidence(items)
        self.arc.update(index, items)
        unstaged = score_signals(h for h in hits if h.stage not in PHASES).score
        model = MODEL_FACTOR * (a.scores.model or 0.0)
        self.other = max(self.other, 1.0 - (1.0 - unstaged) * (1.0 - model))
        if a.language and a.language != "und":
            self.languages[a.language] += len(msg.text)
        if a.flagged:
            self.categories[a.category] += 1
        signals = [
            TurnSignal(id=e.id, title=e.title, stage=e.stage, weight=e.weight, source=e.source)
            for e in a.signals
        ] + [
            TurnSignal(
                id=f"cue.{stage}",
                title=f"conversation cue: {stage}",
                stage=stage,
                weight=w,
                source="cue",
            )
            for stage, w in cues.items()
        ]
        return self._turn(index, msg, _turn_stage(evidence), a.risk, signals, [])

    def _turn(
        self,
        index: int,
        msg: Message,
        stage: str | None,
        message_risk: float,
        signals: list[TurnSignal],
        context: list[str],
    ) -> TurnAssessment:
        risk = self.risk
        alert = self.alert_turn is None and risk >= ALERT_THRESHOLD
        if alert:
            self.alert_turn = index
        return TurnAssessment(
            index=index,
            sender=msg.sender,
            stage=stage,
            message_risk=round(message_risk, 6),
            risk=round(risk, 6),
            alert=alert,
            signals=signals,
            context=context,
        )

    @property
    def language(self) -> str:
        return self.languages.most_common(1)[0][0] if self.languages else "und"

    def assessment(self) -> ConversationAssessment:
        """The verdict for everything added so far (O(turns) only to copy the turn list)."""
        risk = self.risk
        flagged = self.alert_turn is not None
        category = category_for(flagged, self.arc.stages_seen, self.categories)
        language = self.language
        return ConversationAssessment(
            risk=round(risk, 6),
            flagged=flagged,
            category=category,
            language=language,
            turns=list(self.turns),
            alert_turn=self.alert_turn,
            stages=list(self.arc.stages_seen),
            advice=advice_for(category, language, self.region),
            explanation=explain(self.arc, self.alert_turn, self.context, bool(self.me_started)),
        )


def track(
    conversation: Conversation | Iterable[Message | dict[str, object]] | dict[str, object],
    *,
    region: str | None = None,
    channel: str | None = None,
) -> ConversationAssessment:
    """Score a whole conversation turn by turn (a `Conversation`, its dict, or messages)."""
    from lurewatch.conversation.importers import parse_conversation

    if isinstance(conversation, dict):
        conversation = parse_conversation(conversation)
    messages = conversation.messages if isinstance(conversation, Conversation) else conversation
    tracker = ConversationTracker(region=region, channel=channel)
    for msg in messages:
        tracker.add(msg)
    return tracker.assessment()

"""The result of screening one text: what a hotline volunteer, a job seeker's UI and a
trust-and-safety pipeline all read.

It carries the verdict (`risk`, `flagged`, `category`), the evidence behind it (fired red-flag
signals with spans in the ORIGINAL text, extracted indicators, judged links), advice in the
reader's language, and `explanation`: plain sentences on how the verdict was reached and what
context would change it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from lurewatch.advice import Advice
from lurewatch.domains.models import DomainAssessment
from lurewatch.models import Indicator, ScamCategory
from lurewatch.signals.scoring import SignalHit, SignalSpan

Category = ScamCategory | Literal["benign"]
Kind = Literal["message", "job_ad"]
Channel = Literal[
    "sms",
    "whatsapp",
    "telegram",
    "line",
    "wechat",
    "zalo",
    "viber",
    "kakaotalk",
    "facebook",
    "instagram",
    "tiktok",
    "job_board",
    "email",
    "other",
]

DEFAULT_THRESHOLD = 0.5
"""`flagged` is `risk >= DEFAULT_THRESHOLD`. The text model's own operating point (chosen so
that at most 0.5% of ordinary personal messages are flagged) is mapped onto 0.5 by a prior
shift, and one decisive red flag or two or three ordinary ones cross 0.5 too."""


Span = SignalSpan
"""A stretch of the original text, with what it says."""


class Evidence(SignalHit):
    """One red flag: a signal rule that fired, or a link judged risky."""

    source: Literal["rule", "link"] = "rule"


class Scores(BaseModel):
    """The parts the verdict combines, for analysts and for tuning."""

    model_config = ConfigDict(frozen=True)

    model: float | None = Field(default=None, ge=0.0, le=1.0)
    """Text model risk after the prior shift (None when no model applies)."""
    model_raw: float | None = Field(default=None, ge=0.0, le=1.0)
    """Text model probability as calibrated on the training corpora."""
    signals: float = Field(ge=0.0, le=1.0)
    """Red-flag rules and risky links combined (see lurewatch.signals.scoring)."""


class Assessment(BaseModel):
    """Verdict and evidence for one screened text."""

    model_config = ConfigDict(frozen=True)

    risk: float = Field(ge=0.0, le=1.0)
    flagged: bool
    category: Category
    language: str
    kind: Kind
    signals: list[Evidence] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    links: list[DomainAssessment] = Field(default_factory=list)
    advice: Advice
    explanation: list[str] = Field(default_factory=list)
    scores: Scores

    def to_record(self, item_id: str | None = None) -> dict[str, Any]:
        """The JSONL record `lurewatch screen --input` writes for one item."""
        out: dict[str, Any] = {"id": item_id} if item_id is not None else {}
        out.update(
            risk=round(self.risk, 4),
            flagged=self.flagged,
            category=self.category,
            language=self.language,
            kind=self.kind,
            signals=[s.model_dump(exclude_none=True) for s in self.signals],
            indicators=[i.to_dict() for i in self.indicators],
            advice=self.advice.model_dump(exclude_defaults=True),
        )
        return out

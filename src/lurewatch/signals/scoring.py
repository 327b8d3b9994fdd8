"""Signal results and how fired rules combine into one score.

The combination is noisy-OR per category (each flag is an independent piece of evidence
of strength `weight`), then the strongest category wins and supporting `any` flags raise it
by at most half their strength. That keeps three properties the packs are calibrated for: one
decisive flag (weight ~0.6) flags alone; two or three typical flags (0.2-0.4) cross 0.5
together; supporting flags alone can never flag or choose a category.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from lurewatch.signals.schema import CATEGORIES, Category, Stage

FLAG_THRESHOLD = 0.5
ANY_FACTOR = 0.5
BENIGN = "benign"


class SignalSpan(BaseModel):
    """Where a rule matched, in ORIGINAL-text offsets, and what the person wrote there."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class SignalHit(BaseModel):
    """One rule that fired on a text, with the evidence (spans) that made it fire."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    title_local: str
    category: Category
    stage: Stage | None
    weight: float
    spans: list[SignalSpan]


class SignalScore(BaseModel):
    """The verdict of the signal layer alone.

    `by_category` holds s_c for every category with at least one fired rule, including
    `any` (the strength of the supporting flags), so a caller can show the runner-up.
    """

    model_config = ConfigDict(frozen=True)

    score: float = Field(ge=0.0, le=1.0)
    flagged: bool
    category: str
    by_category: dict[str, float]


SAME_WORDS = 0.6
"""Two spans whose overlap is at least this share of their union read the same words."""


def _same_words(a: SignalSpan, b: tuple[int, int]) -> bool:
    inter = min(a.end, b[1]) - max(a.start, b[0])
    union = max(a.end, b[1]) - min(a.start, b[0])
    return union > 0 and inter >= SAME_WORDS * union


def distinct_evidence(hits: Iterable[SignalHit]) -> list[SignalHit]:
    """The hits that add evidence, strongest first: each rule once, and within a category a
    hit whose every span covers much the same characters as a span already counted (overlap
    ≥ 60% of the union) is the same words read again.

    Every pack runs on every text, so a phrase in a shared script ("free flight", a Latin-script
    job title) can fire the equivalent rule of several language packs; counting it once per
    pack would inflate the score. Different words in the same category still add up.
    """
    unique: dict[str, SignalHit] = {}
    for hit in hits:
        unique.setdefault(hit.id, hit)
    counted: dict[str, list[tuple[int, int]]] = {}
    out: list[SignalHit] = []
    for hit in sorted(unique.values(), key=lambda h: (-h.weight, h.id)):
        taken = counted.setdefault(hit.category, [])
        if hit.spans and taken and all(any(_same_words(sp, t) for t in taken) for sp in hit.spans):
            continue
        taken.extend((sp.start, sp.end) for sp in hit.spans)
        out.append(hit)
    return out


def score_signals(hits: Iterable[SignalHit]) -> SignalScore:
    """Combine hits: s_c = 1 - prod(1 - w_r) per category over distinct evidence (see
    `distinct_evidence`) and the module doc.

    The category is the argmax of s_c over real categories (ties broken by the order in
    `CATEGORIES`); with none fired it is "benign". score = 1 - (1 - s_best)(1 - 0.5 s_any).
    """
    miss: dict[str, float] = {}
    for hit in distinct_evidence(hits):
        miss[hit.category] = miss.get(hit.category, 1.0) * (1.0 - hit.weight)
    by_category = {c: 1.0 - miss[c] for c in CATEGORIES if c in miss}
    s_any = by_category.get("any", 0.0)
    best, s_best = BENIGN, 0.0
    for cat, s in by_category.items():
        if cat != "any" and s > s_best:
            best, s_best = cat, s
    score = 1.0 - (1.0 - s_best) * (1.0 - ANY_FACTOR * s_any)
    score = min(max(score, 0.0), 1.0)
    return SignalScore(
        score=score,
        flagged=score >= FLAG_THRESHOLD,
        category=best,
        by_category=by_category,
    )

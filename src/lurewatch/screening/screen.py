"""`screen()`: the one entry point from a text to an `Assessment`.

Normalizes once, then runs every detector on the same `NormalizedText`: indicator extraction,
the red-flag signal packs, the text model, and the link checker for URLs found in the text.
Modules below this one know nothing of each other; this is where they meet.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from lurewatch.advice import advice_for
from lurewatch.indicators import extract
from lurewatch.model.artifacts import ArtifactError, shipped_model
from lurewatch.model.classifier import RiskModel
from lurewatch.screening.assessment import (
    DEFAULT_THRESHOLD,
    Assessment,
    Category,
    Channel,
    Evidence,
    Kind,
    Scores,
)
from lurewatch.screening.combine import (
    apply_sender_context,
    combine,
    shift_to_threshold,
)
from lurewatch.screening.links import judge_links, link_hits
from lurewatch.signals import match_signals
from lurewatch.signals.scoring import BENIGN, SignalHit, SignalScore, score_signals
from lurewatch.text import NormalizedText, normalize

MODEL_MIN_WORD_CHARS = 4
"""Texts with fewer letters or digits than this ("P", "ok") give the text model nothing to go
on; its probability there is the intercept, not evidence, so it is not consulted."""
JOB_THEMES = ("recruitment", "illegal_work")
JOB_AD_MIN_CHARS = 120
"""A text this long whose red flags are recruitment ones is read as a job ad."""
JOB_AD_MODEL_LANGUAGES = ("zh",)
"""The job-ad model is trained on Chinese job ads only (ORFD). Job ads in other languages get no
text model: the message model learnt from SMS, where any advertisement is spam, and flags
genuine agency notices; their verdict comes from the recruitment signal packs and links."""


_advice = lru_cache(maxsize=1024)(advice_for)
"""Advice depends on (category, language, region) only, and building it costs ~10 us of
catalogue merging per text; the Advice is frozen and shared between verdicts."""


def _theme(hit: SignalHit) -> str:
    parts = hit.id.split(".")
    return parts[1] if len(parts) > 2 else ""


def detect_kind(nt: NormalizedText, hits: list[SignalHit], channel: str | None) -> Kind:
    """`job_ad` for job-board items and long texts whose red flags are about recruitment."""
    if channel == "job_board":
        return "job_ad"
    if len(nt.text) >= JOB_AD_MIN_CHARS and any(_theme(h) in JOB_THEMES for h in hits):
        return "job_ad"
    return "message"


def _model_for(
    kind: Kind, language: str, models: Mapping[str, RiskModel] | None = None
) -> RiskModel | None:
    if kind == "job_ad" and language not in JOB_AD_MODEL_LANGUAGES:
        return None
    which = "job_ad" if kind == "job_ad" else "message"
    if models is not None and which in models:
        return models[which]
    try:
        return shipped_model(which)
    except ArtifactError:
        return None


def _model_extras(score: SignalScore) -> dict[str, float]:
    """The signal features the text model was trained with (see model.features)."""
    out = {f"signal:{cat}": float(v) for cat, v in score.by_category.items()}
    out["signal:score"] = float(score.score)
    return out


def _evidence(hits: list[SignalHit], source_ids: set[str]) -> list[Evidence]:
    return [
        Evidence(
            **h.model_dump(exclude={"weight"}),
            weight=round(h.weight, 4),
            source="link" if h.id in source_ids else "rule",
        )
        for h in sorted(hits, key=lambda h: -h.weight)
    ]


def _category(
    flagged: bool, evidence: SignalScore, kind: Kind, scam_prob: float | None, has_link: bool
) -> Category:
    if not flagged:
        return "benign"
    if evidence.category != BENIGN:
        return evidence.category  # type: ignore[return-value]
    if scam_prob is not None and scam_prob < 0.5:
        return "spam"
    if kind == "job_ad":
        return "job_scam"
    return "phishing" if has_link else "spam"


def screen(
    text: str,
    kind: Kind | str = "auto",
    *,
    sender_known: bool | None = None,
    channel: Channel | str | None = None,
    region: str | None = None,
    models: Mapping[str, RiskModel] | None = None,
) -> Assessment:
    """Screen one text (a message or a job ad) and explain the verdict.

    `kind` is "message", "job_ad" or "auto"; `sender_known` says whether the sender is a saved
    contact; `channel` where the text came from; `region` the ISO country of the person (phone
    parsing, hotlines); `models` replaces the shipped text models by kind ("message",
    "job_ad"), so a model retrained on a split can be evaluated end to end. Raises
    `TypeError` for non-text and `TextTooLongError` (a ValueError) above the size limit;
    everything else is an answer, never an exception.
    """
    region = region.upper() if region else None
    nt = normalize(text)
    language = nt.language
    indicators = extract(nt, region=region)
    hits = match_signals(nt)
    explanation: list[str] = []
    hits, notes = apply_sender_context(hits, sender_known)
    explanation += notes

    resolved: Kind
    if kind == "message":
        resolved = "message"
    elif kind == "job_ad":
        resolved = "job_ad"
    elif kind == "auto":
        resolved = detect_kind(nt, hits, channel)
    else:
        raise ValueError(f"kind must be 'message', 'job_ad' or 'auto', not {kind!r}")
    text_only = score_signals(hits)
    links, risky = judge_links(indicators)
    lead = text_only.category if text_only.category != BENIGN else "phishing"
    extra_hits = link_hits(risky, lead)
    all_hits = hits + extra_hits
    evidence = score_signals(all_hits) if extra_hits else text_only

    model = _model_for(resolved, language, models)
    model_raw = model_risk = scam_prob = None
    word_chars = sum(ch.isalnum() for ch in nt.text[: MODEL_MIN_WORD_CHARS * 4])
    if model is not None and word_chars >= MODEL_MIN_WORD_CHARS:
        pred = model.predict_text(nt.text, extras=_model_extras(text_only), language=language)
        threshold = model.threshold_for(language)
        model_raw = pred.risk
        model_risk = shift_to_threshold(pred.risk, threshold)
        scam_prob = pred.scam
        explanation.append(
            f"Text model ({model.kind}): {pred.risk:.2f} against its threshold "
            f"{threshold:.2f} for this language."
        )
    risk = combine(model_risk, evidence)
    flagged = risk >= DEFAULT_THRESHOLD
    if all_hits:
        explanation.append(
            f"{len(all_hits)} red flag(s), strongest category {evidence.category} "
            f"(evidence score {evidence.score:.2f})."
        )
    elif not nt.text:
        explanation.append("The text is empty: nothing to judge.")
    category = _category(flagged, evidence, resolved, scam_prob, bool(links))
    return Assessment(
        risk=round(risk, 6),
        flagged=flagged,
        category=category,
        language=language,
        kind=resolved,
        signals=_evidence(all_hits, {h.id for h in extra_hits}),
        indicators=indicators,
        links=links,
        advice=_advice(category, language, region),
        explanation=explanation,
        scores=Scores(
            model=None if model_risk is None else round(model_risk, 6),
            model_raw=None if model_raw is None else round(model_raw, 6),
            signals=round(evidence.score, 6),
        ),
    )

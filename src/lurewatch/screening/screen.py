"""`screen()`: the one entry point from a text to an `Assessment`.

Normalizes once, then runs every detector on the same `NormalizedText`: indicator extraction,
the red-flag signal packs, the text model, and the link checker for URLs found in the text.
Modules below this one know nothing of each other; this is where they meet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from lurewatch.advice import advice_for
from lurewatch.domains.models import DomainAssessment
from lurewatch.indicators import extract
from lurewatch.model.artifacts import ArtifactError, shipped_model
from lurewatch.model.classifier import Prediction, RiskModel
from lurewatch.models import Indicator
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
from lurewatch.signals.engine import match_signals_many
from lurewatch.signals.scoring import BENIGN, SignalHit, SignalScore, score_signals
from lurewatch.text import NormalizedText, TextTooLongError, languages_of, normalize

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
    """The hits as Evidence, strongest first.

    Validated from each hit's fields as they are (its spans stay SignalSpan instances, which
    pydantic takes without rebuilding): ~2.5x cheaper than dumping the hit to dicts and
    validating those back, the same Evidence. (`model_construct` was measured slower still
    than validation in pydantic-core.)"""
    return [
        Evidence.model_validate(
            {
                **h.__dict__,
                "weight": round(h.weight, 4),
                "source": "link" if h.id in source_ids else "rule",
            }
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
    _check_kind(kind)
    return _screen_normalized(
        [normalize(text)], kind, sender_known, channel, _region(region), models
    )[0]


def screen_many(
    texts: Sequence[str],
    kind: Kind | str = "auto",
    *,
    sender_known: bool | None = None,
    channel: Channel | str | None = None,
    region: str | None = None,
    models: Mapping[str, RiskModel] | None = None,
) -> list[Assessment]:
    """`screen()` for a chunk of texts with the same context: the same Assessments, in order.

    For trust-and-safety pipelines that screen traffic in chunks. Each stage runs over the
    whole chunk before the next starts, so each keeps its tables in the CPU cache (language
    identification, the signal sets and the model tables evict each other when they
    alternate per text), and the text model scores the chunk in one batch
    (`RiskModel.predict_many`); domain verdicts are cached per host as in `screen()`. Every
    result equals `screen(texts[i], ...)` with the same arguments (tests check it).

    Every text is normalized before anything is scored: a non-text item raises `TypeError`
    and an over-long one `TextTooLongError`, naming its index, before any work is done, so
    a caller that wants per-item errors checks items with `normalize` first (or catches and
    splits the chunk).
    """
    _check_kind(kind)
    nts: list[NormalizedText] = []
    for i, text in enumerate(texts):
        try:
            nts.append(normalize(text))
        except TextTooLongError as exc:
            raise TextTooLongError(f"texts[{i}]: {exc}") from exc
        except TypeError as exc:
            raise TypeError(f"texts[{i}]: {exc}") from exc
    return _screen_normalized(nts, kind, sender_known, channel, _region(region), models)


def _region(region: str | None) -> str | None:
    return region.upper() if region else None


def _check_kind(kind: str) -> None:
    if kind not in ("message", "job_ad", "auto"):
        raise ValueError(f"kind must be 'message', 'job_ad' or 'auto', not {kind!r}")


@dataclass
class _Draft:
    """One text's results before the text model has scored it."""

    nt: NormalizedText
    indicators: list[Indicator]
    resolved: Kind
    text_only: SignalScore
    evidence: SignalScore
    all_hits: list[SignalHit]
    extra_ids: set[str]
    links: list[DomainAssessment]
    explanation: list[str]
    model: RiskModel | None = None


def _screen_normalized(
    nts: list[NormalizedText],
    kind: str,
    sender_known: bool | None,
    channel: str | None,
    region: str | None,
    models: Mapping[str, RiskModel] | None,
) -> list[Assessment]:
    """The screening stages, each over every text of `nts` in turn."""
    languages = languages_of(nts)
    all_indicators = [extract(nt, region=region) for nt in nts]
    # A chunk goes through the Hyperscan-compiled prefilter (same hits; see
    # SignalEngine.match_many); one text keeps RE2's, which needs no compiling.
    all_hits = match_signals_many(nts) if len(nts) > 1 else [match_signals(nt) for nt in nts]
    drafts = [
        _draft(nt, inds, hits, kind, sender_known, channel)
        for nt, inds, hits in zip(nts, all_indicators, all_hits, strict=True)
    ]
    for d, language in zip(drafts, languages, strict=True):
        model = _model_for(d.resolved, language, models)
        word_chars = sum(map(str.isalnum, d.nt.text[: MODEL_MIN_WORD_CHARS * 4]))
        if model is not None and word_chars >= MODEL_MIN_WORD_CHARS:
            d.model = model
    predictions: dict[int, Prediction] = {}
    by_model: dict[int, list[int]] = {}
    for i, d in enumerate(drafts):
        if d.model is not None:
            by_model.setdefault(id(d.model), []).append(i)
    for idx in by_model.values():
        model = drafts[idx[0]].model
        assert model is not None
        if len(idx) == 1:  # screen(): the one-text path has less numpy set-up; same result
            i = idx[0]
            predictions[i] = model.predict_text(
                drafts[i].nt.text, _model_extras(drafts[i].text_only), languages[i]
            )
            continue
        preds = model.predict_many(
            [drafts[i].nt.text for i in idx],
            extras=[_model_extras(drafts[i].text_only) for i in idx],
            languages=[languages[i] for i in idx],
        )
        predictions.update(zip(idx, preds, strict=True))
    return [
        _assess(d, language, region, predictions.get(i))
        for i, (d, language) in enumerate(zip(drafts, languages, strict=True))
    ]


def _draft(
    nt: NormalizedText,
    indicators: list[Indicator],
    hits: list[SignalHit],
    kind: str,
    sender_known: bool | None,
    channel: str | None,
) -> _Draft:
    explanation: list[str] = []
    hits, notes = apply_sender_context(hits, sender_known)
    explanation += notes
    resolved: Kind
    if kind == "message":
        resolved = "message"
    elif kind == "job_ad":
        resolved = "job_ad"
    else:
        resolved = detect_kind(nt, hits, channel)
    text_only = score_signals(hits)
    links, risky = judge_links(indicators)
    lead = text_only.category if text_only.category != BENIGN else "phishing"
    extra_hits = link_hits(risky, lead)
    all_hits = hits + extra_hits
    evidence = score_signals(all_hits) if extra_hits else text_only
    return _Draft(
        nt=nt,
        indicators=indicators,
        resolved=resolved,
        text_only=text_only,
        evidence=evidence,
        all_hits=all_hits,
        extra_ids={h.id for h in extra_hits},
        links=links,
        explanation=explanation,
    )


def _assess(d: _Draft, language: str, region: str | None, pred: Prediction | None) -> Assessment:
    explanation = d.explanation
    evidence = d.evidence
    model_raw = model_risk = scam_prob = None
    if pred is not None and d.model is not None:
        threshold = d.model.threshold_for(language)
        model_raw = pred.risk
        model_risk = shift_to_threshold(pred.risk, threshold)
        scam_prob = pred.scam
        explanation.append(
            f"Text model ({d.model.kind}): {pred.risk:.2f} against its threshold "
            f"{threshold:.2f} for this language."
        )
    risk = combine(model_risk, evidence)
    flagged = risk >= DEFAULT_THRESHOLD
    if d.all_hits:
        explanation.append(
            f"{len(d.all_hits)} red flag(s), strongest category {evidence.category} "
            f"(evidence score {evidence.score:.2f})."
        )
    elif not d.nt.text:
        explanation.append("The text is empty: nothing to judge.")
    category = _category(flagged, evidence, d.resolved, scam_prob, bool(d.links))
    return Assessment(
        risk=round(risk, 6),
        flagged=flagged,
        category=category,
        language=language,
        kind=d.resolved,
        signals=_evidence(d.all_hits, d.extra_ids),
        indicators=d.indicators,
        links=d.links,
        advice=_advice(category, language, region),
        explanation=explanation,
        scores=Scores(
            model=None if model_risk is None else round(model_risk, 6),
            model_raw=None if model_raw is None else round(model_raw, 6),
            signals=round(evidence.score, 6),
        ),
    )

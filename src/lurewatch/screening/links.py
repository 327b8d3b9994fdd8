"""Judge the links a text contains and turn risky ones into evidence.

A message with a risky link is riskier (issue 9 feeds screening): a known-bad or look-alike
domain is a red flag in its own right. Each distinct host is judged once per text; the
evidence joins the category the text's own signals point to (a fake exchange link in a
pig-butchering chat is part of that scam), or counts as phishing when nothing else fired.
"""

from __future__ import annotations

from lurewatch.domains.check import check_domain
from lurewatch.domains.models import DomainAssessment
from lurewatch.models import Indicator
from lurewatch.signals.scoring import SignalHit, SignalSpan

LISTED_WEIGHT = 0.65
LOOKALIKE_WEIGHT = 0.55
MODEL_WEIGHT = 0.4
MAX_LINKS = 20
"""A text with hundreds of links is judged on its first 20 distinct hosts."""


def judge_links(
    indicators: list[Indicator],
) -> tuple[list[DomainAssessment], list[tuple[Indicator, DomainAssessment]]]:
    """Assess each distinct URL/domain; returns all assessments and the flagged ones."""
    seen: set[str] = set()
    judged: list[DomainAssessment] = []
    flagged: list[tuple[Indicator, DomainAssessment]] = []
    for ind in indicators:
        if ind.type not in ("url", "domain"):
            continue
        host = ind.host or ind.normalized
        if host in seen or len(seen) >= MAX_LINKS:
            continue
        seen.add(host)
        assessment = check_domain(ind.normalized)
        judged.append(assessment)
        if assessment.flagged:
            flagged.append((ind, assessment))
    return judged, flagged


def link_hits(flagged: list[tuple[Indicator, DomainAssessment]], category: str) -> list[SignalHit]:
    """Evidence entries for risky links, in `category`."""
    hits: list[SignalHit] = []
    for ind, a in flagged:
        if a.listed:
            weight, title = LISTED_WEIGHT, "Link to a domain on a known scam or phishing list"
        elif a.imitates:
            weight = LOOKALIKE_WEIGHT
            title = f"Link to a look-alike of {', '.join(a.imitates[:3])}"
        else:
            weight, title = MODEL_WEIGHT, "Link to a domain that looks like scam infrastructure"
        hits.append(
            SignalHit(
                id=f"link.{a.domain or ind.normalized}",
                title=title,
                title_local=title,
                category=category,
                stage="onboarding",
                weight=weight,
                spans=[SignalSpan(start=ind.start, end=ind.end, text=ind.value)],
            )
        )
    return hits

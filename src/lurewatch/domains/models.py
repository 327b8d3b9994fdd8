"""Result types for domain checks.

`DomainReason` has the same shape as a screening signal (id, title, weight, detail) so that
`screen()` can fold a link's reasons into a message's explanation without translation, and a
UI can render both with one template.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DomainReason(BaseModel):
    """One reason behind a domain verdict.

    `weight` is the probability-like strength this reason alone gives to "this link is a
    scam" (0..1); 0 marks a purely informative reason (e.g. "official domain of Binance").
    """

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    weight: float = Field(ge=0.0, le=1.0)
    detail: str = ""


class ListHit(BaseModel):
    """A match in a known-bad list: which list, what entry matched, and since when."""

    model_config = ConfigDict(frozen=True)

    list: str
    entry: str
    since: str | None = None
    """ISO date the list first carried the entry, when the list says so."""


class DomainAssessment(BaseModel):
    """Verdict on one URL or domain.

    `domain` is the ASCII (punycode) host that was judged, or None when the input held no
    usable host (the reasons then say why). `risk` is 0..1; `flagged` is `risk` at or above
    the calibrated threshold, and is never true for a brand's own domain.
    """

    model_config = ConfigDict(frozen=True)

    input: str
    domain: str | None
    registrable_domain: str | None = None
    unicode_domain: str | None = None
    risk: float = Field(ge=0.0, le=1.0)
    flagged: bool
    reasons: list[DomainReason] = Field(default_factory=list)
    imitates: list[str] = Field(default_factory=list)
    """Names of the brands this domain looks like (empty for the brand's real domains)."""
    listed: list[ListHit] = Field(default_factory=list)
    official: str | None = None
    """Brand name when the domain is one of that brand's real domains."""

"""`check_domain(url_or_domain) -> DomainAssessment`: lists, look-alikes and the model together.

Order of authority: a brand's own domain is never flagged (a list hit on it is reported as a
conflict, not a verdict); a known-bad list hit is near-certain; look-alike findings and the
lexical model add evidence. Reasons combine as a noisy-OR of their weights, so two moderate
signals (free hosting + a scam-like name) can flag a domain that neither flags alone; the
model's probability is calibrated so that its operating point is 0.5, the single flag line.
"""

from __future__ import annotations

import gc
from functools import lru_cache

from lurewatch.domains.catalogue import Catalogue, default_catalogue
from lurewatch.domains.lists import KnownBadIndex, load_index
from lurewatch.domains.lookalike import LookalikeMatcher
from lurewatch.domains.model import DomainModel, default_model
from lurewatch.domains.models import DomainAssessment, DomainReason, ListHit
from lurewatch.domains.parse import ParsedDomain, parse
from lurewatch.domains.store import current_version

FLAG_THRESHOLD = 0.5
CACHE_SIZE = 4096
LIST_WEIGHT = 0.99
_FAKE_ENDINGS = frozenset({"com-", "net-", "org-", "gov-"})
"""`binance.com-login.xyz`: the real site is `com-login.xyz`; only the first label is read."""


def _listed_reason(hits: list[ListHit]) -> DomainReason:
    parts = [f"{h.list} (since {h.since})" if h.since else h.list for h in hits[:4]]
    return DomainReason(
        id="list.known_bad",
        title="On a known scam/phishing list",
        weight=LIST_WEIGHT,
        detail=f"{hits[0].entry!r} is listed in " + ", ".join(parts),
    )


class DomainChecker:
    """Holds the loaded lists, catalogue indexes and model; `check()` is thread-safe (read-only)."""

    def __init__(
        self,
        index: KnownBadIndex | None = None,
        catalogue: Catalogue | None = None,
        model: DomainModel | None = None,
    ) -> None:
        self.index = index
        self.catalogue = catalogue or default_catalogue()
        self.matcher = LookalikeMatcher(self.catalogue)
        self.model = model
        self.cached_check = lru_cache(maxsize=CACHE_SIZE)(self.check)
        """`check` remembering its last `CACHE_SIZE` inputs: campaigns send one link to many
        people, and screening asks for every link in every message. The answer depends only
        on the input and this checker's lists, and is a frozen model (shared, do not mutate
        its lists)."""

    def _official(self, p: ParsedDomain, hits: list[ListHit]) -> DomainAssessment | None:
        brand = self.catalogue.official_brand(p.host, p.label, p.suffix or "") if p.host else None
        if brand is None:
            return None
        reasons = [
            DomainReason(
                id="brand.official",
                title=f"Official domain of {brand.name}",
                weight=0.0,
                detail=f"{p.registrable} is in the catalogue of {brand.name}'s real domains",
            )
        ]
        if hits:
            reasons.append(
                DomainReason(
                    id="list.conflict",
                    title="Listed, but it is a brand's real domain",
                    weight=0.0,
                    detail=f"{', '.join(h.list for h in hits)} lists it; likely a list error "
                    "or one abused page, so it is not flagged",
                )
            )
        return self._assessment(p, 0.0, reasons, [], hits, official=brand.name)

    def _assessment(
        self,
        p: ParsedDomain,
        risk: float,
        reasons: list[DomainReason],
        imitates: list[str],
        hits: list[ListHit],
        official: str | None = None,
    ) -> DomainAssessment:
        return DomainAssessment(
            input=p.raw,
            domain=p.host or p.ip,
            registrable_domain=p.registrable,
            unicode_domain=p.unicode_host,
            risk=round(risk, 4),
            flagged=official is None and risk >= FLAG_THRESHOLD,
            reasons=sorted(reasons, key=lambda r: -r.weight),
            imitates=imitates,
            listed=hits,
            official=official,
        )

    def check(self, url_or_domain: str) -> DomainAssessment:
        """Assess one URL or domain; never raises for bad input (the reasons say what was wrong)."""
        p = parse(url_or_domain)
        target = p.host or p.ip
        hits = self.index.lookup(target + p.path) if self.index is not None and target else []
        official = self._official(p, hits)
        if official is not None:
            return official
        reasons = list(p.problems)
        if hits:
            reasons.append(_listed_reason(hits))
        imitates: list[str] = []
        for f in self.matcher.find(p):
            reasons.append(f.reason)
            if f.brand.name not in imitates:
                imitates.append(f.brand.name)
        cat = self.catalogue
        if p.subdomain and p.label[:4] in _FAKE_ENDINGS and not self.matcher.on_cdn(p.host or ""):
            reasons.append(
                DomainReason(
                    id="domain.fake_ending",
                    title="Address pretends to end earlier",
                    weight=0.8,
                    detail=f"{p.host!r} reads as ending in '.{p.label[:3].rstrip('-')}' but the "
                    f"site is {p.registrable!r}",
                )
            )
        if p.registrable is not None:
            if p.suffix in cat.free_hosting or p.registrable in cat.free_hosting:
                reasons.append(
                    DomainReason(
                        id="hosting.free",
                        title="Free hosting or site builder",
                        weight=0.2,
                        detail=f"anyone can publish under .{p.suffix} in minutes; real banks "
                        "and exchanges do not",
                    )
                )
            if p.registrable in cat.shorteners:
                reasons.append(
                    DomainReason(
                        id="url.shortener",
                        title="Link shortener",
                        weight=0.25,
                        detail=f"{p.registrable} hides where the link really goes",
                    )
                )
            if self.model is not None:
                r = self.model.reason(p, cat)
                if r is not None:
                    reasons.append(r)
        keep = 1.0
        for r in reasons:
            keep *= 1.0 - r.weight
        return self._assessment(p, 1.0 - keep, reasons, imitates, hits)


@lru_cache(maxsize=1)
def default_checker() -> DomainChecker:
    """Checker over the shared lists, the user's imported lists and the shipped model."""
    version = current_version()
    index = load_index(extra=version.files() if version else ())
    checker = DomainChecker(index=index, model=default_model())
    # The index is ~400k long-lived objects: without this, every garbage-collection pass
    # re-scans them and checks run 2-3x slower.
    gc.freeze()
    return checker


def check_domain(url_or_domain: str) -> DomainAssessment:
    """Assess a URL or domain with the default lists, catalogue and model (cached per input)."""
    return default_checker().cached_check(url_or_domain)

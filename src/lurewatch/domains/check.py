"""`check_domain(url_or_domain) -> DomainAssessment`: lists, look-alikes and the model together.

Order of authority: a brand's own domain is never flagged (a list hit on it is reported as a
conflict, not a verdict); a known-bad list hit is near-certain; look-alike findings and the
lexical model add evidence. Reasons combine as a noisy-OR of their weights, so two moderate
signals (free hosting + a scam-like name) can flag a domain that neither flags alone; the
model's probability is calibrated so that its operating point is 0.5, the single flag line.
"""

from __future__ import annotations

import gc
import logging
import threading
from functools import lru_cache
from pathlib import Path

from lurewatch.domains.catalogue import Catalogue, default_catalogue
from lurewatch.domains.lists import KnownBadIndex, load_index
from lurewatch.domains.lookalike import LookalikeMatcher
from lurewatch.domains.model import DomainModel, default_model
from lurewatch.domains.models import DomainAssessment, DomainReason, ListHit
from lurewatch.domains.parse import ParsedDomain, parse
from lurewatch.domains.store import latest_entries

logger = logging.getLogger(__name__)

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
        self.list_version: int | None = None
        """The store's list version loaded into `index` (None: shared lists only)."""
        self.notes: list[str] = []
        """What went wrong while loading lists (shown by callers; never raised)."""
        self._by_host: dict[str, tuple[tuple[DomainReason, ...], tuple[str, ...]]] = {}
        """`_host_reasons` per host, oldest first (see there); at most `CACHE_SIZE`."""
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

    def _host_reasons(self, p: ParsedDomain) -> tuple[tuple[DomainReason, ...], tuple[str, ...]]:
        """Look-alike, hosting, shortener and model reasons (and imitated brands) of `p`'s host.

        They read only the host and what the parser derives from it (label, suffix, subdomain),
        never the path, port or scheme, so links to one host with different paths share them:
        a third of the distinct links in the corpus repeat a host. Inputs with text before '@'
        are not cached here (that finding comes first and can hide a later one).
        """
        if not p.userinfo and p.host is not None:
            cached = self._by_host.get(p.host)
            if cached is not None:
                return cached
        reasons: list[DomainReason] = []
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
        result = (tuple(reasons), tuple(imitates))
        if not p.userinfo and p.host is not None:
            if len(self._by_host) >= CACHE_SIZE:
                self._by_host.pop(next(iter(self._by_host)), None)  # oldest entry
            self._by_host[p.host] = result
        return result

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
        host_reasons, imitates = self._host_reasons(p)
        reasons += host_reasons
        keep = 1.0
        for r in reasons:
            keep *= 1.0 - r.weight
        return self._assessment(p, 1.0 - keep, reasons, list(imitates), hits)


def _add_store_lists(index: KnownBadIndex, notes: list[str]) -> int | None:
    """Add the store's latest list version to `index`; its number, or None.

    The store is optional for checking: a SQLite file that does not exist yet is not created
    here (nothing was imported), and an unreachable or unmigrated database leaves the shared
    lists alone in force, with a note instead of an exception.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from lurewatch.store.db import default_url, make_engine, session_factory

    try:
        url = make_url(default_url())
        db_file = url.database if url.get_backend_name() == "sqlite" else None
        if db_file and db_file != ":memory:" and not Path(db_file).exists():
            return None
        engine = make_engine(url.render_as_string(hide_password=False))
    except (SQLAlchemyError, ImportError, OSError, ValueError) as exc:
        notes.append(f"user lists not loaded: store not usable ({exc})".splitlines()[0])
        return None
    try:
        with session_factory(engine)() as session:
            number, rows = latest_entries(session)
            for list_name, host, path, since, allow in rows:
                index.add(host + path, list_name, since, allow)
            return number
    except SQLAlchemyError as exc:
        notes.append(f"user lists not loaded: store unreachable ({exc})".splitlines()[0])
        return None
    finally:
        engine.dispose()


_DEFAULT: DomainChecker | None = None
_DEFAULT_LOCK = threading.Lock()


def default_checker(refresh: bool = False) -> DomainChecker:
    """Checker over the shared lists, the store's latest list version and the shipped model.

    Built once per process; `refresh=True` rebuilds it (picks up a new list version).
    `checker.notes` says when the user lists could not be loaded.
    """
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is not None and not refresh:
            return _DEFAULT
        notes: list[str] = []
        index = load_index(errors=notes)
        version = _add_store_lists(index, notes)
        for note in notes:
            logger.warning("%s", note)
        checker = DomainChecker(index=index, model=default_model())
        checker.list_version = version
        checker.notes = notes
        # The index is ~400k long-lived objects: without this, every garbage-collection pass
        # re-scans them and checks run 2-3x slower.
        gc.freeze()
        _DEFAULT = checker
        return checker


def check_domain(url_or_domain: str) -> DomainAssessment:
    """Assess a URL or domain with the default lists, catalogue and model (cached per input)."""
    return default_checker().cached_check(url_or_domain)

"""Regional hotlines (`data/hotlines.yaml`) and the choice of which ones to show.

Wrong numbers are worse than none: a person in danger who dials a dead line loses time and
trust. So the data holds only entries checked against an official source, each with a
`verify_by` date, and where a specialised line is not certain the national emergency number
stands in for it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lurewatch.advice.catalog import CatalogError
from lurewatch.advice.models import Hotline, Purpose

HOTLINES_FILE = Path(__file__).parent / "data" / "hotlines.yaml"
INTERNATIONAL = "international"

_NUMBER = re.compile(r"\+?[#0-9][0-9 -]{1,18}[0-9]")
_URL = re.compile(r"https://[a-z0-9.-]+\.[a-z]{2,}(/[\w./?=&-]*)?")
_VERIFY_BY = re.compile(r"20[2-9][0-9]-(0[1-9]|1[0-2])")


class HotlineEntry(BaseModel):
    """One entry as written in the data file (names per language, English required)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    names: dict[str, str]
    number: str | None = None
    url: str | None = None
    purposes: tuple[Purpose, ...] = Field(min_length=1)
    source: str = Field(min_length=10)
    verify_by: str

    @model_validator(mode="after")
    def _well_formed(self) -> HotlineEntry:
        if not self.names.get("en"):
            raise ValueError("every hotline needs an English name")
        if self.number is None and self.url is None:
            raise ValueError("a hotline needs a number or a url")
        if self.number is not None and not _NUMBER.fullmatch(self.number):
            raise ValueError(f"malformed number {self.number!r}")
        if self.url is not None and not _URL.fullmatch(self.url):
            raise ValueError(f"malformed url {self.url!r} (https only)")
        if not _VERIFY_BY.fullmatch(self.verify_by):
            raise ValueError(f"verify_by must be YYYY-MM, got {self.verify_by!r}")
        return self

    def localized(self, country: str, language: str) -> Hotline:
        name = self.names.get(language) or self.names["en"]
        return Hotline(
            country=country,
            name=name,
            number=self.number,
            url=self.url,
            purposes=self.purposes,
            source=self.source,
            verify_by=self.verify_by,
        )


@lru_cache(maxsize=1)
def load_hotlines() -> dict[str, tuple[HotlineEntry, ...]]:
    """Entries keyed by ISO 3166-1 alpha-2 code (and `international`). Cached: read once."""
    try:
        raw: Any = yaml.safe_load(HOTLINES_FILE.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise CatalogError("hotlines.yaml: top level must be a mapping of countries")
        table = {
            str(country): tuple(HotlineEntry.model_validate(e) for e in entries)
            for country, entries in raw.items()
        }
    except (OSError, yaml.YAMLError, ValidationError, TypeError) as exc:
        raise CatalogError(f"hotlines.yaml: {exc}") from exc
    for country in table:
        if country != INTERNATIONAL and not re.fullmatch(r"[A-Z]{2}", country):
            raise CatalogError(f"hotlines.yaml: {country!r} is not an ISO country code")
    if INTERNATIONAL not in table:
        raise CatalogError("hotlines.yaml: the international fallback is missing")
    return table


# Which kinds of line help with which verdict, best first.
WANTED: dict[str, tuple[Purpose, ...]] = {
    "urgent_held": ("emergency", "trafficking", "abroad"),
    "trafficking_lure": ("trafficking", "abroad", "scams"),
    "job_scam": ("scams", "abroad"),
    "pig_butchering": ("scams",),
    "romance": ("scams",),
    "investment": ("scams",),
    "impersonation": ("scams",),
    "phishing": ("scams",),
    "spam": ("scams",),
    "benign": ("scams",),
    "unknown": ("scams",),
}


QUIET = frozenset({"benign", "spam"})
"""Verdicts for which the police emergency number is never the answer."""


def normalize_region(region: str | None) -> str | None:
    """`th`, ` TH ` -> `TH`; anything that is not a two-letter code -> None (unknown)."""
    if not region:
        return None
    code = region[:8].strip().upper()
    return code if re.fullmatch(r"[A-Z]{2}", code) else None


DANGER = frozenset({"urgent_held", "trafficking_lure"})
"""Verdicts for which an emergency number is worth showing even with no region known."""


def _select(
    entries: tuple[HotlineEntry, ...], category: str, emergency: bool
) -> list[HotlineEntry]:
    wanted = WANTED.get(category, ("scams",))
    chosen: list[HotlineEntry] = []
    for purpose in wanted:
        chosen += [e for e in entries if purpose in e.purposes and e not in chosen]
    if not chosen and emergency:
        chosen = [e for e in entries if "emergency" in e.purposes]
    return chosen


def hotlines_for(category: str, region: str | None, language: str) -> tuple[Hotline, ...]:
    """The lines to show for a verdict: the region's matching lines in order of `WANTED`.

    A region with no matching line gives its emergency number instead (in much of the region
    the police are where scams are reported), except for spam and benign texts. An unknown
    region, or one we hold no entries for, gives the international lines, but only for the
    dangerous verdicts: a phishing text is no reason to dial an emergency number.
    """
    table = load_hotlines()
    code = normalize_region(region)
    entries = table.get(code) if code else None
    if not entries:
        picked = _select(table[INTERNATIONAL], category, category in DANGER)
        return tuple(e.localized(INTERNATIONAL, language) for e in picked)
    picked = _select(entries, category, category not in QUIET)
    return tuple(e.localized(code, language) for e in picked if code)

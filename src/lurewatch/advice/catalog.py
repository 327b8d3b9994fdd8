"""The advice texts: one YAML file per language in `data/`, loaded once and validated.

Texts are data so that translators and NGO partners can fix a sentence without touching code,
and so a linter-style test can hold every language to the same set of keys as `en.yaml`.
English is the reference: any string missing elsewhere falls back to it, one string at a time,
so a half-translated language still shows what it has.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lurewatch.models import SCAM_CATEGORIES

DATA_DIR = Path(__file__).parent / "data"
REFERENCE = "en"
GENERIC = "unknown"
"""Entry used for a category the data does not know (a new model label, a typo, "any")."""

CATEGORIES: tuple[str, ...] = (*SCAM_CATEGORIES, "benign", "urgent_held", GENERIC)

MAX_STEPS = 5
MAX_STRING = 400
"""A step is a short sentence for a frightened reader; anything longer is a data mistake."""


class Entry(BaseModel):
    """One category's text in one language; both parts optional so gaps fall back to English."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: str | None = Field(default=None, min_length=1, max_length=MAX_STRING)
    steps: tuple[str, ...] | None = Field(default=None, min_length=1, max_length=MAX_STEPS)


class LanguageFile(BaseModel):
    """The whole of one `data/<lang>.yaml`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    language: str
    name: str
    labels: dict[str, str] = Field(default_factory=dict)
    advice: dict[str, Entry] = Field(default_factory=dict)


class CatalogError(ValueError):
    """A data file is malformed; raised at load time with the file named, never at lookup."""


def _read(path: Path) -> LanguageFile:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        parsed = LanguageFile.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise CatalogError(f"{path.name}: {exc}") from exc
    if parsed.language != path.stem:
        raise CatalogError(f"{path.name}: says language {parsed.language!r}")
    for cat, entry in parsed.advice.items():
        for step in entry.steps or ():
            if not step.strip() or len(step) > MAX_STRING:
                raise CatalogError(f"{path.name}: {cat}: empty or over-long step")
    return parsed


@lru_cache(maxsize=1)
def load_catalog() -> dict[str, LanguageFile]:
    """Every language file, keyed by its code (`en`, `zh`, `zh-Hant`, ...). Cached: read once."""
    files = sorted(p for p in DATA_DIR.glob("*.yaml") if p.stem != "hotlines")
    catalog = {f.stem: _read(f) for f in files}
    if REFERENCE not in catalog:
        raise CatalogError(f"{REFERENCE}.yaml is missing from {DATA_DIR}")
    return catalog


# Aliases a caller may plausibly send: BCP 47 tags, locale names, old ISO codes, and language
# names in English. Only the primary subtag matters except for Chinese, where the script does.
_ALIASES = {
    "fil": "tl",
    "in": "id",
    "zsm": "ms",
    "bur": "my",
    "khm": "km",
    "lao": "lo",
    "zh-hans": "zh",
    "zh-cn": "zh",
    "zh-sg": "zh",
    "zh-my": "zh",
    "zh-hant": "zh-Hant",
    "zh-tw": "zh-Hant",
    "zh-hk": "zh-Hant",
    "zh-mo": "zh-Hant",
}
_TRADITIONAL_REGIONS = frozenset({"TW", "HK", "MO"})


def resolve_language(language: str | None, region: str | None = None) -> str:
    """The catalog language to use for `language` (any casing, `_` or `-`), English if none.

    Plain `zh` with a Traditional-script region (Taiwan, Hong Kong, Macao) reads as Traditional:
    the language detector only says "zh", and a reader there expects Traditional characters.
    """
    catalog = load_catalog()
    tag = (language or "")[:64].strip().replace("_", "-").lower()
    if not tag:
        return REFERENCE
    if tag in _ALIASES:
        tag = _ALIASES[tag]
    elif "-hant" in tag:
        tag = "zh-Hant"
    else:
        primary = tag.split("-", 1)[0]
        tag = _ALIASES.get(primary, primary)
    if tag == "zh" and region and region.strip().upper() in _TRADITIONAL_REGIONS:
        tag = "zh-Hant"
    if tag not in catalog and tag == "zh-Hant":
        tag = "zh"
    return tag if tag in catalog else REFERENCE

"""Advice for the person who asked: what to do, in their language, with the hotline to call.

`advice_for` is what screening attaches to every verdict. It never raises for an unknown
language, region or category: a frightened reader must always get something sensible, so the
worst case is the English generic "be careful" text with the international fallback lines.
Malformed DATA files do raise (`CatalogError`), at first use, which the tests catch.
"""

from __future__ import annotations

from lurewatch.advice.catalog import (
    CATEGORIES,
    GENERIC,
    REFERENCE,
    CatalogError,
    load_catalog,
    resolve_language,
)
from lurewatch.advice.hotlines import hotlines_for, load_hotlines, normalize_region
from lurewatch.advice.models import Advice, Hotline

# Labels from other layers that mean one of ours.
_CATEGORY_ALIASES = {"any": GENERIC, "safe": "benign", "ham": "benign", "none": "benign"}


def resolve_category(category: str | None) -> str:
    """Our category for `category` (any casing, spaces or dashes); the generic one if unknown."""
    key = str(category or "")[:64].strip().lower().replace("-", "_").replace(" ", "_")
    key = _CATEGORY_ALIASES.get(key, key)
    return key if key in CATEGORIES else GENERIC


def advice_for(
    category: str, language: str | None, region: str | None, *, urgent: bool = False
) -> Advice:
    """Advice for a verdict of `category`, in `language` where we have it, for `region`.

    `urgent` means someone is being held against their will: the "held" text and the
    emergency and anti-trafficking lines then replace whatever the category would give.
    Strings missing from the language fall back to English one by one (see `Advice.fell_back`).
    """
    cat = "urgent_held" if urgent else resolve_category(category)
    lang = resolve_language(language, region)
    catalog = load_catalog()
    own, ref = catalog[lang], catalog[REFERENCE]
    mine, base = own.advice.get(cat), ref.advice[cat]
    fell_back: list[str] = []

    summary = mine.summary if mine and mine.summary else None
    if summary is None:
        summary, summary_lang = base.summary or "", REFERENCE
        fell_back.append(f"{cat}.summary")
    else:
        summary_lang = lang
    steps = mine.steps if mine and mine.steps else None
    if steps is None:
        steps = base.steps or ()
        fell_back.append(f"{cat}.steps")

    labels = dict(ref.labels)
    for key in ref.labels:
        if own.labels.get(key):
            labels[key] = own.labels[key]
        elif lang != REFERENCE:
            fell_back.append(f"labels.{key}")

    return Advice(
        category=cat,
        language=summary_lang,
        summary=summary,
        steps=steps,
        hotlines=hotlines_for(cat, region, summary_lang),
        labels=labels,
        fell_back=tuple(fell_back) if lang != REFERENCE else (),
        region=normalize_region(region),
    )


__all__ = [
    "CATEGORIES",
    "Advice",
    "CatalogError",
    "Hotline",
    "advice_for",
    "load_catalog",
    "load_hotlines",
    "resolve_category",
    "resolve_language",
]

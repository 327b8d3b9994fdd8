"""The lurewatch MISP taxonomy (`data/machinetag.json`) and the tags exporters put on things.

The taxonomy is the published vocabulary; this module only reads it, so a tag the exporter
writes that the taxonomy does not define is a bug the tests catch.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, Final

NAMESPACE: Final = "lurewatch"


@cache
def taxonomy() -> dict[str, Any]:
    text = resources.files("lurewatch.sharing").joinpath("data/machinetag.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def defined_tags() -> frozenset[str]:
    """Every machine tag the taxonomy defines, as MISP writes them: `ns:predicate="value"`."""
    out = set()
    for block in taxonomy()["values"]:
        for entry in block["entry"]:
            out.add(f'{NAMESPACE}:{block["predicate"]}="{entry["value"]}"')
    return frozenset(out)


def tag(predicate: str, value: str) -> str:
    name = f'{NAMESPACE}:{predicate}="{value}"'
    if name not in defined_tags():
        raise KeyError(f"{name} is not in the lurewatch taxonomy")
    return name


def category_tag(category: str | None) -> str | None:
    """The taxonomy tag of a screening category (None for benign or unknown)."""
    if not category:
        return None
    name = f'{NAMESPACE}:category="{category.replace("_", "-")}"'
    return name if name in defined_tags() else None


ROLE_BY_TYPE: Final = {
    "crypto_wallet": "payment-account",
    "iban": "payment-account",
    "bank_account": "payment-account",
    "url": "scam-website",
    "domain": "scam-website",
    "handle": "messaging-handle",
    "email": "email",
    "ip": "network",
}
RECRUITING: Final = frozenset({"trafficking_lure", "job_scam"})


def role_tag(indicator_type: str, categories: set[str]) -> str | None:
    if indicator_type == "phone":
        return tag("role", "recruiter-contact") if categories & RECRUITING else None
    role = ROLE_BY_TYPE.get(indicator_type)
    return tag("role", role) if role else None

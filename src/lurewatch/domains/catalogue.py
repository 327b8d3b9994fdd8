"""The brand catalogue and scam vocabulary, loaded from the YAML data next to this module.

Kept as data so analysts can add a brand or a real domain without touching code; validated on
load so a typo in the YAML fails loudly instead of silently flagging a real bank.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from lurewatch import hosts

_HERE = Path(__file__).parent
BRANDS_FILE = _HERE / "brands.yaml"
VOCABULARY_FILE = _HERE / "vocabulary.yaml"
MIN_TOKEN_LEN = 5
"""Derived tokens shorter than this are too likely to occur inside unrelated words."""


def _country_suffix(suffix: str) -> bool:
    """`de`, `co.th`, `com.ph`: a two-letter country ending, possibly under com/co/org/net."""
    last = suffix.rsplit(".", 1)[-1]
    return len(last) == 2 and suffix.count(".") <= 1


class CatalogueError(ValueError):
    """The brand catalogue or vocabulary file is malformed."""


@dataclass(frozen=True, slots=True)
class Brand:
    id: str
    name: str
    category: str
    domains: tuple[str, ...]
    tokens: tuple[str, ...]
    """Distinctive labels: matched inside labels and by edit distance."""
    short: tuple[str, ...]
    """Acronyms: matched as whole parts, glued to a keyword, or under another TLD."""
    words: tuple[str, ...]
    """Brand names that are ordinary words: matched only next to a scam keyword."""
    cctld: bool = False
    """The brand owns `<name>.<country ending>` everywhere (google.de, amazon.co.jp)."""


@dataclass(frozen=True, slots=True)
class Catalogue:
    brands: tuple[Brand, ...]
    official: dict[str, Brand]
    """Real domain (ASCII) -> brand; subdomains of these are official too."""
    keywords: frozenset[str]
    not_typos: frozenset[str]
    free_hosting: frozenset[str]
    shorteners: frozenset[str]
    cdn_infrastructure: frozenset[str]
    cctld_brands: dict[str, Brand]
    """Label -> brand for brands that own their name under every country ending."""

    def official_brand(self, host: str, label: str = "", suffix: str = "") -> Brand | None:
        """The brand whose real domain `host` is, or is a subdomain of.

        `label`/`suffix` (from the parser) let `google.co.th` count for a `cctld` brand.
        """
        if label and suffix and label in self.cctld_brands and _country_suffix(suffix):
            return self.cctld_brands[label]
        h = host
        while True:
            brand = self.official.get(h)
            if brand is not None:
                return brand
            dot = h.find(".")
            if dot < 0:
                return None
            h = h[dot + 1 :]


def _strs(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogueError(f"{where}: '{key}' must be a list of strings")
    return tuple(v.strip().lower() for v in value)


def _brand(entry: Any, index: int) -> Brand:
    where = f"{BRANDS_FILE.name} brand #{index + 1}"
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: expected a mapping")
    for key in ("id", "name", "category"):
        if not isinstance(entry.get(key), str):
            raise CatalogueError(f"{where}: '{key}' must be a string")
    domains = _strs(entry, "domains", where)
    if not domains:
        raise CatalogueError(f"{where}: no domains")
    for d in domains:
        if hosts.to_ascii(d) != d:
            raise CatalogueError(f"{where}: {d!r} is not a lower-case ASCII domain")
    short, words = _strs(entry, "short", where), _strs(entry, "words", where)
    if "tokens" in entry:
        tokens = _strs(entry, "tokens", where)
    else:
        labels = {d.split(".")[0] for d in domains}
        tokens = tuple(
            sorted(
                t
                for t in labels
                if len(t) >= MIN_TOKEN_LEN and "-" not in t and t not in short and t not in words
            )
        )
    cctld = entry.get("cctld", False)
    if not isinstance(cctld, bool):
        raise CatalogueError(f"{where}: 'cctld' must be true or false")
    return Brand(
        entry["id"], entry["name"], entry["category"], domains, tokens, short, words, cctld
    )


def load_catalogue(
    brands_file: Path = BRANDS_FILE, vocab_file: Path = VOCABULARY_FILE
) -> Catalogue:
    """Parse and validate the catalogue files; raises `CatalogueError` on malformed data."""
    try:
        raw_brands = yaml.safe_load(brands_file.read_text(encoding="utf-8"))
        vocab = yaml.safe_load(vocab_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"cannot read the brand catalogue: {exc}") from exc
    if not isinstance(raw_brands, dict) or not isinstance(raw_brands.get("brands"), list):
        raise CatalogueError(f"{brands_file.name}: expected a top-level 'brands' list")
    if not isinstance(vocab, dict):
        raise CatalogueError(f"{vocab_file.name}: expected a mapping")
    brands = tuple(_brand(e, i) for i, e in enumerate(raw_brands["brands"]))
    official: dict[str, Brand] = {}
    seen: set[str] = set()
    for b in brands:
        if b.id in seen:
            raise CatalogueError(f"{brands_file.name}: duplicate brand id {b.id!r}")
        seen.add(b.id)
        for d in b.domains:
            official[d] = b
    return Catalogue(
        brands=brands,
        official=official,
        keywords=frozenset(_strs(vocab, "keywords", vocab_file.name)),
        not_typos=frozenset(_strs(vocab, "not_typos", vocab_file.name)),
        free_hosting=frozenset(_strs(vocab, "free_hosting", vocab_file.name)),
        shorteners=frozenset(_strs(vocab, "shorteners", vocab_file.name)),
        cdn_infrastructure=frozenset(_strs(vocab, "cdn_infrastructure", vocab_file.name)),
        cctld_brands={t: b for b in brands if b.cctld for t in b.tokens},
    )


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the package (parsed once per process)."""
    return load_catalogue()

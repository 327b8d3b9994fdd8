"""The bank catalogue (`data/banks.yaml`) compiled into the matchers `bank.py` needs.

The catalogue is data so that an analyst can add a bank or a local spelling without touching
code; this module turns it into a few compiled regexes once, on first use. Short Latin aliases
("MB", "ABA", "CB") match case-sensitively and as whole words, so that "5 mb" or "cb" in a chat
are not banks; longer aliases and all non-Latin ones match case-insensitively.

The word lists are compiled with RE2: a few hundred case-insensitive alternatives searched in a
40-character window cost ~480 µs with Python's `re` and ~5 µs with RE2 (measured), and every
long digit run near a keyword pays that search.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import re2  # type: ignore[import-untyped]  # google-re2 ships no stubs
import yaml

from lurewatch.text.re2_gate import Gate

CATALOGUE = Path(__file__).resolve().parent / "data" / "banks.yaml"
SHORT_ALIAS = 4


@dataclass(frozen=True)
class Bank:
    name: str
    country: str
    lengths: tuple[int, ...]


@dataclass(frozen=True)
class Catalogue:
    banks: dict[str, Bank]
    """Lower-cased alias -> bank (short aliases are stored as written)."""
    country_lengths: dict[str, tuple[int, ...]]
    account_words: dict[str, str | None]
    """Lower-cased account word -> country it implies (or None)."""
    generic_words: frozenset[str]
    """Lower-cased words that only say "bank" (weaker than an account word)."""
    bank_rx: Any  # re2 patterns: search(), finditer(), match objects with group()/end()
    account_rx: Any
    card_rx: Any
    not_account_rx: Any
    any_reason: Gate
    """Any bank name, account word or card word anywhere, without word boundaries or case: a
    superset of what the three patterns above find in a window, searched once per text."""

    def bank_for(self, alias: str) -> Bank | None:
        return self.banks.get(alias) or self.banks.get(alias.lower())


def _word(w: str) -> str:
    """A Latin word is bounded (RE2's ASCII `\\b`); scripts without spaces are not."""
    esc = re2.escape(w)
    if w[:1].isascii() and w[:1].isalnum():
        esc = r"\b" + esc
    if w[-1:].isascii() and w[-1:].isalnum():
        esc += r"\b"
    return str(esc)


def _alternation(words: list[str]) -> str:
    return "|".join(_word(w) for w in sorted(set(words), key=len, reverse=True))


def _compile(raw: dict[str, Any]) -> Catalogue:
    country_lengths = {
        cc: tuple(v.get("lengths") or ()) for cc, v in (raw.get("countries") or {}).items()
    }
    banks: dict[str, Bank] = {}
    exact: list[str] = []
    folded: list[str] = []
    for entry in raw["banks"]:
        bank = Bank(
            name=str(entry["name"]),
            country=str(entry["country"]),
            lengths=tuple(entry.get("lengths") or country_lengths.get(entry["country"], ())),
        )
        for alias in entry["aliases"]:
            alias = str(alias)
            if alias.isascii() and len(alias) <= SHORT_ALIAS:
                banks[alias] = bank
                exact.append(alias)
            else:
                banks[alias.lower()] = bank
                folded.append(alias)
    account_words: dict[str, str | None] = {}
    for group in raw["account_words"]:
        for w in group["words"]:
            account_words[str(w).lower()] = group.get("country")
    bank_rx = re2.compile(f"(?i:{_alternation(folded)})|{_alternation(exact)}")
    return Catalogue(
        banks=banks,
        country_lengths=country_lengths,
        account_words=account_words,
        generic_words=frozenset(str(w).lower() for w in raw.get("generic_bank_words") or ()),
        bank_rx=bank_rx,
        account_rx=re2.compile(f"(?i:{_alternation(list(account_words))})"),
        card_rx=re2.compile(f"(?i:{_alternation([str(w) for w in raw['card_words']])})"),
        not_account_rx=re2.compile(
            f"(?i:{_alternation([str(w) for w in raw['not_account_words']])})"
        ),
        any_reason=Gate(
            "(?i:"
            + "|".join(
                re2.escape(w)
                # By length, then text: one pattern in every process (a set's order is not),
                # so the `anchors` pass finds its compiled database in the on-disk cache.
                for w in sorted(
                    {*folded, *exact, *account_words, *(str(w) for w in raw["card_words"])},
                    key=lambda w: (-len(w), w),
                )
            )
            + ")"
        ),
    )


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The compiled catalogue, loaded once per process."""
    with CATALOGUE.open(encoding="utf-8") as fh:
        return _compile(yaml.safe_load(fh))

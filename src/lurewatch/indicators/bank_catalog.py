"""The bank catalogue (`data/banks.yaml`) compiled into the matchers `bank.py` needs.

The catalogue is data so that an analyst can add a bank or a local spelling without touching
code; this module turns it into a few compiled regexes once, on first use. Short Latin aliases
("MB", "ABA", "CB") match case-sensitively and as whole words, so that "5 mb" or "cb" in a chat
are not banks; longer aliases and all non-Latin ones match case-insensitively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

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
    bank_rx: re.Pattern[str]
    account_rx: re.Pattern[str]
    card_rx: re.Pattern[str]
    not_account_rx: re.Pattern[str]

    def bank_for(self, alias: str) -> Bank | None:
        return self.banks.get(alias) or self.banks.get(alias.lower())


def _word(w: str) -> str:
    """A Latin word is bounded by non-letters; scripts without spaces are not."""
    esc = re.escape(w)
    if w[:1].isascii() and w[:1].isalnum():
        esc = r"(?<![A-Za-z0-9])" + esc
    if w[-1:].isascii() and w[-1:].isalnum():
        esc += r"(?![A-Za-z0-9])"
    return esc


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
    bank_rx = re.compile(f"(?i:{_alternation(folded)})|{_alternation(exact)}")
    return Catalogue(
        banks=banks,
        country_lengths=country_lengths,
        account_words=account_words,
        bank_rx=bank_rx,
        account_rx=re.compile(_alternation(list(account_words)), re.IGNORECASE),
        card_rx=re.compile(_alternation([str(w) for w in raw["card_words"]]), re.IGNORECASE),
        not_account_rx=re.compile(
            _alternation([str(w) for w in raw["not_account_words"]]), re.IGNORECASE
        ),
    )


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The compiled catalogue, loaded once per process."""
    with CATALOGUE.open(encoding="utf-8") as fh:
        return _compile(yaml.safe_load(fh))

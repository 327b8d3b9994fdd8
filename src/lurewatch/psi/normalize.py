"""Canonical forms of the identifiers both sides hash: the same key the store files them under.

PSI matches bytes, so "+66 92 418 7730", "0924187730" (in Thailand) and "+66924187730" must all
become the same string on both sides, and that string must be the one the store keeps in
`Indicator.normalized`. Phones go straight through `phonenumbers` (E.164, as the extractor
writes them; 18 µs a number against ~200 µs for a full extraction run); every other type goes
through the extractor, which is what `lurewatch lookup` does.
"""

from __future__ import annotations

from typing import Literal, get_args

import phonenumbers

from lurewatch.store.queries import normalize_value

MatchableType = Literal[
    "phone", "crypto_wallet", "bank_account", "iban", "handle", "email", "domain"
]
MATCHABLE_TYPES: tuple[str, ...] = get_args(MatchableType)
"""Identifier types PSI accepts: what partners hold in common (not money amounts, not IPs)."""


class BadValueError(ValueError):
    """A value that cannot be read as an identifier of the requested type."""


def normalize(indicator_type: str, value: str, region: str | None = None) -> str:
    """The store's canonical key for `value`; BadValueError when it is no such identifier."""
    value = value.strip()
    if not value or len(value) > 512:
        raise BadValueError("empty or longer than 512 characters")
    if indicator_type == "phone":
        try:
            num = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException as exc:
            raise BadValueError(f"not a phone number: {exc}") from None
        if not phonenumbers.is_possible_number(num):
            raise BadValueError("not a possible phone number")
        return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    return normalize_value(indicator_type, value)

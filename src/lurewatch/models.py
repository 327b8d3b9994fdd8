"""Result types shared by every layer (extraction now; screening, store and sharing later).

One flat `Indicator` model with optional type-specific fields rather than a class per type:
the store, the linker and the exporters all key on (`type`, `normalized`) and must not care
which extractor produced a value, while JSON output drops the fields that do not apply.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

IndicatorType = Literal[
    "phone",
    "crypto_wallet",
    "url",
    "domain",
    "email",
    "ip",
    "handle",
    "bank_account",
    "iban",
    "money",
]

INDICATOR_TYPES: tuple[IndicatorType, ...] = get_args(IndicatorType)

ScamCategory = Literal[
    "trafficking_lure",
    "job_scam",
    "pig_butchering",
    "romance",
    "investment",
    "impersonation",
    "phishing",
    "spam",
]
"""What a risky text is. Signal rules, verdicts and advice all use these names."""
SCAM_CATEGORIES: tuple[ScamCategory, ...] = get_args(ScamCategory)


class Indicator(BaseModel):
    """One identifier found in a text.

    `start`/`end` index the ORIGINAL text (not the normalized one), so a UI can highlight
    exactly what the person pasted; `value` is that slice; `normalized` is the canonical key
    (E.164 phone, checksummed wallet, lower-cased registrable host, ...). `valid` is the verdict
    of a checksum or of the validating library; an invalid checksum is reported, never hidden.
    """

    model_config = ConfigDict(frozen=True)

    type: IndicatorType
    value: str
    normalized: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    valid: bool
    obfuscated: bool = False
    """True when the value was written to dodge filters (spelled digits, homoglyphs, refanged)."""

    # phone
    region: str | None = None
    number_type: str | None = None
    # crypto_wallet
    chain: str | None = None
    address_format: str | None = None
    # url / domain / email
    host: str | None = None
    registrable_domain: str | None = None
    unicode_host: str | None = None
    shortener: bool | None = None
    # handle
    platform: str | None = None
    # bank_account / iban
    bank: str | None = None
    country: str | None = None
    # money
    amount: float | None = None
    currency: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict without the fields that do not apply to this type."""
        return self.model_dump(exclude_none=True)

    @property
    def key(self) -> tuple[str, str]:
        """The identity used for "have we seen this before?": type plus normalized value."""
        return (self.type, self.normalized)

"""lurewatch identifiers as STIX 2.1 Cyber-observable Objects, patterns, and back.

Standard SCOs where STIX has one (`url`, `domain-name`, `email-addr`, `ipv4-addr`/`ipv6-addr`,
`user-account` for messaging handles with `account_type` = the platform). Phone numbers,
crypto wallets and bank accounts have no STIX type: they are new SCOs declared by the
extension definition shipped in `sharing/data/`, with OpenCTI's type and property names
(`phone-number.value`, `cryptocurrency-wallet.value`, `bank-account.value/iban/bic/
account_number`) so an OpenCTI instance imports them as its own observables.

SCO ids are the spec's deterministic UUIDv5 (stix2 computes them from the id-contributing
properties), so the same phone exported twice, or by two instances, is the same object.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

import stix2  # type: ignore[import-untyped]
from stix2.properties import (  # type: ignore[import-untyped]
    ListProperty,
    ReferenceProperty,
    StringProperty,
)
from stix2patterns.v21.pattern import Pattern  # type: ignore[import-untyped]

from lurewatch.sharing.errors import SharingError

SCO_EXTENSION: Final = "extension-definition--86145402-8cbd-4765-9e8a-d8b371b6dbcf"
CONTEXT_EXTENSION: Final = "extension-definition--71604b92-5eee-45fa-a1d1-8a836f8d1ac8"
PROJECT_IDENTITY: Final = "identity--8729d042-c34e-4c0a-b80f-c4a5f89e917c"

HANDLE_PLATFORMS: Final = frozenset(
    {
        "telegram",
        "whatsapp",
        "line",
        "wechat",
        "qq",
        "viber",
        "signal",
        "zalo",
        "kakaotalk",
        "facebook",
        "instagram",
        "tiktok",
        "skype",
        "twitter",
        "discord",
    }
)


def _markings() -> tuple[str, Any]:
    return (
        "object_marking_refs",
        ListProperty(ReferenceProperty(valid_types="marking-definition", spec_version="2.1")),
    )


# stix2 registers an extension class per `extension_name`: the first type registers ours
# ("new-sco"), the other two name it in `extensions` when built (see `to_sco`).
@stix2.v21.CustomObservable(
    "phone-number",
    [("value", StringProperty(required=True)), _markings()],
    ["value"],
    SCO_EXTENSION,
)
class PhoneNumber:
    """A phone number in E.164 (OpenCTI Phone-Number)."""


@stix2.v21.CustomObservable(
    "cryptocurrency-wallet",
    [("value", StringProperty(required=True)), _markings()],
    ["value"],
)
class CryptocurrencyWallet:
    """A wallet address as written on chain (OpenCTI Cryptocurrency-Wallet)."""


@stix2.v21.CustomObservable(
    "bank-account",
    [
        ("value", StringProperty(required=True)),
        ("iban", StringProperty()),
        ("bic", StringProperty()),
        ("account_number", StringProperty()),
        _markings(),
    ],
    ["iban", "account_number"],
)
class BankAccount:
    """An IBAN or a domestic account number (OpenCTI Bank-Account)."""


@cache
def data_object(name: str) -> dict[str, Any]:
    """A JSON object shipped in `sharing/data/` (extension definitions, identity)."""
    text = resources.files("lurewatch.sharing").joinpath("data", name).read_text("utf-8")
    obj: dict[str, Any] = json.loads(text)
    return obj


def extension_definitions() -> list[dict[str, Any]]:
    """The published extension definitions every exported bundle carries, and their author."""
    return [
        data_object("identity.json"),
        data_object(f"{SCO_EXTENSION}.json"),
        data_object(f"{CONTEXT_EXTENSION}.json"),
    ]


@dataclass(frozen=True)
class Key:
    """A lurewatch indicator key with what STIX needs beyond it (the handle's platform)."""

    type: str
    normalized: str
    platform: str | None = None


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def to_sco(key: Key, markings: list[str]) -> Any:
    """The SCO for one identifier (a stix2 object), or None for a type STIX cannot carry."""
    v, common = key.normalized, {"object_marking_refs": markings}
    new_sco = {"extensions": {SCO_EXTENSION: {"extension_type": "new-sco"}}}
    phone: Any = PhoneNumber  # stix2's decorator builds the constructor mypy cannot see
    wallet: Any = CryptocurrencyWallet
    account: Any = BankAccount
    if key.type == "phone":
        return phone(value=v, **common)
    if key.type == "crypto_wallet":
        return wallet(value=v, **common, **new_sco)
    if key.type == "iban":
        return account(value=v, iban=v, **common, **new_sco)
    if key.type == "bank_account":
        return account(value=v, account_number=v, **common, **new_sco)
    if key.type == "url":
        return stix2.URL(value=v, **common)
    if key.type == "domain":
        return stix2.DomainName(value=v, **common)
    if key.type == "email":
        return stix2.EmailAddress(value=v, **common)
    if key.type == "ip":
        cls = stix2.IPv6Address if ":" in v else stix2.IPv4Address
        return cls(value=v, **common)
    if key.type == "handle":
        extra = {"account_type": key.platform} if key.platform else {}
        return stix2.UserAccount(user_id=v, account_login=v, **extra, **common)
    return None


def pattern_of(key: Key) -> str:
    """The STIX pattern that matches this identifier."""
    v = _quote(key.normalized)
    if key.type == "handle":
        platform = (
            f"user-account:account_type = {_quote(key.platform)} AND " if key.platform else ""
        )
        return f"[{platform}user-account:user_id = {v}]"
    sco = {
        "phone": "phone-number:value",
        "crypto_wallet": "cryptocurrency-wallet:value",
        "iban": "bank-account:iban",
        "bank_account": "bank-account:account_number",
        "url": "url:value",
        "domain": "domain-name:value",
        "email": "email-addr:value",
        "ip": ("ipv6-addr:value" if ":" in key.normalized else "ipv4-addr:value"),
    }[key.type]
    return f"[{sco} = {v}]"


TYPE_NAMES: Final = {
    "phone": "Phone number",
    "crypto_wallet": "Crypto wallet",
    "iban": "IBAN",
    "bank_account": "Bank account",
    "url": "URL",
    "domain": "Domain",
    "email": "E-mail address",
    "ip": "IP address",
    "handle": "Messaging handle",
}


def keys_of_sco(obj: dict[str, Any]) -> list[tuple[str, str]]:
    """(lurewatch type, value as given) of an SCO dict; empty for types lurewatch does not
    index (files, processes, ...)."""
    t = obj.get("type")
    if t == "phone-number" and obj.get("value"):
        return [("phone", str(obj["value"]))]
    if t == "cryptocurrency-wallet" and obj.get("value"):
        return [("crypto_wallet", str(obj["value"]))]
    if t == "bank-account":
        if obj.get("iban"):
            return [("iban", str(obj["iban"]))]
        value = obj.get("account_number") or obj.get("value")
        return [("bank_account", str(value))] if value else []
    simple = {"url": "url", "domain-name": "domain", "email-addr": "email"}
    if t in simple and obj.get("value"):
        return [(simple[str(t)], str(obj["value"]))]
    if t in ("ipv4-addr", "ipv6-addr") and obj.get("value"):
        return [("ip", str(obj["value"]))]
    if t == "user-account":
        login = obj.get("user_id") or obj.get("account_login")
        if login and str(obj.get("account_type", "")).lower() in HANDLE_PLATFORMS:
            return [("handle", str(login))]
    return []


_PATTERN_PATHS: Final = {
    ("phone-number", "value"): "phone",
    ("cryptocurrency-wallet", "value"): "crypto_wallet",
    ("bank-account", "iban"): "iban",
    ("bank-account", "account_number"): "bank_account",
    ("url", "value"): "url",
    ("domain-name", "value"): "domain",
    ("email-addr", "value"): "email",
    ("ipv4-addr", "value"): "ip",
    ("ipv6-addr", "value"): "ip",
    ("user-account", "user_id"): "handle",
}


def _unquote(literal: str) -> str | None:
    if len(literal) >= 2 and literal[0] == "'" and literal[-1] == "'":
        return literal[1:-1].replace("\\'", "'").replace("\\\\", "\\")
    return None


def keys_of_pattern(pattern: str) -> list[tuple[str, str]]:
    """(lurewatch type, value) of every equality comparison in a STIX pattern that names an
    identifier lurewatch indexes. A pattern the grammar rejects raises SharingError."""
    try:
        comparisons = Pattern(pattern).inspect().comparisons
    except Exception as exc:  # stix2-patterns raises its own parse errors
        raise SharingError(f"invalid STIX pattern {pattern[:200]!r}: {exc}") from None
    out: list[tuple[str, str]] = []
    for sco_type, items in comparisons.items():
        for path, op, literal in items:
            kind = _PATTERN_PATHS.get((sco_type, ".".join(str(p) for p in path)))
            value = _unquote(literal) if op == "=" else None
            if kind and value:
                out.append((kind, value))
    return out

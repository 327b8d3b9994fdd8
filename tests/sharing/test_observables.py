"""Identifiers to STIX observables and patterns, and back, for every type lurewatch indexes."""

from __future__ import annotations

import json

import pytest

from lurewatch.sharing import SharingError
from lurewatch.sharing.observables import Key, keys_of_pattern, keys_of_sco, pattern_of, to_sco

KEYS = [
    Key("phone", "+66924107781"),
    Key("crypto_wallet", "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"),
    Key("iban", "GB82WEST12345698765432"),
    Key("bank_account", "1234567890"),
    Key("url", "https://job-offer.example/apply?id=1"),
    Key("domain", "vip-trade.example"),
    Key("email", "hr@jobs.example"),
    Key("ip", "203.0.113.9"),
    Key("ip", "2001:db8::1"),
    Key("handle", "kh_hr_team", "telegram"),
    Key("handle", "o'brien\\x", "line"),  # quote and backslash survive the pattern
]


@pytest.mark.parametrize("key", KEYS, ids=lambda k: f"{k.type}:{k.normalized}")
def test_round_trip(key: Key) -> None:
    assert keys_of_pattern(pattern_of(key)) == [(key.type, key.normalized)]
    sco = json.loads(to_sco(key, []).serialize())
    assert keys_of_sco(sco) == [(key.type, key.normalized)]


def test_markings_do_not_change_an_observable_id() -> None:
    green = ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]
    for key in KEYS:
        assert to_sco(key, []).id == to_sco(key, green).id


def test_handle_without_platform_is_matched_by_user_id_only() -> None:
    key = Key("handle", "someone")
    assert pattern_of(key) == "[user-account:user_id = 'someone']"
    assert keys_of_sco(json.loads(to_sco(key, []).serialize())) == []  # platform unknown


def test_bad_pattern_is_a_sharing_error() -> None:
    with pytest.raises(SharingError, match="invalid STIX pattern"):
        keys_of_pattern("[phone-number:value = ")


def test_unindexed_comparisons_are_ignored() -> None:
    assert keys_of_pattern("[file:hashes.'SHA-256' = 'aa'] AND [url:value != 'x']") == []

"""Decide what chain, if any, one address-shaped token belongs to, and whether it checks out.

Pure functions over one ASCII token (no text around it): `wallet.py` finds the tokens and
applies the context rules (URLs, Solana's context words). Each chain is recognised by its
decoded bytes (version byte, payload length, network byte), never by the first letter alone,
so a NEO address ("A...", version 0x17) is not mistaken for a Dogecoin one. The first letter
and the length only matter when the checksum FAILS: then a token is still reported
(`valid=False`) if its shape leaves no doubt about the chain, so a one-character typo in a
scammer's TRC-20 address is flagged, not dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import base58

from lurewatch.indicators.wallet_codecs import (
    decode_segwit,
    eip55,
    monero_b58decode,
    monero_checksum_ok,
)


@dataclass(frozen=True)
class WalletMatch:
    chain: str
    address_format: str
    normalized: str
    valid: bool


B58_CHARS = frozenset("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
_HEX = frozenset("0123456789abcdefABCDEF")

# base58check version byte -> (chain, format). Litecoin's old P2SH version 0x05 is Bitcoin's:
# such an address is reported as bitcoin (the bytes cannot tell them apart).
_B58_VERSIONS: dict[int, tuple[str, str]] = {
    0x00: ("bitcoin", "p2pkh"),
    0x05: ("bitcoin", "p2sh"),
    0x6F: ("bitcoin_testnet", "p2pkh"),
    0xC4: ("bitcoin_testnet", "p2sh"),
    0x30: ("litecoin", "p2pkh"),
    0x32: ("litecoin", "p2sh"),
    0x1E: ("dogecoin", "p2pkh"),
    0x16: ("dogecoin", "p2sh"),
    0x41: ("tron", "base58check"),
}

# First letter -> (lengths, chain, format) for base58 tokens reported with a FAILED checksum.
# Only prefixes that belong to one chain at its usual length; "A"/"9" (Dogecoin P2SH, but also
# NEO), "m"/"n"/"2" (testnets) are left out on purpose.
_B58_SHAPES: dict[str, tuple[range, str, str]] = {
    "T": (range(34, 35), "tron", "base58check"),
    "1": (range(26, 35), "bitcoin", "p2pkh"),
    "3": (range(34, 35), "bitcoin", "p2sh"),
    "L": (range(34, 35), "litecoin", "p2pkh"),
    "M": (range(34, 35), "litecoin", "p2sh"),
    "D": (range(34, 35), "dogecoin", "p2pkh"),
}

# segwit HRP -> chain
_SEGWIT_HRPS = {
    "bc": "bitcoin",
    "tb": "bitcoin_testnet",
    "bcrt": "bitcoin_testnet",
    "ltc": "litecoin",
    "tltc": "litecoin_testnet",
}

# Monero network byte -> (chain, format)
_MONERO_NETS: dict[int, tuple[str, str]] = {
    18: ("monero", "standard"),
    19: ("monero", "integrated"),
    42: ("monero", "subaddress"),
    53: ("monero_testnet", "standard"),
    54: ("monero_testnet", "integrated"),
    63: ("monero_testnet", "subaddress"),
    24: ("monero_stagenet", "standard"),
    25: ("monero_stagenet", "integrated"),
    36: ("monero_stagenet", "subaddress"),
}


def _looks_random(token: str) -> bool:
    """Upper case, lower case and a digit: true of real base58 addresses, rare in words."""
    return (
        any(c.isupper() for c in token)
        and any(c.islower() for c in token)
        and any(c.isdigit() for c in token)
    )


def classify_evm(hex40: str) -> WalletMatch:
    """An EVM address from its 40 hex digits (without 0x)."""
    checksummed = eip55(hex40)
    if hex40 in (hex40.lower(), hex40.upper()):
        return WalletMatch("ethereum", "hex", checksummed, True)
    return WalletMatch("ethereum", "eip55", checksummed, "0x" + hex40 == checksummed)


def _segwit_format(version: int | None, nbytes: int | None) -> str:
    if version == 0 and nbytes == 20:
        return "p2wpkh"
    if version == 0 and nbytes == 32:
        return "p2wsh"
    if version == 1 and nbytes == 32:
        return "p2tr"
    return f"segwit_v{version}" if version is not None else "segwit"


def classify_segwit(token: str) -> WalletMatch | None:
    low = token.lower()
    hrp = low[: low.rfind("1")]
    chain = _SEGWIT_HRPS.get(hrp)
    if chain is None:
        return None
    seg = decode_segwit(token)
    if seg is None:
        # One stray non-bech32 character (b, i, o, 1) at a standard length: a typo'd address.
        data = low[len(hrp) + 1 :]
        stray = sum(c not in "qpzry9x8gf2tvdw0s3jn54khce6mua7l" for c in data)
        if stray == 1 and len(data) in (39, 59) and data[0] in "qp":
            version = 0 if data[0] == "q" else 1
            return WalletMatch(chain, _segwit_format(version, 20 if len(data) == 39 else 32),
                               low, False)  # fmt: skip
        return None
    if seg.valid:
        nbytes = len(seg.program) if seg.program is not None else None
        return WalletMatch(chain, _segwit_format(seg.version, nbytes), low, True)
    # Guess the intended kind from the length: 20-byte programs take 33 data characters.
    ndata = len(low) - len(hrp) - 1
    guess = 20 if ndata == 39 else 32 if ndata == 59 else None
    return WalletMatch(chain, _segwit_format(seg.version, guess), low, False)


def classify_monero(token: str) -> WalletMatch | None:
    if token[0] not in "48" or len(token) not in (95, 106) or not set(token) <= B58_CHARS:
        return None
    raw = monero_b58decode(token)
    if raw is not None and monero_checksum_ok(raw):
        net = _MONERO_NETS.get(raw[0])
        if net is None:
            return None
        return WalletMatch(net[0], net[1], token, True)
    fmt = "integrated" if len(token) == 106 else "subaddress" if token[0] == "8" else "standard"
    return WalletMatch("monero", fmt, token, False)


def classify_base58check(token: str) -> WalletMatch | None:
    """Bitcoin, Litecoin, Dogecoin, TRON (Bitcoin alphabet) and XRP (XRP alphabet)."""
    xrp = token[0] == "r"
    alphabet = base58.XRP_ALPHABET if xrp else base58.BITCOIN_ALPHABET
    if not set(token) <= B58_CHARS:
        return None
    try:
        payload = base58.b58decode_check(token, alphabet=alphabet)
    except ValueError:
        payload = None
    if payload is not None:
        if len(payload) != 21:
            return None
        if xrp:
            return WalletMatch("xrp", "base58check", token, True) if payload[0] == 0 else None
        known = _B58_VERSIONS.get(payload[0])
        return WalletMatch(known[0], known[1], token, True) if known else None
    if not _looks_random(token):
        return None
    if xrp:
        if 25 <= len(token) <= 35:
            return WalletMatch("xrp", "base58check", token, False)
        return None
    shape = _B58_SHAPES.get(token[0])
    if shape is None or len(token) not in shape[0]:
        return None
    return WalletMatch(shape[1], shape[2], token, False)


def solana_pubkey(token: str) -> bool:
    """Whether `token` is base58 for exactly 32 bytes (Solana has no checksum to verify)."""
    if not 32 <= len(token) <= 44 or not set(token) <= B58_CHARS or not _looks_random(token):
        return False
    try:
        return len(base58.b58decode(token)) == 32
    except ValueError:
        return False


def classify(token: str) -> WalletMatch | None:
    """Chain, format, canonical form and checksum verdict of `token`; None if not an address.

    `token` is one maximal ASCII alphanumeric run. Solana is not decided here: it has no
    checksum, so `wallet.py` asks `solana_pubkey` only when context words are near.
    """
    n = len(token)
    if token[:2] in ("0x", "0X"):
        hex40 = token[2:]
        if len(hex40) == 40 and set(hex40) <= _HEX:
            return classify_evm(hex40)
        return None
    head = token[:5].lower()
    if head.startswith(("bc1", "tb1", "ltc1", "bcrt1", "tltc1")):
        return classify_segwit(token)
    if n in (95, 106):
        return classify_monero(token)
    if 25 <= n <= 35:
        return classify_base58check(token)
    return None

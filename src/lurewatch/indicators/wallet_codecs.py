"""Checksum codecs for wallet addresses: EIP-55, segwit (bech32 + bech32m) and Monero base58.

Libraries do the heavy lifting where a well-kept one exists: `base58` (base58check, Bitcoin and
XRP alphabets) is used directly by `wallet_classify`, the `bech32` reference package supplies
the polymod, HRP expansion and bit conversion, and keccak-256 comes from pycryptodome. Two
pieces are our own, each small and written from its specification:

* bech32m (BIP-350): the `bech32` package on PyPI (1.2.0, the BIP-173 reference code) predates
  BIP-350 and accepts only the bech32 constant, so it rejects every Taproot (bc1p...) address.
  BIP-350 changes nothing but the final XOR constant, so we reuse the package's polymod and
  compare against both constants here rather than pull in another codec.
* Monero's block base58: it encodes 8-byte blocks into 11 characters, unlike base58check, and
  no package does it without a whole wallet/RPC client (`monero` drags in requests, PyNaCl and
  friends and was last released in 2022). The decoder is 25 lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from bech32 import CHARSET, bech32_hrp_expand, bech32_polymod, convertbits
from Crypto.Hash import keccak

BECH32_CONST = 1
BECH32M_CONST = 0x2BC830A3  # BIP-350


def keccak256(data: bytes) -> bytes:
    """Keccak-256 as Ethereum and Monero use it (not NIST SHA3-256: different padding)."""
    return keccak.new(digest_bits=256, data=data).digest()


def eip55(hex40: str) -> str:
    """EIP-55 mixed-case checksummed form of a 40-hex-digit address (any input case)."""
    low = hex40.lower()
    digest = keccak.new(digest_bits=256, data=low.encode("ascii")).hexdigest()
    return "0x" + "".join(
        c.upper() if c > "9" and digest[i] >= "8" else c for i, c in enumerate(low)
    )


@dataclass(frozen=True)
class Segwit:
    """A decoded (or failed) segwit address: what the checksum and BIP-141 rules say."""

    hrp: str
    version: int | None
    program: bytes | None
    valid: bool


def decode_segwit(addr: str) -> Segwit | None:
    """Decode a segwit address per BIP-173/BIP-350; None when it is not bech32-shaped at all.

    A string with the right shape but a wrong checksum, a wrong constant for its witness
    version, mixed case or a bad program length comes back with `valid=False`.
    """
    low = addr.lower()
    pos = low.rfind("1")
    if pos < 1 or len(low) - pos - 1 < 7 or len(low) > 90:
        return None
    hrp, data_part = low[:pos], low[pos + 1 :]
    if any(c not in CHARSET for c in data_part):
        return None
    data = [CHARSET.index(c) for c in data_part]
    version = data[0]
    const = bech32_polymod(bech32_hrp_expand(hrp) + data)
    prog_list = convertbits(data[1:-6], 5, 8, False)
    program = bytes(prog_list) if prog_list is not None else None
    valid = (
        addr in (low, addr.upper())
        and const == (BECH32_CONST if version == 0 else BECH32M_CONST)
        and version <= 16
        and program is not None
        and 2 <= len(program) <= 40
        and (version != 0 or len(program) in (20, 32))
    )
    return Segwit(hrp=hrp, version=version, program=program, valid=valid)


# Monero base58: alphabet as Bitcoin's; a full 8-byte block is 11 characters, and a final
# partial block of n bytes takes _BLOCK_CHARS[n] characters.
_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}
_BLOCK_CHARS = (0, 2, 3, 5, 6, 7, 9, 10, 11)
_BLOCK_BYTES = {chars: n for n, chars in enumerate(_BLOCK_CHARS)}


def _decode_block(chunk: str, size: int) -> bytes | None:
    num = 0
    for c in chunk:
        num = num * 58 + _INDEX[c]
    if num >> (8 * size):
        return None
    return num.to_bytes(size, "big")


def monero_b58decode(text: str) -> bytes | None:
    """Bytes of a Monero base58 string, or None when it is not a valid encoding."""
    if any(c not in _INDEX for c in text):
        return None
    full, rest = divmod(len(text), 11)
    last = _BLOCK_BYTES.get(rest)
    if last is None:
        return None
    out = bytearray()
    for i in range(full + (1 if rest else 0)):
        chunk = text[11 * i : 11 * i + 11]
        block = _decode_block(chunk, 8 if len(chunk) == 11 else last)
        if block is None:
            return None
        out += block
    return bytes(out)


def monero_checksum_ok(raw: bytes) -> bool:
    """Monero address checksum: the first 4 bytes of keccak-256 over everything before it."""
    return len(raw) > 4 and keccak256(raw[:-4])[:4] == raw[-4:]

"""Crypto wallet addresses: find address-shaped tokens, then let the checksums decide.

USDT on TRC-20 (TRON, "T...") and ERC-20/BEP-20 (EVM, "0x...") is the main payment rail of
scam compounds, so those two are exact: TRON by base58check with version 0x41, EVM by
EIP-55. Bitcoin (base58check and segwit v0/v1+), Litecoin, Dogecoin, XRP and Monero are
checksum-verified too; Solana keys have no checksum and are only reported next to a word that
says "Solana" or "wallet/address" in one of the region's languages.

Cost: one compiled search over the text is the gate (a run of 25+ ASCII letters/digits, a
"0x" hex run, or a short segwit prefix); the decoders run only on what it finds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from lurewatch.indicators.base import Context
from lurewatch.indicators.wallet_classify import WalletMatch, classify, classify_evm, solana_pubkey
from lurewatch.models import Indicator
from lurewatch.text.re2_gate import Gate

# The gate: one cheap search that nearly every ordinary message fails (no lookbehind, no
# case-insensitive group: both double its cost). Every address we know contains one of these.
# Searched with RE2 on bytes: Python's `re` restarts the 25-character run at every letter of
# every word (~10 µs on a 140-character English message, measured), RE2's DFA reads each byte
# once (~2 µs). Every family's gate runs on every message, and this one has no digit to wait for.
GATE = Gate(r"[0-9A-Za-z]{25}|0[xX][0-9a-fA-F]{2}|[bBcC]1[0-9A-Za-z]{6}")

# Every repetition below is possessive and consumes characters the next piece cannot start
# with, so matching is linear whatever the input. "0x" runs may be split by single spaces or
# dashes ("0x71C7 656E C7ab ...") to dodge filters; the groups are re-joined below. Segwit
# addresses shorter than 25 characters (exotic witness versions) are looked for on Bitcoin's
# main and test prefixes only; longer ones, every real address, fall in the second branch.
_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"0[xX][0-9a-fA-F]{2,}+(?:[ \-][0-9a-fA-F]{2,}+)*+"
    r"|[0-9A-Za-z]{25,}+"
    r"|(?:[bB][cC]|[tT][bB])1[0-9A-Za-z]{6,}+"
    r")"
)
_HEX_GROUP = re.compile(r"[0-9a-fA-F]+")

# Words that make a 32-byte base58 token a Solana address (it has no checksum of its own).
_SOLANA_CONTEXT = re.compile(
    r"solana|solscan|phantom|solflare|\bsol\b|\bspl\b|wallet|address|\baddr\b|\bví\b|địa chỉ"
    r"|钱包|錢包|地址|กระเป๋า|ที่อยู่|dompet|alamat|pitaka|ウォレット|アドレス|지갑|주소"
    r"|កាបូប|អាសយដ្ឋាន|ກະເປົາ|ທີ່ຢູ່|ပိုက်ဆံအိတ်|လိပ်စာ",
    re.IGNORECASE,
)
_SOLANA_BEFORE = 80
_SOLANA_AFTER = 40

# A token reached through "/" or "=" in the same word is part of a URL. Valid checksums are
# reported there too (explorer and swap links carry real addresses); a failed checksum is only
# reported on an explorer-style path, since a URL is full of random-looking base58 ids.
_EXPLORER_TAILS = ("address/", "addr/", "account/", "wallet/", "#/")


def _word_prefix(text: str, start: int) -> str:
    """The characters of the whitespace-delimited word that precede `start`."""
    i = start
    while i > 0 and not text[i - 1].isspace() and start - i < 300:
        i -= 1
    return text[i:start]


def _hex_address(text: str, start: int, end: int) -> tuple[int, str] | None:
    """End offset and 40 hex digits of a (possibly grouped) "0x" run, or None."""
    groups = list(_HEX_GROUP.finditer(text, start + 2, end))
    total = 0
    for k, g in enumerate(groups):
        total += g.end() - g.start()
        if total < 40:
            continue
        if total > 40:
            return None
        # Grouped writing needs real groups, so a stray hex word ("0x...ab") is not glued on.
        if k and any(x.end() - x.start() < 3 for x in groups[: k + 1]):
            return None
        if g.end() < len(text) and text[g.end()].isalnum() and text[g.end()].isascii():
            return None
        return g.end(), "".join(x.group() for x in groups[: k + 1])
    return None


def _clean_original(ctx: Context, start: int, end: int) -> str:
    """The original characters of a span reduced to ASCII letters and digits (NFKC first).

    Used as a second reading when normalization changed a token it should not have (it turns
    "o"/"l" inside digit runs into 0/1, which base58 and bech32 addresses may legitimately
    contain next to digits).
    """
    raw = unicodedata.normalize("NFKC", ctx.nt.original_slice(start, end))
    return "".join(c for c in raw if c.isascii() and c.isalnum())


def _classify_token(ctx: Context, token: str, start: int, end: int) -> WalletMatch | None:
    found = classify(token)
    if found is not None and found.valid:
        return found
    alt = _clean_original(ctx, start, end)
    if alt != token and len(alt) == len(token):
        second = classify(alt)
        if second is not None and second.valid:
            return second
    return found


def _solana_context(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - _SOLANA_BEFORE) : end + _SOLANA_AFTER]
    return _SOLANA_CONTEXT.search(window) is not None


def extract_wallets(ctx: Context) -> Iterator[Indicator]:
    """Every crypto wallet address in the text (see the module docstring for the rules)."""
    text = ctx.text
    if ctx.anchors is None and not GATE.found_in(text):
        return
    for m in _CANDIDATE.finditer(text):
        start, end = m.span()
        token = m.group()
        if token[:2] in ("0x", "0X"):
            hexed = _hex_address(text, start, end)
            if hexed is None:
                continue
            end = hexed[0]
            found: WalletMatch | None = classify_evm(hexed[1])
        else:
            found = _classify_token(ctx, token, start, end)
            prefix = _word_prefix(text, start)
            in_url = "/" in prefix or "=" in prefix
            if found is None:
                if solana_pubkey(token) and (
                    ("sol" in prefix.lower()) if in_url else _solana_context(text, start, end)
                ):
                    found = WalletMatch("solana", "base58", token, True)
            elif not found.valid and in_url and not prefix.lower().endswith(_EXPLORER_TAILS):
                found = None
        if found is None:
            continue
        yield ctx.indicator(
            "crypto_wallet",
            start,
            end,
            found.normalized,
            found.valid,
            chain=found.chain,
            address_format=found.address_format,
        )

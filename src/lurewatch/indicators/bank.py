"""Bank accounts (and cards) named in payment instructions, and IBANs.

A bank account is only a digit run with a reason to be one: a bank or e-wallet name from the
catalogue (`data/banks.yaml`) or an account word ("เลขบัญชี", "STK", "rekening", "账号",
"계좌", "口座" ...) shortly before it, or a bank name right after it. Without that reason a digit
run is a phone, an order number or nothing, and this extractor stays silent. A phone word, an
identity-document word or an order word standing between the keyword and the number wins: the
number belongs to it. Amounts ("Rp 15.000.000") are left to the money extractor.

`normalized` is the digits only. `valid`: a 16-19-digit number read as a payment card (a card
word nearby, a Chinese bank, or a length the bank does not issue for accounts) is checked with
Luhn; any other number is valid when its length is one the bank (or the country) issues.
E-wallets keyed by phone numbers (GCash, Maya, TrueMoney, MoMo, Wave) are reported as accounts:
the registry lets the account win over the phone reading of the same digits.

IBANs are judged by schwifty (country length, mod-97 and national structure). A wrong check
digit is still reported, `valid: false`; a string whose length does not fit its country is not
an IBAN at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from stdnum import luhn

from lurewatch.indicators import money_units as mu
from lurewatch.indicators.bank_catalog import Bank, catalogue
from lurewatch.indicators.base import Context
from lurewatch.indicators.phone_context import NOT_A_NUMBER_SHAPE, PHONE_WORDS
from lurewatch.models import Indicator

MIN_DIGITS = 8
MIN_DIGITS_JP = 7  # Japanese accounts are seven digits (with a separate branch code).
MAX_DIGITS = 20
BEFORE = 40
AFTER = 20

# Each step consumes exactly one digit (after at most one separator): linear, no ambiguity.
_RUN = re.compile(r"(?<![0-9A-Za-z_/+])\+?\d(?:(?:[\-.] ?| )?\d)*")
RUN_GATE = re.compile(r"\d(?:[ \-.]?\d){6}")
_AFTER_BAD = re.compile(r"[0-9A-Za-z_%]")
_CURRENCY_BEFORE = re.compile(
    "(?:" + mu.alternation([*mu.PREFIX, *mu.CODES]) + r") ?$", re.IGNORECASE
)
_CURRENCY_REACH = max(map(len, [*mu.PREFIX, *mu.CODES])) + 1
_CURRENCY_AFTER = re.compile(
    r"^ ?(?:" + mu.alternation([*mu.SUFFIX, *mu.CODES, *mu.MULTIPLIERS]) + ")"
)


def _window_before(text: str, start: int) -> tuple[str, int]:
    lo = max(0, start - BEFORE)
    nl = text.rfind("\n", lo, start)
    lo = nl + 1 if nl >= 0 else lo
    return text[lo:start], lo


def _last(rx: Any, text: str) -> Any:
    """The last (nearest to the number) match of an RE2 pattern in `text`, or None."""
    found = None
    for found in rx.finditer(text):  # noqa: B007 - the last match is the nearest one
        pass
    return found


def _valid(digits: str, bank: Bank | None, country: str | None, card_word: bool) -> bool:
    n = len(digits)
    lengths = bank.lengths if bank else catalogue().country_lengths.get(country or "", ())
    card = 16 <= n <= 19 and (card_word or country == "CN" or (bool(lengths) and n not in lengths))
    if card:
        return bool(luhn.is_valid(digits))
    return n in lengths if lengths else True


def extract_bank_accounts(ctx: Context) -> Iterator[Indicator]:
    text = ctx.text
    if ctx.anchors is not None:
        yield from _accounts(ctx)  # both gates below fired in the `anchors` pass
        return
    if not RUN_GATE.search(text):
        return
    if catalogue().any_reason.found_in(text):
        yield from _accounts(ctx)  # else no run has a reason to be an account: ~6 RE2 calls saved


def _accounts(ctx: Context) -> Iterator[Indicator]:
    text = ctx.text
    cat = catalogue()
    for m in _RUN.finditer(text):
        s, e = m.start(), m.end()
        raw = m.group()
        if raw.startswith("+") or (e < len(text) and _AFTER_BAD.match(text, e)):
            continue
        digits = re.sub(r"\D", "", raw)
        if not MIN_DIGITS_JP <= len(digits) <= MAX_DIGITS or NOT_A_NUMBER_SHAPE.match(raw):
            continue
        window, _lo = _window_before(text, s)
        if _CURRENCY_BEFORE.search(window[-_CURRENCY_REACH:]) or _CURRENCY_AFTER.match(
            text[e : e + 12]
        ):
            continue
        bank_m = _last(cat.bank_rx, window)
        word_m = _last(cat.account_rx, window) or _last(cat.card_rx, window)
        after = text[e : e + AFTER].split("\n", 1)[0]
        after_m = None if bank_m else cat.bank_rx.search(after)
        if not (bank_m or word_m or after_m):
            continue
        anchor = max(x.end() for x in (bank_m, word_m) if x is not None) if bank_m or word_m else 0
        tail = window[anchor:]
        if PHONE_WORDS.search(tail) or cat.not_account_rx.search(tail):
            continue
        weak = word_m is None or word_m.group().lower() in cat.generic_words
        if weak and PHONE_WORDS.search(window):
            continue  # "contact Krungthai at 02-111-1111": a bank's phone number
        if after_m is None and cat.not_account_rx.search(window):
            continue
        named = bank_m or after_m
        bank = cat.bank_for(named.group()) if named else None
        country = (
            bank.country
            if bank
            else cat.account_words.get(word_m.group().lower())
            if word_m
            else None
        )
        if len(digits) < MIN_DIGITS and country != "JP":
            continue
        yield ctx.indicator(
            "bank_account",
            s,
            e,
            normalized=digits,
            valid=_valid(digits, bank, country, bool(cat.card_rx.search(window))),
            bank=bank.name if bank else None,
            country=country,
        )


_TWO_DIGITS = re.compile(r"\d\d")
# The look-behind sits after the first letter (it checks the character before it), so the
# pattern opens on a class and `re` skips to capitals in C (~1.7x faster on corpus texts);
# tests/indicators/test_bank.py compares it with `(?<![A-Za-z0-9])[A-Z]{2}...`.
_IBAN = re.compile(r"[A-Z](?<![A-Za-z0-9][A-Z])[A-Z]\d{2}(?: ?[A-Z0-9])+")
IBAN_GATE = r"[A-Z]{2}\d{2} ?[A-Z0-9]"
"""`_IBAN` without its look-behind and with one group (a superset), for the `anchors` pass."""


def extract_ibans(ctx: Context) -> Iterator[Indicator]:
    text = ctx.text
    if ctx.anchors is None and not _TWO_DIGITS.search(text):
        return
    for m in _IBAN.finditer(text):
        found = _iban_at(ctx, m.start(), m.group())
        if found is not None:
            yield found


def _iban_at(ctx: Context, start: int, raw: str) -> Indicator | None:
    """The IBAN at `start`, trimmed to its country's length at a group boundary, or None."""
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    compact = raw.replace(" ", "")
    try:
        spec = IBAN(compact[:34], allow_invalid=True).spec
    except SchwiftyException:
        return None
    length = int(spec.iban_length) if spec is not None else 0
    if length == 0 or len(compact) < length:
        return None
    # Find where the length-th character ends in `raw`, and require a word boundary there.
    seen = 0
    end = 0
    for k, ch in enumerate(raw):
        if ch != " ":
            seen += 1
            if seen == length:
                end = k + 1
                break
    if end < len(raw) and raw[end] != " ":
        return None
    value = compact[:length]
    iban = IBAN(value, allow_invalid=True)
    return ctx.indicator(
        "iban",
        start,
        start + end,
        normalized=value,
        valid=bool(iban.is_valid),
        country=value[:2],
    )

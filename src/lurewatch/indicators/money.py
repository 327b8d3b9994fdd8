"""Money amounts with their currency: "USD 800–3,000", "฿30,000", "15jt", "2-3万", "5000U".

Canonical form (used everywhere an amount is keyed): `normalized = f"{amount} {CODE}"` with the
amount as a plain decimal — no exponent, no thousands separator, no trailing zeros — and CODE
the ISO 4217 code (USDT/USDC for stablecoins, BTC/ETH for coins). "2.000.000 đ" is
"2000000 VND", "$1,250.50" is "1250.5 USD", "1,5 juta" is "1500000 IDR". Arithmetic is done in
`Decimal` so that multipliers never introduce float noise into the key.

Separators: both conventions are read. With both ',' and '.', the last one is the decimal mark;
a single kind repeated is grouping; a single one followed by exactly three digits is grouping
("2.000", "2,000"), otherwise decimal ("1.5", "1,5"). A space groups only before exactly three
digits ("2 000").

An amount needs a currency marker (symbol, code or word, before or after) — except that a
multiplier word that implies one ("万" in Chinese, "หมื่น", "만", "triệu", "juta") counts when a
pay word ("月薪", "เงินเดือน", "salary" ...) stands just before it. A range gives one indicator
per end, sharing the currency and, when only the upper end has one, the multiplier.
Own code, after measuring price-parser 0.5.1: it reads one price per string, drops the
multiplier ("15 triệu" -> 15, "Rp 15jt" -> 15), returns raw symbols instead of ISO codes and
reads "2-3万" as 2 with no currency; money-parser (2017) is unmaintained; quantulum3 targets
units of measure in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from lurewatch.indicators import money_units as mu
from lurewatch.indicators.base import Context
from lurewatch.models import Indicator
from lurewatch.text.re2_gate import Gate

MAX_DIGITS = 18
"""Longer digit runs are identifiers, not amounts."""

_CODE_WORDS = [c for c in mu.CODES] + [c.lower() for c in mu.CODES if c != "PHP"]
_PRE = mu.alternation([*mu.PREFIX, *_CODE_WORDS])
# A trailing "$" ("1000$") is a suffix only when no digit follows it: in "1711 $3" it is the
# prefix of the next amount.
_SUF = mu.alternation([w for w in [*mu.SUFFIX, *_CODE_WORDS] if w != "$"]) + r"|\$(?![0-9])"
_MULT = mu.alternation(list(mu.MULTIPLIERS))
# Digits, then groups each opened by one separator: one way to match, so linear.
_NUM = r"\d+(?:[,.']\d+| \d{3}(?!\d))*"
_RANGE_WORDS = ["-", "–", "—", "~", "～", "〜", "to", "đến", "hingga", "sampai", "ถึง", "至", "到"]
_RANGE = "(?:" + "|".join(map(re.escape, _RANGE_WORDS)) + ")"

_AMOUNT = re.compile(
    rf"(?:(?<![A-Za-z])(?P<pre>{_PRE}) ?|(?<![0-9A-Za-z.,]))(?P<n1>{_NUM})(?: ?(?P<m1>{_MULT}))?"
    rf"(?P<range> ?{_RANGE} ?(?:(?P<pre2>{_PRE}) ?)?(?P<n2>{_NUM})(?: ?(?P<m2>{_MULT}))?)?"
    rf"(?: ?(?P<suf>{_SUF}))?"
)
_NUMBER = re.compile(_NUM)
_LEADING_ZERO = re.compile(r"0\d")  # "0871..." is a phone or an ID glued to a price, not money
_PRE_BEFORE = re.compile(rf"(?:{_PRE}) ?$")
_PRE_REACH = max(map(len, [*mu.PREFIX, *mu.CODES])) + 1
_PAY_WINDOW = 16
# What may touch a number for `_AMOUNT` to read more than the bare number: the last character
# of a prefix before it, the first character of a multiplier, range word or suffix after it
# (either across one space). Most numbers touch none of them ("1、", "3年", "10:30"), and
# testing two characters against a set skips the regex work for them.
_PRE_LAST = frozenset(w[-1] for w in [*mu.PREFIX, *_CODE_WORDS])
_AFTER_FIRST = frozenset(w[0] for w in [*mu.MULTIPLIERS, *_RANGE_WORDS, *mu.SUFFIX, *_CODE_WORDS])


def _literals(words: list[str]) -> str:
    # Sorted by length, then by text: the same pattern in every process (a set's order is
    # not), so the `anchors` pass finds its compiled database in the on-disk cache.
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# The gate: every amount holds a currency marker (a prefix right before a number, a suffix
# right after a digit or a multiplier) or an implied-currency multiplier after a number with
# a pay word in the text. One RE2 pass (a DFA, no look-arounds: a superset of what `_AMOUNT`
# accepts) rules out most texts that have numbers but no money, where the number-driven loop
# below costs several µs per number in Python. Normalized text holds ASCII digits only
# (`fold_chars` folds every decimal digit); other `\d` would skip the gate.
_RANGE_LATIN_ENDS = "to|đến|hingga|sampai"  # range words ending in a letter, before `pre2`
_MARKER = (
    f"(?:^|[^A-Za-z]|{_RANGE_LATIN_ENDS})(?:{_literals([*mu.PREFIX, *_CODE_WORDS])}) ?[0-9]"
    f"|(?:[0-9]|{_literals(list(mu.MULTIPLIERS))}) ?(?:{_literals([*mu.SUFFIX, *_CODE_WORDS])})"
)
_IMPLIED = f"[0-9] ?(?:{_literals(list(mu.IMPLIED))})"
_MARKER_OR_IMPLIED = Gate(f"{_MARKER}|{_IMPLIED}")
MARKER_GATE = Gate(_MARKER)
IMPLIED_GATE = Gate(_IMPLIED)
PAY_ANYWHERE = Gate(mu.PAY_WORDS.pattern.replace(r"\b", ""))
"""`PAY_WORDS` without word boundaries: it is searched in windows, and a window that starts
inside a word has a boundary the whole text lacks."""
_OTHER_DIGIT = re.compile(r"[^\D0-9]")  # a non-ASCII decimal digit; one class, no look-ahead


def _may_hold_money(text: str) -> bool:
    if not text.isascii() and _OTHER_DIGIT.search(text) is not None:
        return True
    if not _MARKER_OR_IMPLIED.found_in(text):
        return False  # the common verdict, in one search
    if MARKER_GATE.found_in(text):
        return True
    return IMPLIED_GATE.found_in(text) and PAY_ANYWHERE.found_in(text)


_NUMBER_CACHE = 4096
"""Entries of the two per-number caches below: 40k corpus texts hold ~14k amounts written
~850 distinct ways ("5000", "8,000", ...), each reading a few µs of `Decimal` work."""


@lru_cache(maxsize=_NUMBER_CACHE)
def parse_number(token: str) -> Decimal | None:
    """Value of a written number under the separator rules in the module docstring (cached,
    bounded: a pure function of the token, and `Decimal` is immutable)."""
    s = token.replace("'", "").replace(" ", "")
    if "," in s and "." in s:
        dec = max(s.rfind(","), s.rfind("."))
        s = s[:dec].replace(",", "").replace(".", "") + "." + s[dec + 1 :]
    elif "," in s or "." in s:
        sep = "," if "," in s else "."
        parts = s.split(sep)
        grouping = len(parts) > 2 or len(parts[1]) == 3
        s = "".join(parts) if grouping else parts[0] + "." + parts[1]
    if "." in s and s.count(".") > 1:
        return None
    if sum(c.isdigit() for c in s) > MAX_DIGITS:
        return None
    return Decimal(s)


@lru_cache(maxsize=_NUMBER_CACHE)
def canonical(amount: Decimal) -> str:
    """Plain decimal without exponent or trailing zeros ("2000", "1.5", "0.25"). Cached like
    `parse_number`: equal amounts ("5000", "5E+3") have one normalized form, so keying on
    the value is keying on the answer."""
    text = format(amount.normalize(), "f")
    return text


def _currency(ctx: Context, marker: str | None) -> str | None:
    if marker is None:
        return None
    code = mu.code_for(marker)
    if code == "CNY" and marker in ("¥", "￥") and _japanese(ctx):
        return "JPY"
    return code


def _japanese(ctx: Context) -> bool:
    """Yen, not yuan: the caller says Japan, the text is Japanese, or it prices in 円."""
    return ctx.region == "JP" or "円" in ctx.text or _lang(ctx) == "ja"


def _lang(ctx: Context) -> str:
    return ctx.nt.language


def _implied(ctx: Context, mult: str | None, start: int) -> str | None:
    """Currency implied by a multiplier word in a pay context, or None."""
    if mult is None or mult not in mu.IMPLIED:
        return None
    window = ctx.text[max(0, start - _PAY_WINDOW) : start]
    if not mu.PAY_WORDS.search(window):
        return None
    by_lang = mu.IMPLIED[mult]
    return by_lang.get("*") or by_lang.get(_lang(ctx))


def _scaled(num: str, mult: str | None) -> Decimal | None:
    value = parse_number(num)
    if value is None:
        return None
    return value * mu.MULTIPLIERS[mult] if mult else value


def _emit(ctx: Context, s: int, e: int, amount: Decimal, code: str) -> Indicator:
    return ctx.indicator(
        "money",
        s,
        e,
        normalized=f"{canonical(amount)} {code}",
        valid=True,
        amount=float(amount),
        currency=code,
    )


def extract_money(ctx: Context) -> Iterator[Indicator]:
    if ctx.anchors is not None or _may_hold_money(ctx.text):
        yield from _amounts(ctx)


def _prefix_may_end_before(text: str, p: int) -> bool:
    """Whether `_PRE_BEFORE` can match right before `p`: a prefix's last character there, or
    before one space, or (as `$` also matches before a final newline) before a newline."""
    k = p - 1 if text[p - 1 : p] == "\n" else p
    return text[k - 1 : k] in _PRE_LAST or (
        text[k - 1 : k] == " " and text[k - 2 : k - 1] in _PRE_LAST
    )


def _amounts(ctx: Context) -> Iterator[Indicator]:
    """Every amount in the text, without the gate (see `_may_hold_money`)."""
    text = ctx.text
    done = 0
    # Driven by the numbers, not by the currency words: the full pattern is tried once per
    # number (at its prefix, if one ends right before it) instead of at every character.
    for num in _NUMBER.finditer(text):
        p, q = num.span()
        if p < done:
            continue
        pre_m = None
        if _prefix_may_end_before(text, p):
            pre_m = _PRE_BEFORE.search(text, max(0, p - _PRE_REACH), p)
        if pre_m is None:
            after = text[q + 1 : q + 2] if text[q : q + 1] == " " else text[q : q + 1]
            if after not in _AFTER_FIRST:
                continue  # `_AMOUNT` would read the bare number: no currency, no amount
        m = _AMOUNT.match(text, pre_m.start() if pre_m else num.start())
        if m is None or m.start("n1") != num.start() or _LEADING_ZERO.match(num.group()):
            continue
        done = m.end()
        pre, suf, pre2 = m.group("pre"), m.group("suf"), m.group("pre2")
        if suf == "U" and text[m.start("suf") - 1] == " ":
            suf = None  # "5000U" is tether slang; "18000 U/..." is usually a word
        m1, m2 = m.group("m1"), m.group("m2")
        code = _currency(ctx, suf) if suf and pre in (None, "$") else None
        code = code or _currency(ctx, pre) or _currency(ctx, pre2)
        if code is None:
            code = _implied(ctx, m2 or m1, m.start())
        if code is None:
            continue
        if m.group("range") is None:
            amount = _scaled(m.group("n1"), m1)
            if amount is not None:
                yield _emit(ctx, m.start(), m.end(), amount, code)
            continue
        low_raw, high = parse_number(m.group("n1")), _scaled(m.group("n2"), m2)
        if low_raw is None or high is None:
            continue
        low = low_raw * mu.MULTIPLIERS[m1] if m1 else low_raw
        if m1 is None and m2 is not None and low_raw * mu.MULTIPLIERS[m2] <= high:
            low = low_raw * mu.MULTIPLIERS[m2]
        yield _emit(ctx, m.start(), m.end("m1") if m1 else m.end("n1"), low, code)
        yield _emit(ctx, m.start("pre2") if pre2 else m.start("n2"), m.end(), high, code)

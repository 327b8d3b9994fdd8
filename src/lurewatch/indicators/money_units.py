"""Currency markers and number words for money amounts, as data.

Three tables, each mapping what people write to what it means:
* `PREFIX` markers stand before the number ("US$", "RM", "Rp", "฿", "USD");
* `SUFFIX` markers stand after it ("baht", "บาท", "đ", "元", "円", "원", "USDT", "U");
* `MULTIPLIERS` scale the number ("k", "jt", "triệu", "万", "ล้าน", "만", "lakh").
ISO codes work on both sides. `IMPLIED` gives the currency a bare multiplier word implies in a
salary context ("月薪2-3万" is yuan, "เงินเดือน 3 หมื่น" is baht) — only used next to a pay word.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import re2  # type: ignore[import-untyped]  # google-re2 ships no stubs

CODES = [
    *("USD", "USDT", "USDC", "THB", "VND", "IDR", "PHP", "MYR", "CNY", "RMB", "KRW", "JPY"),
    *("INR", "SGD", "HKD", "TWD", "KHR", "LAK", "MMK", "EUR", "GBP", "AUD", "CAD", "AED"),
    *("BTC", "ETH"),
]
_CODE_ALIAS = {"RMB": "CNY"}

# Symbols and words, longest first when compiled. Values are ISO 4217 codes (or USDT/USDC).
PREFIX: dict[str, str] = {
    "US$": "USD",
    "U$": "USD",
    "S$": "SGD",
    "SG$": "SGD",
    "HK$": "HKD",
    "NT$": "TWD",
    "A$": "AUD",
    "C$": "CAD",
    "$": "USD",
    "฿": "THB",
    "₫": "VND",
    "₱": "PHP",
    "Php": "PHP",
    "¥": "CNY",
    "￥": "CNY",
    "₩": "KRW",
    "₹": "INR",
    "Rs.": "INR",
    "RM": "MYR",
    "Rp.": "IDR",
    "Rp": "IDR",
    "€": "EUR",
    "£": "GBP",
    "៛": "KHR",
    "₭": "LAK",
    "人民币": "CNY",
    "美金": "USD",
}
SUFFIX: dict[str, str] = {
    # A trailing dollar sign is how Khmer, Vietnamese and Lao ads price in US dollars
    # ("ប្រាក់ខែ 1000$", "lương 1500$", "800$/tháng").
    "$": "USD",
    "baht": "THB",
    "บาท": "THB",
    "฿": "THB",
    "đồng": "VND",
    "đ": "VND",
    "₫": "VND",
    "vnđ": "VND",
    "VNĐ": "VND",
    "VNđ": "VND",
    "rupiah": "IDR",
    "pesos": "PHP",
    "peso": "PHP",
    "piso": "PHP",
    "ringgit": "MYR",
    "yuan": "CNY",
    "元": "CNY",
    "块": "CNY",
    "塊": "CNY",
    "人民币": "CNY",
    "美元": "USD",
    "美金": "USD",
    "泰铢": "THB",
    "泰銖": "THB",
    "越南盾": "VND",
    "日元": "JPY",
    "韩元": "KRW",
    "港币": "HKD",
    "港幣": "HKD",
    "台币": "TWD",
    "新台币": "TWD",
    "円": "JPY",
    "원": "KRW",
    "dollars": "USD",
    "dollar": "USD",
    "dolar": "USD",
    "đô": "USD",
    "ดอลลาร์": "USD",
    "달러": "USD",
    "ドル": "USD",
    "ដុល្លារ": "USD",
    "ໂດລາ": "USD",
    "ဒေါ်လာ": "USD",
    "riel": "KHR",
    "រៀល": "KHR",
    "kip": "LAK",
    "ກີບ": "LAK",
    "kyats": "MMK",
    "kyat": "MMK",
    "ကျပ်": "MMK",
    "rupees": "INR",
    "euros": "EUR",
    "euro": "EUR",
    "U": "USDT",
}

# Multipliers: exact powers kept as Decimal so that "1.5jt" is 1500000, not 1499999.99.
MULTIPLIERS: dict[str, Decimal] = {
    "k": Decimal(1000),
    "K": Decimal(1000),
    "rb": Decimal(1000),
    "ribu": Decimal(1000),
    "ngàn": Decimal(1000),
    "nghìn": Decimal(1000),
    "thousand": Decimal(1000),
    "libo": Decimal(1000),
    "jt": Decimal(10**6),
    "juta": Decimal(10**6),
    "triệu": Decimal(10**6),
    "tr": Decimal(10**6),
    "million": Decimal(10**6),
    "mil": Decimal(10**6),
    "milyon": Decimal(10**6),
    "m": Decimal(10**6),
    "M": Decimal(10**6),
    "tỷ": Decimal(10**9),
    "billion": Decimal(10**9),
    "lakh": Decimal(10**5),
    "lakhs": Decimal(10**5),
    "crore": Decimal(10**7),
    "千": Decimal(1000),
    "万": Decimal(10**4),
    "萬": Decimal(10**4),
    "亿": Decimal(10**8),
    "億": Decimal(10**8),
    "พัน": Decimal(1000),
    "หมื่น": Decimal(10**4),
    "แสน": Decimal(10**5),
    "ล้าน": Decimal(10**6),
    "천": Decimal(1000),
    "만": Decimal(10**4),
    "억": Decimal(10**8),
    "သိန်း": Decimal(10**5),
    "ពាន់": Decimal(1000),
    "ម៉ឺន": Decimal(10**4),
    "ລ້ານ": Decimal(10**6),
}

# Multiplier word -> currency it implies in a pay context, per text language where it differs.
IMPLIED: dict[str, dict[str, str]] = {
    "万": {"zh": "CNY", "ja": "JPY"},
    "萬": {"zh": "CNY", "ja": "JPY"},
    "千": {"zh": "CNY", "ja": "JPY"},
    "หมื่น": {"*": "THB"},
    "แสน": {"*": "THB"},
    "ล้าน": {"*": "THB"},
    "พัน": {"*": "THB"},
    "만": {"*": "KRW"},
    "천": {"*": "KRW"},
    "triệu": {"*": "VND"},
    "tr": {"vi": "VND"},
    "juta": {"id": "IDR", "ms": "MYR"},
    "jt": {"*": "IDR"},
    "rb": {"*": "IDR"},
    "ribu": {"id": "IDR", "ms": "MYR"},
    "lakh": {"*": "INR"},
    "lakhs": {"*": "INR"},
    "crore": {"*": "INR"},
    "သိန်း": {"*": "MMK"},
    "ລ້ານ": {"*": "LAK"},
}

PAY_WORDS: Any = re2.compile(
    r"(?i)(?:\b(?:salary|pay|income|wage|gaji|sahod|suweldo|lương|thu nhập|upah|pendapatan"
    r"|commission|bonus|earn|kita)\b|月薪|薪资|薪資|工资|工資|底薪|收入|年薪|日薪|薪水|待遇|提成"
    r"|奖金|給料|月給|時給|年収|報酬|เงินเดือน|รายได้|ค่าจ้าง|월급|연봉|급여|수입|ប្រាក់ខែ"
    r"|ເງິນເດືອນ|လစာ)"
)


def code_for(token: str) -> str | None:
    """ISO code for a currency marker as written (symbol, word or code), or None."""
    up = token.upper()
    if up in CODES:
        return _CODE_ALIAS.get(up, up)
    if token in PREFIX:
        return PREFIX[token]
    if token in SUFFIX:
        return SUFFIX[token]
    low = token.lower()
    if low in SUFFIX:
        return SUFFIX[low]
    return None


_NO_LATIN_AFTER = r"(?![A-Za-z\u00c0-\u024f\u1e00-\u1eff])"


def alternation(words: list[str]) -> str:
    """Regex alternation, longest first; Latin words end at a non-letter."""
    out = []
    for w in sorted(set(words), key=len, reverse=True):
        esc = re.escape(w)
        latin = w[-1].isalpha() and (w[-1].isascii() or "\u00c0" <= w[-1] <= "\u1eff")
        out.append(esc + _NO_LATIN_AFTER if latin else esc)
    return "|".join(out)

"""IPv4 and IPv6 addresses, validated by the standard `ipaddress` module.

What is NOT an IP here, on purpose:
- a dotted quad with a leading-zero octet ("081.234.56.78" is a phone number written with
  dots; `ipaddress` refuses leading zeros too);
- a version string: a letter or dot before it ("v1.2.3.4", "1.2.3.4.5") or "version"/"ver"
  just before it;
- an amount: a currency sign or code right before or after ("Rp 1.200.100.200", "1.250.100.200 đ");
- colon groups that `ipaddress` does not accept (times "10:30:45", MAC addresses).
An out-of-range dotted quad ("IP 300.1.2.3") is reported with `valid: false` only when the
word "IP" is right before it; otherwise it is just four numbers.
IPs inside URLs ARE reported: the address is infrastructure an analyst wants as its own key.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

# Look-behinds sit after the first character they guard (checking the one before it): a
# pattern that opens on a character class or literal lets `re` skip to the next candidate
# character in C, where an opening look-behind is tried at every character (~2x slower
# scans). Tests compare each with its plain spelling, `(?<![...])\d{1,3}...`.
_IPV4 = re.compile(r"\d(?<![0-9A-Za-z.:]\d)\d{0,2}(?:\.\d{1,3}){3}(?![0-9A-Za-z]|\.\d)")
_IPV6 = re.compile(
    r"(?<![0-9A-Za-z:.])(?:[0-9A-Fa-f]{0,4}:){2,7}"
    r"(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?(?![0-9A-Za-z:])"
)
# Literal-first gates: `re` scans for the leading literal with a fast search.
V4_GATE = re.compile(r"\.\d")
V6_GATE = re.compile(r":[0-9A-Fa-f:]")
_VERSION_BEFORE = re.compile(r"(?<![A-Za-z])(?:version|ver\.?|v)\s*$", re.IGNORECASE)
_IP_WORD_BEFORE = re.compile(r"\bip(?:v4)?\s*(?:address)?\s*[:=]?\s*$", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:rp\.?|idr|vnd|usd|thb|php|myr|rm|[$₫฿€¥₱])\s*$", re.IGNORECASE)
_MONEY_AFTER = re.compile(
    r"^\s*(?:đ|₫|vnd|dong|đồng|rp|rupiah|baht|บาท|usd|\$|triệu|juta|ribu|kip|riel|៛|₭)",
    re.IGNORECASE,
)


def _v4(text: str) -> Iterator[tuple[int, int, str, bool]]:
    for m in _IPV4.finditer(text):
        s, e = m.span()
        before, after = text[max(0, s - 12) : s], text[e : e + 8]
        if _VERSION_BEFORE.search(before) or _MONEY_BEFORE.search(before):
            continue
        if _MONEY_AFTER.search(after):
            continue
        octets = m.group().split(".")
        if any(len(o) > 1 and o.startswith("0") for o in octets):
            continue
        try:
            yield s, e, str(ipaddress.IPv4Address(m.group())), True
        except ValueError:
            if _IP_WORD_BEFORE.search(before):
                yield s, e, m.group(), False


_V6_REACH = 4
"""How far before its first colon an `_IPV6` match can start (one group of hex digits)."""


def _v6_matches(text: str) -> Iterator[re.Match[str]]:
    """`_IPV6.finditer(text)`, the same matches, tried only next to colons.

    Why: `_IPV6` opens with a character class, so `re` tried it at every character (hex
    letters are most of English), ~1.5% of extraction. A match holds a colon within
    `_V6_REACH` characters of its start, so the leftmost match at or after `pos` starts in
    [c - _V6_REACH, c] for the first colon c at or after `pos`, or holds no colon c at all
    (impossible); trying those few starts in order finds it. Look-behinds still read the text
    before the start (`match(text, s)` does not slice)."""
    pos = 0
    while True:
        c = text.find(":", pos)
        if c < 0:
            return
        for s in range(max(pos, c - _V6_REACH), c + 1):
            m = _IPV6.match(text, s)
            if m is not None:
                yield m
                pos = m.end()  # never empty: it holds two colons
                break
        else:
            pos = c + 1


def _v6(text: str) -> Iterator[tuple[int, int, str, bool]]:
    for m in _v6_matches(text):
        raw = m.group()
        groups = [g for g in raw.split(":") if g]
        if len(groups) < 2 and not (groups and raw.startswith("::")):
            continue
        try:
            addr = ipaddress.IPv6Address(raw)
        except ValueError:
            continue
        yield m.start(), m.end(), addr.compressed, True


def find_ips(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, normalized, valid) for every IP in normalized `text`."""
    found = list(_v4(text)) if V4_GATE.search(text) else []
    if V6_GATE.search(text):
        taken = [(s, e) for s, e, _, _ in found]
        for hit in _v6(text):
            if not any(s < hit[1] and hit[0] < e for s, e in taken):
                found.append(hit)
    found.sort()
    return found

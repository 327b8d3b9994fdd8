"""The `extract()` entry point: normalize once, run the extractors, resolve overlaps.

Overlap policy (the fixtures encode it): numeric-looking families compete for the same
characters, and the more specific reading wins — an IBAN over a bank account, a wallet over
anything, a bank account or a money amount over a phone number, an IP over a phone. Web
families (url, domain, email, handle) may overlap each other and numbers by design: `t.me/x` is
both a URL and a Telegram handle, and "WhatsApp: +66..." is both a phone and a handle.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from lurewatch.indicators.base import Context, Extractor
from lurewatch.models import INDICATOR_TYPES, Indicator, IndicatorType
from lurewatch.text import MAX_TEXT_CHARS, NormalizedText, normalize

# Lower rank wins when spans of these types overlap.
_NUMERIC_RANK: dict[str, int] = {
    "iban": 0,
    "crypto_wallet": 1,
    "ip": 2,
    "bank_account": 3,
    "money": 4,
    "phone": 5,
}


# Families skipped when the text lacks what every one of their candidates holds, tested once
# here rather than behind each family's call (a call, a generator and a context cost about a
# microsecond each, on every message). Used when the `anchors` pass has no verdict: candidates
# of the numeric families start at a decimal digit (`\d`; about half of all messages hold
# none); URLs, domains and e-mails hold "@", "://" or a dot before a word character
# (`web_scan.has_candidates`); IPs a digit or a colon ("cafe::babe" is an IPv6 address
# without a digit).
_NEEDS_DIGIT = frozenset({"phone", "bank_account", "iban", "money"})
_NEEDS_WEB_ANCHOR = frozenset({"url", "domain", "email"})
_DIGIT = re.compile(r"\d")


def _skipped(text: str) -> frozenset[str]:
    from lurewatch.indicators.web_scan import has_candidates

    digits = _DIGIT.search(text) is not None
    skip: set[str] = set()
    if not digits:
        skip |= _NEEDS_DIGIT
        if ":" not in text:
            skip.add("ip")
    if not has_candidates(text):
        skip |= _NEEDS_WEB_ANCHOR
    return frozenset(skip)


@lru_cache(maxsize=1)
def _needs() -> tuple[tuple[IndicatorType, tuple[int, ...]], ...]:
    """Per family, in `INDICATOR_TYPES` order, the `anchors` bit sets of which ANY must have
    all its bits present for the family to run (its own gate, as one or two pieces)."""
    from lurewatch.indicators import anchors as a

    need: dict[IndicatorType, tuple[int, ...]] = {
        "phone": (a.PHONE,),
        "crypto_wallet": (a.WALLET,),
        "url": (a.WEB,),
        "domain": (a.WEB,),
        "email": (a.WEB,),
        "ip": (a.IP,),
        # Platform words, links, "@" or "://" (`extract_handles`); the last three hold a
        # web anchor.
        "handle": (a.PLATFORM, a.WEB),
        "bank_account": (a.BANK_RUN | a.BANK_REASON,),
        "iban": (a.IBAN,),
        "money": (a.MONEY_MARKER, a.MONEY_IMPLIED | a.PAY_WORD),
    }
    return tuple((t, need[t]) for t in INDICATOR_TYPES)


_anchors: Callable[[str], int | None] | None = None
_FAMILY_BITS = (1 << 11) - 1  # anchors.FAMILY_BITS (a test checks), without importing it
_RUN_FOR_BITS: dict[int, list[IndicatorType]] = {}
"""`anchors` bits -> the families that run on them, filled on first sight of each value (at
most 2**11 entries): a dict look-up per message instead of ten any() tests."""


def _load_anchors() -> Callable[[str], int | None]:
    """The `anchors` pass, imported on first use like the extractors (see `_extractors`)."""
    global _anchors
    from lurewatch.indicators.anchors import anchors

    _anchors = anchors
    return anchors


def _families(text: str) -> tuple[list[IndicatorType], int | None]:
    """The families that may find something in normalized `text`, and the `anchors` bits
    they are given (None when the pass has no verdict and each family gates itself)."""
    return _families_for(text, (_anchors or _load_anchors())(text))


def _families_for(text: str, bits: int | None) -> tuple[list[IndicatorType], int | None]:
    """`_families` given the `anchors` bits of `text`."""
    if bits is None:
        skip = _skipped(text)
        return [t for t in INDICATOR_TYPES if t not in skip], None
    bits &= _FAMILY_BITS
    run = _RUN_FOR_BITS.get(bits)
    if run is None:
        run = _RUN_FOR_BITS[bits] = [t for t, sets in _needs() if any(bits & s == s for s in sets)]
    return run, bits


def _extractors() -> dict[IndicatorType, Extractor]:
    # Imported lazily so that importing lurewatch stays cheap and extractor modules can
    # import from lurewatch.indicators.base without a cycle.
    from lurewatch.indicators import bank, handle, money, phone, wallet, web

    return {
        "phone": phone.extract_phones,
        "crypto_wallet": wallet.extract_wallets,
        "url": web.extract_urls,
        "domain": web.extract_domains,
        "email": web.extract_emails,
        "ip": web.extract_ips,
        "handle": handle.extract_handles,
        "bank_account": bank.extract_bank_accounts,
        "iban": bank.extract_ibans,
        "money": money.extract_money,
    }


_REGISTRY: dict[IndicatorType, Extractor] | None = None


def registry() -> dict[IndicatorType, Extractor]:
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = _extractors()
    return _REGISTRY


def _overlaps(a: Indicator, b: Indicator) -> bool:
    return a.start < b.end and b.start < a.end


def resolve_overlaps(found: Iterable[Indicator]) -> list[Indicator]:
    """Apply the overlap policy and return indicators in text order.

    A sweep in start order: kept numeric indicators never overlap each other, so their ends
    grow with their starts and only the last few kept can clash with the next one. That keeps
    the cost at O(n log n) however many numbers a hostile text holds.
    """
    items = sorted(found, key=lambda i: (i.start, -(i.end - i.start)))
    kept: list[Indicator] = []
    numeric: list[Indicator] = []
    for ind in items:
        rank = _NUMERIC_RANK.get(ind.type)
        if rank is None:
            # Same-type duplicates over the same span are dropped.
            if any(k.type == ind.type and _overlaps(k, ind) for k in kept[-8:]):
                continue
            kept.append(ind)
            continue
        first_clash = len(numeric)
        while first_clash > 0 and numeric[first_clash - 1].end > ind.start:
            first_clash -= 1
        clash = numeric[first_clash:]
        if not clash:
            numeric.append(ind)
        elif all(rank < _NUMERIC_RANK[k.type] for k in clash):
            del numeric[first_clash:]
            numeric.append(ind)
    out = kept + numeric
    out.sort(key=lambda i: (i.start, i.end, i.type))
    return out


def _prepared(
    text: str | NormalizedText,
) -> tuple[NormalizedText, list[IndicatorType], int | None]:
    """The normalized text, the families to run on it and their `anchors` bits.

    A raw text is scanned once: the same Hyperscan call says where normalization could edit
    it (`anchors.TEXT_EDIT`); when nowhere, the text is its own normalized form and the bits
    are already the ones the families need. Otherwise the normalized text is scanned again.
    """
    if isinstance(text, NormalizedText):
        return text, *_families(text.text)
    if not isinstance(text, str) or len(text) > MAX_TEXT_CHARS:
        nt = normalize(text)  # raises the errors `normalize` documents
        return nt, *_families(nt.text)
    bits = (_anchors or _load_anchors())(text)
    if bits is None:
        nt = normalize(text)
        return nt, *_families(nt.text)
    nt = normalize(text, edit_anchor_found=bits > _FAMILY_BITS)
    if nt.text is not text:
        return nt, *_families(nt.text)
    return nt, *_families_for(text, bits)


def extract(
    text: str | NormalizedText,
    *,
    types: Sequence[IndicatorType] | None = None,
    region: str | None = None,
) -> list[Indicator]:
    """Every indicator in `text`, with offsets into the original text.

    `types` restricts the families searched (default: all); `region` is the ISO country used
    for numbers written without a country code. Passing a `NormalizedText` skips normalizing
    again (the screening path normalizes once for every detector).
    """
    nt, families, bits = _prepared(text)
    if not families and types is None:
        return []
    ctx = Context(nt=nt, region=region.upper() if region else None, anchors=bits)
    reg = registry()
    found: list[Indicator] = []
    if types is None:
        # The common call, without the per-call set algebra below (a few µs per message).
        for t in families:
            found.extend(reg[t](ctx))
        return found if len(found) < 2 else resolve_overlaps(found)
    wanted = tuple(types)
    unknown = [t for t in wanted if t not in INDICATOR_TYPES]
    if unknown:
        raise ValueError(f"unknown indicator type(s): {', '.join(unknown)}")
    # Numeric families are always resolved against each other, so that asking only for
    # phones does not return the digits of an IBAN or of a money amount as a phone.
    run = set(wanted)
    if run & _NUMERIC_RANK.keys():
        run |= set(_NUMERIC_RANK)  # type: ignore[arg-type]
    for t in families:
        if t in run:
            found.extend(reg[t](ctx))
    keep = set(wanted)
    return [i for i in resolve_overlaps(found) if i.type in keep]

"""Messaging and social-media accounts (`handle`, with `platform`).

Three sources, in this order, each skipping characters an earlier one already used:
1. links, as found by the URL scanner (`t.me/x`, `wa.me/66...`, `line.me/ti/p/~x`, ...) and
   the app schemes `tg://resolve?domain=`, `tg://join?invite=`, `whatsapp://send?phone=`;
   the URL family reports the same link as a `url` too (the registry allows that overlap);
2. platform words followed by an id ("LINE ID: x", "微信号 x", "WhatsApp: +66...");
3. a bare `@name`. Decision: it is Telegram (the platform of the scam compounds' recruiters),
   unless a platform word from `handle_keywords` ends within 30 characters before it on the
   same line with only spaces/brackets/colons between ("Instagram (@shop.th)") — then it is
   that platform's id. Never inside an e-mail (`job@mail.com`) or followed by `.tld`
   (`@binance.com` is a domain, not a handle); a bare `@name` that breaks Telegram's rules
   (starts with a digit, ends with `_`) is dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator

from lurewatch.indicators import anchors
from lurewatch.indicators.base import Context
from lurewatch.indicators.handle_keywords import (
    find_keywords,
    handles_after,
    read_value,
    scan_keywords,
)
from lurewatch.indicators.handle_links import handle_from_link, telegram_name
from lurewatch.indicators.handle_phone import LANGUAGE_REGION, phone_id
from lurewatch.indicators.web_scan import scan
from lurewatch.models import Indicator

_APP_LINK = re.compile(
    r"tg://resolve\?domain=(?P<tg>[A-Za-z0-9_]{1,40})"
    r"|tg://join\?invite=(?P<inv>[A-Za-z0-9_\-]{1,64})"
    r"|whatsapp://send\?phone=(?P<wa>\+?\d{6,17})",
    re.IGNORECASE,
)
# The look-behind sits after the "@" (checking the character before it): opening on a literal,
# the pattern is searched for in C (~3x faster on corpus texts than trying the look-behind at
# every character); tests/indicators/test_handle.py compares it with the plain spelling.
_AT = re.compile(r"@(?<![A-Za-z0-9._%+@\-]@)(?P<name>[A-Za-z0-9_.]{1,40})")
_NEAR = 30
_MAIL_PROVIDERS = frozenset({"gmail", "yahoo", "hotmail", "outlook", "icloud", "proton", "naver"})
"""A bare "@gmail" is a broken e-mail address, not a Telegram account."""
_CONNECTOR = re.compile(r"[\s:：(（\[\-–—=]*")
"""What may stand between a platform word and the `@name` it introduces."""

Found = tuple[int, int, str, str, bool]


class _Taken:
    """Spans already used, kept sorted and disjoint so each overlap test is a bisect (a linear
    scan per candidate would make hostile input like "LINE ID: " * 10**5 quadratic)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._spans: list[tuple[int, int]] = []
        for s, e in sorted(spans):
            if not self.overlaps(s, e):
                self._spans.append((s, e))

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self._spans, (start, start))
        if i < len(self._spans) and self._spans[i][0] < end:
            return True
        return i > 0 and self._spans[i - 1][1] > start

    def add(self, start: int, end: int) -> None:
        insort(self._spans, (start, end))


def _region(ctx: Context) -> str | None:
    return ctx.region or LANGUAGE_REGION.get(ctx.nt.language)


def _links(ctx: Context) -> Iterator[Found]:
    for hit in scan(ctx.text):
        if hit.kind == "url" and hit.valid:
            got = handle_from_link(hit.host, hit.path, ctx.region)
            if got is not None:
                yield hit.start, hit.end, got.platform, got.normalized, got.valid
    if "://" not in ctx.text:
        return
    for m in _APP_LINK.finditer(ctx.text):
        if m.group("tg"):
            tg = telegram_name(m.group("tg"))
            yield m.start(), m.end(), "telegram", tg.normalized, tg.valid
        elif m.group("inv"):
            yield m.start(), m.end(), "telegram", f"t.me/+{m.group('inv')}", True
        else:
            norm, valid = phone_id(m.group("wa"), ctx.region)
            yield m.start(), m.end(), "whatsapp", norm, valid


def _bare_at(ctx: Context, taken: _Taken, keywords: list[tuple[int, int, str]]) -> Iterator[Found]:
    text = ctx.text
    kw_ends = [e for _, e, _ in keywords]
    for m in _AT.finditer(text):
        s, e = m.span()
        if taken.overlaps(s, e):
            continue
        name = m.group("name")
        platform = "telegram"
        line_start = text.rfind("\n", 0, s) + 1
        window = max(line_start, s - _NEAR)
        i = bisect_right(kw_ends, s) - 1
        near = keywords[i] if i >= 0 and kw_ends[i] >= window else None
        if near and not _CONNECTOR.fullmatch(text, near[1], s):
            near = None
        if near and near[2] != "telegram":
            platform = near[2]
            region = ctx.region or (lambda: _region(ctx))
            got = read_value(platform, "@" + name.rstrip("."), region, marked=True)
            if got is not None:
                end = s + 1 + len(name.rstrip("."))
                yield s, end, platform, got[0], got[1]
            continue
        head = re.match(r"[A-Za-z0-9_]+", name)
        if head is None or (e - s - 1 > len(head.group()) and name[len(head.group())] == "."):
            continue  # "@binance.com" and the like
        tg = telegram_name(head.group())
        if tg.valid and tg.normalized not in _MAIL_PROVIDERS:
            yield s, s + 1 + len(head.group()), "telegram", tg.normalized, True


def extract_handles(ctx: Context) -> Iterator[Indicator]:
    """Every messaging/social account named in the text (see the module docstring)."""
    text = ctx.text
    if ctx.anchors is None:
        keywords = find_keywords(text)
    else:
        keywords = scan_keywords(text) if ctx.anchors & anchors.PLATFORM else []
    links = any(h.kind == "url" for h in scan(text))
    if not (keywords or links or "@" in text or "://" in text):
        return
    found: list[Found] = list(_links(ctx))
    spans = [(s, e) for s, e, *_ in found]
    taken = _Taken(spans + [(h.start, h.end) for h in scan(text) if h.kind == "email"])
    region = ctx.region or (lambda: _region(ctx))
    for k in handles_after(text, keywords, region):
        if not taken.overlaps(k.start, k.end):
            found.append((k.start, k.end, k.platform, k.normalized, k.valid))
            taken.add(k.start, k.end)
    if "@" in text:
        found.extend(_bare_at(ctx, taken, keywords))
    for s, e, platform, normalized, valid in sorted(found):
        yield ctx.indicator("handle", s, e, normalized, valid, platform=platform)

"""Stop lists: indicator keys that link nothing, with the reason an analyst will read.

Why stop lists on top of learned rarity: a big brand's domain or a national hotline may be rare
in a small data set (a hundred reports) and still say nothing about who wrote them. Each list is
reused from the module that owns it, so there is one list of shorteners, of brands, of popular
hosts and of hotlines in lurewatch; only the exchange addresses are kept here
(`data/stoplists.yaml`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import phonenumbers
import yaml

from lurewatch import hosts
from lurewatch.linking.config import THRESHOLD_MILLI

STOPLISTS_FILE = Path(__file__).parent / "data" / "stoplists.yaml"
SHORT_LINK_CAP = THRESHOLD_MILLI // 2


@dataclass(frozen=True, slots=True)
class StopLists:
    shorteners: frozenset[str]
    popular: frozenset[str]
    brands: frozenset[str]
    hotlines: frozenset[str]
    exchanges: frozenset[str]
    never_types: frozenset[str]

    def reason(self, key: str) -> str | None:
        """Why `key` (`"<type>:<normalized>"`) must not link, or None."""
        kind, _, value = key.partition(":")
        if kind in self.never_types:
            return f"{kind} is not an identifier"
        if kind == "phone" and value in self.hotlines:
            return "hotline number"
        if kind == "crypto_wallet" and value.lower() in self.exchanges:
            return "public exchange address"
        if kind in ("url", "domain"):
            host, path = _host_path(value) if kind == "url" else (value.lower(), "")
            if path not in ("", "/"):
                return None  # a page or a short link is specific; rarity decides
            return self._host_reason(host)
        if kind == "email":
            return None
        return None

    def cap(self, key: str) -> int:
        """Most weight (thousandths) `key` may carry whatever its rarity.

        A short link hides its target and anyone can paste the same one (a news story, a
        government advisory), so offline it counts at most half: it links only together with
        a second piece of evidence."""
        kind, _, value = key.partition(":")
        if kind == "url":
            host, path = _host_path(value)
            if path not in ("", "/") and self._host_reason(host) == "URL shortener":
                return SHORT_LINK_CAP
        return THRESHOLD_MILLI

    def _host_reason(self, host: str) -> str | None:
        if host.startswith("www."):
            host = host[4:]
        labels = host.split(".")
        parents = {".".join(labels[i:]) for i in range(len(labels) - 1)}
        if parents & self.shorteners:
            return "URL shortener"
        if parents & self.brands:
            return "big brand's own domain"
        if host in self.popular:
            return "popular host"
        return None


def _host_path(url: str) -> tuple[str, str]:
    rest = url.split("://", 1)[1] if "://" in url[:12] else url
    cut = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0), default=-1)
    host, path = (rest, "") if cut < 0 else (rest[:cut], rest[cut:])
    host = host.rpartition("@")[2].partition(":")[0].lower()
    if not host.isascii():
        host = hosts.to_ascii(host) or host
    return host, path


def _popular_hosts() -> frozenset[str]:
    """The popular-hosts list(s) the domains module allows (`*popular*` in the lists dir)."""
    from lurewatch.domains.listfiles import ListFormatError, read_list
    from lurewatch.domains.lists import default_lists_dir

    directory = default_lists_dir()
    out: set[str] = set()
    if directory is None or not directory.is_dir():
        return frozenset()
    for path in sorted(directory.glob("*popular*")):
        try:
            for entry in read_list(path):
                host = entry.entry.lower().strip().rstrip(".")
                out.add(host[4:] if host.startswith("www.") else host)
        except ListFormatError:
            continue
    return frozenset(out)


def _hotline_keys() -> frozenset[str]:
    from lurewatch.advice.hotlines import INTERNATIONAL, load_hotlines

    out: set[str] = set()
    for country, entries in load_hotlines().items():
        for entry in entries:
            if not entry.number:
                continue
            digits = "".join(ch for ch in entry.number if ch.isdigit() or ch == "+")
            out.add(digits)
            if country == INTERNATIONAL:
                continue
            try:
                num = phonenumbers.parse(digits, country)
            except phonenumbers.NumberParseException:
                continue
            out.add(phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164))
    return frozenset(out)


@lru_cache(maxsize=1)
def default_stoplists() -> StopLists:
    """The shipped and reused stop lists (loaded once)."""
    from lurewatch.domains.catalogue import default_catalogue
    from lurewatch.indicators.web_policy import shortener_hosts

    raw = yaml.safe_load(STOPLISTS_FILE.read_text(encoding="utf-8")) or {}
    cat = default_catalogue()
    return StopLists(
        shorteners=frozenset(shortener_hosts()) | cat.shorteners,
        popular=_popular_hosts(),
        brands=frozenset(cat.official),
        hotlines=_hotline_keys(),
        exchanges=frozenset(str(e["address"]).lower() for e in raw.get("exchange_addresses", [])),
        never_types=frozenset(raw.get("never_link_types", [])),
    )

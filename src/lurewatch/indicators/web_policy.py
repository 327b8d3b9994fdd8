"""When a host written without a scheme is really a domain, and which hosts are shorteners.

A scheme (`https://`), `www.`, an `@` or a path (`/...`) is strong evidence that a dotted word
is a host. A bare `word.word` is not: sentences glued without a space ("done.Thanks"),
titles ("Dr.Kim" — `.kim` is a real TLD), file names ("photo.zip", "main.py"), units
("2.5kg" — `.kg` is Kyrgyzstan) and short English words that are also TLDs ("look.at",
"this.is") would all pass a plain Public-Suffix check. The choices, in order:

1. The suffix must be on the Public Suffix List and the second-level label must hold a letter
   (rules out "2.5kg", "10.am", "1.5km").
2. A Title-case TLD after a word ("done.Thanks", "Dr.Kim", "Mr.Smith") is a sentence or a
   name, not a domain; all-lower or all-upper hosts pass ("KBANK.COM").
3. TLDs that are common file extensions (zip, mov, py, sh, md, pl, rs, ps, ml, pm, so, run)
   are never accepted bare: a file name is far more likely than a domain. With a scheme, `www.`
   or a path they are still found as URLs.
4. TLDs that are short common words (in, is, at, it, to, no, so, be, am, as, do, us, me, co,
   im, go) need more evidence when bare: a digit or hyphen in the name ("kbank-th.co"), a
   subdomain ("pay.scam.me"), or a known shortener. With a path they pass ("t.me/x").
5. Other generic TLDs not on the everyday list below (e.g. `.love`, `.now`, `.kim`) need a
   digit/hyphen, a subdomain, or a name of six or more characters ("ok.love" is dropped,
   "coinbasepro.love" is kept).
6. An honorific as the name ("mr.kim", "dr.lee") is dropped.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from lurewatch.hosts import public_suffix, registrable_domain

FILE_EXTENSION_TLDS = frozenset(
    ["zip", "mov", "py", "sh", "md", "pl", "rs", "ps", "ml", "pm", "so", "run"]
)
WORDISH_TLDS = frozenset(
    ["in", "is", "at", "it", "to", "no", "so", "be", "am", "as", "do", "us", "me", "co", "im", "go"]
)
EVERYDAY_TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "info",
        "biz",
        "xyz",
        "top",
        "vip",
        "cc",
        "tv",
        "asia",
        "io",
        "app",
        "shop",
        "online",
        "site",
        "store",
        "club",
        "live",
        "link",
        "click",
        "icu",
        "buzz",
        "cloud",
        "pro",
        "work",
        "life",
        "fun",
        "website",
        "space",
        "tech",
        "today",
        "world",
        "win",
        "bet",
        "games",
        "mobi",
        "name",
        "cyou",
        "sbs",
        "lat",
        "fyi",
        "ltd",
    ]
)
HONORIFICS = frozenset(["mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "mt", "mx", "sir"])


@lru_cache(maxsize=1)
def shortener_hosts() -> frozenset[str]:
    """Shortener hosts shipped in `data/shorteners.txt` (comments and blanks ignored)."""
    raw = resources.files("lurewatch.indicators").joinpath("data/shorteners.txt")
    lines = raw.read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip().lower() for ln in lines if ln.strip() and not ln.startswith("#"))


def is_shortener(ascii_host: str) -> bool:
    """True when `ascii_host` or one of its parent domains is a listed shortener."""
    hosts = shortener_hosts()
    labels = ascii_host.split(".")
    return any(".".join(labels[i:]) in hosts for i in range(len(labels) - 1))


HOST_CACHE = 1 << 14
"""Entries of each per-host cache here and in `web_scan` (a few hundred bytes each, so a few
MB at most): 4,096 held a third of the distinct written hosts of 40k corpus messages, and
every miss pays IDNA and Public Suffix List work (tens of µs)."""


@lru_cache(maxsize=HOST_CACHE)
def suffix_of(ascii_host: str) -> str | None:
    """Cached public suffix (the PSL lookup costs several microseconds)."""
    return public_suffix(ascii_host)


@lru_cache(maxsize=HOST_CACHE)
def registrable_of(ascii_host: str) -> str | None:
    """Cached registrable domain."""
    return registrable_domain(ascii_host)


@lru_cache(maxsize=HOST_CACHE)
def plausible_bare_host(written: str, ascii_host: str, *, has_path: bool) -> bool:
    """Whether a host written with no scheme and no `www.` should be reported.

    Cached: a pure function of its arguments, asked again for every message that repeats a
    campaign's host (it costs a few µs of suffix and shortener look-ups).

    `written` is the host as it appears in the text (case kept, for the Title-case rule);
    `ascii_host` its lower-case punycode form; `has_path` whether a path/port follows.
    """
    suffix = suffix_of(ascii_host)
    reg = registrable_of(ascii_host)
    if suffix is None or reg is None:
        return False
    name = reg[: -len(suffix) - 1]
    if not any(c.isalpha() for c in name):
        return False
    tld_written = written.rsplit(".", 1)[-1]
    if tld_written[:1].isupper() and not tld_written.isupper() and not written.isupper():
        return False
    if is_shortener(ascii_host):
        return True
    if name in HONORIFICS:
        return False
    tld = ascii_host.rsplit(".", 1)[-1]
    if has_path:
        return True
    multi_label_suffix = "." in suffix
    subdomain = ascii_host.count(".") > suffix.count(".") + 1
    marked = any(c.isdigit() or c == "-" for c in name)
    if multi_label_suffix:
        return True
    if tld in FILE_EXTENSION_TLDS:
        return False
    if tld in WORDISH_TLDS:
        return marked or subdomain
    if tld in EVERYDAY_TLDS or len(tld) == 2 or tld.startswith("xn--"):
        return True
    return marked or subdomain or len(name) >= 6

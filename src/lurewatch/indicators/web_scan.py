"""One pass over the normalized text finding URLs, bare domains and e-mail addresses.

Why our own scanner rather than `iocextract`, `ioc-finder` or `urlextract` (measured on our
fixtures while writing this): none of them reports offsets we can map back to the original,
none ends a link at the first Thai/Chinese/Khmer character glued to it ("ที่bit.lyรับเงิน"),
`ioc-finder` (pyparsing) costs milliseconds per message, and `urlextract` needs a TLD list it
tries to refresh from the network. Parsing and validation are delegated to libraries:
`idna` and the Public Suffix List through `lurewatch.hosts`, `ipaddress` for IP hosts.

Decisions, all applied here so the three families agree on spans:
- A link ends at the first character that cannot be in it. Paths are ASCII only (RFC 3986
  characters plus `%`): raw non-ASCII after a host or path ends the link, because in scam
  texts it is almost always the next word glued on, not part of the path. Percent-encoded
  Unicode paths are kept. Hosts may be Unicode (IDN) after `scheme://`, `www.` or `@`; a host
  written with no such prefix must start with a Latin letter or digit and ends at the first
  character outside Latin letters, digits, `-` and `.`.
- When a Unicode host's last label runs into glued text ("ตัวอย่าง.ไทยสมัคร"), the label is
  cut where the script changes if that yields a known suffix.
- The e-mail alternative is tried first at each position, so "job.hr@gmail.com" is one
  e-mail, not the domain "job.hr" plus an e-mail; a link that starts earlier (with a scheme)
  keeps an e-mail inside its query string.

Linear time: every candidate starts only where the previous character cannot continue it
(look-behinds), and every repetition is over a class that excludes the following delimiter.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache

from lurewatch.hosts import to_ascii, to_unicode
from lurewatch.indicators.web_policy import (
    HOST_CACHE,
    is_shortener,
    plausible_bare_host,
    registrable_of,
    suffix_of,
)

LATIN = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_PATH_CHARS = r"A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%"
_NO_START = LATIN + "._@%+-"
# A host character after `scheme://`, `www.` or `@`: ASCII letters, digits and `-`, or any
# non-ASCII character except spaces, punctuation, symbols and emoji. Unicode `\w` would miss
# the combining vowel signs of Thai, Khmer, Lao and Burmese, so the class is built by exclusion.
_HC = (
    r"[^\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\s\u00a0-\u00bf\u2000-\u2bff"
    r"\u3000-\u303f\ufe30-\ufe4f\uff00-\uff0f\U0001f000-\U0001faff]"
)

_SCAN = re.compile(
    rf"""
    (?P<email>(?<![{_NO_START}/])[A-Za-z0-9][A-Za-z0-9._%+-]{{0,63}}@(?P<ehost>{_HC}+(?:\.{_HC}+)+))
  | (?:
        (?P<scheme>(?<![A-Za-z])(?i:https?|ftp)://)(?P<userinfo>[^\s/?#@]{{1,128}}@)?
      | (?P<www>(?<![{_NO_START}])(?i:www)\d{{0,3}}\.)
      | (?<![{_NO_START}])(?=[{LATIN}])
    )
    (?P<host>\[[0-9A-Fa-f:.]{{2,45}}\]|{_HC}+(?:\.{_HC}+)+)
    (?::(?P<port>\d{{1,5}})(?!\d))?
    (?P<path>[/?\#][{_PATH_CHARS}]*)?
    """,
    re.VERBOSE,  # not IGNORECASE: it would fold the Kelvin sign in `_HC` onto "k"
)
_DOT = re.compile(r"\.[\w-]")


ANCHOR_GATE = r"@|://|\.[^\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]"
"""`has_candidates` as one pattern for the `anchors` pass, a superset of it: after the dot any
ASCII word character or "-", or any non-ASCII character (Hyperscan's `\\w` is ASCII-only)."""


def has_candidates(text: str) -> bool:
    """Cheap gate: without `@`, `://` or a dot followed by a word character there is nothing
    for this module (a literal-first regex and `in` tests cost well under a microsecond)."""
    return "@" in text or "://" in text or _DOT.search(text) is not None


_BARE_HOST = re.compile(rf"[{LATIN}-]+(?:\.[{LATIN}-]+)+")
_IPV4_HOST = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_DEFAULT_PORT = {"http://": "80", "https://": "443", "ftp://": "21"}
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_TRAILING = ".,;:!?'\"*"
_MAX_IDN_TLD = 12


@dataclass(frozen=True)
class WebHit:
    """A URL, bare domain or e-mail found in normalized text (offsets are normalized)."""

    kind: str  # "url" | "domain" | "email"
    start: int
    end: int
    normalized: str
    valid: bool
    host: str
    unicode_host: str | None
    registrable_domain: str | None
    shortener: bool = False
    path: str = ""
    """Path, query and fragment as written (URLs only), for handle classification."""


def strip_tail(path: str) -> str:
    """Drop trailing sentence punctuation and closing brackets that have no opener.

    Bracket counts are taken once and updated as characters are dropped, so a path of
    100 000 ")" is stripped in linear time."""
    opens = {o: path.count(o) for o in _CLOSERS.values()}
    closes = {c: path.count(c) for c in _CLOSERS}
    end = len(path)
    while end:
        c = path[end - 1]
        if c in _TRAILING:
            end -= 1
        elif c in _CLOSERS and opens[_CLOSERS[c]] < closes[c]:
            closes[c] -= 1
            end -= 1
        else:
            break
    return path[:end]


def _script_prefix(label: str) -> str:
    """The leading run of `label` that stays on one side of ASCII / non-ASCII."""
    first = label[:1].isascii()
    for i, c in enumerate(label):
        if c.isascii() != first:
            return label[:i]
    return label


@lru_cache(maxsize=HOST_CACHE)
def fit_host(raw: str, *, bare: bool) -> tuple[str, str | None]:
    """The part of `raw` that is the host as written, and its ASCII form (None if invalid).

    Cached (bounded): a pure function of the written host whose IDNA and Public Suffix List
    work costs tens of µs, and a campaign repeats the same few hosts across many messages."""
    if bare:
        m = _BARE_HOST.match(raw)
        host = m.group() if m else ""
    else:
        host = raw.split("_", 1)[0]
    if "." not in host:
        return "", None
    if _IPV4_HOST.fullmatch(host):
        try:
            return host, str(ipaddress.IPv4Address(host))
        except ValueError:
            return host, None
    ascii_host = to_ascii(host)
    if ascii_host and suffix_of(ascii_host):
        return host, ascii_host
    head, _, last = host.rpartition(".")
    cut = _script_prefix(last)
    if cut != last:
        shorter = f"{head}.{cut}"
        ascii_short = to_ascii(shorter)
        if ascii_short and suffix_of(ascii_short):
            return shorter, ascii_short
    if not cut.isascii():
        # Glued text in the same script ("例子.中国登录"): the longest prefix that is a TLD.
        for k in range(min(len(cut) - 1, _MAX_IDN_TLD), 0, -1):
            shorter = f"{head}.{cut[:k]}"
            ascii_short = to_ascii(shorter)
            if ascii_short and suffix_of(ascii_short):
                return shorter, ascii_short
    return host, ascii_host


def _is_ip(ascii_host: str) -> bool:
    return bool(_IPV4_HOST.fullmatch(ascii_host)) or ascii_host.startswith("[")


@lru_cache(maxsize=HOST_CACHE)
def _host_fields(ascii_host: str | None, written: str) -> tuple[str, str | None, str | None]:
    if ascii_host is None:
        return written.lower(), None, None
    if _is_ip(ascii_host):
        return ascii_host, None, None
    return ascii_host, to_unicode(ascii_host), registrable_of(ascii_host)


def _email(m: re.Match[str]) -> tuple[WebHit | None, int]:
    local = m.group("email").split("@", 1)[0]
    written, ascii_host = fit_host(m.group("ehost"), bare=False)
    if not written:
        return None, m.end()
    end = m.start("ehost") + len(written)
    host, uni, reg = _host_fields(ascii_host, written)
    valid = (
        ascii_host is not None
        and suffix_of(ascii_host) is not None
        and not local.startswith(".")
        and not local.endswith(".")
        and ".." not in local
    )
    hit = WebHit("email", m.start(), end, f"{local.lower()}@{host}", valid, host, uni, reg)
    return hit, end


def _ipv6_literal(raw: str) -> str | None:
    try:
        return f"[{ipaddress.IPv6Address(raw[1:-1]).compressed}]"
    except ValueError:
        return None


def _hostlike(text: str, m: re.Match[str]) -> tuple[WebHit | None, int]:
    scheme, www = m.group("scheme"), m.group("www")
    raw = m.group("host")
    explicit = scheme is not None or www is not None
    if raw.startswith("["):
        if scheme is None:
            return None, m.end("host")
        written, ascii_host = raw, _ipv6_literal(raw)
    else:
        written, ascii_host = fit_host(raw, bare=not explicit)
    if not written:
        return None, m.end("host")
    port, path = m.group("port"), m.group("path") or ""
    host_end = m.start("host") + len(written)
    if len(written) < len(raw):
        port, path, end = None, "", host_end
    else:
        path = strip_tail(path)
        end = (m.end("port") if port else host_end) + len(path)
    if www:
        written = www + written
        ascii_host = to_ascii(written) if ascii_host else None
    start = m.start()
    if not explicit:
        if end < len(text) and text[end] == "@":
            return None, end + 1
        if ascii_host is None:
            return None, end
        has_path = bool(path or port)
        if _is_ip(ascii_host):
            if not has_path:
                return None, end
        elif not plausible_bare_host(written, ascii_host, has_path=has_path):
            return None, end
        if not has_path:
            host, uni, reg = _host_fields(ascii_host, written)
            return WebHit("domain", start, end, host, True, host, uni, reg), end
    host, uni, reg = _host_fields(ascii_host, written)
    scheme_n = (scheme or "http://").lower()
    if port and _DEFAULT_PORT.get(scheme_n) == port.lstrip("0"):
        port = None
    userinfo = m.group("userinfo") or ""
    normalized = f"{scheme_n}{userinfo}{host}{':' + port if port else ''}{path}"
    valid = ascii_host is not None and (_is_ip(ascii_host) or suffix_of(ascii_host) is not None)
    short = ascii_host is not None and is_shortener(ascii_host)
    return WebHit("url", start, end, normalized, valid, host, uni, reg, short, path), end


# Every hit holds an "@", a "://" or a dot followed by a host character (the `www.` dot, the
# dots between labels), so a dot that ends a sentence is no anchor: the token around it is
# only scanned when another anchor in it says so.
_ANCHOR = re.compile(rf"@|://|\.{_HC}")
_SPACE = re.compile(r"[ \n]")


@lru_cache(maxsize=16)
def scan(text: str) -> tuple[WebHit, ...]:
    """All URL, domain and e-mail hits in `text`, in text order (cached: four extractors and
    the handle family read the same result for one message).

    Every hit holds a dot, an `@` or `://`, and none holds a space (the text is normalized, so
    spaces are plain " " and "\n"). So the full pattern only runs inside the space-delimited
    tokens around those anchors; running it over whole messages cost ~100 us each.
    """
    if not has_candidates(text):
        return ()
    hits: list[WebHit] = []
    done = 0  # everything before this offset has been scanned
    for anchor in _ANCHOR.finditer(text):
        a = anchor.start()
        if a < done:
            continue
        tok_start = max(text.rfind(" ", done, a), text.rfind("\n", done, a)) + 1
        space = _SPACE.search(text, a)
        tok_end = space.start() if space else len(text)
        pos = max(tok_start, done)
        while pos < tok_end:
            m = _SCAN.search(text, pos, tok_end)
            if m is None:
                break
            hit, end = _email(m) if m.group("email") is not None else _hostlike(text, m)
            if hit is not None:
                hits.append(hit)
            pos = max(end, m.start() + 1)
        done = tok_end
    return tuple(hits)

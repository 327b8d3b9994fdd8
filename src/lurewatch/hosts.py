"""Host names: IDNA conversion and registrable domains from the Public Suffix List (offline).

One place for this logic because extraction, domain risk, linking and STIX export must agree
on what "the same domain" is. The PSL snapshot ships inside the `publicsuffixlist` package and
is never fetched at run time.
"""

from __future__ import annotations

import re
from functools import lru_cache

import idna
from publicsuffixlist import PublicSuffixList

MAX_HOST_CHARS = 253
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


def to_ascii(host: str) -> str | None:
    """Lower-case ASCII (punycode) form of `host`, or None when it is not a valid host name."""
    host = host.strip().rstrip(".").lower()
    if not host or len(host) > MAX_HOST_CHARS * 4:
        return None
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):
            return None
    if len(host) > MAX_HOST_CHARS:
        return None
    labels = host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(lab) for lab in labels):
        return None
    return host


def to_unicode(ascii_host: str) -> str:
    """Unicode form of a punycode host (returned unchanged when it has no xn-- label)."""
    if "xn--" not in ascii_host:
        return ascii_host
    try:
        return str(idna.decode(ascii_host))
    except (idna.IDNAError, UnicodeError, ValueError):
        return ascii_host


def public_suffix(ascii_host: str) -> str | None:
    """The public suffix (e.g. `co.th`) of an ASCII host, or None if the TLD is unknown."""
    suffix = _psl().publicsuffix(ascii_host, accept_unknown=False)
    return str(suffix) if suffix else None


def registrable_domain(ascii_host: str) -> str | None:
    """The registrable domain (eTLD+1) of an ASCII host, or None for a bare suffix/unknown TLD."""
    dom = _psl().privatesuffix(ascii_host, accept_unknown=False)
    return str(dom) if dom else None

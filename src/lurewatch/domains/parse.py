"""Turn whatever a person pastes (URL, bare domain, defanged link, garbage) into a host.

Hand-written splitting rather than `urllib.parse`: urlsplit raises on odd ports and brackets,
accepts unbounded input, and does not report the tricks we care about (credentials that
look like a domain, non-standard ports). Every step here is a bounded `str` operation, so a
hostile 10k-character "hostname" costs a few microseconds and yields a reason, not a crash.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from lurewatch import hosts
from lurewatch.domains.models import DomainReason
from lurewatch.text.deobfuscate import refang
from lurewatch.text.offsets import OffsetMap

MAX_INPUT_CHARS = 4096
"""Longer input is rejected outright: no real URL a person is sent needs more."""

_DEFANG_HINTS = ("[", "(", "{", "hxxp", "HXXP", " dot ")
_AUTHORITY_END = "/?#\\"


@dataclass(frozen=True, slots=True)
class ParsedDomain:
    """The parts of an input that domain checks look at (all ASCII, lower-case)."""

    raw: str
    host: str | None = None
    """Punycode host, or None when the input has no valid host name."""
    unicode_host: str | None = None
    registrable: str | None = None
    suffix: str | None = None
    label: str = ""
    """Registrable domain without its public suffix: `binance` in `www.binance.com.ph`."""
    subdomain: str = ""
    """Labels in front of the registrable domain: `www` above."""
    path: str = ""
    userinfo: str = ""
    ip: str | None = None
    problems: list[DomainReason] = field(default_factory=list)


def _reason(rid: str, title: str, weight: float, detail: str) -> DomainReason:
    return DomainReason(id=rid, title=title, weight=weight, detail=detail)


def _split_url(s: str) -> tuple[str, str, str]:
    """(userinfo, hostport, path) of a URL or bare host; scheme dropped."""
    head = s[:16]
    i = head.find("://")
    if i >= 0:
        s = s[i + 3 :]
    elif s.startswith("//"):
        s = s[2:]
    cut = len(s)
    for ch in _AUTHORITY_END:
        j = s.find(ch)
        if 0 <= j < cut:
            cut = j
    authority, path = s[:cut], s[cut:]
    userinfo = ""
    if "@" in authority:
        userinfo, authority = authority.rsplit("@", 1)
    return userinfo, authority, path


def _split_port(hostport: str) -> tuple[str, str]:
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0:
            return hostport, ""
        rest = hostport[end + 1 :]
        return hostport[1:end], rest[1:] if rest.startswith(":") else ""
    if hostport.count(":") == 1:
        host, port = hostport.split(":")
        return host, port
    return hostport, ""


def _as_ip(host: str) -> str | None:
    """Canonical IP text for IPv4/IPv6 literals, including the integer form `3232235777`."""
    if not host:
        return None
    if host.isdigit() and len(host) <= 10:
        value = int(host)
        return str(ipaddress.IPv4Address(value)) if value < 2**32 else None
    if not (host[0].isdigit() or ":" in host):
        return None
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


def parse(raw: object) -> ParsedDomain:
    """Parse `raw` (a URL or domain); never raises for bad input, it reports `problems`."""
    if not isinstance(raw, str):
        raw = "" if raw is None else str(raw)[:MAX_INPUT_CHARS]
        return ParsedDomain(
            raw=raw,
            problems=[_reason("domain.invalid", "Not text", 0.0, "the input was not a string")],
        )
    if len(raw) > MAX_INPUT_CHARS:
        return ParsedDomain(
            raw=raw[:200] + "…",
            problems=[
                _reason(
                    "domain.too_long",
                    "Input too long",
                    0.0,
                    f"{len(raw):,} characters; URLs over {MAX_INPUT_CHARS:,} are not checked",
                )
            ],
        )
    s = raw.strip()
    if any(h in s for h in _DEFANG_HINTS):
        s = OffsetMap(len(s)).apply(s, refang(s))
    s = "".join(s.split())  # links are often broken across lines or padded with spaces
    problems: list[DomainReason] = []
    userinfo, hostport, path = _split_url(s)
    host, port = _split_port(hostport)
    host = host.rstrip(".")
    if userinfo:
        problems.append(
            _reason(
                "url.credentials",
                "Text before '@' in the link",
                0.5,
                f"the browser goes to {host or '?'!r}, not to {userinfo[:60]!r}; "
                "a known trick to make a link look like another site",
            )
        )
    if port and port not in ("80", "443"):
        problems.append(
            _reason(
                "url.port", "Unusual port", 0.1, f"port {port[:10]!r}; real sites rarely use one"
            )
        )
    ip = _as_ip(host)
    if ip is not None:
        problems.append(
            _reason(
                "domain.ip",
                "Link to a bare IP address",
                0.55,
                f"{ip}: real banks, exchanges and employers use names, not numbers",
            )
        )
        return ParsedDomain(raw=raw, path=path, userinfo=userinfo, ip=ip, problems=problems)
    if len(host) > hosts.MAX_HOST_CHARS * 4:
        problems.append(
            _reason(
                "domain.too_long",
                "Host name too long",
                0.0,
                f"{len(host):,} characters; a DNS name has at most {hosts.MAX_HOST_CHARS}",
            )
        )
        return ParsedDomain(raw=raw, path=path, userinfo=userinfo, problems=problems)
    ascii_host = hosts.to_ascii(host)
    if ascii_host is None:
        problems.append(
            _reason(
                "domain.invalid",
                "Not a valid domain name",
                0.0,
                f"{host[:80]!r} cannot be a host name" if host else "no host name found",
            )
        )
        return ParsedDomain(raw=raw, path=path, userinfo=userinfo, problems=problems)
    if ascii_host.startswith("www."):
        ascii_host = ascii_host[4:]
    registrable = hosts.registrable_domain(ascii_host)
    # eTLD+1 is one label plus the public suffix: no second PSL walk needed.
    suffix = registrable.split(".", 1)[1] if registrable and "." in registrable else None
    if registrable is None or suffix is None:
        problems.append(
            _reason(
                "domain.unknown_tld",
                "Unknown top-level domain",
                0.0,
                f"{ascii_host[:80]!r} does not end in a public suffix",
            )
        )
        return ParsedDomain(
            raw=raw, host=ascii_host, path=path, userinfo=userinfo, problems=problems
        )
    label = registrable[: -len(suffix) - 1]
    subdomain = ascii_host[: -len(registrable) - 1] if ascii_host != registrable else ""
    return ParsedDomain(
        raw=raw,
        host=ascii_host,
        unicode_host=hosts.to_unicode(ascii_host),
        registrable=registrable,
        suffix=suffix,
        label=label,
        subdomain=subdomain,
        path=path,
        userinfo=userinfo,
        problems=problems,
    )

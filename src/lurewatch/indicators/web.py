"""URLs, bare domains, e-mail addresses and IP addresses.

The scanning and the decisions (where a link ends, when a dotted word is a domain) live in
`web_scan`, `web_policy` and `web_ip`; this module turns their hits into `Indicator`s. URLs,
domains and e-mails come from ONE cached scan of the text, so a host inside a URL or an
e-mail is never also reported as a bare domain.
"""

from __future__ import annotations

from collections.abc import Iterator

from lurewatch.indicators.base import Context
from lurewatch.indicators.web_ip import find_ips
from lurewatch.indicators.web_scan import WebHit, scan
from lurewatch.models import Indicator


def _emit(ctx: Context, kind: str) -> Iterator[Indicator]:
    for hit in scan(ctx.text):
        if hit.kind == kind:
            yield _indicator(ctx, hit)


def _indicator(ctx: Context, hit: WebHit) -> Indicator:
    fields: dict[str, object] = {
        "host": hit.host,
        "registrable_domain": hit.registrable_domain,
        "unicode_host": hit.unicode_host,
    }
    if hit.kind == "url":
        fields["shortener"] = hit.shortener
    return ctx.indicator(hit.kind, hit.start, hit.end, hit.normalized, hit.valid, **fields)  # type: ignore[arg-type]


def extract_urls(ctx: Context) -> Iterator[Indicator]:
    """Links with a scheme, `www.`, a bare host plus path, or a shortener host plus code."""
    return _emit(ctx, "url")


def extract_domains(ctx: Context) -> Iterator[Indicator]:
    """Bare host names that are not part of a URL or e-mail (see `web_policy` for the rules)."""
    return _emit(ctx, "domain")


def extract_emails(ctx: Context) -> Iterator[Indicator]:
    """E-mail addresses; `normalized` is lower-case with a punycode domain."""
    return _emit(ctx, "email")


def extract_ips(ctx: Context) -> Iterator[Indicator]:
    """IPv4/IPv6 addresses, including those used as the host of a URL."""
    for start, end, normalized, valid in find_ips(ctx.text):
        yield ctx.indicator("ip", start, end, normalized, valid)

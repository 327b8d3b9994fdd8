"""web extraction (being written)."""

from __future__ import annotations

from collections.abc import Iterator

from lurewatch.indicators.base import Context
from lurewatch.models import Indicator


def extract_urls(ctx: Context) -> Iterator[Indicator]:
    yield from ()


def extract_domains(ctx: Context) -> Iterator[Indicator]:
    yield from ()


def extract_emails(ctx: Context) -> Iterator[Indicator]:
    yield from ()


def extract_ips(ctx: Context) -> Iterator[Indicator]:
    yield from ()

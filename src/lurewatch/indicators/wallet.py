"""wallet extraction (being written)."""

from __future__ import annotations

from collections.abc import Iterator

from lurewatch.indicators.base import Context
from lurewatch.models import Indicator


def extract_wallets(ctx: Context) -> Iterator[Indicator]:
    yield from ()

"""What every extractor shares: the context it receives and how it builds an `Indicator`.

An extractor is a function `(ctx: Context) -> Iterable[Indicator]` that searches
`ctx.text` (the normalized text) and reports offsets into the original through
`ctx.indicator(...)`. Extractors never see the raw text directly, so obfuscation folding is
done once, in `normalize`, and never again per family.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from lurewatch.models import Indicator, IndicatorType
from lurewatch.text import NormalizedText


@dataclass(frozen=True)
class Context:
    """Input to an extractor: the normalized text and the caller's hints."""

    nt: NormalizedText
    region: str | None = None
    """ISO 3166 alpha-2 default region for numbers written without a country code."""
    anchors: int | None = None
    """The `anchors` bits of the text when `extract` computed them: a family is then only
    called when its gate fired, and skips its own. None: each family tests its own gate."""

    @property
    def text(self) -> str:
        return self.nt.text

    def indicator(
        self,
        type: IndicatorType,
        start: int,
        end: int,
        normalized: str,
        valid: bool,
        **fields: Any,
    ) -> Indicator:
        """Build an indicator from a NORMALIZED-text span, reporting original offsets."""
        o_start, o_end = self.nt.span(start, end)
        return Indicator(
            type=type,
            value=self.nt.original[o_start:o_end],
            normalized=normalized,
            start=o_start,
            end=o_end,
            valid=valid,
            obfuscated=self.nt.obfuscated(o_start, o_end),
            **fields,
        )


Extractor = Callable[[Context], Iterable[Indicator]]

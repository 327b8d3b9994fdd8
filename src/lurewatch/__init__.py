"""lurewatch: screen, extract, link and share intelligence on scam-compound lures and scams.

The public Python API is re-exported here so that callers need one import. `screen` and
`check_domain` load signal packs, models and lists, so they are imported on first use rather
than with the package.
"""

from typing import Any

from lurewatch.indicators import extract
from lurewatch.models import Indicator, IndicatorType
from lurewatch.text import NormalizedText, normalize

__all__ = [
    "Indicator",
    "IndicatorType",
    "NormalizedText",
    "check_domain",
    "extract",
    "normalize",
    "screen",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "screen":
        from lurewatch.screening import screen

        return screen
    if name == "check_domain":
        from lurewatch.domains.check import check_domain

        return check_domain
    raise AttributeError(f"module 'lurewatch' has no attribute {name!r}")

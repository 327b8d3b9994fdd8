"""lurewatch: screen, extract, link and share intelligence on scam-compound lures and scams.

The public Python API is re-exported here so that callers need one import.
"""

from lurewatch.indicators import extract
from lurewatch.models import Indicator, IndicatorType
from lurewatch.text import NormalizedText, normalize

__all__ = ["Indicator", "IndicatorType", "NormalizedText", "extract", "normalize"]
__version__ = "0.1.0"

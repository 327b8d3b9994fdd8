"""lurewatch: screen, extract, link and share intelligence on scam-compound lures and scams.

The public Python API is re-exported here so that callers need one import.
"""

from lurewatch.extract import extract
from lurewatch.models import Indicator, IndicatorType
from lurewatch.normalize import NormalizedText, normalize

__all__ = ["Indicator", "IndicatorType", "NormalizedText", "extract", "normalize"]
__version__ = "0.1.0"

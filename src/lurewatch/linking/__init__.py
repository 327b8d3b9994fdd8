"""Linking reports into operations: shared indicators weighted by rarity plus near-duplicate
text templates (MinHash/LSH), on DuckDB (default) or Spark. See docs/linking.md."""

from lurewatch.linking.model import (
    Cluster,
    Edge,
    KeyStat,
    LinkRecord,
    LinkResult,
    PreparedReport,
)

__all__ = ["Cluster", "Edge", "KeyStat", "LinkRecord", "LinkResult", "PreparedReport"]

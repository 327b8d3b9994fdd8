"""Linking reports into operations: shared indicators weighted by rarity plus near-duplicate
text templates (MinHash/LSH), on DuckDB (default) or Spark. See docs/linking.md.

Entry points: `link(records, engine=...)`, `link_files(path, engine=...)`, `prepare(record)`,
`index_keys(prepared)`; `LinkConfig` holds the knobs; `lurewatch.linking.synthetic` generates
report sets with planted operations for tests and the benchmark.
"""

from lurewatch.linking.config import LinkConfig
from lurewatch.linking.engine import link, link_files
from lurewatch.linking.index import index_keys
from lurewatch.linking.model import (
    Cluster,
    Edge,
    KeyStat,
    LinkRecord,
    LinkResult,
    PreparedReport,
)
from lurewatch.linking.prepare import prepare

__all__ = [
    "Cluster",
    "Edge",
    "KeyStat",
    "LinkConfig",
    "LinkRecord",
    "LinkResult",
    "PreparedReport",
    "index_keys",
    "link",
    "link_files",
    "prepare",
]

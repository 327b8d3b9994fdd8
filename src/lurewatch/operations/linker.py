"""The linking calls operations make, in one place: link, prepare, index keys.

Why a module of its own: operations use the engines only through these three calls, so the
store, the CLI and the API agree on the configuration, and a change in `lurewatch.linking`
touches one file here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from lurewatch.linking import LinkConfig, LinkRecord, LinkResult, PreparedReport
from lurewatch.linking import index_keys as _index_keys
from lurewatch.linking import link as _link
from lurewatch.linking.prepare import prepare_batch

Engine = Literal["duckdb", "spark"]
CONFIG = LinkConfig()


def link(records: Sequence[LinkRecord], engine: Engine = "duckdb") -> LinkResult:
    return _link(list(records), engine=engine, config=CONFIG)


def prepare_many(records: Sequence[LinkRecord]) -> list[PreparedReport]:
    """Prepared reports (masked text, MinHash signature) in one batch."""
    if not records:
        return []
    return list(prepare_batch(list(records), CONFIG).reports)


def index_keys(p: PreparedReport) -> list[str]:
    """The keys through which `p` can link to another report (`linking.index_keys`)."""
    return _index_keys(p, CONFIG)

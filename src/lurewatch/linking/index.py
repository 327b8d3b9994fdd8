"""Index keys of a prepared report, for incremental linking (`lurewatch.operations`).

A new report can only link to stored reports that share one of its index keys: an indicator
key that is not on a stop list, or one of its LSH band keys. The operations layer stores these
per report and looks them up for a new one, then verifies the candidates with the same weights
as a full run (`KeyStat` of the last run says which keys the data made too common).
"""

from __future__ import annotations

from lurewatch.linking.config import LinkConfig
from lurewatch.linking.minhash import band_keys
from lurewatch.linking.model import PreparedReport
from lurewatch.linking.stoplists import default_stoplists


def index_keys(prepared: PreparedReport, config: LinkConfig | None = None) -> list[str]:
    """Indicator keys that may link (stop lists applied) followed by the LSH band keys
    (`"lsh:<band>:<digest>"`; none when the text is too short for a signature)."""
    config = config or LinkConfig()
    stop = default_stoplists()
    keys = [k for k in prepared.indicators if stop.reason(k) is None]
    return keys + band_keys(prepared.signature, config)

"""The per-record step: indicator keys, slot-masked text and MinHash signature.

This is the only part of linking that runs Python per record; it works on batches (the
masking runs as one vectorised RE2 query, the signatures as a few numpy passes) and produces
the two columnar tables the SQL stages read: `reports` (one row per report with its signature
bins) and `report_keys` (one row per report and distinct indicator key, with a stop reason).
Both engines call exactly this code (Spark inside `mapInPandas`), so they see identical input.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from operator import itemgetter

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs

from lurewatch.linking.config import LinkConfig
from lurewatch.linking.masking import mask_many
from lurewatch.linking.minhash import Signatures, signatures
from lurewatch.linking.model import LinkRecord, PreparedReport
from lurewatch.linking.stoplists import StopLists, default_stoplists

MAX_KEYS = 500
"""At most this many distinct indicator keys are read from one report (a pasted phone book
is not one recruiter's contact card); the rest are ignored."""
MAX_KEY_CHARS = 512
_KEY = itemgetter(0)


Meta = tuple[str | None, str | None, str | None, float | None, datetime | None]
"""A record's (country, language, category, risk, seen_at), kept only when one is set."""
_NO_META: Meta = (None, None, None, None, None)


def _report(
    report_id: str,
    indicators: tuple[str, ...],
    masked: str,
    sig: Signatures,
    has: bool,
    meta: Meta,
) -> PreparedReport:
    """One `PreparedReport` from a row of the columns (the signature row copied out as an
    `array("q")`, empty without a signature)."""
    return PreparedReport(
        report_id, indicators, masked, array("q", sig.tobytes()) if has else array("q"), *meta
    )


@dataclass(slots=True)
class PreparedBatch:
    """Prepared reports of a batch as columns, plus the key rows the SQL stages need.

    Columns rather than `PreparedReport` objects: a DuckDB run keeps them as a
    `PreparedReports` mapping, which makes a report's object only when it is read (a 1M-report
    run built 1M objects, each with its own 576-byte signature copy, that the benchmark never
    read); `reports` makes them all, for callers that want the list."""

    ids: list[str]
    indicators: list[tuple[str, ...]]
    """Per report: its sorted keys, one string per key for the run (see `prepare_batch`)."""
    masked: list[str]
    meta: dict[int, Meta]
    """By position in the batch, for the records with any of these set."""
    sig: Signatures
    has_sig: np.ndarray
    keys: list[list[tuple[str, str | None, int]]]
    """Per report: (key, stop reason or None, weight cap in thousandths) (`KeyItem`)."""

    @property
    def reports(self) -> list[PreparedReport]:
        return [
            _report(rid, ind, text, row, ok, self.meta.get(i, _NO_META))
            for i, (rid, ind, text, row, ok) in enumerate(
                zip(
                    self.ids,
                    self.indicators,
                    self.masked,
                    self.sig,
                    self.has_sig.tolist(),
                    strict=True,
                )
            )
        ]


class PreparedReports(Mapping[str, PreparedReport]):
    """The prepared reports of a run by report id, kept as the batches' columns; a
    `PreparedReport` is made when it is read (`LinkResult.prepared` of the DuckDB engine).

    Equal to the dict of the same reports; iterates in sorted id order (as that dict did).
    At 1M synthetic reports this holds ~0.7 GB less than the dict of objects (one signature
    matrix instead of 1M arrays and objects) and saves the ~4 s of making them."""

    __slots__ = ("_has", "_ids", "_indicators", "_masked", "_meta", "_sig")

    def __init__(
        self,
        ids: list[str],
        indicators: list[tuple[str, ...]],
        masked: list[str],
        meta: dict[int, Meta],
        sig: Signatures,
        has: np.ndarray,
    ) -> None:
        """`ids` sorted and unique (looked up by bisection: no second index of 1M ids);
        row i of every column belongs to `ids[i]`."""
        self._ids = ids
        self._indicators = indicators
        self._masked = masked
        self._meta = meta
        self._sig = sig
        self._has = has

    def _row(self, report_id: object) -> int:
        i = bisect_left(self._ids, report_id) if isinstance(report_id, str) else len(self._ids)
        if i == len(self._ids) or self._ids[i] != report_id:
            return -1
        return i

    def __getitem__(self, report_id: str) -> PreparedReport:
        i = self._row(report_id)
        if i < 0:
            raise KeyError(report_id)
        return _report(
            self._ids[i],
            self._indicators[i],
            self._masked[i],
            self._sig[i],
            bool(self._has[i]),
            self._meta.get(i, _NO_META),
        )

    def __contains__(self, report_id: object) -> bool:
        return self._row(report_id) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        return f"PreparedReports({len(self._ids):,} reports)"


def _keys_and_spans(
    record: LinkRecord, region: str | None
) -> tuple[list[str], list[tuple[int, int, str]]]:
    if record.indicators is not None:
        keys = {f"{t}:{v}" for t, v in record.indicators if v}
        return sorted(k for k in keys if len(k) <= MAX_KEY_CHARS)[:MAX_KEYS], []
    from lurewatch.indicators import extract

    found = extract(record.text, region=region or record.country)
    keys = {f"{i.type}:{i.normalized}" for i in found if i.normalized}
    spans: list[tuple[int, int, str]] = [(i.start, i.end, str(i.type)) for i in found]
    return sorted(k for k in keys if len(k) <= MAX_KEY_CHARS)[:MAX_KEYS], spans


KeyItem = tuple[str, str | None, int]
"""(key, stop reason or None, weight cap in thousandths)."""


def prepare_batch(
    records: Sequence[LinkRecord],
    config: LinkConfig | None = None,
    stoplists: StopLists | None = None,
    *,
    key_cache: dict[str, KeyItem] | None = None,
) -> PreparedBatch:
    """Prepare many records at once (the fast path both engines use).

    `key_cache` (filled here) keeps each key's stop reason and cap across the batches of one
    run: an operation's keys recur in many batches, and the stop lists cost ~3 us a key (on
    300k synthetic reports 562k look-ups batch by batch, 252k for the run). The prepared
    reports then also share one string per key instead of one per occurrence."""
    config = config or LinkConfig()
    stop = stoplists or default_stoplists()
    all_keys: list[list[str]] = []
    all_spans: list[list[tuple[int, int, str]]] = []
    for rec in records:
        keys, spans = _keys_and_spans(rec, config.region)
        all_keys.append(keys)
        all_spans.append(spans)
    masked = mask_many(
        [r.text for r in records],
        all_spans if any(all_spans) else None,
        limit=config.max_text_chars,
    )
    sig, has = signatures(masked, config)
    seen = {} if key_cache is None else key_cache
    keyed: list[list[KeyItem]] = []
    shared: list[tuple[str, ...]] = []
    for keys in all_keys:
        out = []
        for k in keys:
            item = seen.get(k)
            if item is None:
                item = seen[k] = (k, stop.reason(k), stop.cap(k))
            out.append(item)
        keyed.append(out)
        shared.append(tuple(map(_KEY, out)))
    meta: dict[int, Meta] = {}
    for i, rec in enumerate(records):
        row = (rec.country, rec.language, rec.category, rec.risk, rec.seen_at)
        if row != _NO_META:
            meta[i] = row
    ids = [rec.report_id for rec in records]
    return PreparedBatch(ids, shared, masked, meta, sig, has, keyed)


def prepare(record: LinkRecord, config: LinkConfig | None = None) -> PreparedReport:
    """One record: indicator keys (extracted when the record carries none), slot-masked text,
    MinHash signature (empty when the text is too short to be a template)."""
    return prepare_batch([record], config).reports[0]


def signature_columns(config: LinkConfig) -> list[str]:
    return [f"s{i}" for i in range(config.bins)]


def reports_table(batch: PreparedBatch, rids: Sequence[int], config: LinkConfig) -> pa.Table:
    """`reports(rid, has_sig, s0..s{bins-1})`; bins are NULL without a signature."""
    cols: dict[str, pa.Array] = {
        "rid": pa.array(np.asarray(rids, dtype=np.int64)),
        "has_sig": pa.array(batch.has_sig),
    }
    mask = ~batch.has_sig
    for i, name in enumerate(signature_columns(config)):
        cols[name] = pa.array(batch.sig[:, i], mask=mask, type=pa.int64())
    return pa.table(cols)


def keys_table(batch: PreparedBatch, rids: Sequence[int]) -> pa.Table:
    """`report_keys(rid, ikey, stop, cap)`: one row per report and distinct key."""
    counts = [len(k) for k in batch.keys]
    rid_col = np.repeat(np.asarray(rids, dtype=np.int64), counts)
    flat = list(chain.from_iterable(batch.keys))
    key_col, stop_col, cap_col = (
        (list(c) for c in zip(*flat, strict=True)) if flat else ([], [], [])
    )
    return pa.table(
        {
            "rid": pa.array(rid_col),
            "ikey": pa.array(key_col, pa.string()),
            "stop": pa.array(stop_col, pa.string()),
            "cap": pa.array(cap_col, pa.int64()),
        }
    )

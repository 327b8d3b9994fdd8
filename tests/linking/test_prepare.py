from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from lurewatch.linking import LinkConfig, LinkRecord, index_keys, prepare
from lurewatch.linking.prepare import KeyItem, PreparedReports, prepare_batch
from lurewatch.linking.synthetic import generate


def test_indicators_are_extracted_when_not_given_and_masked_by_their_spans() -> None:
    rec = LinkRecord("r1", "Customer service job, salary 25,000 baht, WhatsApp +66 92 418 7730 now")
    p = prepare(rec, LinkConfig(region="TH"))
    assert "phone:+66924187730" in p.indicators
    assert "{phone}" in p.masked_text and "7730" not in p.masked_text
    assert "{amount}" in p.masked_text
    assert len(p.signature) == 64


def test_given_indicators_are_taken_as_they_are() -> None:
    rec = LinkRecord(
        "r1", "any text long enough to have a signature", (("handle", "x"), ("handle", "x"))
    )
    p = prepare(rec)
    assert p.indicators == ("handle:x",)
    assert len(prepare(LinkRecord("r2", "hi", ())).signature) == 0


def test_index_keys_hold_linkable_indicators_and_band_keys() -> None:
    a = prepare(
        LinkRecord(
            "a",
            "Typing job in Bangkok, free visa and flight, contact our HR manager now",
            (("handle", "siam_hr"), ("domain", "facebook.com")),
        )
    )
    b = prepare(
        LinkRecord(
            "b", "Typing job in Bangkok, free visa and flight, contact our HR manager today", ()
        )
    )
    ka, kb = index_keys(a), index_keys(b)
    assert "handle:siam_hr" in ka and "domain:facebook.com" not in ka
    assert sum(k.startswith("lsh:") for k in ka) == 16
    assert set(ka) & set(kb), "near-identical texts share at least one LSH band"


def test_a_run_wide_key_cache_prepares_as_batch_by_batch() -> None:
    records = [
        *generate(900, seed=2).records,
        LinkRecord("s1", "Report scams to the police", (("phone", "+661441"),)),
        LinkRecord("s2", "see http://bit.ly/x1 now", (("url", "http://bit.ly/x1"),)),
        LinkRecord("s3", "deposit", (("crypto_wallet", "TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi"),)),
    ]
    cache: dict[str, KeyItem] = {}
    alone = [prepare_batch(records[s : s + 100]) for s in range(0, len(records), 100)]
    shared = [
        prepare_batch(records[s : s + 100], key_cache=cache) for s in range(0, len(records), 100)
    ]
    assert [b.keys for b in shared] == [b.keys for b in alone]
    assert [b.reports for b in shared] == [b.reports for b in alone]
    assert len(cache) == len({k for b in alone for keys in b.keys for k, _, _ in keys})
    assert cache["phone:+661441"][1] == "hotline number"
    # one string per key for the run, whichever batch used it
    first = {k: k for b in shared for p in b.reports for k in p.indicators}
    assert all(k is first[k] for b in shared for p in b.reports for k in p.indicators)


def test_prepared_reports_read_as_the_dict_of_prepared_objects() -> None:
    records = sorted(
        [
            *generate(400, seed=4).records,
            LinkRecord("m1", "hi", (), country="TH", risk=0.5),
            LinkRecord("m2", "a message long enough for a signature", None, language=""),
            LinkRecord("m3", "another", (), seen_at=datetime(2026, 3, 1), category="job"),
        ],
        key=lambda r: r.report_id,
    )
    batches = [prepare_batch(records[s : s + 150]) for s in range(0, len(records), 150)]
    plain = {p.report_id: p for b in batches for p in b.reports}
    assert [b.meta for b in batches if b.meta]  # the metadata rows are exercised
    ids = [r.report_id for r in records]
    lazy = PreparedReports(
        ids,
        [k for b in batches for k in b.indicators],
        [m for b in batches for m in b.masked],
        {150 * n + i: m for n, b in enumerate(batches) for i, m in b.meta.items()},
        np.concatenate([b.sig for b in batches]),
        np.concatenate([b.has_sig for b in batches]),
    )
    assert lazy == plain and plain == lazy
    assert list(lazy) == list(plain) == ids and len(lazy) == len(plain)
    for rid in ids:
        assert lazy[rid] == plain[rid] and rid in lazy
        assert list(lazy[rid].signature) == list(plain[rid].signature)
    assert lazy["m2"].language == "" and lazy["m3"].category == "job"
    for missing in ("", "m0", "zzz", ids[0] + "x", 7, None):
        assert missing not in lazy and lazy.get(missing) is None  # type: ignore[call-overload]
    with pytest.raises(KeyError):
        lazy["m0"]

from __future__ import annotations

import numpy as np

from lurewatch.linking import LinkConfig, LinkRecord, index_keys, prepare
from lurewatch.linking.prepare import prepare_batch, prepare_batches
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


def test_batches_prepared_in_worker_processes_equal_one_batch() -> None:
    records = generate(900, seed=13).records
    for i in (10, 400, 890):  # too short for a signature, in each batch
        records.insert(i, LinkRecord(f"short{i}", "call me", indicators=()))
    config = LinkConfig()
    whole = prepare_batch(records, config)
    parts = list(prepare_batches(records, config, size=300, workers=2))
    assert len(parts) == 4
    assert [r for p in parts for r in p.reports] == whole.reports
    assert [k for p in parts for k in p.keys] == whole.keys
    has = np.concatenate([p.has_sig for p in parts])
    assert np.array_equal(has, whole.has_sig) and has.any() and not has.all()
    # rows without a signature are meaningless (minhash.signatures): only the others compare
    assert np.array_equal(np.concatenate([p.sig for p in parts])[has], whole.sig[has])

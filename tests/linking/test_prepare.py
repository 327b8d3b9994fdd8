from __future__ import annotations

from lurewatch.linking import LinkConfig, LinkRecord, index_keys, prepare


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

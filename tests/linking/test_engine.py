"""DuckDB engine behaviour on small hand-written report sets (the Spark test reuses them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from lurewatch.linking import LinkConfig, LinkRecord, link, stages
from lurewatch.linking.config import THRESHOLD_MILLI
from lurewatch.linking.model import Cluster, Edge
from lurewatch.linking.synthetic import generate

AD = (
    "URGENT HIRING! Customer service staff needed at Golden Lotus Group in {city}, earn USD "
    "{pay} every month. Free flight, visa and accommodation. Contact {name} for details."
)


def _ad(city: str, pay: str, name: str) -> str:
    return AD.format(city=city, pay=pay, name=name)


def handwritten() -> list[LinkRecord]:
    return [
        # operation 1: a shared private handle, star-linked
        LinkRecord("a1", "Lottery prize! claim with agent", (("handle", "lotto_agent77"),)),
        LinkRecord("a2", "You won a car, message the agent", (("handle", "lotto_agent77"),)),
        LinkRecord("a3", "Claim fee must be paid first", (("handle", "lotto_agent77"),)),
        # operation 2: one template with swapped slots, no shared identifier
        LinkRecord("b1", _ad("Phnom Penh", "1,500", "Anna"), ()),
        LinkRecord("b2", _ad("Bavet", "2,000", "Kevin"), ()),
        # decoys: a brand's domain, a hotline, an exchange address, an amount
        LinkRecord(
            "c1", "Nice weather today, see you at the market", (("domain", "facebook.com"),)
        ),
        LinkRecord("c2", "Call me when you land at the airport", (("domain", "facebook.com"),)),
        LinkRecord("c3", "Report scams to the police", (("phone", "+661441"),)),
        LinkRecord("c4", "Scam hotline is open all day", (("phone", "+661441"),)),
        LinkRecord(
            "c5",
            "deposit first then withdraw",
            (("crypto_wallet", "TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi"),),
        ),
        LinkRecord(
            "c6",
            "buy usdt on the exchange",
            (("crypto_wallet", "TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi"),),
        ),
        LinkRecord("c7", "salary offered", (("money", "2000 USD"),)),
        LinkRecord("c8", "my rent is", (("money", "2000 USD"),)),
        # a shared short link alone is not enough ...
        LinkRecord("d1", "read this story", (("url", "http://bit.ly/news1"),)),
        LinkRecord("d2", "have you seen", (("url", "http://bit.ly/news1"),)),
    ]


def test_strong_keys_and_templates_link_decoys_do_not() -> None:
    res = link(handwritten())
    groups = [c.report_ids for c in res.clusters]
    assert groups == [("a1", "a2", "a3"), ("b1", "b2")]
    op1, op2 = res.clusters
    assert {(e.a, e.b, e.key) for e in op1.edges} == {
        ("a1", "a2", "handle:lotto_agent77"),
        ("a1", "a3", "handle:lotto_agent77"),
    }
    (tmpl,) = op2.edges
    assert tmpl.kind == "template" and tmpl.key.startswith("template:jaccard=")
    assert tmpl.weight >= 0.7
    stats = res.key_stats
    assert stats["domain:facebook.com"].stopped == "big brand's own domain"
    assert stats["phone:+661441"].stopped == "hotline number"
    assert stats["money:2000 USD"].weight == 0.0
    assert stats["handle:lotto_agent77"].reports == 3
    assert stats["handle:lotto_agent77"].weight == 1.0
    assert stats["url:http://bit.ly/news1"].weight == 0.5
    assert set(res.prepared) == {r.report_id for r in handwritten()}


def test_a_short_link_plus_a_similar_template_link_together() -> None:
    tail = " Apply at the link."
    recs = [
        LinkRecord("x1", _ad("Manila", "900", "Grace") + tail, (("url", "http://bit.ly/job7"),)),
        LinkRecord(
            "x2",
            "Job opportunity abroad: " + _ad("Poipet", "1,100", "Leo"),
            (("url", "http://bit.ly/job7"),),
        ),
    ]
    other = ["a note about the weather this weekend", "what shall we cook for dinner tonight"]
    alone = link(
        [LinkRecord(r.report_id, t, r.indicators) for r, t in zip(recs, other, strict=True)]
    )
    assert alone.clusters == []
    res = link(recs)
    assert [c.report_ids for c in res.clusters] == [("x1", "x2")]
    kinds = {e.kind for e in res.clusters[0].edges}
    assert kinds == {"indicator", "template"}


def test_a_key_in_too_many_reports_links_nothing() -> None:
    config = LinkConfig(strong_df=2, max_df=5)
    recs = [LinkRecord(f"r{i}", "abcdef"[i], (("handle", "everyone"),)) for i in range(6)]
    res = link(recs, config=config)
    assert res.clusters == []
    assert res.key_stats["handle:everyone"].stopped == "too common: in 6 reports (limit 5)"


def test_chains_join_into_one_component_and_repeated_ids_are_reported() -> None:
    recs = [
        LinkRecord(
            f"n{i:02d}",
            f"note {i}",
            ((("phone", f"+6681000{i:04d}"), ("phone", f"+6681000{i + 1:04d}"))),
        )
        for i in range(40)
    ]
    recs.append(LinkRecord("n05", "again", ()))
    res = link(recs)
    assert len(res.clusters) == 1
    assert res.clusters[0].report_ids == tuple(f"n{i:02d}" for i in range(40))
    assert len(res.clusters[0].edges) == 39
    assert res.bad == [(41, "duplicate id 'n05' (first used on line 6)")]


def test_empty_input() -> None:
    res = link([])
    assert res.clusters == [] and res.prepared == {} and res.bad == []


def _plain_clusters(
    edges: pa.Table, labels: pa.Table, ids: Sequence[str], config: LinkConfig
) -> list[Cluster]:
    """`stages.clusters_from` row by row: one `Edge(...)` call per fetched edge row."""
    members: dict[int, list[str]] = defaultdict(list)
    for row in labels.to_pylist():
        members[row["l"]].append(ids[row["v"]])
    found: dict[int, list[Edge]] = defaultdict(list)
    for row in edges.to_pylist():
        if row["kind"] == "template":
            m = row["w"]
            key, weight = f"template:jaccard={m / config.bins:.2f}", m / config.bins
        else:
            key, weight = row["ikey"], row["w"] / THRESHOLD_MILLI
        found[row["comp"]].append(Edge(ids[row["a"]], ids[row["b"]], row["kind"], key, weight))
    return [Cluster(tuple(members[c]), tuple(found[c])) for c in members]


def test_bulk_cluster_assembly_matches_plain_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    # the bulk conversion (shared id and key strings, tuple.__new__ edges) against plain rows,
    # on the tables a real run fetched: strong stars, weak keys and templates
    seen: list[tuple[pa.Table, pa.Table, Sequence[str], LinkConfig]] = []
    real = stages.clusters_from

    def spy(
        edges: pa.Table, labels: pa.Table, ids: Sequence[str], config: LinkConfig
    ) -> list[Cluster]:
        seen.append((edges, labels, ids, config))
        return real(edges, labels, ids, config)

    monkeypatch.setattr(stages, "clusters_from", spy)
    res = link(generate(1500, seed=5).records + handwritten())
    ((edges, labels, ids, config),) = seen
    assert {"indicator", "template"} <= set(edges.column("kind").to_pylist())
    plain = _plain_clusters(edges, labels, ids, config)
    assert res.clusters == plain
    for got, want in zip(res.clusters, plain, strict=True):
        assert all(type(e) is Edge for e in got.edges)
        for e, f in zip(got.edges, want.edges, strict=True):
            assert (e.a, e.b, e.kind, e.key, e.weight) == (f.a, f.b, f.kind, f.key, f.weight)
    assert stages.clusters_from(edges, labels[:0], ids, config) == []


def test_release_empties_the_callers_list_and_links_the_same() -> None:
    from lurewatch.linking.duck import link_duckdb

    records = handwritten()
    kept = link_duckdb(list(records), LinkConfig(), [])
    mine = list(records)
    released = link_duckdb(mine, LinkConfig(), [], release=True)
    assert mine == []
    assert released.clusters == kept.clusters and released.prepared == kept.prepared
    assert released.key_stats == kept.key_stats

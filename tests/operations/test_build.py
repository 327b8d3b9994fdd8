"""build_operations on hand-made linking results: summaries, stable ids across re-runs,
decisions that survive re-linking with new reports, personal data kept out."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from lurewatch.linking.model import Cluster, Edge, KeyStat, LinkResult, PreparedReport
from lurewatch.operations.build import build_operations
from lurewatch.operations.decisions import Decision

AD = "Customer service job in {city}, salary {amount}, free flight. Contact Ms. {name} on {handle}"


def prep(rid: str, text: str, keys: list[str], country: str = "PH", day: int = 1) -> PreparedReport:
    return PreparedReport(
        rid,
        tuple(sorted(keys)),
        text,
        (),
        country=country,
        language="en",
        category="trafficking_lure",
        risk=0.9,
        seen_at=datetime(2026, 3, day, tzinfo=UTC),
    )


def ad(city: str, name: str) -> str:
    return AD.replace("{city}", city).replace("{name}", name)


def edge(a: str, b: str, key: str, w: float = 1.0) -> Edge:
    return Edge(a, b, "template" if key.startswith("template") else "indicator", key, w)


def result(extra: bool = False) -> LinkResult:
    """Two operations: r1-r4 (one recruiter handle, shared template), q1-q2 (one wallet)."""
    h = "handle:hr_joy_bkk"
    w = "crypto_wallet:TQ1"
    prepared = [
        prep("r1", ad("Bangkok", "Joy"), [h, "domain:facebook.com"], "PH", 2),
        prep("r2", ad("Mae Sot", "Joy"), [h], "PH", 5),
        prep("r3", ad("Pattaya", "Anna"), [h, "domain:facebook.com"], "ID", 9),
        prep("r4", "My brother went to Bangkok for a job, recruiter {handle}", [h], "PH", 12),
        prep("q1", "Deposit USDT to {wallet} to unlock your account", [w], "SG", 3),
        prep("q2", "They said deposit to {wallet} again", [w], "TH", 4),
    ]
    a_edges = [edge("r1", "r2", h), edge("r1", "r3", h), edge("r1", "r4", h)]
    a_edges.append(edge("r2", "r3", "template:jaccard=0.71", 0.71))
    clusters = [Cluster(("r1", "r2", "r3", "r4"), tuple(a_edges))]
    clusters.append(Cluster(("q1", "q2"), (edge("q1", "q2", w),)))
    if extra:  # a new report that links to both groups
        prepared.append(prep("n1", ad("Manila", "Joy") + " or {wallet}", [h, w], "PH", 20))
        clusters = [
            Cluster(
                ("n1", "q1", "q2", "r1", "r2", "r3", "r4"),
                (*a_edges, edge("q1", "q2", w), edge("n1", "r1", h), edge("n1", "q1", w)),
            )
        ]
    stats = {
        h: KeyStat(h, 4, 1.0),
        w: KeyStat(w, 2, 1.0),
        "domain:facebook.com": KeyStat("domain:facebook.com", 2, 0.0, "popular host"),
    }
    return LinkResult(clusters, {p.report_id: p for p in prepared}, stats)


def test_summary_fields() -> None:
    ops = build_operations(result())
    assert [o.size for o in ops] == [4, 2]
    a = ops[0]
    assert a.report_ids == ["r1", "r2", "r3", "r4"]
    assert a.countries == {"PH": 3, "ID": 1} and a.languages == {"en": 4}
    assert a.first_seen == datetime(2026, 3, 2, tzinfo=UTC)
    assert a.last_seen == datetime(2026, 3, 12, tzinfo=UTC)
    assert a.indicators[0]["key"] == "handle:hr_joy_bkk" and a.indicators[0]["reports"] == 4
    decoy = next(i for i in a.indicators if i["type"] == "domain")
    assert decoy["stopped"] == "popular host"
    assert a.template is not None and "r4" not in a.template.members
    assert "{city}" not in a.template.text and "{var_1}" in a.template.text
    assert 0.7 < a.confidence <= 1.0
    line = json.loads(json.dumps(a.to_dict()))
    assert {"operation_id", "report_ids", "indicators", "template", "evidence"} <= set(line)
    assert line["evidence"][0] == {
        "a": "r1",
        "b": "r2",
        "kind": "indicator",
        "key": "handle:hr_joy_bkk",
        "weight": 1.0,
    }


def test_identical_output_whatever_the_cluster_order() -> None:
    one = result()
    two = LinkResult(
        list(reversed(one.clusters)), dict(reversed(one.prepared.items())), one.key_stats
    )
    assert [o.to_dict() for o in build_operations(one)] == [
        o.to_dict() for o in build_operations(two)
    ]


def test_ids_stable_across_rerun_with_a_new_member() -> None:
    first = build_operations(result())
    prev = {o.operation_id: o.report_ids for o in first}
    res = result()
    res.prepared["r5"] = prep("r5", ad("Chiang Rai", "Mia"), ["handle:hr_joy_bkk"])
    grown = Cluster(
        ("r1", "r2", "r3", "r4", "r5"),
        (*res.clusters[0].edges, edge("r1", "r5", "handle:hr_joy_bkk")),
    )
    res.clusters[0] = grown
    again = build_operations(res, prev)
    assert [o.operation_id for o in again] == [o.operation_id for o in first]
    assert again[0].kept_id and again[0].size == 5


def test_split_and_merge_survive_relinking_with_new_reports() -> None:
    first = build_operations(result())
    a, q = first
    prev = {o.operation_id: o.report_ids for o in first}
    decisions = [
        Decision("split", ("r4",), (a.operation_id,), id=1),  # the family report is not the ad
        # merged after the split: the members then were r1-r3 and q1-q2
        Decision("merge", ("q1", "q2", "r1", "r2", "r3"), (q.operation_id, a.operation_id), id=2),
    ]
    after = build_operations(result(), prev, decisions)
    assert [o.report_ids for o in after] == [["q1", "q2", "r1", "r2", "r3"]]
    assert after[0].operation_id == q.operation_id  # the first operation of the merge survives
    assert after[0].decisions == [1, 2]
    # re-linking with a new report that links to both: the decisions still hold
    prev = {o.operation_id: o.report_ids for o in after}
    again = build_operations(result(extra=True), prev, decisions)
    assert [o.report_ids for o in again] == [["n1", "q1", "q2", "r1", "r2", "r3"]]
    assert again[0].operation_id == q.operation_id
    # without the decisions the new evidence would have joined everything
    plain = build_operations(result(extra=True), prev)
    assert plain[0].size == 7


def test_split_out_group_keeps_its_own_id_across_runs() -> None:
    first = build_operations(result())
    a = first[0]
    d = [Decision("split", ("r3", "r4"), (a.operation_id,), id=1)]
    split = build_operations(result(), {o.operation_id: o.report_ids for o in first}, d)
    ids = {tuple(o.report_ids): o.operation_id for o in split}
    again = build_operations(result(), {o.operation_id: o.report_ids for o in split}, d)
    assert {tuple(o.report_ids): o.operation_id for o in again} == ids
    assert ids[("r1", "r2")] == a.operation_id


def test_personal_data_kept_out_of_templates() -> None:
    res = result()
    ops = build_operations(res, private={"r2": ["Joy"], "r1": []})
    blob = json.dumps([o.to_dict() for o in ops])
    assert "Joy" not in blob and "[redacted]" in blob

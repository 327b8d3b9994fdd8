"""Campaigns: template-connected groups only, ranked by volume x risk."""

from __future__ import annotations

from datetime import UTC, datetime

from lurewatch.linking.model import Cluster, Edge, LinkRecord, LinkResult, PreparedReport
from lurewatch.operations.campaigns import campaigns_from

PARCEL = "Your parcel is held at customs. Pay the {amount} fee at {url} today or it is returned"
TASK = "Part-time job: like videos and earn {amount} a day, contact our mentor on {handle} now"


def test_campaigns_follow_templates_and_rank_by_volume_times_risk() -> None:
    texts = {f"p{i}": PARCEL for i in range(4)} | {f"t{i}": TASK for i in range(3)}
    risk = {f"p{i}": 0.3 for i in range(4)} | {f"t{i}": 0.95 for i in range(3)}
    records = [
        LinkRecord(i, t, risk=risk[i], seen_at=datetime(2026, 1, n + 1, tzinfo=UTC))
        for n, (i, t) in enumerate(sorted(texts.items()))
    ]
    prepared = {
        i: PreparedReport(i, ("phone:+6681",) if i in ("p0", "t0") else (), t, ())
        for i, t in texts.items()
    }
    tpl = [
        Edge(a, b, "template", "template:jaccard=0.95", 0.95)
        for a, b in [("p0", "p1"), ("p1", "p2"), ("p2", "p3"), ("t0", "t1"), ("t1", "t2")]
    ]
    # one phone shared by a parcel and a task message joins them into one operation,
    # but they are two campaigns
    link = Edge("p0", "t0", "indicator", "phone:+6681", 1.0)
    cluster = Cluster(tuple(sorted(texts)), tuple(sorted([*tpl, link])))
    got = campaigns_from(LinkResult([cluster], prepared), records)
    assert [c.message_ids for c in got] == [["t0", "t1", "t2"], ["p0", "p1", "p2", "p3"]]
    top = got[0]
    assert top.rank == 1 and top.volume == 3 and top.priority == 2.85
    assert got[1].priority == 1.2 and got[1].flagged == 0 and top.flagged == 3
    assert top.template is not None and top.template.text == TASK
    assert top.campaign_id.startswith("cmp-")
    assert got[1].first_seen is not None and got[1].first_seen.day == 1

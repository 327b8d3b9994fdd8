"""Campaigns in a message stream: near-duplicate messages grouped and ranked.

Why: a platform's outbound SMS sample or a honeypot inbox holds the same scam sent thousands of
times with the name, amount and link swapped. Trust-and-safety teams act on the campaign (block
the template, the sender pool, the link), not the message, and need the biggest, riskiest
campaigns first.

How: the stream is linked by `lurewatch.linking.link` (the same MinHash/LSH over masked text
the operations use, on DuckDB or Spark); a campaign is a connected group over *template* edges
only (near-duplicate texts), so two different scripts that share a phone number are two
campaigns (both are in one operation). Each campaign gets its template with the slots marked,
its volume, the mean and maximum screening risk (`lurewatch.screen`, read from the records),
categories, languages, shared indicators and time span. Ranking: `priority = volume x mean
risk` (expected number of harmful messages), ties by volume.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from lurewatch.linking.model import LinkRecord, LinkResult
from lurewatch.operations.build import iso, split_key
from lurewatch.operations.decisions import components
from lurewatch.operations.stable_ids import derived_id
from lurewatch.operations.template import Template, derive_template

TOP_INDICATORS = 10


@dataclass(slots=True)
class Campaign:
    campaign_id: str
    message_ids: list[str]
    risk_mean: float
    risk_max: float
    flagged: int
    """Messages with risk >= 0.5."""
    categories: dict[str, int]
    languages: dict[str, int]
    indicators: list[dict[str, Any]]
    template: Template | None
    first_seen: datetime | None
    last_seen: datetime | None
    rank: int = 0

    @property
    def volume(self) -> int:
        return len(self.message_ids)

    @property
    def priority(self) -> float:
        return round(self.volume * self.risk_mean, 4)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "campaign_id": self.campaign_id,
            "volume": self.volume,
            "priority": self.priority,
            "risk_mean": self.risk_mean,
            "risk_max": self.risk_max,
            "flagged": self.flagged,
            "categories": self.categories,
            "languages": self.languages,
            "first_seen": iso(self.first_seen),
            "last_seen": iso(self.last_seen),
            "template": self.template.to_dict() if self.template else None,
            "indicators": self.indicators,
            "message_ids": self.message_ids,
        }


def _counts(values: list[str | None]) -> dict[str, int]:
    c = Counter(v for v in values if v)
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def campaigns_from(result: LinkResult, records: Sequence[LinkRecord]) -> list[Campaign]:
    """Campaigns from a linking result (template edges only), ranked."""
    by_id = {r.report_id: r for r in records}
    out: list[Campaign] = []
    for cluster in result.clusters:
        pairs = [(e.a, e.b) for e in cluster.edges if e.kind == "template"]
        for part in components(cluster.report_ids, pairs):
            if len(part) >= 2:
                out.append(_campaign(sorted(part), result, by_id))
    out.sort(key=lambda c: (-c.priority, -c.volume, c.campaign_id))
    for i, c in enumerate(out, 1):
        c.rank = i
    return out


def _campaign(ids: list[str], result: LinkResult, by_id: dict[str, LinkRecord]) -> Campaign:
    recs = [by_id[i] for i in ids if i in by_id]
    prepared = [result.prepared[i] for i in ids if i in result.prepared]
    risks = [r.risk for r in recs if r.risk is not None]
    seen = [
        (r.seen_at if r.seen_at.tzinfo else r.seen_at.replace(tzinfo=UTC))
        for r in recs
        if r.seen_at is not None
    ]
    per_key = Counter(k for p in prepared for k in set(p.indicators))
    indicators = []
    examples: dict[str, list[str]] = {}
    for key, n in sorted(per_key.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_INDICATORS]:
        kind, value = split_key(key)
        indicators.append({"key": key, "type": kind, "value": value, "messages": n})
        examples.setdefault(kind, []).append(value)
    template = derive_template(
        {p.report_id: p.masked_text for p in prepared},
        signatures={p.report_id: p.signature for p in prepared},
        mask_examples=examples,
    )
    return Campaign(
        campaign_id="cmp-" + derived_id(ids)[3:],
        message_ids=ids,
        risk_mean=round(sum(risks) / len(risks), 4) if risks else 0.0,
        risk_max=round(max(risks), 4) if risks else 0.0,
        flagged=sum(1 for r in risks if r >= 0.5),
        categories=_counts([r.category for r in recs]),
        languages=_counts([r.language for r in recs]),
        indicators=indicators,
        template=template,
        first_seen=min(seen) if seen else None,
        last_seen=max(seen) if seen else None,
    )


def detect_campaigns(
    records: Sequence[LinkRecord], *, engine: Literal["duckdb", "spark"] = "duckdb"
) -> tuple[list[Campaign], list[tuple[int, str]]]:
    """Link `records` and return the ranked campaigns and the linker's bad lines."""
    from lurewatch.operations.linker import link

    result = link(records, engine)
    return campaigns_from(result, records), list(result.bad)

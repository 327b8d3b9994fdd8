"""From a linking result to operations: decisions replayed, stable ids, summaries.

`build_operations(result, previous=..., decisions=...)` is the one place that turns clusters
into what analysts see, for every path: the `lurewatch link` file job, linking the store (full
or incremental) and the API. It depends only on `LinkResult`, so the DuckDB and Spark engines,
which return identical clusters, give identical operations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lurewatch.linking.model import Edge, LinkResult, PreparedReport
from lurewatch.operations.confidence import confidence
from lurewatch.operations.decisions import Decision, replay
from lurewatch.operations.stable_ids import assign_ids
from lurewatch.operations.template import Template, derive_template

TOP_INDICATORS = 25


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).isoformat()


def split_key(key: str) -> tuple[str, str]:
    """`"phone:+6692..."` -> ("phone", "+6692...")."""
    kind, _, value = key.partition(":")
    return kind, value


@dataclass(slots=True)
class OperationView:
    """One operation as analysts see it; `to_dict()` is a line of `lurewatch link --output`."""

    operation_id: str
    report_ids: list[str]
    first_seen: datetime | None
    last_seen: datetime | None
    countries: dict[str, int]
    languages: dict[str, int]
    categories: dict[str, int]
    indicators: list[dict[str, Any]]
    """[{"key", "type", "value", "reports", "weight", "stopped"}], most shared first."""
    template: Template | None
    evidence: list[Edge]
    confidence: float
    decisions: list[int] = field(default_factory=list)
    """Ids of the analysts' decisions that shaped this operation."""
    kept_id: bool = False
    """True when the id was carried over from a previous run (membership barely changed)."""

    @property
    def size(self) -> int:
        return len(self.report_ids)

    def to_dict(self) -> dict[str, Any]:
        return {
            "operation_id": self.operation_id,
            "size": self.size,
            "report_ids": list(self.report_ids),
            "first_seen": iso(self.first_seen),
            "last_seen": iso(self.last_seen),
            "countries": dict(self.countries),
            "languages": dict(self.languages),
            "categories": dict(self.categories),
            "confidence": self.confidence,
            "indicators": list(self.indicators),
            "template": self.template.to_dict() if self.template else None,
            "evidence": [edge_dict(e) for e in self.evidence],
            "decisions": list(self.decisions),
        }


def edge_dict(e: Edge) -> dict[str, Any]:
    return {"a": e.a, "b": e.b, "kind": e.kind, "key": e.key, "weight": round(e.weight, 4)}


def _counts(values: Iterable[str | None]) -> dict[str, int]:
    c = Counter(v for v in values if v)
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def _indicators(
    members: Sequence[PreparedReport], result: LinkResult
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Top indicators (most shared first) and example values per type for template masks."""
    per_key = Counter(k for p in members for k in set(p.indicators))

    def stopped(key: str) -> str | None:
        stat = result.key_stats.get(key)
        return stat.stopped if stat else None

    # keys that link first (most shared first), then the ones that link nothing (amounts,
    # popular hosts, hotlines): still shown, never mistaken for the operation's identifiers
    ranked = sorted(per_key.items(), key=lambda kv: (stopped(kv[0]) is not None, -kv[1], kv[0]))
    out: list[dict[str, Any]] = []
    examples: dict[str, list[str]] = defaultdict(list)
    for key, n in ranked:
        kind, value = split_key(key)
        stat = result.key_stats.get(key)
        if len(examples[kind]) < 5:
            examples[kind].append(value)
        if len(out) < TOP_INDICATORS:
            out.append(
                {
                    "key": key,
                    "type": kind,
                    "value": value,
                    "reports": n,
                    "weight": round(stat.weight, 4) if stat else None,
                    "stopped": stat.stopped if stat else None,
                }
            )
    return out, examples


MASK_TYPES = {"amount": "money", "wallet": "crypto_wallet", "account": "bank_account"}
"""Template mask names whose indicator type is spelled differently."""


def _view(
    uid: str,
    members: set[str],
    edges: list[Edge],
    result: LinkResult,
    private: Sequence[str],
    decisions: Collection[int],
    kept: bool,
) -> OperationView:
    ids = sorted(members)
    prepared = [result.prepared[r] for r in ids if r in result.prepared]
    seen = [p.seen_at for p in prepared if p.seen_at is not None]
    seen_aware = [s if s.tzinfo else s.replace(tzinfo=UTC) for s in seen]
    indicators, examples = _indicators(prepared, result)
    mask_examples = {**examples, **{m: examples.get(t, []) for m, t in MASK_TYPES.items()}}
    template = derive_template(
        {p.report_id: p.masked_text for p in prepared},
        signatures={p.report_id: p.signature for p in prepared},
        mask_examples=mask_examples,
        private=private,
    )
    return OperationView(
        operation_id=uid,
        report_ids=ids,
        first_seen=min(seen_aware) if seen_aware else None,
        last_seen=max(seen_aware) if seen_aware else None,
        countries=_counts(p.country for p in prepared),
        languages=_counts(p.language for p in prepared),
        categories=_counts(p.category for p in prepared),
        indicators=indicators,
        template=template,
        evidence=sorted(edges),
        confidence=confidence(ids, edges),
        decisions=sorted(decisions),
        kept_id=kept,
    )


def build_operations(
    result: LinkResult,
    previous: Mapping[str, Collection[str]] | None = None,
    decisions: Sequence[Decision] = (),
    *,
    private: Mapping[str, Sequence[str]] | None = None,
    reserved: Collection[str] = (),
    universe: Collection[str] | None = None,
) -> list[OperationView]:
    """Operations from `result`: decisions replayed in order, ids matched to `previous`
    (operation id -> member report ids), sorted largest first.

    `private` maps report ids to personal data kept out of templates; `reserved` are ids that
    may not be reused (retired operations); `universe` is every report that exists now
    (default: the prepared reports of `result`).
    """
    previous = previous or {}
    edges = [e for c in result.clusters for e in c.edges]
    known = set(universe) if universe is not None else set(result.prepared)
    known |= {r for c in result.clusters for r in c.report_ids}
    holders: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        if e.kind == "indicator":
            holders[e.key] |= {e.a, e.b}
    groups = replay(
        [set(c.report_ids) for c in result.clusters],
        [(e.a, e.b) for e in edges],
        decisions,
        universe=known,
        shared=[holders[k] for k in sorted(holders)],
    )
    groups.sort(key=lambda g: min(g.members))
    # a merge asked to keep the first operation's id: honour it before matching by overlap
    chosen: dict[int, str] = {}
    for i, g in enumerate(groups):
        if g.prefer and g.prefer in previous and g.prefer not in chosen.values():
            chosen[i] = g.prefer
    rest = [i for i in range(len(groups)) if i not in chosen]
    rest_prev = {u: m for u, m in previous.items() if u not in chosen.values()}
    ids = assign_ids(
        [groups[i].members for i in rest], rest_prev, set(reserved) | set(chosen.values())
    )
    uid_of = dict(chosen)
    uid_of.update(zip(rest, ids, strict=True))
    by_report: dict[str, int] = {r: i for i, g in enumerate(groups) for r in g.members}
    group_edges: dict[int, list[Edge]] = defaultdict(list)
    for e in edges:
        ga, gb = by_report.get(e.a), by_report.get(e.b)
        if ga is not None and ga == gb:
            group_edges[ga].append(e)
    private = private or {}
    views: list[OperationView] = []
    for i, g in enumerate(groups):
        secrets = sorted(
            {v for r in g.members for v in private.get(r, ()) if v}, key=len, reverse=True
        )
        views.append(
            _view(
                uid_of[i],
                g.members,
                group_edges[i],
                result,
                secrets,
                g.decisions,
                uid_of[i] in previous,
            )
        )
    views.sort(key=lambda v: (-v.size, v.operation_id))
    return views

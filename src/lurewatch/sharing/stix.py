"""STIX 2.1 export: reports, operations and identifiers as a bundle partners' tools read.

What a bundle holds (see docs/sharing.md for the full mapping):
- one `report` per shared lurewatch report (author: the owning organisation's `identity`),
  with an `observed-data` listing the identifiers seen in it, and lurewatch context (country,
  language, category, risk) in the published `lurewatch context` property extension;
- per identifier an SCO (`observables.py`), an `indicator` with its STIX pattern and a
  `based-on` relationship between them;
- per operation a `campaign`, `indicates` relationships from its identifiers' indicators, and
  one `related-to` relationship between two member reports per piece of linking evidence
  (shared identifier or shared template, with its weight as `confidence`);
- the TLP 2.0 marking of the audience on every object, the marking definition itself, and the
  extension definitions the bundle uses;
- partners' objects we imported, verbatim, where their TLP allows passing them on.

Ids are deterministic: SCOs by the spec's UUIDv5, everything else UUIDv5 in lurewatch's
namespace from what the object stands for (`indicator:phone:+66...`, `report:<uid>`), and
`created`/`modified` come from the store, so exporting an unchanged store twice gives the
same objects and a consumer (or a TAXII server) sees no new versions.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

import stix2  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.orm import Session

from lurewatch.sharing.errors import SharingError
from lurewatch.sharing.gather import Gathered, Withheld, gather
from lurewatch.sharing.markings import TLP2_IDS, may_pass_on, tlp_marking
from lurewatch.sharing.observables import (
    CONTEXT_EXTENSION,
    TYPE_NAMES,
    Key,
    extension_definitions,
    pattern_of,
    to_sco,
)
from lurewatch.sharing.policy import Audience, audience_for, aware
from lurewatch.sharing.tables import ForeignObject, SharingGroup

NAMESPACE: Final = uuid.UUID("e9f67a4d-5f1e-4865-a279-167e0f542e88")
"""lurewatch's UUIDv5 namespace for the ids of objects it authors."""

__all__ = [
    "NAMESPACE",
    "ExportPlan",
    "SharingError",
    "export_bundle",
    "export_objects",
    "import_bundle",
    "plan_export",
]


def stable_id(stix_type: str, name: str) -> str:
    return f"{stix_type}--{uuid.uuid5(NAMESPACE, f'{stix_type}:{name}')}"


def instance_identity() -> dict[str, Any]:
    """The identity of this lurewatch instance: author of indicators, campaigns and evidence,
    which aggregate several organisations' reports. Named by LUREWATCH_INSTANCE_NAME."""
    name = os.environ.get("LUREWATCH_INSTANCE_NAME", "lurewatch")
    return {"name": name, "id": stable_id("identity", f"instance:{name}")}


@dataclass
class Entry:
    id: str
    type: str
    why: str


@dataclass
class ExportPlan:
    """What an export sends (the objects, each with why) and what it keeps back (and why)."""

    audience: Audience
    objects: list[dict[str, Any]] = field(default_factory=list)
    included: list[Entry] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for obj in self.objects:
            counts[obj["type"]] = counts.get(obj["type"], 0) + 1
        reasons: dict[str, int] = {}
        for w in self.withheld:
            reasons[w.why] = reasons.get(w.why, 0) + 1
        return {
            "audience": self.audience.name,
            "tlp": self.audience.tlp,
            "include_text": self.audience.include_text,
            "objects": counts,
            "withheld": reasons,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "included": [e.__dict__ for e in self.included],
            "withheld_items": [w.__dict__ for w in self.withheld],
        }


class _Builder:
    """Collects serialized objects once each, passing each through the leak guard."""

    def __init__(self, plan: ExportPlan, g: Gathered) -> None:
        self.plan, self.g = plan, g
        self.seen: set[tuple[str, str]] = set()

    def add(self, obj: Any, why: str) -> bool:
        data: dict[str, Any] = json.loads(obj.serialize()) if not isinstance(obj, dict) else obj
        key = (data["id"], str(data.get("modified", "")))
        if key in self.seen:
            return True
        if self.g.guard.leaks(data):
            self.plan.withheld.append(
                Withheld(
                    f"{data['type']} {data['id']}", "contains personal data of a reporter or victim"
                )
            )
            return False
        self.seen.add(key)
        self.plan.objects.append(data)
        self.plan.included.append(Entry(data["id"], data["type"], why))
        return True


def _context(**values: Any) -> dict[str, Any]:
    ext = {"extension_type": "property-extension"}
    ext.update({k: v for k, v in values.items() if v not in (None, [], {})})
    return {CONTEXT_EXTENSION: ext}


def _ts(dt: datetime) -> datetime:
    """Millisecond precision, as STIX recommends (and stable across SQLite and PostgreSQL)."""
    dt = aware(dt) or dt
    return dt.replace(microsecond=dt.microsecond // 1000 * 1000)


def plan_export(
    session: Session, audience: str | SharingGroup | None = None, since: datetime | None = None
) -> ExportPlan:
    """Everything that would be exported to `audience`, with why, and what is withheld."""
    aud = audience_for(session, audience)
    g = gather(session, aud, since)
    plan = ExportPlan(aud, withheld=list(g.withheld))
    b = _Builder(plan, g)
    marks = [TLP2_IDS[aud.tlp]]
    common = {"object_marking_refs": marks}
    b.add(tlp_marking(aud.tlp), f"TLP:{aud.tlp.upper()} marks everything sent to {aud.name}")
    for obj in extension_definitions():
        b.add(obj, "published definition of the extensions this bundle uses")
    me = instance_identity()
    first = min((aware(c) or c for _, c in g.orgs.values()), default=None)
    if g.reports or g.operations:
        created = _ts(first) if first else None
        b.add(
            stix2.Identity(
                id=me["id"],
                name=me["name"],
                identity_class="system",
                description="lurewatch instance that linked and exported these reports",
                created=created,
                modified=created,
                **common,
            ),
            "author of indicators, campaigns and linking evidence",
        )
    org_ids: dict[str, str] = {}
    for info in g.reports.values():
        if info.org not in org_ids:
            org_ids[info.org] = stable_id("identity", f"organisation:{info.org}")
            created = _ts(next(c for n, c in g.orgs.values() if n == info.org))
            b.add(
                stix2.Identity(
                    id=org_ids[info.org],
                    name=info.org,
                    identity_class="organization",
                    created=created,
                    modified=created,
                    **common,
                ),
                "organisation that received a shared report",
            )
    # identifiers: observable, indicator, based-on
    sco_ids: dict[Key, str] = {}
    ind_ids: dict[Key, str] = {}
    for k in g.keys.values():
        sco = to_sco(k.key, marks)
        if sco is None:
            continue
        why = f"seen in shared report(s) {', '.join(k.reports[:3])}" + (
            " ..." if len(k.reports) > 3 else ""
        )
        if not b.add(sco, why):
            continue
        sco_ids[k.key] = sco.id
        created = _ts(k.created)
        name = f"{k.key.type}:{k.key.normalized}"
        ind = stix2.Indicator(
            id=stable_id("indicator", name),
            created_by_ref=me["id"],
            created=created,
            modified=created,
            name=f"{TYPE_NAMES[k.key.type]} {k.key.normalized}",
            description=f"{TYPE_NAMES[k.key.type]} given in scam or job-lure reports",
            indicator_types=["malicious-activity"],
            pattern=pattern_of(k.key),
            pattern_type="stix",
            valid_from=created,
            **common,
        )
        if b.add(ind, why):
            ind_ids[k.key] = ind.id
            b.add(
                stix2.Relationship(
                    id=stable_id("relationship", f"based-on:{name}"),
                    created_by_ref=me["id"],
                    created=created,
                    modified=created,
                    relationship_type="based-on",
                    source_ref=ind.id,
                    target_ref=sco.id,
                    **common,
                ),
                "indicator is based on the observable",
            )
    # operations: campaign, indicates, evidence
    campaign_ids: dict[str, str] = {}
    for opi in g.operations:
        op = opi.op
        seen = [g.reports[u].report.received_at for u in opi.members]
        created = _ts(op.created_at)
        modified = max(created, _ts(op.updated_at))
        countries: dict[str, int] = {}
        for u in opi.members:
            c = g.reports[u].report.country
            if c:
                countries[c] = countries.get(c, 0) + 1
        campaign = stix2.Campaign(
            id=stable_id("campaign", op.uid),
            created_by_ref=me["id"],
            created=created,
            modified=modified,
            name=op.label or f"lurewatch operation {op.uid}",
            description=(
                f"Operation {op.uid}: {len(opi.members)} linked report(s) shared with "
                f"{aud.name}, linked by shared identifiers and near-identical texts."
            ),
            first_seen=_ts(min(seen)),
            last_seen=_ts(max(seen)),
            extensions=_context(operation=op.uid, size=len(opi.members), countries=countries),
            **common,
        )
        if not b.add(campaign, f"operation with {len(opi.members)} shared member report(s)"):
            continue
        campaign_ids[op.uid] = campaign.id
        op_keys = {key for u in opi.members for key in g.reports[u].keys if key in ind_ids}
        for key in sorted(op_keys, key=lambda x: (x.type, x.normalized)):
            b.add(
                stix2.Relationship(
                    id=stable_id("relationship", f"indicates:{key.type}:{key.normalized}:{op.uid}"),
                    created_by_ref=me["id"],
                    created=created,
                    modified=modified,
                    relationship_type="indicates",
                    source_ref=ind_ids[key],
                    target_ref=campaign.id,
                    **common,
                ),
                f"identifier used by operation {op.uid}",
            )
        for e in opi.evidence:
            a, z = sorted((str(e["a"]), str(e["b"])))
            kind, ekey = str(e.get("kind", "")), str(e.get("key", ""))
            weight = min(1.0, max(0.0, float(e.get("weight", 0.0))))
            if kind == "indicator":
                t, _, n = ekey.partition(":")
                what = f"both reports give the same {TYPE_NAMES.get(t, t).lower()} {n}"
            else:
                what = f"the reports carry near-identical text ({ekey})"
            b.add(
                stix2.Relationship(
                    id=stable_id("relationship", f"evidence:{op.uid}:{a}:{z}:{kind}:{ekey}"),
                    created_by_ref=me["id"],
                    created=created,
                    modified=modified,
                    relationship_type="related-to",
                    source_ref=stable_id("report", a),
                    target_ref=stable_id("report", z),
                    description=f"Linked into operation {op.uid}: {what}.",
                    confidence=round(weight * 100),
                    extensions=_context(
                        operation=op.uid, evidence_kind=kind, evidence_key=ekey, weight=weight
                    ),
                    **common,
                ),
                f"linking evidence of operation {op.uid}",
            )
    # reports and what was observed in them
    for info in g.reports.values():
        r = info.report
        created, modified = _ts(r.created_at), _ts(info.modified)
        refs: list[str] = []
        report_scos = [sco_ids[k] for k in info.keys if k in sco_ids]
        if report_scos:
            received = _ts(r.received_at)
            obs = stix2.ObservedData(
                id=stable_id("observed-data", r.uid),
                created_by_ref=org_ids[info.org],
                created=created,
                modified=modified,
                first_observed=received,
                last_observed=received,
                number_observed=1,
                object_refs=report_scos,
                **common,
            )
            if b.add(obs, info.why):
                refs.append(obs.id)
            refs += report_scos + [ind_ids[k] for k in info.keys if k in ind_ids]
        if info.operation in campaign_ids:
            refs.append(campaign_ids[info.operation])
        text = "\n\n".join(t for t in info.texts if t)
        report = stix2.Report(
            id=stable_id("report", r.uid),
            created_by_ref=org_ids[info.org],
            created=created,
            modified=modified,
            name=f"lurewatch report {r.uid}",
            description=text or None,
            report_types=["threat-report"],
            labels=[info.category] if info.category else None,
            published=_ts(r.received_at),
            object_refs=refs or [org_ids[info.org]],
            extensions=_context(
                country=r.country,
                language=r.language,
                category=info.category,
                risk=round(info.risk, 4) if info.risk is not None else None,
                item_kinds=sorted(set(info.kinds)),
                operation=info.operation,
            ),
            **common,
        )
        b.add(report, info.why)
    _foreign(session, b, aud, since)
    return plan


META_TYPES: Final = frozenset({"marking-definition", "extension-definition", "identity"})
"""Unmarked objects that describe other objects (who made them, what their markings and
extensions mean): passed on with the objects that reference them, withheld otherwise."""


def _refs(obj: dict[str, Any]) -> set[str]:
    out = {str(obj.get("created_by_ref", ""))}
    out.update(str(r) for r in obj.get("object_marking_refs") or [])
    out.update(str(k) for k in (obj.get("extensions") or {}) if k.startswith("extension-def"))
    return out


def _foreign(session: Session, b: _Builder, aud: Audience, since: datetime | None) -> None:
    """Partners' objects, verbatim, where their TLP lets them go to this audience."""
    query = select(ForeignObject).where(ForeignObject.format == "stix").order_by(ForeignObject.id)
    if since is not None:
        query = query.where(ForeignObject.created_at >= since)
    meta: list[ForeignObject] = []
    wanted: set[str] = set()
    for fo in session.scalars(query):
        if fo.object_type in META_TYPES and fo.tlp is None:
            meta.append(fo)
            continue
        what = f"{fo.object_type} {fo.object_id}"
        if not may_pass_on(fo.tlp, aud.tlp):
            level = (fo.tlp or "unmarked (treated as amber)").upper()
            b.plan.withheld.append(
                Withheld(what, f"imported from {fo.producer or 'a partner'} at TLP:{level}")
            )
            continue
        if b.add(dict(fo.body), f"imported from {fo.producer or 'a partner'}, TLP allows"):
            wanted |= _refs(fo.body)
    while True:  # an extension definition passed on brings its author's identity, and so on
        passing = [fo for fo in meta if fo.object_id in wanted]
        if not passing:
            break
        for fo in passing:
            if b.add(dict(fo.body), "describes imported objects passed on"):
                wanted |= _refs(fo.body)
        meta = [fo for fo in meta if fo.object_id not in wanted]
    for fo in meta:
        b.plan.withheld.append(
            Withheld(f"{fo.object_type} {fo.object_id}", "no object passed on refers to it")
        )


def export_objects(
    session: Session, audience: str | SharingGroup | None = None, since: datetime | None = None
) -> list[dict[str, Any]]:
    """The STIX objects (plain dicts) `audience` may receive; see `plan_export`."""
    return plan_export(session, audience, since).objects


def bundle_of(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """A bundle whose id follows from its content (same objects, same bundle id)."""
    ident = "|".join(sorted(f"{o['id']}@{o.get('modified', '')}" for o in objects))
    return {"type": "bundle", "id": stable_id("bundle", ident), "objects": objects}


def export_bundle(
    session: Session, audience: str | SharingGroup | None = None, since: datetime | None = None
) -> dict[str, Any]:
    return bundle_of(export_objects(session, audience, since))


def import_bundle(session: Session, bundle: dict[str, Any], org: Any, **kw: Any) -> Any:
    """Import a STIX 2.1 bundle for `org`; see `stix_import.import_bundle`."""
    from lurewatch.sharing.stix_import import import_bundle as _import

    return _import(session, bundle, org, **kw)

"""MISP export: operations (and shared reports outside any operation) as MISP events.

Built with pymisp's own classes and the MISP object templates pymisp ships: `phone-number`,
`coin-address`, `bank-account`, `telegram-account`, `user-account` (other messaging platforms)
and `url`; domains, e-mails and IPs are plain attributes. Tags: TLP 2.0 (`tlp:amber`, ...) and
the lurewatch taxonomy (`data/machinetag.json`): category, identifier role, linking evidence
and victim status (never who the victim is).

The audience, the reports, the identifiers and what is withheld are exactly the STIX
exporter's (`gather.py`); the same leak guard checks each event before it goes. Events to a
sharing group get distribution 0 (the receiving MISP must not sync them onwards: the group
decided who gets them); events to all partners get 1 (this community).

UUIDs are UUIDv5 from what the event, object or attribute stands for, so re-exports update
the same MISP event instead of creating a new one.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from pymisp import MISPEvent, MISPObject, MISPOrganisation
from sqlalchemy import select
from sqlalchemy.orm import Session

import lurewatch
from lurewatch.sharing.gather import Gathered, ReportInfo, Withheld, gather
from lurewatch.sharing.markings import may_pass_on
from lurewatch.sharing.observables import Key
from lurewatch.sharing.policy import Audience, audience_for, aware
from lurewatch.sharing.stix import NAMESPACE, Entry, instance_identity
from lurewatch.sharing.tables import ForeignObject, SharingGroup
from lurewatch.sharing.taxonomy import category_tag, role_tag, tag

SYMBOLS: Final = {
    "bitcoin": "BTC",
    "ethereum": "ETH",
    "tron": "TRX",
    "litecoin": "LTC",
    "dogecoin": "DOGE",
    "bitcoin_cash": "BCH",
    "monero": "XMR",
    "ripple": "XRP",
    "solana": "SOL",
}


def _uuid(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"misp:{name}"))


@dataclass
class MispPlan:
    audience: Audience
    events: list[MISPEvent] = field(default_factory=list)
    included: list[Entry] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        reasons: dict[str, int] = {}
        for w in self.withheld:
            reasons[w.why] = reasons.get(w.why, 0) + 1
        return {
            "audience": self.audience.name,
            "tlp": self.audience.tlp,
            "include_text": self.audience.include_text,
            "events": len(self.events),
            "attributes": sum(
                len(e.attributes) + sum(len(o.attributes) for o in e.objects) for e in self.events
            ),
            "objects": sum(len(e.objects) for e in self.events),
            "withheld": reasons,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "included": [e.__dict__ for e in self.included],
            "withheld_items": [w.__dict__ for w in self.withheld],
        }

    def document(self) -> dict[str, Any]:
        """The events as MISP's REST API returns a search: {"response": [{"Event": ...}]}."""
        return {"response": [{"Event": json.loads(e.to_json())} for e in self.events]}


def _chain(address: str) -> str | None:
    for ind in lurewatch.extract(address, types=["crypto_wallet"]):
        return ind.chain
    return None


def _add_identifier(ev: MISPEvent, k: Key, categories: set[str]) -> None:
    base = f"{ev.uuid}:{k.type}:{k.normalized}"
    role = role_tag(k.type, categories)
    tags = [role] if role else []

    def obj(template: str, attrs: list[tuple[str, str]]) -> None:
        o = MISPObject(template, standalone=False)
        o.uuid = _uuid(f"object:{base}")
        for i, (relation, value) in enumerate(attrs):
            a = o.add_attribute(
                relation, value=value, to_ids=i == 0, uuid=_uuid(f"attr:{base}:{relation}")
            )
            if a is None or i > 0:  # the identifier carries the role; details do not
                continue
            for t in tags:
                a.add_tag(t)
        ev.add_object(o)

    n = k.normalized
    if k.type == "phone":
        obj("phone-number", [("phone-number", n)])
    elif k.type == "crypto_wallet":
        chain = _chain(n)
        relation = "address" if chain == "bitcoin" else "address-crypto"
        symbol = SYMBOLS.get(chain or "")
        obj("coin-address", [(relation, n)] + ([("symbol", symbol)] if symbol else []))
    elif k.type == "iban":
        obj("bank-account", [("iban", n)])
    elif k.type == "bank_account":
        obj("bank-account", [("account", n)])
    elif k.type == "handle" and k.platform == "telegram":
        obj("telegram-account", [("username", n)])
    elif k.type == "handle":
        obj(
            "user-account",
            [("username", n)] + ([("account-type", k.platform)] if k.platform else []),
        )
    elif k.type == "url":
        obj("url", [("url", n)])
    else:
        attr_type = {"domain": "domain", "email": "email", "ip": "ip-dst"}.get(k.type)
        if attr_type:
            ev.add_attribute(
                attr_type,
                n,
                to_ids=True,
                uuid=_uuid(f"attr:{base}"),
                Tag=[{"name": t} for t in tags],
            )


def _event(
    g: Gathered, name: str, info: str, members: list[ReportInfo], org: str, evidence: set[str]
) -> MISPEvent:
    ev = MISPEvent()
    ev.uuid = _uuid(f"event:{name}")
    ev.info = info
    ev.date = min(aware(m.report.received_at) or m.report.received_at for m in members).date()
    ev.distribution = 0 if g.audience.group_id is not None else 1
    ev.threat_level_id = 2
    ev.analysis = 1
    ev.published = False
    creator = MISPOrganisation()
    creator.name = org
    creator.uuid = _uuid(f"org:{org}")
    ev.Orgc = creator
    ev.add_tag(f"tlp:{g.audience.tlp}")
    categories = {m.category for m in members if m.category}
    for c in sorted(categories):
        t = category_tag(c)
        if t:
            ev.add_tag(t)
    for kind in sorted(evidence):
        ev.add_tag(
            tag("evidence", "shared-identifier" if kind == "indicator" else "shared-template")
        )
    if any(m.possible_victim for m in members):
        ev.add_tag(tag("victim-status", "forced-scamming"))
    seen: set[Key] = set()
    for m in members:
        for k in m.keys:
            if k not in seen:
                seen.add(k)
                _add_identifier(ev, k, categories)
        for i, text in enumerate(m.texts):
            if text:
                ev.add_attribute(
                    "text",
                    text,
                    category="Other",
                    to_ids=False,
                    comment=f"lure text of report {m.report.uid}, personal data masked",
                    uuid=_uuid(f"text:{m.report.uid}:{i}"),
                )
    return ev


def plan_events(
    session: Session, audience: str | SharingGroup | None = None, since: datetime | None = None
) -> MispPlan:
    aud = audience_for(session, audience)
    g = gather(session, aud, since)
    plan = MispPlan(aud, withheld=list(g.withheld))

    def add(ev: MISPEvent, why: str) -> None:
        body = json.loads(ev.to_json())
        if g.guard.leaks(body):
            plan.withheld.append(
                Withheld(f"event {ev.uuid}", "contains personal data of a reporter or victim")
            )
            return
        plan.events.append(ev)
        plan.included.append(Entry(str(ev.uuid), "misp-event", why))

    in_ops: set[str] = set()
    for opi in g.operations:
        members = [g.reports[u] for u in opi.members]
        in_ops.update(opi.members)
        if not any(m.keys or m.texts for m in members):
            continue
        ev = _event(
            g,
            f"operation:{opi.op.uid}",
            f"lurewatch operation {opi.op.label or opi.op.uid}: {len(members)} linked report(s)",
            members,
            instance_identity()["name"],
            {str(e.get("kind")) for e in opi.evidence},
        )
        add(ev, f"operation {opi.op.uid} with {len(members)} shared member report(s)")
    for uid, info in g.reports.items():
        if uid in in_ops or not (info.keys or info.texts):
            continue
        label = (info.category or "report").replace("_", " ")
        ev = _event(g, f"report:{uid}", f"lurewatch {label} {uid}", [info], info.org, set())
        add(ev, info.why)
    _foreign_events(session, plan, g, since)
    return plan


def _foreign_events(session: Session, plan: MispPlan, g: Gathered, since: datetime | None) -> None:
    """Partners' MISP events, verbatim, where their TLP and distribution allow passing on."""
    query = select(ForeignObject).where(ForeignObject.format == "misp").order_by(ForeignObject.id)
    if since is not None:
        query = query.where(ForeignObject.created_at >= since)
    for fo in session.scalars(query):
        what = f"event {fo.object_id}"
        if str(fo.body.get("distribution", "1")) == "0":
            plan.withheld.append(Withheld(what, "its producer's distribution: organisation only"))
            continue
        if not may_pass_on(fo.tlp, g.audience.tlp):
            level = (fo.tlp or "unmarked (treated as amber)").upper()
            plan.withheld.append(Withheld(what, f"imported from {fo.producer} at TLP:{level}"))
            continue
        if g.guard.leaks(fo.body):
            plan.withheld.append(Withheld(what, "contains personal data of a reporter or victim"))
            continue
        ev = MISPEvent()
        ev.from_dict(**dict(fo.body))
        plan.events.append(ev)
        plan.included.append(
            Entry(fo.object_id, "misp-event", f"imported from {fo.producer}, TLP allows")
        )


def export_events(
    session: Session, audience: str | SharingGroup | None = None, since: datetime | None = None
) -> dict[str, Any]:
    """The MISP document (`{"response": [{"Event": ...}]}`) `audience` may receive."""
    return plan_events(session, audience, since).document()

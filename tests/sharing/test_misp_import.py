"""MISP import: round trip MISP -> lurewatch -> MISP keeps every attribute, object and tag;
bad events import nothing; identifiers are indexed."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from pymisp import MISPEvent, MISPObject
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.sharing import SharingError
from lurewatch.sharing.misp import export_events
from lurewatch.sharing.misp_import import import_events
from lurewatch.sharing.tables import ForeignObject
from lurewatch.store import Viewer
from lurewatch.store.keys import get_or_create_org
from lurewatch.store.queries import lookup
from lurewatch.store.schema import Report


def partner_event(tlp: str = "tlp:green", distribution: int = 1) -> dict[str, Any]:
    """An event a partner MISP might send (written for the test)."""
    ev = MISPEvent()
    ev.uuid = "6a2f1c3e-9b8d-4f7a-8e21-5c4b3a2d1e0f"
    ev.info = "Mule accounts paid by task-scam victims"
    ev.date = "2026-05-01"
    ev.distribution = distribution
    ev.add_tag(tlp)
    ev.add_tag('lurewatch:category="job-scam"')
    phone = MISPObject("phone-number", standalone=False)
    phone.add_attribute("phone-number", value="+84912345670", to_ids=True)
    ev.add_object(phone)
    bank = MISPObject("bank-account", standalone=False)
    bank.add_attribute("iban", value="GB82WEST12345698765432", to_ids=True)
    ev.add_object(bank)
    coin = MISPObject("coin-address", standalone=False)
    coin.add_attribute("address", value="bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
    coin.add_attribute("symbol", value="BTC")
    ev.add_object(coin)
    tg = MISPObject("telegram-account", standalone=False)
    tg.add_attribute("username", value="vn_task_hr")
    ev.add_object(tg)
    url = MISPObject("url", standalone=False)
    url.add_attribute("url", value="https://task-earn.example/join")
    ev.add_object(url)
    a = ev.add_attribute("domain", "task-earn.example")
    a.add_tag('lurewatch:role="scam-website"')
    return {"Event": json.loads(ev.to_json())}


def shape(ev: MISPEvent) -> dict[str, Any]:
    """What a round trip must keep: attributes, objects (template, attributes), tags."""

    def attr(a: Any) -> tuple[Any, ...]:
        return (
            a.uuid,
            a.type,
            a.value,
            getattr(a, "object_relation", None),
            tuple(sorted(t.name for t in a.tags)),
        )

    return {
        "uuid": ev.uuid,
        "tags": sorted(t.name for t in ev.tags),
        "attributes": sorted(attr(a) for a in ev.attributes),
        "objects": sorted(
            (o.uuid, o.name, tuple(sorted(attr(a) for a in o.attributes))) for o in ev.objects
        ),
    }


def load(body: dict[str, Any]) -> MISPEvent:
    ev = MISPEvent()
    ev.load(copy.deepcopy(body))
    return ev


def test_round_trip_keeps_attributes_objects_and_tags(sessions: sessionmaker[Session]) -> None:
    doc = partner_event()
    with sessions() as s:
        result = import_events(s, copy.deepcopy(doc), "police")
    assert (result.new_objects, result.reports) == (1, 1)
    with sessions() as s:
        out = export_events(s)
    [again] = [load(e) for e in out["response"] if e["Event"]["uuid"] == doc["Event"]["uuid"]]
    assert shape(again) == shape(load(doc))


def test_identifiers_are_indexed(lite: sessionmaker[Session]) -> None:
    with lite() as s:
        import_events(s, partner_event(), "police")
        v = Viewer(get_or_create_org(s, "police").id, "analyst")
        for t, value in [
            ("phone", "+84912345670"),
            ("iban", "GB82WEST12345698765432"),
            ("crypto_wallet", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
            ("handle", "vn_task_hr"),
            ("url", "https://task-earn.example/join"),
            ("domain", "task-earn.example"),
        ]:
            assert lookup(s, v, t, value) is not None, (t, value)


def test_amber_and_org_only_events_are_not_passed_on(lite: sessionmaker[Session]) -> None:
    amber = partner_event("tlp:amber")
    mine = partner_event(distribution=0)
    mine["Event"]["uuid"] = "0c9e4d1b-2a3f-4b5c-8d6e-7f8091a2b3c4"
    with lite() as s:
        import_events(s, [amber, mine], "police")
        out = export_events(s)
    assert out["response"] == []


def test_reimport_adds_nothing(lite: sessionmaker[Session]) -> None:
    with lite() as s:
        import_events(s, partner_event(), "police")
        again = import_events(s, {"response": [partner_event()]}, "police")
        assert (again.new_objects, again.duplicates, again.reports) == (0, 1, 0)
        assert s.scalar(select(func.count()).select_from(ForeignObject)) == 1


def test_bad_events_import_nothing(sessions: sessionmaker[Session]) -> None:
    good = partner_event()
    no_info = copy.deepcopy(good)
    del no_info["Event"]["info"]
    bad_type = copy.deepcopy(good)
    bad_type["Event"]["Attribute"][0]["type"] = "not-a-type"
    cases = [
        ("a string", "hello", "not a MISP document"),
        ("no Event", {"event": {}}, "not a MISP document"),
        ("no info", {"response": [good, no_info]}, "info"),
        ("unknown attribute type", [good, bad_type], "not-a-type"),
    ]
    for name, doc, reason in cases:
        with sessions() as s, pytest.raises(SharingError, match=reason):
            import_events(s, doc, "police")
        with sessions() as s:
            assert s.scalar(select(func.count()).select_from(Report)) == 0, name
            assert s.scalar(select(func.count()).select_from(ForeignObject)) == 0, name

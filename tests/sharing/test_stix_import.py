"""STIX import: round trips without loss, all-or-nothing on bad input, TLP decides onward
sharing, imported identifiers are looked up like our own."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import stix2  # type: ignore[import-untyped]
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.sharing import SharingError
from lurewatch.sharing.markings import TLP2_IDS, tlp_marking
from lurewatch.sharing.observables import PhoneNumber
from lurewatch.sharing.stix import export_objects
from lurewatch.sharing.stix_import import import_bundle
from lurewatch.sharing.tables import ForeignObject, SharingImport
from lurewatch.store import Viewer
from lurewatch.store.keys import get_or_create_org
from lurewatch.store.queries import lookup
from lurewatch.store.schema import Indicator, Occurrence, Report
from tests.sharing.conftest import add_operation, add_private_reports, load_sample

GREEN = TLP2_IDS["green"]
PARTNER_PHONE = "+855962224433"


def partner_bundle(tlp: str = "green") -> dict[str, Any]:
    """A bundle a partner (a Cambodian NGO, invented for the test) might send."""
    marks = [TLP2_IDS[tlp]]
    ngo = stix2.Identity(name="Kampot Outreach (test)", identity_class="organization")
    phone = PhoneNumber(value=PARTNER_PHONE, object_marking_refs=marks)
    site = stix2.DomainName(value="usdt-vip-trade.example", object_marking_refs=marks)
    ind = stix2.Indicator(
        created_by_ref=ngo.id,
        name="Recruiter phone",
        pattern=f"[phone-number:value = '{PARTNER_PHONE}']",
        pattern_type="stix",
        valid_from="2026-04-01T00:00:00Z",
        object_marking_refs=marks,
    )
    ind2 = stix2.Indicator(
        created_by_ref=ngo.id,
        pattern="[domain-name:value = 'usdt-vip-trade.example']",
        pattern_type="stix",
        valid_from="2026-04-01T00:00:00Z",
        object_marking_refs=marks,
    )
    camp = stix2.Campaign(created_by_ref=ngo.id, name="Kampot tea-room", object_marking_refs=marks)
    rels = [
        stix2.Relationship(
            ind, "based-on", phone, created_by_ref=ngo.id, object_marking_refs=marks
        ),
        stix2.Relationship(
            ind, "indicates", camp, created_by_ref=ngo.id, object_marking_refs=marks
        ),
        stix2.Relationship(
            ind2, "indicates", camp, created_by_ref=ngo.id, object_marking_refs=marks
        ),
    ]
    report = stix2.Report(
        created_by_ref=ngo.id,
        name="Recruiters for Sihanoukville compounds",
        description="Three families reported the same recruiter.",
        published="2026-04-02T00:00:00Z",
        object_refs=[ind.id, phone.id, camp.id],
        object_marking_refs=marks,
    )
    objects = [ngo, phone, site, ind, ind2, camp, *rels, report]
    import json

    return {
        "type": "bundle",
        "id": "bundle--0b7e6c1a-52c4-4c56-9d6e-3f1d2a7b8c90",
        "objects": [json.loads(o.serialize()) for o in objects] + [tlp_marking(tlp)],
    }


def counts(sessions: sessionmaker[Session]) -> tuple[int, ...]:
    with sessions() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t)) or 0
            for t in (Report, Indicator, Occurrence, ForeignObject, SharingImport)
        )


def test_partner_bundle_round_trips_without_loss(sessions: sessionmaker[Session]) -> None:
    bundle = partner_bundle()
    with sessions() as s:
        result = import_bundle(s, bundle, "police")
    assert result.new_objects == len(bundle["objects"])
    assert result.reports == 2  # the report, and one for identifiers no report names
    with sessions() as s:
        out = {o["id"]: o for o in export_objects(s)}
    for obj in bundle["objects"]:  # every indicator, relationship, marking: unchanged
        assert out.get(obj["id"]) == obj


def test_our_export_round_trips_through_a_second_store(
    sessions: sessionmaker[Session], lite: sessionmaker[Session]
) -> None:
    load_sample(sessions)
    uids = add_private_reports(sessions)
    add_operation(
        sessions,
        [uids["family"], uids["other"]],
        [
            {
                "a": uids["family"],
                "b": uids["other"],
                "kind": "indicator",
                "key": "phone:+66925550142",
                "weight": 0.9,
            }
        ],
    )
    with sessions() as s:
        first = export_objects(s)
    with lite() as s:
        import_bundle(
            s,
            {
                "type": "bundle",
                "id": "bundle--5b0c3f43-8f6f-4a38-a1d4-4a6f1f6e2b11",
                "objects": copy.deepcopy(first),
            },
            "partner-police",
        )
    with lite() as s:
        second = {(o["id"], o.get("modified")): o for o in export_objects(s)}
    for obj in first:
        assert second[(obj["id"], obj.get("modified"))] == obj
    kinds = {o["type"] for o in first}
    assert {"indicator", "relationship", "campaign", "report", "marking-definition"} <= kinds


def test_imported_identifiers_are_looked_up(lite: sessionmaker[Session]) -> None:
    with lite() as s:
        import_bundle(s, partner_bundle(), "police")
        police = get_or_create_org(s, "police").id
        found = lookup(s, Viewer(police, "analyst"), "phone", PARTNER_PHONE)
        assert found is not None and found["report_count"] == 1
        site = lookup(s, Viewer(police, "analyst"), "domain", "usdt-vip-trade.example")
        assert site is not None
        report = s.scalar(select(Report).where(Report.org_id == police))
        assert report is not None
        assert report.shared is False and report.source == "stix: Kampot Outreach (test)"
        hotline = get_or_create_org(s, "hotline").id
        s.commit()
        assert lookup(s, Viewer(hotline, "partner"), "phone", PARTNER_PHONE) is None


def test_reimport_adds_nothing(lite: sessionmaker[Session]) -> None:
    bundle = partner_bundle()
    with lite() as s:
        import_bundle(s, copy.deepcopy(bundle), "police")
    before = counts(lite)
    with lite() as s:
        again = import_bundle(s, bundle, "police")
    assert again.new_objects == 0 and again.reports == 0
    assert again.duplicates == len(bundle["objects"])
    after = counts(lite)
    assert after[:4] == before[:4]  # only the import record itself is new


@pytest.mark.parametrize("tlp", ["amber", "amber+strict", "red"])
def test_partner_amber_and_red_are_not_passed_on(lite: sessionmaker[Session], tlp: str) -> None:
    bundle = partner_bundle(tlp)
    with lite() as s:
        import_bundle(s, bundle, "police")
        from lurewatch.sharing.stix import plan_export

        plan = plan_export(s)
    ids = {o["id"] for o in plan.objects}
    assert not ids & {o["id"] for o in bundle["objects"] if o["type"] != "marking-definition"}
    assert any(f"TLP:{tlp.upper()}" in w.why for w in plan.withheld)


def test_green_goes_to_groups_but_not_to_a_clear_audience(lite: sessionmaker[Session]) -> None:
    from lurewatch.sharing.groups import create_group

    with lite() as s:
        import_bundle(s, partner_bundle("green"), "police")
        create_group(s, "public", tlp="clear")
        create_group(s, "mekong", tlp="amber")
        assert any(o["type"] == "indicator" for o in export_objects(s, "mekong"))
        assert not any(o["type"] == "indicator" for o in export_objects(s, "public"))


def _bad_bundles() -> list[tuple[str, Any, str]]:
    good = partner_bundle()
    cases: list[tuple[str, Any, str]] = [
        ("a list", [good], "must be a JSON object"),
        ("not a bundle", {**good, "type": "report"}, "not a STIX bundle"),
        ("objects not a list", {**good, "objects": {"a": 1}}, "must be a list"),
    ]

    def with_last(change: dict[str, Any], drop: str | None = None) -> dict[str, Any]:
        b = copy.deepcopy(good)
        obj = next(o for o in reversed(b["objects"]) if o["type"] == "indicator")
        obj.update(change)
        if drop:
            obj.pop(drop)
        return b

    cases += [
        ("no id", with_last({}, drop="id"), "malformed id"),
        ("type/id mismatch", with_last({"type": "malware"}), "does not match its id"),
        ("bad pattern", with_last({"pattern": "[phone-number:value = "}), "pattern"),
        ("missing pattern_type", with_last({}, drop="pattern_type"), "pattern_type"),
        ("bad timestamp", with_last({"valid_from": "yesterday"}), "valid_from"),
        ("STIX 2.0", with_last({"spec_version": "2.0"}), "2.1 only"),
    ]
    return cases


def test_bad_bundles_import_nothing(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        import_bundle(s, partner_bundle(), "hotline")
    before = counts(sessions)
    for name, bundle, reason in _bad_bundles():
        with sessions() as s, pytest.raises(SharingError, match=reason):
            import_bundle(s, bundle, "police")
        assert counts(sessions) == before, name


def test_bundle_cannot_write_into_another_organisation(lite: sessionmaker[Session]) -> None:
    bundle = partner_bundle()
    for o in bundle["objects"]:
        if o["type"] == "identity":
            o["name"] = "hotline"  # a local organisation's name
    with lite() as s:
        hotline = get_or_create_org(s, "hotline").id
        s.commit()
        import_bundle(s, bundle, "police")
        assert s.scalar(select(func.count()).where(Report.org_id == hotline)) == 0


def test_phone_observable_class_computes_the_spec_id() -> None:
    # UUIDv5 in the STIX SCO namespace over {"value": ...}: the id OpenCTI computes too
    import uuid

    expected = uuid.uuid5(uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7"), '{"value":"+1"}')
    assert PhoneNumber(value="+1").id == f"phone-number--{expected}"
    assert GREEN.startswith("marking-definition--")

"""STIX export: valid bundles (OASIS validator), deterministic ids, TLP 2.0 on everything,
operations as campaigns with their evidence, and what each audience receives."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.sharing import SharingError
from lurewatch.sharing.groups import create_group, share_report
from lurewatch.sharing.markings import TLP2_EXTENSION, TLP2_IDS
from lurewatch.sharing.observables import CONTEXT_EXTENSION, SCO_EXTENSION
from lurewatch.sharing.stix import bundle_of, export_objects, plan_export
from tests.sharing.conftest import (
    RECRUITER_PHONE,
    add_operation,
    add_private_reports,
    errors_of,
    load_sample,
    validate,
)

DESCRIPTIVE = {"marking-definition", "extension-definition"}


def by_type(objects: list[dict[str, Any]], t: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["type"] == t]


def test_demo_export_passes_the_oasis_validator(sessions: sessionmaker[Session]) -> None:
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
                "key": f"phone:{RECRUITER_PHONE}",
                "weight": 0.9,
            },
            {
                "a": uids["family"],
                "b": uids["other"],
                "kind": "template",
                "key": "template:jaccard=0.71",
                "weight": 0.71,
            },
        ],
    )
    with sessions() as s:
        bundle = bundle_of(export_objects(s))
    result = validate(bundle)
    assert errors_of(result) == []
    assert result.is_valid
    types = {o["type"] for o in bundle["objects"]}
    assert {
        "report",
        "indicator",
        "observed-data",
        "campaign",
        "relationship",
        "identity",
        "marking-definition",
        "extension-definition",
        "phone-number",
        "user-account",
        "cryptocurrency-wallet",
        "domain-name",
    } <= types


def test_reexport_is_identical(lite: sessionmaker[Session]) -> None:
    load_sample(lite)
    with lite() as s:
        first = export_objects(s)
    with lite() as s:
        second = export_objects(s)
    assert first == second
    assert bundle_of(first)["id"] == bundle_of(second)["id"]


def test_every_object_carries_the_audience_tlp(lite: sessionmaker[Session]) -> None:
    load_sample(lite)
    with lite() as s:
        create_group(s, "mekong", tlp="amber+strict", members=["police"])
        objects = export_objects(s, "mekong")
    marking = next(o for o in objects if o["type"] == "marking-definition")
    assert marking == {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP2_IDS["amber+strict"],
        "created": "2022-10-01T00:00:00.000Z",
        "name": "TLP:AMBER+STRICT",
        "extensions": {
            TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": "amber+strict"}
        },
    }
    published = {o["id"] for o in objects if o["type"] in DESCRIPTIVE}
    published.add("identity--8729d042-c34e-4c0a-b80f-c4a5f89e917c")  # the project's identity
    for o in objects:
        if o["id"] not in published:
            assert o["object_marking_refs"] == [TLP2_IDS["amber+strict"]], o["id"]


def test_observables_use_opencti_names_and_the_extension(lite: sessionmaker[Session]) -> None:
    add_private_reports(lite)
    with lite() as s:
        objects = export_objects(s)
    phones = by_type(objects, "phone-number")
    assert {p["value"] for p in phones} == {RECRUITER_PHONE}
    assert phones[0]["extensions"] == {SCO_EXTENSION: {"extension_type": "new-sco"}}
    handle = next(o for o in by_type(objects, "user-account") if o["user_id"] == "kh_jobs_desk")
    assert handle["account_type"] == "telegram"
    patterns = {o["pattern"] for o in by_type(objects, "indicator")}
    assert f"[phone-number:value = '{RECRUITER_PHONE}']" in patterns
    assert (
        "[user-account:account_type = 'telegram' AND user-account:user_id = 'kh_jobs_desk']"
        in patterns
    )
    definition = next(o for o in objects if o["id"] == SCO_EXTENSION)
    assert definition["extension_types"] == ["new-sco"]


def test_operation_becomes_campaign_with_evidence(lite: sessionmaker[Session]) -> None:
    uids = add_private_reports(lite)
    op = add_operation(
        lite,
        [uids["family"], uids["other"], uids["unshared"]],
        [
            {
                "a": uids["family"],
                "b": uids["other"],
                "kind": "indicator",
                "key": f"phone:{RECRUITER_PHONE}",
                "weight": 0.9,
            },
            {
                "a": uids["family"],
                "b": uids["unshared"],
                "kind": "template",
                "key": "template:jaccard=0.8",
                "weight": 0.8,
            },
        ],
    )
    with lite() as s:
        objects = export_objects(s)
    [campaign] = by_type(objects, "campaign")
    assert campaign["name"] == "Bangkok chat-support lure"
    assert campaign["extensions"][CONTEXT_EXTENSION]["operation"] == op
    assert campaign["extensions"][CONTEXT_EXTENSION]["size"] == 2  # the unshared one stays home
    rels = by_type(objects, "relationship")
    evidence = [r for r in rels if r["relationship_type"] == "related-to"]
    assert len(evidence) == 1  # the edge to the unshared report is not sent
    ext = evidence[0]["extensions"][CONTEXT_EXTENSION]
    assert ext["evidence_kind"] == "indicator"
    assert ext["evidence_key"] == f"phone:{RECRUITER_PHONE}"
    assert evidence[0]["confidence"] == 90
    reports = {r["id"] for r in by_type(objects, "report")}
    assert {evidence[0]["source_ref"], evidence[0]["target_ref"]} <= reports
    indicates = [r for r in rels if r["relationship_type"] == "indicates"]
    assert indicates and all(r["target_ref"] == campaign["id"] for r in indicates)
    for report in by_type(objects, "report"):
        assert campaign["id"] in report["object_refs"]


def test_audiences_get_only_what_is_shared_with_them(lite: sessionmaker[Session]) -> None:
    uids = add_private_reports(lite)
    with lite() as s:
        create_group(s, "mekong", members=["police"])
        create_group(s, "asean", members=["ngo"])
        share_report(s, "mekong", uids["unshared"])

        def reports(group: str | None) -> set[str]:
            return {
                o["name"].split()[-1] for o in export_objects(s, group) if o["type"] == "report"
            }

        shared = {uids["family"], uids["other"]}
        assert reports(None) == shared
        assert reports("asean") == shared
        assert reports("mekong") == shared | {uids["unshared"]}
        plan = plan_export(s, "mekong")
    whys = {e.why for e in plan.included if e.type == "report"}
    assert whys == {
        "its organisation shares it with all partners",
        "its organisation shares it with group 'mekong'",
    }


def test_texts_go_only_to_groups_that_take_them(lite: sessionmaker[Session]) -> None:
    add_private_reports(lite)
    with lite() as s:
        create_group(s, "texts", members=["police"], include_text=True)
        plain = by_type(export_objects(s), "report")
        with_text = by_type(export_objects(s, "texts"), "report")
    assert all("description" not in r for r in plain)
    family = next(r for r in with_text if "Cambodia" in r.get("description", ""))
    assert "[redacted]" in family["description"]
    assert RECRUITER_PHONE in family["description"]


def test_unknown_group_is_a_clear_error(lite: sessionmaker[Session]) -> None:
    with lite() as s, pytest.raises(SharingError, match="no sharing group named 'nope'"):
        export_objects(s, "nope")


def test_empty_store_exports_only_definitions(lite: sessionmaker[Session]) -> None:
    with lite() as s:
        objects = export_objects(s)
    assert {o["type"] for o in objects} == {
        "marking-definition",
        "extension-definition",
        "identity",
    }
    assert json.dumps(objects)  # plain JSON

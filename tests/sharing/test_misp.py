"""MISP export: events pymisp loads, with the shipped object templates and taxonomy tags."""

from __future__ import annotations

import json

from pymisp import MISPEvent
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.models import SCAM_CATEGORIES
from lurewatch.sharing.groups import create_group
from lurewatch.sharing.misp import export_events, plan_events
from lurewatch.sharing.taxonomy import category_tag, defined_tags, taxonomy
from tests.sharing.conftest import RECRUITER_PHONE, add_operation, add_private_reports, load_sample


def loaded(document: dict[str, object]) -> list[MISPEvent]:
    events = []
    for item in document["response"]:  # type: ignore[union-attr]
        ev = MISPEvent()
        ev.load(json.loads(json.dumps(item)))
        events.append(ev)
    return events


def test_events_load_with_pymisp_and_use_templates(lite: sessionmaker[Session]) -> None:
    load_sample(lite)
    uids = add_private_reports(lite)
    add_operation(
        lite,
        [uids["family"], uids["other"]],
        [
            {
                "a": uids["family"],
                "b": uids["other"],
                "kind": "indicator",
                "key": f"phone:{RECRUITER_PHONE}",
                "weight": 0.9,
            }
        ],
    )
    with lite() as s:
        events = loaded(export_events(s))
    assert events
    templates = {o.name for ev in events for o in ev.objects}
    assert {"phone-number", "coin-address", "telegram-account", "user-account"} <= templates
    op = next(ev for ev in events if "operation" in ev.info)
    tags = {t.name for t in op.tags}
    assert "tlp:green" in tags
    assert 'lurewatch:evidence="shared-identifier"' in tags
    phones = [a.value for o in op.objects if o.name == "phone-number" for a in o.attributes]
    assert phones == [RECRUITER_PHONE]
    for ev in events:
        for t in {t.name for t in ev.tags} | {
            t.name for o in ev.objects for a in o.attributes for t in a.tags
        }:
            assert t.startswith("tlp:") or t in defined_tags(), t


def test_group_events_are_not_synced_onwards(lite: sessionmaker[Session]) -> None:
    load_sample(lite)
    with lite() as s:
        create_group(s, "mekong", tlp="amber", members=["police"])
        group = loaded(export_events(s, "mekong"))
        everyone = loaded(export_events(s))
    assert {int(ev.distribution) for ev in group} == {0}
    assert {int(ev.distribution) for ev in everyone} == {1}
    assert all("tlp:amber" in {t.name for t in ev.tags} for ev in group)


def test_reexport_is_identical(lite: sessionmaker[Session]) -> None:
    load_sample(lite)
    with lite() as s:
        assert export_events(s) == export_events(s)
        plan = plan_events(s)
    assert plan.summary()["events"] == len(plan.events) > 0


def test_taxonomy_covers_every_category() -> None:
    data = taxonomy()
    assert data["namespace"] == "lurewatch"
    predicates = {p["value"] for p in data["predicates"]}
    assert predicates == {v["predicate"] for v in data["values"]}
    for category in SCAM_CATEGORIES:
        assert category_tag(category) in defined_tags(), category

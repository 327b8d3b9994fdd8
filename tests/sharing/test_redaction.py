"""Personal data never leaves: a victim's phone and a reporter's e-mail and names are in the
store (as personal data, inside texts, and as an identifier in someone else's report); no
export in any format, to any audience, contains them in any written form."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session, sessionmaker

from lurewatch.sharing.groups import create_group, share_report
from lurewatch.sharing.misp import plan_events
from lurewatch.sharing.redaction import LeakGuard, personal_values
from lurewatch.sharing.stix import plan_export
from tests.sharing.conftest import (
    PRIVATE,
    RECRUITER_PHONE,
    add_operation,
    add_private_reports,
)


def test_no_export_contains_personal_data(sessions: sessionmaker[Session]) -> None:
    uids = add_private_reports(sessions)
    add_operation(
        sessions,
        [uids["family"], uids["other"]],
        [
            {
                "a": uids["family"],
                "b": uids["other"],
                "kind": "indicator",
                "key": "phone:+66812345678",
                "weight": 0.95,
            },
            {
                "a": uids["family"],
                "b": uids["other"],
                "kind": "indicator",
                "key": f"phone:{RECRUITER_PHONE}",
                "weight": 0.9,
            },
        ],
    )
    with sessions() as s:
        create_group(s, "texts", tlp="amber", members=["police"], include_text=True)
        share_report(s, "texts", uids["unshared"])
        exports = []
        for group in (None, "texts"):
            stix = plan_export(s, group)
            misp = plan_events(s, group)
            exports.append((stix, json.dumps(stix.objects, ensure_ascii=False)))
            exports.append((misp, json.dumps(misp.document(), ensure_ascii=False)))
    for plan, text in exports:
        lowered = text.lower()
        for value in PRIVATE:
            assert value.lower() not in lowered, (plan.audience.name, value)
        # the export is not empty: the recruiter's phone goes
        assert RECRUITER_PHONE in text
        reasons = {w.why for w in plan.withheld}
        assert "personal data of a reporter or victim" in reasons
    stix_texts = exports[2][1]
    assert "[redacted]" in stix_texts  # the texts went, masked


def test_guard_withholds_an_object_built_around_it(lite: sessionmaker[Session]) -> None:
    add_private_reports(lite)
    with lite() as s:
        guard = LeakGuard(personal_values(s))
    assert guard.is_personal("+66812345678")
    assert guard.leaks({"description": "call 81 234 5678 now"})
    assert guard.leaks({"x": ["SOMCHAI.P@EXAMPLE.ORG"]})
    assert not guard.leaks({"value": RECRUITER_PHONE})
    assert not guard.leaks({"name": "Nokia phones"})  # a name inside a longer word is not hit
    assert guard.scrub("Nok Prasert, +66 81 234 5678") == "[redacted], [redacted]"


def test_empty_guard_passes_everything() -> None:
    guard = LeakGuard([])
    assert not guard.leaks({"a": "anything"})
    assert guard.scrub("text") == "text"

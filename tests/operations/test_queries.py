"""Views per viewer: redaction withholds stale templates, personal data never shows."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.operations.queries import detail, list_operations
from lurewatch.operations.store_link import link_store
from lurewatch.store.privacy import redact
from lurewatch.store.schema import Report
from tests.operations.conftest import ingest_rows, viewer

FAMILY = (
    "My nephew {name} went to Myawaddy for a customer service job through agent "
    "Telegram @agent_lek_mws and now the company asks USD 6,000 to let him go home"
)


def _rows() -> list[dict[str, object]]:
    return [
        {
            "id": f"fam-{i}",
            "text": FAMILY.format(name=name),
            "country": "TH",
            "shared": True,
            "reporter": {"name": f"Reporter {i}", "contact": f"reporter{i}@example.org"},
            "victims": [{"name": name}],
        }
        for i, name in enumerate(["Somchai Jaidee", "Anan Boonmee", "Kritsada Wong"])
    ]


def test_templates_keep_personal_data_out_and_redaction_withholds_them(
    early_store: sessionmaker[Session],
) -> None:
    ingest_rows(early_store, _rows(), "hotline")  # type: ignore[arg-type]
    secrets = ["Somchai Jaidee", "Anan Boonmee", "Kritsada Wong", "reporter0@example.org"]
    with early_store() as s:
        link_store(s)
        admin = viewer(s, "hotline", "admin")
        partner = viewer(s, "police", "partner")
        _total, ops = list_operations(s, admin)
        fam = next(o for o in ops if any(i["value"] == "agent_lek_mws" for i in o["indicators"]))
        got = detail(s, admin, fam["operation_id"])
        blob = json.dumps(got, ensure_ascii=False)
        assert not [x for x in secrets if x in blob]
        names = next(x for x in got["template"]["slots"] if x["name"] == "var_1")
        assert names["examples"] == ["[redacted]"]  # the victims' names were the slot values
        seen = detail(s, partner, fam["operation_id"])  # all three are shared
        assert seen["template"] is not None and not seen["restricted"]
        uid = s.scalar(select(Report.uid).where(Report.external_id == "fam-1"))
        assert uid is not None
        redact(s, admin, uid, "asked by the family")
        after = detail(s, admin, fam["operation_id"])
        assert after["template"] is None and "redacted" in after["template_withheld"]
        link_store(s, mode="full")  # the next run rebuilds it from the redacted texts
        rebuilt = detail(s, admin, fam["operation_id"])
        assert rebuilt["template"] is not None
        assert not [x for x in secrets if x in json.dumps(rebuilt, ensure_ascii=False)]

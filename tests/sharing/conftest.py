"""Sharing fixtures: stores with the demo reports, written-for-the-test private data, an
operation built with the ORM, and a validator. Database fixtures come from tests/store (every
test that takes `sessions` runs on SQLite and PostgreSQL); `lite` is SQLite only."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.operations.tables import Operation, OperationMember
from lurewatch.store import Viewer, make_engine, session_factory, upgrade
from lurewatch.store.bulk import ingest_stream
from lurewatch.store.cli import SAMPLE
from lurewatch.store.intake import ReportIn
from lurewatch.store.keys import get_or_create_org
from lurewatch.store.repository import ingest
from lurewatch.store.schema import Report
from tests.store.conftest import db_url, engine, sessions  # noqa: F401  (shared fixtures)

VICTIM_PHONE = "+66 81 234 5678"
VICTIM_FORMS = ("+66812345678", "812345678", "81 234 5678")
REPORTER_EMAIL = "somchai.p@example.org"
REPORTER_NAME = "Somchai Prasert"
VICTIM_NAME = "Nok Prasert"
RECRUITER_PHONE = "+66925550142"
PRIVATE = (*VICTIM_FORMS, REPORTER_EMAIL, REPORTER_NAME, VICTIM_NAME)
"""Every written form of the personal data below: none may appear in any export."""


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    eng = make_engine(f"sqlite:///{tmp_path / 'lite.db'}")
    upgrade(eng)
    yield session_factory(eng)
    eng.dispose()


def load_sample(factory: sessionmaker[Session], org: str = "hotline") -> None:
    """The store's demo reports (written for lurewatch), owned by `org`."""
    with factory() as s:
        org_id = get_or_create_org(s, org).id
        s.commit()
        with SAMPLE.open("rb") as f:
            summary = ingest_stream(s, Viewer(org_id, "admin"), f, "jsonl")
    assert summary.rejected == 0


def add_private_reports(factory: sessionmaker[Session]) -> dict[str, str]:
    """Reports carrying a victim's phone and a reporter's e-mail as personal data, and the
    same phone written into texts; returns the report uids by name."""
    uids: dict[str, str] = {}
    with factory() as s:
        hotline = get_or_create_org(s, "hotline").id
        police = get_or_create_org(s, "police").id
        s.commit()
        family = ReportIn.model_validate(
            {
                "id": "priv-1",
                "kind": "job_ad",
                "country": "TH",
                "shared": True,
                "received_at": "2026-03-02T08:00:00Z",
                "text": (
                    "Job in Cambodia, salary 1,800 USD, free visa. Contact recruiter "
                    f"{RECRUITER_PHONE} or Telegram @kh_jobs_desk. My sister {VICTIM_NAME} went "
                    f"and her number {VICTIM_PHONE} no longer answers."
                ),
                "attachments_text": f"forwarded by {REPORTER_EMAIL}",
                "reporter": {"name": REPORTER_NAME, "contact": REPORTER_EMAIL},
                "victims": [{"name": VICTIM_NAME, "contact": VICTIM_PHONE}],
            }
        )
        uids["family"] = ingest(s, Viewer(hotline, "admin"), family).uid
        # someone else reports the victim's phone as a contact: it is indexed there, and
        # must still never leave
        other = ReportIn.model_validate(
            {
                "id": "priv-2",
                "country": "TH",
                "shared": True,
                "received_at": "2026-03-03T10:00:00Z",
                "text": (
                    f"Task job, pay deposit first. WhatsApp {VICTIM_PHONE}, agent {RECRUITER_PHONE}"
                ),
            }
        )
        uids["other"] = ingest(s, Viewer(police, "admin"), other).uid
        hidden = ReportIn.model_validate(
            {
                "id": "priv-3",
                "country": "TH",
                "received_at": "2026-03-04T10:00:00Z",
                "text": "Not shared: call +66 92 777 0199 for the casino job in Myawaddy",
            }
        )
        uids["unshared"] = ingest(s, Viewer(hotline, "admin"), hidden).uid
    return uids


def add_operation(
    factory: sessionmaker[Session], uids: list[str], evidence: list[dict[str, Any]]
) -> str:
    """An operation over the given reports, written with the ORM as the linker would."""
    with factory() as s:
        op = Operation(
            uid="op-5e1f0c2a9b77",
            label="Bangkok chat-support lure",
            size=len(uids),
            confidence=0.8,
            first_seen=datetime(2026, 2, 1, tzinfo=UTC),
            last_seen=datetime(2026, 3, 1, tzinfo=UTC),
            evidence=evidence,
            created_at=datetime(2026, 3, 5, tzinfo=UTC),
            updated_at=datetime(2026, 3, 6, tzinfo=UTC),
        )
        s.add(op)
        s.flush()
        for uid in uids:
            rid = s.query(Report.id).filter(Report.uid == uid).scalar()
            s.add(OperationMember(operation_id=op.id, report_id=rid))
        s.commit()
        return op.uid


@functools.cache
def _memoize_validator_io() -> None:
    """stix2-validator finds, reads and crawls its JSON schemas again for every object (10 ms
    per object, ~8 minutes for a 10k-report bundle). Its file look-ups are pure functions of
    their arguments, so they are memoized here; the checks themselves are the validator's own
    (`test_validator_still_finds_errors` keeps that honest)."""
    import stix2validator.validator as v

    v.find_schema = functools.cache(v.find_schema)
    v.load_schema = functools.cache(v.load_schema)
    v.retrieve_from_filesystem = functools.cache(v.retrieve_from_filesystem)


def validate(bundle: dict[str, Any]) -> Any:
    """The OASIS validator's verdict on a bundle (errors fail; warnings are advice)."""
    from stix2validator import ValidationOptions, validate_instance

    _memoize_validator_io()
    return validate_instance(json.loads(json.dumps(bundle)), ValidationOptions(version="2.1"))


def errors_of(result: Any) -> list[str]:
    return [str(e) for e in result.errors]

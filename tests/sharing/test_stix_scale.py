"""A 10k-report store exports a bundle the OASIS validator passes with no errors.

The store is filled with Core bulk inserts (reports, versions, items, verdicts, identifiers
and occurrences shaped like ingest's, values generated here): screening 10k texts would only
test the screener. Slow: the validator checks every one of the ~50k objects.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.sharing.stix import bundle_of, plan_export
from lurewatch.store.keys import get_or_create_org
from lurewatch.store.schema import (
    Assessment,
    Indicator,
    Item,
    Occurrence,
    PersonalDatum,
    Report,
    ReportVersion,
)
from tests.sharing.conftest import errors_of, validate

REPORTS = 10_000


def fill(factory: sessionmaker[Session], n: int = REPORTS, seed: int = 7) -> None:
    rnd = random.Random(seed)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    pool: list[tuple[str, str]] = []
    for i in range(n // 2):
        pool.append(("phone", f"+66{900000000 + i * 7919 % 99999999}"))
        pool.append(("handle", f"hr_desk_{i}"))
    for i in range(n // 10):
        pool.append(("crypto_wallet", f"T{uuid.UUID(int=rnd.getrandbits(128)).hex[:33]}"))
        pool.append(("domain", f"vip-trade-{i}.example"))
        pool.append(("url", f"https://job-offer-{i}.example/apply"))
        pool.append(("bank_account", f"{1000000000 + i}"))
    with factory() as s:
        orgs = [get_or_create_org(s, name).id for name in ("hotline", "police", "ngo")]
        s.commit()
        s.execute(
            insert(Indicator),
            [{"type": t, "normalized": v, "created_at": t0} for t, v in pool],
        )
        ids = {
            (t, v): i
            for t, v, i in s.execute(select(Indicator.type, Indicator.normalized, Indicator.id))
        }
        reports, versions, items, verdicts, occurrences, people = [], [], [], [], [], []
        for r in range(1, n + 1):
            when = t0 + timedelta(minutes=r)
            org = orgs[r % 3]
            reports.append(
                {
                    "id": r,
                    "uid": str(uuid.UUID(int=rnd.getrandbits(128))),
                    "org_id": org,
                    "received_at": when,
                    "created_at": when,
                    "shared": r % 5 != 0,
                    "country": rnd.choice(["TH", "KH", "MM", "PH", "VN", "ID"]),
                    "language": "en",
                    "current_version": 1,
                    "urgency": [],
                }
            )
            versions.append(
                {
                    "id": r,
                    "report_id": r,
                    "org_id": org,
                    "version": 1,
                    "content_hash": f"{r:064x}",
                    "text": "job ad",
                    "created_at": when,
                }
            )
            items.append(
                {"id": r, "version_id": r, "position": 0, "kind": "job_ad", "text": "job ad"}
            )
            verdicts.append(
                {
                    "item_id": r,
                    "risk": rnd.random(),
                    "flagged": True,
                    "category": "trafficking_lure",
                    "detail": {},
                    "created_at": when,
                }
            )
            for t, v in rnd.sample(pool, rnd.randint(1, 4)):
                occurrences.append(
                    {
                        "indicator_id": ids[(t, v)],
                        "report_id": r,
                        "item_id": r,
                        "org_id": org,
                        "value": v,
                        "valid": True,
                        "seen_at": when,
                    }
                )
            if r % 50 == 0:
                people.append(
                    {
                        "report_id": r,
                        "subject": "victim",
                        "field": "contact",
                        "value": f"+63917{r:07d}",
                        "redacted": False,
                    }
                )
        for table, rows in (
            (Report, reports),
            (ReportVersion, versions),
            (Item, items),
            (Assessment, verdicts),
            (Occurrence, occurrences),
            (PersonalDatum, people),
        ):
            s.execute(insert(table), rows)
        s.commit()


@pytest.mark.slow
@pytest.mark.timeout(1800)  # ~3 min CPU; wall time on a loaded shared machine is far more
def test_10k_report_store_exports_a_valid_bundle(lite: sessionmaker[Session]) -> None:
    fill(lite)
    with lite() as s:
        started = time.process_time()
        plan = plan_export(s)
        export_cpu = time.process_time() - started
    bundle = bundle_of(plan.objects)
    summary: dict[str, Any] = plan.summary()
    assert summary["objects"]["report"] == REPORTS * 4 // 5
    started = time.process_time()
    result = validate(bundle)
    validate_cpu = time.process_time() - started
    print(
        f"\n10k store: {len(plan.objects)} objects, export {export_cpu:.1f} s CPU, "
        f"validation {validate_cpu:.1f} s CPU, summary {summary}"
    )
    assert errors_of(result) == []
    assert result.is_valid


def test_validator_still_finds_errors() -> None:
    """The memoized validator rejects what the spec forbids (so 0 errors above means 0)."""
    bad = {
        "type": "bundle",
        "id": "bundle--6f1b1f4e-2c9d-4f7a-8b3e-1d2c3b4a5f60",
        "objects": [
            {
                "type": "indicator",
                "spec_version": "2.1",
                "id": "indicator--a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                "created": "2026-01-01T00:00:00Z",
                "modified": "2025-01-01T00:00:00Z",
                "pattern": "[phone-number:value = '+1']",
                "valid_from": "2026-01-01T00:00:00Z",
            },
            {"type": "report", "spec_version": "2.1", "id": "report--not-a-uuid", "name": "x"},
        ],
    }
    for _ in range(2):  # the second run goes through the memoized look-ups
        result = validate(bad)
        assert not result.is_valid
        assert len(errors_of(result)) >= 2

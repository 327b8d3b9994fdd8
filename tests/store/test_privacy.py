"""Personal data kept apart, shown only to admins, redacted on request; retention enforced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.store import ReportIn, Viewer, ingest
from lurewatch.store.keys import get_or_create_org
from lurewatch.store.privacy import MASK, apply_retention, redact
from lurewatch.store.queries import get_report, report_dict
from lurewatch.store.schema import AuditEvent, Occurrence, Report

BODY = {
    "text": "Ma Thida from Mandalay sent me this: job in Mae Sot, contact +66 89 765 4321",
    "attachments_text": "Screenshot: Ma Thida, boarding pass",
    "reporter": {"name": "Ko Aung", "contact": "aung.family@example.org"},
    "victims": [{"name": "Ma Thida"}],
    "shared": True,
}


def _dump(session: Session, viewer: Viewer, uid: str) -> dict[str, object]:
    rep = get_report(session, viewer, uid)
    assert rep is not None
    return report_dict(session, viewer, rep)


def test_personal_data_only_for_admin_of_own_org(
    sessions: sessionmaker[Session], orgs: dict[str, int], admin: Viewer, analyst: Viewer
) -> None:
    with sessions() as s:
        uid = ingest(s, analyst, ReportIn.model_validate(BODY)).uid
        as_admin = _dump(s, admin, uid)
        as_analyst = _dump(s, analyst, uid)
        as_partner = _dump(s, Viewer(orgs["police"], "partner"), uid)
        as_other_admin = _dump(s, Viewer(orgs["police"], "admin"), uid)
        reads = s.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "personal.read")
        )
    assert {p["value"] for p in as_admin["personal"]} == {  # type: ignore[union-attr]
        "Ko Aung",
        "aung.family@example.org",
        "Ma Thida",
    }
    for d in (as_analyst, as_partner, as_other_admin):
        assert "personal" not in d
        assert "aung.family" not in str(d) and "Ko Aung" not in str(d)
    assert as_partner["external_id"] is None
    assert reads == 1


def test_unshared_report_invisible_to_partner_and_reporter(
    sessions: sessionmaker[Session], orgs: dict[str, int], analyst: Viewer
) -> None:
    with sessions() as s:
        uid = ingest(s, analyst, ReportIn(text="job in Poipet via @recruit_kh")).uid
        assert get_report(s, Viewer(orgs["police"], "partner"), uid) is None
        assert get_report(s, Viewer(orgs["hotline"], "reporter"), uid) is None
        assert get_report(s, Viewer(orgs["police"], "analyst"), uid) is None


def test_redaction_removes_values_everywhere(
    sessions: sessionmaker[Session], admin: Viewer, analyst: Viewer
) -> None:
    with sessions() as s:
        uid = ingest(s, analyst, ReportIn.model_validate(BODY)).uid
        assert redact(s, admin, uid, "subject request") == 3
        d = _dump(s, admin, uid)
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "report.redact")).one()
    blob = str(d)
    assert "Ma Thida" not in blob and "Ko Aung" not in blob and "aung.family" not in blob
    assert MASK in d["versions"][0]["items"][0]["text"]  # type: ignore[index]
    assert d["redacted"] is True
    assert "Ma Thida" not in str(ev.detail)
    assert "+66 89 765 4321" in blob  # the operation's number stays


def test_retention_deletes_only_expired_reports_of_that_org(
    sessions: sessionmaker[Session], orgs: dict[str, int]
) -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    old, new = now - timedelta(days=400), now - timedelta(days=10)
    with sessions() as s:
        get_or_create_org(s, "hotline", retention_days=365)
        s.commit()
        hot, pol = Viewer(orgs["hotline"], "analyst"), Viewer(orgs["police"], "analyst")
        ingest(s, hot, ReportIn(text="old ad +66 81 111 2222", received_at=old))
        ingest(s, hot, ReportIn(text="new ad +66 81 111 3333", received_at=new))
        ingest(s, pol, ReportIn(text="police old +66 81 111 2222", received_at=old))
        assert apply_retention(s, now) == {"hotline": 1}
        left = s.scalars(select(Report.org_id)).all()
        occ = s.scalar(select(func.count()).select_from(Occurrence))
    assert sorted(left) == sorted([orgs["hotline"], orgs["police"]])
    assert occ == 2

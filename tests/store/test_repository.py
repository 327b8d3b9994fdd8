"""Ingest, idempotency, versions, indicator index and audit on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.store import ReportIn, Viewer, add_version, ingest
from lurewatch.store.migrate import is_current
from lurewatch.store.queries import ReportFilter, get_report, list_reports, lookup
from lurewatch.store.repository import add_people
from lurewatch.store.schema import AuditEvent, Indicator, Occurrence, Report, ReportVersion

AD = (
    "URGENT hiring customer service Thailand, salary 35,000 THB, free visa and flight, "
    "no experience. Contact Telegram @fastjobs_bkk or WhatsApp +66 81 234 5678"
)
TASK = (
    "Earn 500k/day liking videos! Deposit 100 USDT to TRC20 "
    "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE, call +66812345678"
)


def test_migrations_reach_head(engine: Engine) -> None:
    assert is_current(engine)
    if engine.dialect.name == "sqlite":
        with engine.connect() as c:
            assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_ingest_is_idempotent_by_external_id_and_by_content(
    sessions: sessionmaker[Session], analyst: Viewer
) -> None:
    with sessions() as s:
        first = ingest(s, analyst, ReportIn(id="case-1", text=AD, country="ph"))
        again = ingest(s, analyst, ReportIn(id="case-1", text=AD + " (edited)"))
        same_text = ingest(s, analyst, ReportIn(text=AD, source="web form"))
        other = ingest(s, analyst, ReportIn(id="case-2", text=TASK))
    assert first.status == "stored"
    assert (again.status, again.uid) == ("duplicate", first.uid)
    assert (same_text.status, same_text.uid) == ("duplicate", first.uid)
    assert other.status == "stored" and other.uid != first.uid
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ReportVersion)) == 2


def test_other_org_may_store_same_text(
    sessions: sessionmaker[Session], orgs: dict[str, int]
) -> None:
    with sessions() as s:
        a = ingest(s, Viewer(orgs["hotline"], "analyst"), ReportIn(text=AD))
        b = ingest(s, Viewer(orgs["police"], "analyst"), ReportIn(text=AD))
    assert a.status == b.status == "stored"


def test_indicators_indexed_and_looked_up(sessions: sessionmaker[Session], analyst: Viewer) -> None:
    with sessions() as s:
        ingest(
            s,
            analyst,
            ReportIn(text=AD, country="PH", received_at=datetime(2026, 3, 1, tzinfo=UTC)),
        )
        ingest(
            s,
            analyst,
            ReportIn(text=TASK, country="VN", received_at=datetime(2026, 5, 9, tzinfo=UTC)),
        )
        hit = lookup(s, analyst, "phone", "+66 81-234-5678")
        assert (
            s.scalar(select(func.count()).select_from(Indicator).where(Indicator.type == "money"))
            == 0
        )
    assert hit is not None
    assert hit["normalized"] == "+66812345678"
    assert hit["report_count"] == 2
    assert hit["countries"] == ["PH", "VN"]
    assert hit["first_seen"].startswith("2026-03-01")
    assert hit["last_seen"].startswith("2026-05-09")
    linked = {(c["type"], c["normalized"]) for c in hit["operations"]["co_occurring"]}
    assert ("crypto_wallet", "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE") in linked


def test_versions_are_new_rows_and_old_ones_stay(
    sessions: sessionmaker[Session], analyst: Viewer
) -> None:
    with sessions() as s:
        r = ingest(s, analyst, ReportIn(id="v", text=AD))
        n = add_version(s, analyst, r.uid, ReportIn(text=AD + " Also LINE id jobs8899."), "more")
        rep = get_report(s, analyst, r.uid)
    assert n == 2 and rep is not None
    assert [v.version for v in rep.versions] == [1, 2]
    assert rep.versions[0].items[0].text == AD
    assert rep.versions[0].items[0].assessment is not None


def test_urgent_first_filter_and_paginate(sessions: sessionmaker[Session], analyst: Viewer) -> None:
    held = "My sister is in Sihanoukville, they took her passport and she cannot leave."
    with sessions() as s:
        ingest(s, analyst, ReportIn(text=AD, received_at=datetime(2026, 6, 1, tzinfo=UTC)))
        ingest(s, analyst, ReportIn(text=held, received_at=datetime(2026, 1, 1, tzinfo=UTC)))
        ingest(s, analyst, ReportIn(text=TASK, country="VN"))
        total, page = list_reports(s, analyst, ReportFilter(), offset=0, limit=2)
        assert total == 3 and len(page) == 2
        assert page[0].urgent and {c["kind"] for c in page[0].urgency} >= {"passport_taken"}
        total_vn, vn = list_reports(s, analyst, ReportFilter(country="vn"))
        assert total_vn == 1 and vn[0].country == "VN"
        _, rest = list_reports(s, analyst, ReportFilter(), offset=2, limit=2)
        assert len(rest) == 1


def test_conversation_item_stored_and_indexed(
    sessions: sessionmaker[Session], analyst: Viewer
) -> None:
    turns = [
        {"text": "Hi, is this Linda? Sorry wrong number", "sender": "stranger"},
        {"text": "My uncle trades gold, add me on WhatsApp +60 12-345 6789", "sender": "stranger"},
    ]
    with sessions() as s:
        r = ingest(s, analyst, ReportIn.model_validate({"messages": turns}))
        rep = get_report(s, analyst, r.uid)
        assert rep is not None
        item = rep.versions[0].items[0]
        assert item.kind == "conversation" and item.messages and len(item.messages) == 2
        assert lookup(s, analyst, "phone", "+60123456789") is not None
        assert item.assessment is not None  # scored by the conversation tracker
        assert len(item.assessment.detail["turns"]) == 2


def test_audit_events_written(sessions: sessionmaker[Session], analyst: Viewer) -> None:
    with sessions() as s:
        r = ingest(s, analyst, ReportIn(text=AD))
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.target == r.uid)).all()
    assert "report.ingest" in actions


def test_reporter_and_victim_contacts_are_not_indicators(
    sessions: sessionmaker[Session], analyst: Viewer
) -> None:
    body = {
        "text": "My son Arun (call me on +91 98765 43210) went for a job via +66 81 234 5678",
        "reporter": {"name": "Meena", "contact": "+91 98765 43210"},
        "victims": [{"name": "Arun"}],
    }
    with sessions() as s:
        ingest(s, analyst, ReportIn.model_validate(body))
        values = set(s.scalars(select(Indicator.normalized)).all())
        assert "+66812345678" in values and "+919876543210" not in values
        assert s.scalar(select(func.count()).select_from(Occurrence)) == 1


def test_report_validation_rejects_ambiguous_bodies() -> None:
    with pytest.raises(ValueError):
        ReportIn.model_validate({"text": "a", "messages": [{"text": "b"}]})
    with pytest.raises(ValueError):
        ReportIn.model_validate({})


def test_duplicate_submission_keeps_its_own_people_and_consent_rules(
    sessions: sessionmaker[Session], analyst: Viewer
) -> None:
    first = {"text": AD, "reporter": {"name": "Somchai"}, "consent_contact": False}
    second = {
        "text": AD,
        "reporter": {"name": "Ploy", "contact": "ploy@example.org"},
        "victims": [{"name": "Nok"}],
        "consent_contact": True,
    }
    third = {"text": AD, "reporter": {"contact": "+66 89 000 1111"}, "consent_contact": True}
    with sessions() as s:
        uid = ingest(s, analyst, ReportIn.model_validate(first)).uid
        assert add_people(s, analyst, uid, ReportIn.model_validate(second)) == 3
        assert add_people(s, analyst, uid, ReportIn.model_validate(second)) == 0
        s.commit()
        report = s.scalar(select(Report).where(Report.uid == uid))
        assert report is not None
        # nobody had left a contact before Ploy, so her consent is the report's consent
        assert report.consent_contact
        assert {(p.subject, p.field, p.value) for p in report.personal} == {
            ("reporter", "name", "Somchai"),
            ("reporter", "name", "Ploy"),
            ("reporter", "contact", "ploy@example.org"),
            ("victim", "name", "Nok"),
        }
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.target == uid)).all()
        assert actions.count("report.people_added") == 1
    with sessions() as s:
        other = ingest(s, analyst, ReportIn.model_validate({**first, "text": TASK})).uid
        add_people(
            s,
            analyst,
            other,
            ReportIn.model_validate({**second, "text": TASK, "consent_contact": False}),
        )
        add_people(s, analyst, other, ReportIn.model_validate({**third, "text": TASK}))
        s.commit()
        report = s.scalar(select(Report).where(Report.uid == other))
        assert report is not None
        # Ploy's contact came without consent: a later reporter's consent must not cover it
        assert not report.consent_contact
    with sessions() as s, pytest.raises(LookupError):
        add_people(s, analyst, "no-such-report", ReportIn.model_validate(second))


def test_ingesting_a_duplicate_through_the_api_path_keeps_its_people(
    sessions: sessionmaker[Session], analyst: Viewer
) -> None:
    with sessions() as s:
        first = ingest(s, analyst, ReportIn(text=TASK))
        again = ingest(
            s, analyst, ReportIn.model_validate({"text": TASK, "victims": [{"name": "Dara"}]})
        )
    assert again.status == "duplicate" and again.uid == first.uid
    with sessions() as s:
        report = s.scalar(select(Report).where(Report.uid == first.uid))
        assert report is not None
        assert [(p.subject, p.value) for p in report.personal] == [("victim", "Dara")]

"""PSI match records keep only identifiers the store still holds (redaction, retention)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.psi import retention
from lurewatch.psi.tables import PsiSession
from lurewatch.store import ReportIn, Viewer, ingest
from lurewatch.store.keys import get_or_create_org
from lurewatch.store.privacy import apply_retention, redact
from lurewatch.store.schema import AuditEvent

VICTIM = "+66891110001"
AGENT = "+66891110002"
WALLET = "TXkq5Jm2yWbP8d6J4fGqkBv4pPZ6n3a1cQ"


def _session(s: Session, org_id: int, kind: str, matched: list[str], status: str) -> str:
    sid = str(uuid.uuid4())
    s.add(
        PsiSession(
            id=sid,
            org_id=org_id,
            indicator_type=kind,
            initiator_size=100,
            responder_size=100,
            status=status,
            intersection_size=len(matched),
            matched=matched,
        )
    )
    return sid


def _matched(s: Session, sid: str) -> list[str]:
    row = s.get(PsiSession, sid)
    assert row is not None
    s.refresh(row)
    return list(row.matched)


def test_redaction_drops_values_only_the_redacted_report_held(
    sessions: sessionmaker[Session],
    orgs: dict[str, int],
    admin: Viewer,
    analyst: Viewer,
) -> None:
    with sessions() as s:
        # the victim's number is in one report only; the agent's in two
        uid = ingest(
            s,
            analyst,
            ReportIn(
                text=f"My sister's phone {VICTIM}; the agent said call {AGENT}",
                victims=[{"name": "Ma Hnin", "contact": VICTIM}],
            ),
        ).uid
        ingest(s, analyst, ReportIn(text=f"Recruiter in Mae Sot, call {AGENT} now"))
        phones = _session(s, orgs["police"], "phone", [VICTIM, AGENT], "confirmed")
        open_ = _session(s, orgs["police"], "phone", [VICTIM], "open")
        s.commit()
        redact(s, admin, uid, "survivor request")
        assert _matched(s, phones) == [AGENT]
        assert _matched(s, open_) == [VICTIM]  # not confirmed: nothing was learnt or kept
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "report.redact")).one()
        assert ev.detail["psi_matches"] == 1
        assert VICTIM not in str(ev.detail)


def test_retention_drops_values_of_deleted_reports_and_keeps_the_rest(
    sessions: sessionmaker[Session], orgs: dict[str, int]
) -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    with sessions() as s:
        get_or_create_org(s, "hotline", retention_days=30)
        s.commit()
        hot = Viewer(orgs["hotline"], "analyst")
        ingest(s, hot, ReportIn(text=f"old ad, pay {WALLET}", received_at=now - timedelta(60)))
        ingest(s, hot, ReportIn(text=f"old ad, call {VICTIM}", received_at=now - timedelta(60)))
        ingest(s, hot, ReportIn(text=f"new ad, call {AGENT}", received_at=now - timedelta(5)))
        phones = _session(s, orgs["police"], "phone", [VICTIM, AGENT], "confirmed")
        wallets = _session(s, orgs["police"], "crypto_wallet", [WALLET], "confirmed")
        s.commit()
        assert apply_retention(s, now) == {"hotline": 2}
        assert _matched(s, phones) == [AGENT]
        assert _matched(s, wallets) == []
        row = s.get(PsiSession, wallets)
        assert row is not None and row.intersection_size == 1  # the meter stays
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "psi.matches_forgotten"))
        assert ev.one().detail == {"values": 2}


def test_values_are_looked_up_in_chunks(
    sessions: sessionmaker[Session],
    orgs: dict[str, int],
    analyst: Viewer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(retention, "CHUNK", 2)
    held = [f"+6689222{i:04d}" for i in range(5)]
    gone = [f"+6689333{i:04d}" for i in range(4)]
    with sessions() as s:
        for p in held:
            ingest(s, analyst, ReportIn(text=f"agent number {p} for the Bangkok job"))
        sid = _session(s, orgs["police"], "phone", held + gone, "confirmed")
        s.commit()
        assert retention.forget_unheld_matches(s) == 4
        s.commit()
        assert sorted(_matched(s, sid)) == held

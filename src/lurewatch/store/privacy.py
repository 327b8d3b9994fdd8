"""Survivor-first privacy: redaction on request and retention limits.

Redaction is the one change that touches stored versions: a person asking to be removed must
be removed from everything we hold, not hidden behind a new version. Their names and contacts
are blanked in the personal-data table and every occurrence of them in the report's texts,
conversation turns and attachments is replaced by `[redacted]`; the audit event records that
it happened and how many values, never the values.

Both redaction and retention also cut PSI match records (`psi/retention.py`) down to the
identifiers the store still holds, so a value does not outlive its reports there.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lurewatch.store.access import Viewer, audit
from lurewatch.store.schema import Item, Organisation, PersonalDatum, Report, ReportVersion

MASK = "[redacted]"


def _scrub(text: str | None, values: list[str]) -> str | None:
    if text is None:
        return None
    for v in values:
        text = text.replace(v, MASK)
    return text


def _forget_matches(session: Session) -> int:
    # imported here: psi builds on the store, not the other way round
    from lurewatch.psi.retention import forget_unheld_matches

    return forget_unheld_matches(session)


def redact(session: Session, viewer: Viewer, uid: str, reason: str | None = None) -> int:
    """Remove the report's personal data everywhere; return how many values were removed."""
    report = session.scalar(select(Report).where(Report.uid == uid, Report.org_id == viewer.org_id))
    if report is None:
        raise LookupError(uid)
    people = session.scalars(
        select(PersonalDatum).where(PersonalDatum.report_id == report.id)
    ).all()
    values = sorted({p.value for p in people if p.value}, key=len, reverse=True)
    for p in people:
        p.value = None
        p.redacted = True
    if values:
        for v in session.scalars(select(ReportVersion).where(ReportVersion.report_id == report.id)):
            v.text = _scrub(v.text, values)
            v.attachments_text = _scrub(v.attachments_text, values)
            for it in session.scalars(select(Item).where(Item.version_id == v.id)):
                it.text = _scrub(it.text, values)
                if it.messages:
                    turns: list[dict[str, Any]] = []
                    for m in it.messages:
                        m = dict(m)
                        m["text"] = _scrub(m.get("text"), values)
                        if m.get("sender") in values:
                            m["sender"] = MASK
                        turns.append(m)
                    it.messages = turns
    report.redacted_at = datetime.now(UTC)
    session.flush()  # the redaction mark must be visible to the match-record query
    forgotten = _forget_matches(session)
    audit(
        session,
        "report.redact",
        viewer=viewer,
        target=uid,
        detail={"values": len(values), "reason": reason or "", "psi_matches": forgotten},
    )
    session.commit()
    return len(values)


def apply_retention(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Delete reports older than their organisation's `retention_days`; {org name: deleted}."""
    now = now or datetime.now(UTC)
    out: dict[str, int] = {}
    for org in session.scalars(
        select(Organisation).where(Organisation.retention_days.is_not(None))
    ):
        assert org.retention_days is not None
        cutoff = now - timedelta(days=org.retention_days)
        ids = list(
            session.scalars(
                select(Report.id).where(Report.org_id == org.id, Report.received_at < cutoff)
            )
        )
        for report in session.scalars(select(Report).where(Report.id.in_(ids))):
            session.delete(report)  # ORM cascade: versions, items, assessments
        if ids:
            from lurewatch.store.schema import Occurrence

            session.execute(delete(Occurrence).where(Occurrence.report_id.in_(ids)))
            session.execute(delete(PersonalDatum).where(PersonalDatum.report_id.in_(ids)))
        audit(session, "retention.apply", org_id=org.id, detail={"deleted": len(ids)})
        out[org.name] = len(ids)
    session.flush()
    forgotten = _forget_matches(session)
    if forgotten:
        audit(session, "psi.matches_forgotten", detail={"values": forgotten})
    session.commit()
    return out

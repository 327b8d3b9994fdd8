"""Keeping PSI match records no longer than the identifiers they name.

A confirmed session stores `matched`: this instance's identifiers that a partner holds too. Those
values came from reports, and a report can go: retention deletes it, or a survivor asks for
redaction (a victim's own number may be among the identifiers). A match record must not keep
a value after every report that held it is gone, or the session table would become a copy of
deleted personal data. So after retention and after a redaction, each session's `matched`
is cut down to the values the store still holds by the same rule the responder's set uses
(`sets.store_values`: an occurrence in a report that is not redacted). Sizes and the
intersection count stay: they meter partners and are not identifiers.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from lurewatch.psi.tables import PsiSession
from lurewatch.store.schema import Indicator, Occurrence, Report

CHUNK = 500
"""Values per `IN (...)` lookup: well under every database's bound-parameter limit."""


def _still_held(session: Session, indicator_type: str, values: set[str]) -> set[str]:
    """The subset of `values` that some non-redacted report still holds."""
    ordered = sorted(values)
    held: set[str] = set()
    for start in range(0, len(ordered), CHUNK):
        q = (
            select(Indicator.normalized)
            .join(Occurrence, Occurrence.indicator_id == Indicator.id)
            .join(Report, Report.id == Occurrence.report_id)
            .where(
                Indicator.type == indicator_type,
                Indicator.normalized.in_(ordered[start : start + CHUNK]),
                Report.redacted_at.is_(None),
            )
            .distinct()
        )
        held.update(session.scalars(q))
    return held


def forget_unheld_matches(session: Session) -> int:
    """Drop from every session's `matched` the values no report holds any more; return how
    many values were dropped (summed over sessions). The caller commits."""
    confirmed = select(PsiSession).where(PsiSession.status == "confirmed")
    rows = [r for r in session.scalars(confirmed) if r.matched]
    wanted: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        wanted[row.indicator_type].update(str(v) for v in row.matched)
    held = {t: _still_held(session, t, vs) for t, vs in wanted.items()}
    dropped = 0
    for row in rows:
        keep = [v for v in row.matched if str(v) in held[row.indicator_type]]
        if len(keep) != len(row.matched):
            dropped += len(row.matched) - len(keep)
            row.matched = keep  # a new list: the JSON column sees the change
    return dropped

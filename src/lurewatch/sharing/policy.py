"""Who an export is for, and which reports may go to them.

An audience is a sharing group (its TLP level, whether texts go, its members) or, without a
group, "all partners": every organisation the instance shares with, at TLP:GREEN. A report
goes when its owner marked it shared (`Report.shared`: consent to share with partners) or
shared it with the audience's group (`ReportShare`). Reports made by an import are never
re-exported as our own: the partner's original objects are, where their TLP allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from lurewatch.sharing.errors import SharingError
from lurewatch.sharing.markings import TLP_LEVELS
from lurewatch.sharing.tables import ForeignObject, ReportShare, SharingGroup
from lurewatch.store.schema import Report

ALL_PARTNERS = "all partners"
ALL_PARTNERS_TLP = "green"


@dataclass(frozen=True)
class Audience:
    name: str
    group_id: int | None
    tlp: str
    include_text: bool

    def why(self, shared_with_all: bool) -> str:
        if shared_with_all:
            return "its organisation shares it with all partners"
        return f"its organisation shares it with group {self.name!r}"


def audience_for(session: Session, group: str | SharingGroup | None) -> Audience:
    """The audience of an export to `group` (a name or a row; None: all partners)."""
    if group is None:
        return Audience(ALL_PARTNERS, None, ALL_PARTNERS_TLP, False)
    row = (
        group
        if isinstance(group, SharingGroup)
        else session.scalar(select(SharingGroup).where(SharingGroup.name == group))
    )
    if row is None:
        raise SharingError(f"no sharing group named {group!r}")
    if row.tlp not in TLP_LEVELS:
        raise SharingError(f"group {row.name!r} has an unknown TLP level {row.tlp!r}")
    return Audience(row.name, row.id, row.tlp, row.include_text)


def aware(dt: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for what was stored as UTC."""
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def shared_condition(audience: Audience) -> ColumnElement[bool]:
    """SQL condition on `Report`: shared with this audience and not made by an import."""
    conds: list[ColumnElement[bool]] = [Report.shared.is_(True)]
    if audience.group_id is not None:
        conds.append(
            Report.id.in_(
                select(ReportShare.report_id).where(ReportShare.group_id == audience.group_id)
            )
        )
    imported = select(ForeignObject.report_id).where(ForeignObject.report_id.is_not(None))
    return or_(*conds) & Report.id.not_in(imported)


def shared_reports(
    session: Session, audience: Audience, since: datetime | None = None
) -> list[Report]:
    """The reports this audience may receive (stored at or after `since`), oldest first."""
    cond = shared_condition(audience)
    if since is not None:
        cond = cond & (Report.created_at >= since)
    return list(session.scalars(select(Report).where(cond).order_by(Report.id)))

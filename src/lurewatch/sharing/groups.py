"""Creating sharing groups, adding members and sharing reports with them.

A report owner decides what goes where: `Report.shared` sends a report to every group; sharing
it with one group (`share_report`) sends it there only. Group membership says which partner
organisations receive the group's exports (and, for the TAXII server, which API keys may read
its collection).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lurewatch.sharing.errors import NotMemberError, SharingError
from lurewatch.sharing.markings import TLP_LEVELS
from lurewatch.sharing.tables import ReportShare, SharingGroup, SharingGroupMember
from lurewatch.store.keys import get_or_create_org
from lurewatch.store.schema import Report


def get_group(session: Session, name: str) -> SharingGroup:
    group = session.scalar(select(SharingGroup).where(SharingGroup.name == name))
    if group is None:
        raise SharingError(f"no sharing group named {name!r}")
    return group


def create_group(
    session: Session,
    name: str,
    *,
    tlp: str = "amber",
    members: list[str] | None = None,
    include_text: bool = False,
    description: str | None = None,
) -> SharingGroup:
    """Create a group (committed); member organisations are created when new."""
    name = name.strip()
    if not name or len(name) > 100:
        raise SharingError("a group name is 1 to 100 characters")
    if tlp not in TLP_LEVELS:
        raise SharingError(f"unknown TLP level {tlp!r}; choose from {', '.join(TLP_LEVELS)}")
    if session.scalar(select(SharingGroup.id).where(SharingGroup.name == name)) is not None:
        raise SharingError(f"a sharing group named {name!r} exists already")
    group = SharingGroup(name=name, tlp=tlp, include_text=include_text, description=description)
    group.members = [get_or_create_org(session, m) for m in members or []]
    session.add(group)
    session.commit()
    return group


def add_members(session: Session, name: str, members: list[str]) -> SharingGroup:
    group = get_group(session, name)
    for m in members:
        org = get_or_create_org(session, m)
        if org not in group.members:
            group.members.append(org)
    session.commit()
    return group


def is_member(session: Session, name: str, org_id: int) -> bool:
    """Whether organisation `org_id` belongs to sharing group `name`.

    Why it gates every export for a group (API and dashboard, any role): a report its owner
    shared with one group only must reach that group's members, not every organisation on
    the instance."""
    return (
        session.scalar(
            select(SharingGroupMember.org_id)
            .join(SharingGroup, SharingGroup.id == SharingGroupMember.group_id)
            .where(SharingGroup.name == name, SharingGroupMember.org_id == org_id)
        )
        is not None
    )


def require_member(session: Session, name: str, org_id: int) -> SharingGroup:
    """The group `name` if organisation `org_id` is a member (see `is_member`); raises
    `SharingError` for an unknown group and `NotMemberError` for one it is not in, so that
    every export route refuses the same way."""
    if is_member(session, name, org_id):
        return get_group(session, name)
    group = get_group(session, name)  # SharingError when there is no such group
    raise NotMemberError(f"organisation is not a member of sharing group {group.name!r}")


def member_groups(session: Session, org_id: int) -> list[str]:
    """Names of the sharing groups organisation `org_id` belongs to, sorted (the groups it
    may export for; see `is_member`)."""
    return [
        str(n)
        for n in session.scalars(
            select(SharingGroup.name)
            .join(SharingGroupMember, SharingGroupMember.group_id == SharingGroup.id)
            .where(SharingGroupMember.org_id == org_id)
            .order_by(SharingGroup.name)
        )
    ]


def share_report(session: Session, name: str, report_uid: str, org_id: int | None = None) -> bool:
    """Share a report with a group; False when it was already shared with it. With `org_id`,
    only that organisation's own reports can be shared (the API passes the caller's)."""
    group = get_group(session, name)
    query = select(Report).where(Report.uid == report_uid)
    if org_id is not None:
        query = query.where(Report.org_id == org_id)
    report = session.scalar(query)
    if report is None:
        raise SharingError(f"no report {report_uid!r}")
    if session.get(ReportShare, (report.id, group.id)) is not None:
        return False
    session.add(ReportShare(report_id=report.id, group_id=group.id))
    session.commit()
    return True

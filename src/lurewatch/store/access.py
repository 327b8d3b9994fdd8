"""Who may do what: roles, their rights, and the viewer passed to every read.

Rights are a table, not scattered `if role == ...` checks, so the API, the CLI and the tests
read the same answer. Personal data (names and contacts of reporters and victims) is a right of
its own that only `admin` holds: analysts work on the operation (phones, wallets, domains) and
do not need to know who reported it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.orm import Session

from lurewatch.store.schema import AuditEvent

Role = Literal["admin", "analyst", "reporter", "partner"]
ROLES: tuple[Role, ...] = ("admin", "analyst", "reporter", "partner")

RIGHTS: dict[Role, frozenset[str]] = {
    "admin": frozenset(
        {
            "submit",
            "bulk",
            "edit",
            "read",
            "read_org",
            "read_shared",
            "read_personal",
            "redact",
            "screen",
            "lookup",
        }
    ),
    "analyst": frozenset(
        {"submit", "bulk", "edit", "read", "read_org", "read_shared", "screen", "lookup"}
    ),
    "reporter": frozenset({"submit"}),
    "partner": frozenset({"read", "read_shared", "screen", "lookup"}),
}


@dataclass(frozen=True)
class Viewer:
    """The organisation and role a read or write is done for (and the key, for the audit)."""

    org_id: int
    role: Role
    key_id: int | None = None

    def can(self, right: str) -> bool:
        return right in RIGHTS[self.role]


def audit(
    session: Session,
    action: str,
    *,
    viewer: Viewer | None = None,
    org_id: int | None = None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add an audit event to the session's transaction (committed with the change itself)."""
    session.add(
        AuditEvent(
            org_id=viewer.org_id if viewer else org_id,
            key_id=viewer.key_id if viewer else None,
            action=action,
            target=target,
            detail=detail or {},
        )
    )

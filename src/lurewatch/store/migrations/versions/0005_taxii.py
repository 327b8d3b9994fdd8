"""TAXII 2.1 collections, objects and status resources (owned by the TAXII work, issue 7)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 23:10:00
"""

from collections.abc import Sequence

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # filled in by the issue-7 work; kept so the revision chain is fixed while it is built


def downgrade() -> None:
    pass

"""sharing groups and what each organisation shares (owned by the sharing work, issue 7)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 23:10:00
"""

from collections.abc import Sequence

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # filled in by the issue-7 work; kept so the revision chain is fixed while it is built


def downgrade() -> None:
    pass

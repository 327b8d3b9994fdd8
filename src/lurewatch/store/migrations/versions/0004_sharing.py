"""sharing groups and what each organisation shares (owned by the sharing work, issue 7)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sharing_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("include_text", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "sharing_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["sharing_groups.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "org_id"),
    )
    op.create_table(
        "report_shares",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["sharing_groups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("report_id", "group_id"),
    )
    op.create_index("ix_report_shares_group_id", "report_shares", ["group_id"])
    op.create_table(
        "sharing_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "foreign_objects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("object_id", sa.String(length=120), nullable=False),
        sa.Column("object_type", sa.String(length=60), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("producer", sa.String(length=200), nullable=True),
        sa.Column("tlp", sa.String(length=20), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.ForeignKeyConstraint(["import_id"], ["sharing_imports.id"]),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("format", "object_id", "version", name="uq_foreign_objects_version"),
    )
    op.create_index("ix_foreign_objects_report", "foreign_objects", ["report_id"])


def downgrade() -> None:
    op.drop_index("ix_foreign_objects_report", table_name="foreign_objects")
    op.drop_table("foreign_objects")
    op.drop_table("sharing_imports")
    op.drop_index("ix_report_shares_group_id", table_name="report_shares")
    op.drop_table("report_shares")
    op.drop_table("sharing_group_members")
    op.drop_table("sharing_groups")

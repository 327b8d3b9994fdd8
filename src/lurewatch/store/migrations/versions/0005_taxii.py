"""TAXII 2.1 collections, objects, status resources and pulls; private-matching sessions
(owned by the TAXII/PSI work, issue 7)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "taxii_collections",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("alias", sa.String(length=100), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("readers", sa.JSON(), nullable=False),
        sa.Column("writers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["sharing_groups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("alias"),
        sa.UniqueConstraint("group_id"),
    )
    op.create_table(
        "taxii_objects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.String(length=36), nullable=False),
        sa.Column("object_id", sa.String(length=120), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("spec_version", sa.String(length=10), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("version_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("date_added", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_first", sa.Boolean(), nullable=False),
        sa.Column("is_last", sa.Boolean(), nullable=False),
        sa.Column("media_type", sa.String(length=60), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["collection_id"], ["taxii_collections.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "collection_id", "object_id", "version", name="uq_taxii_objects_version"
        ),
    )
    op.create_index("ix_taxii_objects_page", "taxii_objects", ["collection_id", "date_added", "id"])
    op.create_index("ix_taxii_objects_object", "taxii_objects", ["collection_id", "object_id"])
    op.create_table(
        "taxii_status",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("request_timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total_count", sa.Integer(), nullable=False),
        sa.Column("success_count", sa.Integer(), nullable=False),
        sa.Column("failure_count", sa.Integer(), nullable=False),
        sa.Column("pending_count", sa.Integer(), nullable=False),
        sa.Column("successes", sa.JSON(), nullable=False),
        sa.Column("failures", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "taxii_pulls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("api_root", sa.String(length=500), nullable=False),
        sa.Column("remote_collection", sa.String(length=100), nullable=False),
        sa.Column("local_collection_id", sa.String(length=36), nullable=False),
        sa.Column("last_added", sa.String(length=40), nullable=True),
        sa.Column("objects", sa.Integer(), nullable=False),
        sa.Column("pulled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["local_collection_id"], ["taxii_collections.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("api_root", "remote_collection", name="uq_taxii_pulls"),
    )
    op.create_table(
        "psi_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=True),
        sa.Column("indicator_type", sa.String(length=20), nullable=False),
        sa.Column("initiator_size", sa.Integer(), nullable=False),
        sa.Column("responder_size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("intersection_size", sa.Integer(), nullable=True),
        sa.Column("matched", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_psi_sessions_org_created", "psi_sessions", ["org_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_psi_sessions_org_created", table_name="psi_sessions")
    op.drop_table("psi_sessions")
    op.drop_table("taxii_pulls")
    op.drop_table("taxii_status")
    op.drop_index("ix_taxii_objects_object", table_name="taxii_objects")
    op.drop_index("ix_taxii_objects_page", table_name="taxii_objects")
    op.drop_table("taxii_objects")
    op.drop_table("taxii_collections")

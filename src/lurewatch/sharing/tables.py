"""Store tables for sharing: groups, what is shared with them, and what partners sent us.

They live on `store.schema.Base` (one metadata, one Alembic history; migration 0004).

Why these shapes:
- `SharingGroup` is the audience of an export (like a MISP sharing group): member
  organisations, the TLP 2.0 level everything sent to it carries, and whether lure texts may
  go (off by default: texts are where personal data hides).
- `ReportShare` shares one report with one group; `Report.shared` (consent to share with all
  partners) shares it with every group. Nothing else leaves.
- `ForeignObject` keeps every imported STIX object or MISP event verbatim, with its producer,
  TLP and version, so a re-export hands partners' intelligence on unchanged (their ids, their
  authorship, their markings) and only where its TLP allows; `report_id` is the native report
  the import made of it, so lookups and linking see the partner's identifiers.
- `SharingImport` records each import (who, when, the file's SHA-256, counts) for provenance.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lurewatch.store.schema import Base, Organisation, utcnow


class SharingGroup(Base):
    __tablename__ = "sharing_groups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    tlp: Mapped[str] = mapped_column(String(20), default="amber")
    """TLP 2.0 level of everything exported to the group: clear, green, amber, amber+strict, red."""
    include_text: Mapped[bool] = mapped_column(Boolean, default=False)
    """Send the lure texts (with personal data masked), not only identifiers and context."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    members: Mapped[list[Organisation]] = relationship(
        secondary="sharing_group_members", order_by="Organisation.name"
    )


class SharingGroupMember(Base):
    __tablename__ = "sharing_group_members"
    group_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_groups.id", ondelete="CASCADE"), primary_key=True
    )
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )


class ReportShare(Base):
    """Report `report_id` is shared with group `group_id` (beyond `Report.shared`)."""

    __tablename__ = "report_shares"
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_groups.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SharingImport(Base):
    __tablename__ = "sharing_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    format: Mapped[str] = mapped_column(String(8))
    """"stix" or "misp"."""
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    source: Mapped[str | None] = mapped_column(String(500), default=None)
    sha256: Mapped[str] = mapped_column(String(64))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ForeignObject(Base):
    """One imported STIX object (one version of it) or one MISP event, kept verbatim."""

    __tablename__ = "foreign_objects"
    __table_args__ = (
        UniqueConstraint("format", "object_id", "version", name="uq_foreign_objects_version"),
        Index("ix_foreign_objects_report", "report_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    format: Mapped[str] = mapped_column(String(8))
    object_id: Mapped[str] = mapped_column(String(120))
    """STIX id (`type--uuid`) or MISP event uuid."""
    object_type: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(40), default="")
    """STIX `modified` (empty for unversioned objects), MISP event `timestamp`."""
    producer: Mapped[str | None] = mapped_column(String(200), default=None)
    tlp: Mapped[str | None] = mapped_column(String(20), default=None)
    """TLP of the object as its producer marked it (None: unmarked, treated as amber)."""
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    """The organisation that imported it."""
    import_id: Mapped[int] = mapped_column(ForeignKey("sharing_imports.id"))
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), default=None
    )
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

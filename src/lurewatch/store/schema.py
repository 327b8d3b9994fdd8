"""The store's tables (SQLAlchemy 2 declarative models), one schema for SQLite and PostgreSQL.

Shape and why:
- A `Report` is the logical case (stable public `uid`, owning organisation, external id, triage
  flags); each submitted content is an immutable `ReportVersion`. Edits add a version, never
  overwrite one, so what an analyst saw and acted on can always be shown again.
- Idempotent ingest rests on unique constraints, not on a check-then-insert: (org, external_id)
  on reports and (org, content_hash) on versions. Two racing imports cannot both win.
- `Item` is a job ad, a message or a conversation (`messages`, a JSON list of turns) inside a
  version; `Assessment` is the screening verdict of one item.
- `Indicator` is the (type, normalized) key; `Occurrence` says where and when it was seen. They
  hold operation data only. Names and contacts of reporters and victims live in `PersonalDatum`,
  a separate table that only privileged roles read and that redaction empties.
- `AuditEvent` records who did what (ingest, read of personal data, redaction, retention).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012  (SQLAlchemy API)


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    retention_days: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("org_id", "external_id", name="uq_reports_org_external"),
        Index("ix_reports_org_urgent_received", "org_id", "urgent", "received_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    external_id: Mapped[str | None] = mapped_column(String(200), default=None)
    source: Mapped[str | None] = mapped_column(String(100), default=None)
    reporter_type: Mapped[str | None] = mapped_column(String(40), default=None)
    country: Mapped[str | None] = mapped_column(String(2), default=None)
    language: Mapped[str | None] = mapped_column(String(12), default=None)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    consent_store: Mapped[bool] = mapped_column(Boolean, default=True)
    consent_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    """Consent to share with partner organisations (operation data only, never personal data)."""
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    urgency: Mapped[list[Any]] = mapped_column(default=list)
    possible_victim: Mapped[bool] = mapped_column(Boolean, default=False)
    """The report says someone was forced to send scam messages: a victim, not a perpetrator."""
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    redacted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    versions: Mapped[list[ReportVersion]] = relationship(
        back_populates="report", order_by="ReportVersion.version", cascade="all, delete-orphan"
    )
    personal: Mapped[list[PersonalDatum]] = relationship(cascade="all, delete-orphan")


class ReportVersion(Base):
    __tablename__ = "report_versions"
    __table_args__ = (
        UniqueConstraint("report_id", "version", name="uq_versions_report_version"),
        UniqueConstraint("org_id", "content_hash", name="uq_versions_org_hash"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text, default=None)
    attachments_text: Mapped[str | None] = mapped_column(Text, default=None)
    note: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    report: Mapped[Report] = relationship(back_populates="versions")
    items: Mapped[list[Item]] = relationship(order_by="Item.position", cascade="all, delete-orphan")


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("report_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    """"job_ad", "message" or "conversation"."""
    channel: Mapped[str | None] = mapped_column(String(30), default=None)
    text: Mapped[str | None] = mapped_column(Text, default=None)
    messages: Mapped[list[Any] | None] = mapped_column(default=None)
    """A conversation's turns: [{"text", "sender"?, "sent_at"?}, ...]."""
    assessment: Mapped[Assessment | None] = relationship(
        uselist=False, cascade="all, delete-orphan"
    )


class Assessment(Base):
    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), unique=True)
    risk: Mapped[float] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column(Boolean)
    category: Mapped[str] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(12), default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Indicator(Base):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("type", "normalized", name="uq_indicators_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(20))
    normalized: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Occurrence(Base):
    __tablename__ = "indicator_occurrences"
    __table_args__ = (Index("ix_occ_indicator_seen", "indicator_id", "seen_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    value: Mapped[str] = mapped_column(String(512))
    valid: Mapped[bool] = mapped_column(Boolean)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    country: Mapped[str | None] = mapped_column(String(2), default=None)
    report: Mapped[Report] = relationship()
    item: Mapped[Item] = relationship()


class PersonalDatum(Base):
    __tablename__ = "personal_data"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(20))
    """"reporter" or "victim"."""
    field: Mapped[str] = mapped_column(String(20))
    """"name" or "contact"."""
    value: Mapped[str | None] = mapped_column(Text)
    redacted: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEvent(Base):
    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), default=None)
    key_id: Mapped[int | None] = mapped_column(Integer, default=None)
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(100), default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ListVersion(Base):
    """One `lurewatch lists update`: numbered, never changed afterwards.

    `manifest["files"]` names every list in force at this version (name, file, format, entries,
    sha256, and `version`: the number of the version whose rows hold that list's entries), so a
    list carried over from an earlier update is not copied row by row.
    """

    __tablename__ = "list_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200), default=None)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), default=None)
    manifest: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ListEntry(Base):
    """A known-bad (or allow) host, or host + path, as imported in one list version."""

    __tablename__ = "list_entries"
    __table_args__ = (Index("ix_list_entries_version_list", "version_id", "list_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id", ondelete="CASCADE"))
    list_name: Mapped[str] = mapped_column(String(100))
    host: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(Text, default="")
    since: Mapped[str | None] = mapped_column(String(10), default=None)
    """ISO date (YYYY-MM-DD) as published, or the import date when the list gives none."""
    allow: Mapped[bool] = mapped_column(Boolean, default=False)

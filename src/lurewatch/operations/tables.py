"""Store tables for operations (clusters of linked reports) and analysts' decisions on them.

They share `store.schema.Base`, so one metadata and one Alembic history hold everything
(migration 0003). Why decisions are rows of their own: a split or merge is an analyst's
judgement; re-linking recomputes clusters from evidence, then replays these decisions on top,
so the judgement survives new data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lurewatch.store.schema import Base, utcnow


class Operation(Base):
    """One operation as of the latest linking run.

    `uid` (e.g. `op-3f9c2a1b7d04`) is the public id, kept across re-runs while membership barely
    changes. JSON columns hold the summary the dashboard and exporters show without recomputing.
    """

    __tablename__ = "operations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    """active | merged (into `merged_into`) | retired (no longer found)."""
    merged_into: Mapped[str | None] = mapped_column(String(40), default=None)
    label: Mapped[str | None] = mapped_column(String(200), default=None)
    size: Mapped[int] = mapped_column(Integer, default=0)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    first_seen: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    last_seen: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    countries: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """country code -> number of reports."""
    languages: Mapped[dict[str, Any]] = mapped_column(default=dict)
    categories: Mapped[dict[str, Any]] = mapped_column(default=dict)
    top_indicators: Mapped[list[Any]] = mapped_column(default=list)
    """[{"type", "normalized", "reports"}], most shared first."""
    template: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """{"text": "... {phone} ...", "slots": [{"name", "start", "end", "examples": [...]}]}."""
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    """The edges that hold it together: [{"a", "b", "kind", "key", "weight"}] (report uids)."""
    run: Mapped[int] = mapped_column(Integer, default=0)
    """The linking run that last wrote it."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    members: Mapped[list[OperationMember]] = relationship(
        cascade="all, delete-orphan", back_populates="operation"
    )


class OperationMember(Base):
    """Report `report_id` belongs to operation `operation_id` (a report is in at most one)."""

    __tablename__ = "operation_members"
    operation_id: Mapped[int] = mapped_column(
        ForeignKey("operations.id", ondelete="CASCADE"), primary_key=True
    )
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True, unique=True
    )
    operation: Mapped[Operation] = relationship(back_populates="members")


class OperationDecision(Base):
    """An analyst's split or merge, replayed after every re-linking.

    - merge: `operations` lists the uids merged (first one survives); `reports` lists one member
      report of each, so the merge still applies when uids change.
    - split: `reports` lists the report uids moved out into a new operation of their own.
    """

    __tablename__ = "operation_decisions"
    __table_args__ = (Index("ix_operation_decisions_at", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    operations: Mapped[list[Any]] = mapped_column(default=list)
    reports: Mapped[list[Any]] = mapped_column(default=list)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), default=None)
    actor: Mapped[str | None] = mapped_column(String(200), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LinkRun(Base):
    """One linking run over the store: what it covered and what it changed.

    `number` is the `run` written on every operation the run touched, so an analyst can tell
    which operations a run changed and the API can say which run is the latest.
    """

    __tablename__ = "link_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    mode: Mapped[str] = mapped_column(String(12))
    """full | incremental."""
    engine: Mapped[str] = mapped_column(String(12))
    reports: Mapped[int] = mapped_column(Integer, default=0)
    """Reports linked in this run (the whole store, or the new reports' neighbourhood)."""
    new_reports: Mapped[int] = mapped_column(Integer, default=0)
    operations: Mapped[int] = mapped_column(Integer, default=0)
    """Operations written (created or updated) by this run."""
    retired: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    actor: Mapped[str | None] = mapped_column(String(200), default=None)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LinkedReport(Base):
    """Report `report_id` has been linked (in run `run`); reports without a row are new.

    Kept apart from `reports` so the store's own table needs no linking column, and so deleting
    a report (retention) removes its linking state with it.
    """

    __tablename__ = "linked_reports"
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    run: Mapped[int] = mapped_column(Integer)


class LinkKey(Base):
    """An index key of a linked report (`linking.index_keys`: linking indicator keys and the
    text's LSH band keys). Incremental linking looks a new report's keys up here to find the
    stored reports it can link to, instead of re-linking the whole store."""

    __tablename__ = "link_keys"
    __table_args__ = (Index("ix_link_keys_key", "key"),)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(600), primary_key=True)

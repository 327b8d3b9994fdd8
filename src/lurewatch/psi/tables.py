"""PSI sessions this instance answered: the record that meters partners and audits matching.

Only sizes, the asking organisation and the outcome are stored, plus `matched`: this
instance's own identifiers that the partner turned out to hold as well (its analysts' result).
The secret scalar and the blinded points live in memory for the session's few minutes only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from lurewatch.store.schema import Base, utcnow


class PsiSession(Base):
    __tablename__ = "psi_sessions"
    __table_args__ = (Index("ix_psi_sessions_org_created", "org_id", "created_at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    key_id: Mapped[int | None] = mapped_column(Integer, default=None)
    indicator_type: Mapped[str] = mapped_column(String(20))
    initiator_size: Mapped[int] = mapped_column(Integer)
    responder_size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="open")
    """open | answered (offer fully blinded) | confirmed (intersection known here too)."""
    intersection_size: Mapped[int | None] = mapped_column(Integer, default=None)
    matched: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

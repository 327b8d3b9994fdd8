"""Store tables of the TAXII 2.1 server: collections, their objects, status resources, pulls.

Why these shapes:
- `TaxiiCollection` is one TAXII collection: either the collection of a sharing group
  (`group_id`; its members read and write it) or one the deployment configures with explicit
  reader and writer organisations (`readers`/`writers`: names, or "*" for every organisation).
- `TaxiiObject` is one version of one STIX object in one collection, kept verbatim.
  `date_added` is strictly increasing within a collection (see store.py), so `added_after`
  resumes exactly where a client stopped; `is_first`/`is_last` are kept on write so
  `match[version]=first|last` is an indexed filter, not a window query.
  `origin` says who put it there, so a re-publish can withdraw what the exporter no longer
  sends (a report redacted or no longer shared) without touching partners' objects.
- `TaxiiStatus` is the status resource of one POST of objects.
- `TaxiiPull` remembers, per remote collection, the last `date_added` pulled, so a re-pull
  asks only for what is new.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from lurewatch.store.schema import Base, utcnow


class TaxiiCollection(Base):
    __tablename__ = "taxii_collections"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    alias: Mapped[str | None] = mapped_column(String(100), unique=True, default=None)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, default=None)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("sharing_groups.id", ondelete="CASCADE"), unique=True, default=None
    )
    readers: Mapped[list[Any]] = mapped_column(default=list)
    writers: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TaxiiObject(Base):
    __tablename__ = "taxii_objects"
    __table_args__ = (
        UniqueConstraint("collection_id", "object_id", "version", name="uq_taxii_objects_version"),
        Index("ix_taxii_objects_page", "collection_id", "date_added", "id"),
        Index("ix_taxii_objects_object", "collection_id", "object_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[str] = mapped_column(
        ForeignKey("taxii_collections.id", ondelete="CASCADE")
    )
    object_id: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(100))
    spec_version: Mapped[str] = mapped_column(String(10))
    version: Mapped[str] = mapped_column(String(40))
    """The object's `modified` (else `created`, else its date_added), as written."""
    version_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    date_added: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    is_first: Mapped[bool] = mapped_column(Boolean, default=True)
    is_last: Mapped[bool] = mapped_column(Boolean, default=True)
    media_type: Mapped[str] = mapped_column(String(60))
    origin: Mapped[str] = mapped_column(String(10), default="posted")
    """published (this instance's exporter) | posted (a client's POST) | pulled (federation)."""
    body: Mapped[dict[str, Any]] = mapped_column()


class TaxiiStatus(Base):
    __tablename__ = "taxii_status"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    collection_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(10))
    request_timestamp: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    total_count: Mapped[int] = mapped_column(Integer)
    success_count: Mapped[int] = mapped_column(Integer)
    failure_count: Mapped[int] = mapped_column(Integer)
    pending_count: Mapped[int] = mapped_column(Integer, default=0)
    successes: Mapped[list[Any]] = mapped_column(default=list)
    failures: Mapped[list[Any]] = mapped_column(default=list)


class TaxiiPull(Base):
    __tablename__ = "taxii_pulls"
    __table_args__ = (UniqueConstraint("api_root", "remote_collection", name="uq_taxii_pulls"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    api_root: Mapped[str] = mapped_column(String(500))
    remote_collection: Mapped[str] = mapped_column(String(100))
    local_collection_id: Mapped[str] = mapped_column(
        ForeignKey("taxii_collections.id", ondelete="CASCADE")
    )
    last_added: Mapped[str | None] = mapped_column(String(40), default=None)
    """X-TAXII-Date-Added-Last of the last page pulled, as the server wrote it."""
    objects: Mapped[int] = mapped_column(Integer, default=0)
    pulled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

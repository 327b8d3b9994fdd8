"""Turning partners' intelligence into lurewatch reports and indexed identifiers.

Shared by the STIX and MISP importers. An imported report belongs to the organisation that
imported it (never to an organisation named inside the file: a bundle must not be able to
write into another tenant's data), is not marked shared (it is not ours to re-share; the
partner's original objects are, where their TLP allows), is not screened (we keep the
partner's assessment), and indexes its identifiers so `lurewatch lookup` and linking see them.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lurewatch.sharing.errors import SharingError
from lurewatch.sharing.tables import SharingImport
from lurewatch.store.access import audit
from lurewatch.store.intake import MAX_TEXT_CHARS
from lurewatch.store.keys import get_or_create_org
from lurewatch.store.queries import normalize_value
from lurewatch.store.repository import _indicator_ids
from lurewatch.store.schema import Item, Occurrence, Organisation, Report, ReportVersion

MAX_OBJECTS = 200_000
"""Objects (or attributes) one import may carry; more is refused, not truncated."""


@dataclass
class ImportResult:
    format: str
    import_id: int
    objects: int = 0
    new_objects: int = 0
    duplicates: int = 0
    reports: int = 0
    identifiers: int = 0
    skipped_reports: int = 0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def resolve_org(session: Session, org: Organisation | int | str) -> Organisation:
    if isinstance(org, Organisation):
        return org
    if isinstance(org, int):
        row = session.get(Organisation, org)
        if row is None:
            raise SharingError(f"no organisation with id {org}")
        return row
    return get_or_create_org(session, org)


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def parse_time(value: Any) -> datetime | None:
    """A STIX/MISP timestamp or date as an aware datetime; None when absent or unreadable."""
    if value in (None, ""):
        return None
    try:
        if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
            return datetime.fromtimestamp(int(value), UTC)
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


@dataclass
class NativeReport:
    """What an import makes into one lurewatch report."""

    external_id: str
    source: str
    text: str
    received_at: datetime | None
    identifiers: list[tuple[str, str]]
    country: str | None = None
    language: str | None = None


def store_reports(
    session: Session, org: Organisation, natives: list[NativeReport]
) -> list[tuple[NativeReport, Report | None]]:
    """Add the reports (not committed); an external id this organisation already holds is
    not added again (None in the answer). Returns each with its report row."""
    out: list[tuple[NativeReport, Report | None]] = []
    keys: set[tuple[str, str]] = set()
    normalized: dict[int, list[tuple[str, str, str]]] = {}
    for i, nat in enumerate(natives):
        triples = []
        for t, value in nat.identifiers:
            n = normalize_value(t, value)[:512]
            if n:
                triples.append((t, n, value[:512]))
                keys.add((t, n))
        normalized[i] = triples
    ids = _indicator_ids(session, sorted(keys))
    for i, nat in enumerate(natives):
        exists = session.scalar(
            select(Report.id).where(
                Report.org_id == org.id, Report.external_id == nat.external_id[:200]
            )
        )
        if exists is not None:
            out.append((nat, None))
            continue
        received = nat.received_at or datetime.now(UTC)
        report = Report(
            uid=str(uuid.uuid4()),
            org_id=org.id,
            external_id=nat.external_id[:200],
            source=nat.source[:100],
            country=(nat.country or "").upper()[:2] or None,
            language=(nat.language or None) and str(nat.language)[:12],
            received_at=received,
            shared=False,
            current_version=1,
        )
        text = nat.text[:MAX_TEXT_CHARS]
        version = ReportVersion(
            org_id=org.id,
            version=1,
            content_hash=digest(f"import:{nat.external_id}".encode()),
            text=text,
            note=f"imported ({nat.source})"[:500],
        )
        item = Item(position=0, kind="message", text=text)
        version.items.append(item)
        report.versions.append(version)
        session.add(report)
        seen: set[tuple[str, str]] = set()
        for t, n, value in normalized[i]:
            if (t, n) in seen:
                continue
            seen.add((t, n))
            session.add(
                Occurrence(
                    indicator_id=ids[(t, n)],
                    report=report,
                    item=item,
                    org_id=org.id,
                    value=value,
                    valid=True,
                    seen_at=received,
                    country=report.country,
                )
            )
        out.append((nat, report))
    session.flush()
    return out


def open_import(
    session: Session, fmt: str, org: Organisation, source: str | None, raw: bytes, objects: int
) -> tuple[SharingImport, ImportResult]:
    """The import record (flushed, so objects can point at it) and its result to fill."""
    record = SharingImport(format=fmt, org_id=org.id, source=source, sha256=digest(raw))
    session.add(record)
    session.flush()
    return record, ImportResult(fmt, record.id, objects=objects)


def store_counted(
    session: Session, org: Organisation, natives: list[NativeReport], result: ImportResult
) -> dict[str, Report]:
    """`store_reports`, counting into `result`; the stored report rows by external id."""
    stored = store_reports(session, org, natives)
    rows = {nat.external_id: row for nat, row in stored if row is not None}
    result.reports = len(rows)
    result.skipped_reports = len(stored) - len(rows)
    result.identifiers = len({k for nat, row in stored if row is not None for k in nat.identifiers})
    return rows


def close_import(
    session: Session, org: Organisation, record: SharingImport, result: ImportResult
) -> ImportResult:
    """Record the counts on the import and audit it (same transaction as the import)."""
    record.counts = result.to_dict()
    audit(
        session,
        "sharing.import",
        org_id=org.id,
        target=f"{record.format}:{record.id}",
        detail=record.counts,
    )
    session.flush()
    return result

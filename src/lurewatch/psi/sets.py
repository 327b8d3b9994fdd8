"""The sets that take part: read from a file (one identifier a line) or from the store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lurewatch.psi.normalize import BadValueError, normalize
from lurewatch.store.schema import Indicator, Occurrence, Report

MAX_LINE = 4096


@dataclass
class ReadSet:
    values: set[str] = field(default_factory=set)
    errors: list[tuple[int, str]] = field(default_factory=list)
    """(line number, reason) for every line that is not an identifier of the type."""


def read_values(lines: Iterable[str], indicator_type: str, region: str | None = None) -> ReadSet:
    """Normalized distinct values; blank lines and `#` comments skipped, bad lines listed."""
    out = ReadSet()
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if len(line) > MAX_LINE:
            out.errors.append((n, f"longer than {MAX_LINE} characters"))
            continue
        try:
            out.values.add(normalize(indicator_type, line, region))
        except BadValueError as exc:
            out.errors.append((n, str(exc)))
    return out


def read_file(path: Path, indicator_type: str, region: str | None = None) -> ReadSet:
    with path.open(encoding="utf-8", errors="replace") as f:
        return read_values(f, indicator_type, region)


def store_values(session: Session, indicator_type: str, *, shared_only: bool = False) -> set[str]:
    """Every identifier of the type in reports that are not redacted (or only shared ones).

    All of them by default: private matching exists for values that may not be handed over in
    the clear (a victim's number, an account under investigation); the partner learns only
    those it already holds.
    """
    q = (
        select(Indicator.normalized)
        .join(Occurrence, Occurrence.indicator_id == Indicator.id)
        .join(Report, Report.id == Occurrence.report_id)
        .where(Indicator.type == indicator_type, Report.redacted_at.is_(None))
        .distinct()
    )
    if shared_only:
        q = q.where(Report.shared.is_(True))
    return set(session.scalars(q))

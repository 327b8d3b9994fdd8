"""The intelligence store: reports, items, assessments, indicators, personal data, audit.

SQLite by default, PostgreSQL via `LUREWATCH_DATABASE_URL`; see docs/store.md.
"""

from lurewatch.store.access import ROLES, Role, Viewer
from lurewatch.store.db import make_engine, session_factory
from lurewatch.store.intake import ReportIn
from lurewatch.store.migrate import upgrade
from lurewatch.store.repository import IngestResult, add_version, ingest

__all__ = [
    "ROLES",
    "IngestResult",
    "ReportIn",
    "Role",
    "Viewer",
    "add_version",
    "ingest",
    "make_engine",
    "session_factory",
    "upgrade",
]

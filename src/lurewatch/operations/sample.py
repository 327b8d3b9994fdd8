"""The bundled sample reports (65 reports written for lurewatch, nine languages, four planted
operations plus unrelated reports and decoys) and loading them into a store, linked.

One place for it because `lurewatch operations sample` and `make demo` both do exactly this.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from lurewatch.operations.store_link import Mode, RunSummary, link_store
from lurewatch.store.access import Viewer
from lurewatch.store.bulk import BulkSummary, ingest_stream
from lurewatch.store.keys import get_or_create_org

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "samples" / "reports.jsonl"


def load_sample(
    session: Session, org: str, *, actor: str, mode: Mode = "auto"
) -> tuple[BulkSummary, RunSummary]:
    """Ingest the sample reports for `org` (created if new), then link the store."""
    org_id = get_or_create_org(session, org).id
    session.commit()
    with SAMPLE.open("rb") as stream:
        summary = ingest_stream(session, Viewer(org_id, "admin"), stream, "jsonl")
    return summary, link_store(session, mode=mode, actor=actor)

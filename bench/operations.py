"""Linking the store: full run vs incremental run, side by side on one store.

A synthetic report set with planted operations (`lurewatch.linking.synthetic`, indicators
given, as intake would have indexed them) is written into a SQLite store with Core bulk
inserts; then, on the same store and in one process:

1. a full run over the first `n - k` reports,
2. `k` new reports arrive: an incremental run (neighbourhood only),
3. a full run over all `n` (what the incremental run saves),

and the memberships after (2) and (3) are compared (the tested equality, at scale), with the
pairwise precision/recall of the operations against the planted truth.

    uv run --frozen python bench/operations.py [n] [k]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from lurewatch.linking import Cluster, LinkRecord
from lurewatch.linking.synthetic import generate, pairwise_scores
from lurewatch.operations.store_link import link_store, memberships
from lurewatch.store import make_engine, session_factory, upgrade
from lurewatch.store.keys import get_or_create_org
from lurewatch.store.schema import Indicator, Item, Occurrence, Report, ReportVersion


def fill(url: str, records: list[LinkRecord], start: int, ids: dict[tuple[str, str], int]) -> None:
    engine = make_engine(url)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    with session_factory(engine)() as s:
        org = get_or_create_org(s, "bench").id
        s.commit()
        reports, versions, items, inds, occs = [], [], [], [], []
        for n, rec in enumerate(records, start + 1):
            when = base + timedelta(minutes=n)
            reports.append(
                {
                    "id": n,
                    "uid": rec.report_id,
                    "org_id": org,
                    "received_at": when,
                    "created_at": when,
                    "urgency": [],
                    "consent_store": True,
                    "consent_contact": False,
                    "shared": False,
                    "urgent": False,
                    "possible_victim": False,
                    "current_version": 1,
                }
            )
            versions.append(
                {
                    "id": n,
                    "report_id": n,
                    "org_id": org,
                    "version": 1,
                    "content_hash": rec.report_id,
                    "text": rec.text,
                    "created_at": when,
                }
            )
            items.append(
                {"id": n, "version_id": n, "position": 0, "kind": "message", "text": rec.text}
            )
            for key in rec.indicators or ():
                if key not in ids:
                    ids[key] = len(ids) + 1
                    inds.append(
                        {"id": ids[key], "type": key[0], "normalized": key[1], "created_at": when}
                    )
                occs.append(
                    {
                        "indicator_id": ids[key],
                        "report_id": n,
                        "item_id": n,
                        "org_id": org,
                        "value": key[1],
                        "valid": True,
                        "seen_at": when,
                    }
                )
        for table, rows in (
            (Report, reports),
            (ReportVersion, versions),
            (Item, items),
            (Indicator, inds),
            (Occurrence, occs),
        ):
            for i in range(0, len(rows), 20_000):
                s.execute(insert(table), rows[i : i + 20_000])
        s.commit()
    engine.dispose()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    data = generate(n, seed=11)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(make_engine(url))
        ids: dict[tuple[str, str], int] = {}
        fill(url, data.records[: n - k], 0, ids)
        sessions = session_factory(make_engine(url))
        with sessions() as s:
            t = time.perf_counter()
            first = link_store(s, mode="full")
            t_first = time.perf_counter() - t
        fill(url, data.records[n - k :], n - k, ids)
        with sessions() as s:
            t = time.perf_counter()
            inc = link_store(s, mode="incremental")
            t_inc = time.perf_counter() - t
            after_inc = sorted(sorted(m) for m in memberships(s).values())
            t = time.perf_counter()
            full = link_store(s, mode="full")
            t_full = time.perf_counter() - t
            after_full = sorted(sorted(m) for m in memberships(s).values())
    p, r, f1 = pairwise_scores([Cluster(tuple(m), ()) for m in after_full], data.truth)
    print(f"store: {n:,} synthetic reports (seed 11), {k} of them new; SQLite; machine load shared")
    print("| run | reports linked | operations written | seconds |")
    print("|---|---:|---:|---:|")
    print(f"| full, first {n - k:,} | {first.reports:,} | {first.operations:,} | {t_first:.1f} |")
    print(f"| incremental, {k} new | {inc.reports:,} | {inc.operations:,} | {t_inc:.1f} |")
    print(f"| full, all {n:,} | {full.reports:,} | {full.operations:,} | {t_full:.1f} |")
    print(f"incremental / full time: {t_inc / t_full:.3f}")
    print(f"incremental == full memberships: {after_inc == after_full}")
    print(f"pairwise precision {p:.3f} recall {r:.3f} F1 {f1:.3f} against the planted truth")


if __name__ == "__main__":
    main()

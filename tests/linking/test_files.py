"""link_files: JSONL, CSV and Parquet input; malformed rows reported with line numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from lurewatch.linking import link_files

GOOD = [
    {
        "id": "g1",
        "text": "Lottery prize! claim with our agent",
        "indicators": [["handle", "lotto_agent77"]],
    },
    {
        "id": "g2",
        "text": "You won a car, message the agent",
        "indicators": [{"type": "handle", "normalized": "lotto_agent77"}],
    },
    {"id": "g3", "text": "Work from home, WhatsApp +66 92 418 7730", "country": "TH"},
    {
        "id": "g4",
        "text": "Typing job, contact WhatsApp +66 92 418 7730 today",
        "country": "TH",
        "seen_at": "2026-03-01T10:00:00",
    },
]


def write_messy_jsonl(path: Path) -> None:
    lines = [json.dumps(GOOD[0]), json.dumps(GOOD[1])]
    lines.append('{"id": "broken", "text": "unterminated')  # line 3
    lines.append(json.dumps({"id": "notext"}))  # line 4
    lines.append(json.dumps({"id": "badind", "text": "x", "indicators": "nope"}))  # line 5
    lines.append(json.dumps(GOOD[2]))
    lines.append("")  # blank lines are skipped, not errors
    lines.append(json.dumps({"id": "g1", "text": "again"}))  # line 8: repeated id
    lines.append(json.dumps({"id": "baddate", "text": "x", "seen_at": "yesterday"}))  # line 9
    lines.append(json.dumps([1, 2]))  # line 10
    lines.append(json.dumps({"id": "badrisk", "text": "x", "risk": 7}))  # line 11
    lines.append(json.dumps(GOOD[3]))
    data = "\n".join(lines).encode() + b"\n" + b'{"id": "bin", "text": "\xff\xfe"}\n'  # line 13
    path.write_bytes(data)


def test_malformed_rows_are_skipped_with_line_numbers_and_the_job_finishes(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    write_messy_jsonl(path)
    res = link_files(path)
    assert [line for line, _ in res.bad] == [3, 4, 5, 8, 9, 10, 11, 13]
    reasons = dict(res.bad)
    assert reasons[3].startswith("malformed JSON")
    assert reasons[4] == "no text"
    assert "indicators" in reasons[5]
    assert reasons[8] == "duplicate id 'g1' (first used on line 1)"
    assert "seen_at" in reasons[9]
    assert "JSON object" in reasons[10]
    assert "risk" in reasons[11]
    assert "UTF-8" in reasons[13]
    assert [c.report_ids for c in res.clusters] == [("g1", "g2"), ("g3", "g4")]
    assert "phone:+66924187730" in {e.key for e in res.clusters[1].edges}
    assert res.prepared["g4"].seen_at is not None


def test_csv_and_parquet_give_the_same_clusters(tmp_path: Path) -> None:
    rows = [
        {**r, "indicators": json.dumps(r.get("indicators")) if "indicators" in r else ""}
        for r in GOOD
    ]
    csv_path = tmp_path / "reports.csv"
    import csv

    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "text", "indicators", "country", "seen_at"])
        writer.writeheader()
        for r in rows:
            writer.writerow({k: r.get(k, "") for k in writer.fieldnames})
    pq_path = tmp_path / "reports.parquet"
    pq.write_table(
        pa.table(
            {
                "id": [r["id"] for r in GOOD] + ["p5"],
                "text": [r["text"] for r in GOOD] + [None],
                "indicators": [
                    json.dumps(r["indicators"]) if "indicators" in r else None for r in GOOD
                ]
                + [None],
                "country": [r.get("country") for r in GOOD] + [None],
            }
        ),
        pq_path,
    )
    from_csv = link_files(csv_path)
    from_parquet = link_files(pq_path)
    assert from_csv.bad == []
    assert from_parquet.bad == [(5, "no text")]
    expected = [("g1", "g2"), ("g3", "g4")]
    assert [c.report_ids for c in from_csv.clusters] == expected
    assert from_parquet.clusters == from_csv.clusters

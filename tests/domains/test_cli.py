"""The `domains` and `lists update` commands, through typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lurewatch.domains.cli import app


def test_domains_batch_jsonl(tmp_path: Path, data_dir: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text(
        "gcash.com\n"
        '{"id": "case-9", "url": "https://okx-futures.net/login"}\n'
        "{broken\n"
        '{"id": 3}\n'
        "\n"
        "http://" + "a" * 5000 + ".com\n"
    )
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(app, ["domains", "--input", str(src), "--output", str(out)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(rows) == 5
    assert rows[0]["official"] == "GCash" and not rows[0]["flagged"]
    assert rows[1]["id"] == "case-9" and rows[1]["flagged"] and rows[1]["imitates"] == ["OKX"]
    assert "error" in rows[2] and "error" in rows[3]
    assert rows[4]["domain"] is None and rows[4]["reasons"]


def test_lists_update_and_errors(tmp_path: Path, data_dir: Path) -> None:
    f = tmp_path / "ngo.txt"
    f.write_text("fake-recruit.asia\n")
    res = CliRunner().invoke(app, ["lists", "update", str(f)])
    assert res.exit_code == 0 and "version 1" in res.output
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    res = CliRunner().invoke(app, ["lists", "update", str(bad)])
    assert res.exit_code == 2 and "invalid JSON" in res.output
    res = CliRunner().invoke(app, ["lists", "update", str(tmp_path / "missing.txt")])
    assert res.exit_code == 2

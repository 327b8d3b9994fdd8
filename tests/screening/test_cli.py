"""`lurewatch screen`: readable single-text output and the streaming batch mode."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lurewatch.cli import app

runner = CliRunner()


def test_screen_text_prints_verdict_and_advice() -> None:
    result = runner.invoke(
        app,
        [
            "screen",
            "Customer service job in Cambodia, USD 2,000, free flight and visa, "
            "no experience, contact us on Telegram @kh_hr_team",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "WARNING" in result.stdout
    assert "Red flags" in result.stdout


def test_screen_batch_keeps_order_and_reports_failures(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        b'{"id": "a", "text": "See you at 7 for dinner?"}\n'
        b'{"id": "b", "text": "x", "kind": "poem"}\n'
        b"{oops\n"
        b'{"id": "d", "text": "Free flight and visa, customer service in Cambodia, no '
        b'experience, USD 2000, contact HR on Telegram", "sender_known": "false"}\n'
        b'{"id": "e", "text": "\xff\xfe"}\n'
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["screen", "--input", str(src), "--output", str(out)])
    assert result.exit_code == 1
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r.get("id") for r in rows] == ["a", "b", None, "d", None]
    assert rows[0]["flagged"] is False
    assert "kind must be" in rows[1]["error"]
    assert rows[2]["line"] == 3 and "malformed JSON" in rows[2]["error"]
    assert rows[3]["flagged"] is True and rows[3]["category"] == "trafficking_lure"
    assert "invalid UTF-8" in rows[4]["error"]
    assert "2 item(s) screened, 3 failed" in result.stderr


def test_screen_csv_all_good(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('id,text\n1,"hello there"\n2,"see you tomorrow"\n', encoding="utf-8")
    result = runner.invoke(app, ["screen", "--input", str(src)])
    assert result.exit_code == 0
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["1", "2"]


def test_screen_batch_accepts_conversations(tmp_path: Path) -> None:
    chat = {
        "id": "c1",
        "messages": [
            {"from": "them", "text": "Hi, is this Anna? We met at the yoga class"},
            {"from": "me", "text": "Sorry, wrong number"},
            {"from": "them", "text": "Oh sorry! But maybe it's fate, can we be friends?"},
        ],
    }
    broken = {"id": "c2", "messages": "not a list"}
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps(chat) + "\n" + json.dumps(broken) + "\n" + '{"id": "t", "text": "hello"}\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["screen", "--input", str(src)])
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r.get("id") for r in rows] == ["c1", "c2", "t"]
    assert len(rows[0]["turns"]) == 3 and "alert_turn" in rows[0]
    assert "error" in rows[1]
    assert result.exit_code == 1

"""`conversation FILE`: timeline, JSON record, JSONL batch, asking who the user is."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lurewatch.conversation.cli import app

FIX = Path(__file__).parent.parent / "fixtures" / "conversations"
runner = CliRunner()


def test_timeline_marks_the_alert_turn() -> None:
    result = runner.invoke(app, [str(FIX / "plain_transcript.txt")])
    assert result.exit_code == 0, result.output
    assert "WARNING" in result.stdout and "⚠" in result.stdout
    assert "What to do" in result.stdout


def test_json_record_shape() -> None:
    result = runner.invoke(app, [str(FIX / "whatsapp_android.txt"), "--me", "Rosa", "--json"])
    assert result.exit_code == 0, result.output
    rec = json.loads(result.stdout)
    for key in ("id", "risk", "flagged", "category", "language", "turns", "alert_turn", "advice"):
        assert key in rec
    assert rec["flagged"] and rec["alert_turn"] is not None
    assert set(rec["turns"][0]) >= {"index", "from", "risk", "stage", "signals"}


def test_unknown_participant_lists_names_and_exits_2() -> None:
    result = runner.invoke(app, [str(FIX / "whatsapp_android.txt")])
    assert result.exit_code == 2
    assert "Rosa" in result.output and "--me" in result.output


def test_jsonl_batch_writes_records_and_errors(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = (FIX / "labelled.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    src.write_text("\n".join([*lines, '{"id": "bad", "messages": [{"text": "x"}]}']) + "\n",
                   encoding="utf-8")  # fmt: skip
    result = runner.invoke(app, [str(src)])
    assert result.exit_code == 1
    out = [json.loads(ln) for ln in result.stdout.splitlines()]
    assert [r.get("id") for r in out[:2]] == [json.loads(ln)["id"] for ln in lines]
    assert "line 3" in out[2]["error"]


def test_bad_file_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    src = tmp_path / "x.txt"
    src.write_bytes(b"\xff\xfe\x00")
    result = runner.invoke(app, [str(src)])
    assert result.exit_code == 2 and "error" in result.output
    assert "Traceback" not in result.output

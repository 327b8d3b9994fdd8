"""The command line, driven in-process through typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lurewatch.cli import app

runner = CliRunner()


def test_extract_file_with_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        b'{"id": "m1", "text": "nothing to see"}\n'
        b"{broken\n"
        b'{"id": "m3", "text": "bad \xff byte"}\n'
        b'{"id": "m4"}\n'
        b'{"id": "m5", "text": ""}\n'
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", "--input", str(src), "--output", str(out)])
    assert result.exit_code == 1  # some items failed
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line.get("id") for line in lines] == ["m1", None, None, "m4", "m5"]
    assert lines[0]["indicators"] == []
    assert "malformed JSON" in lines[1]["error"] and lines[1]["line"] == 2
    assert "invalid UTF-8" in lines[2]["error"]
    assert "'text'" in lines[3]["error"]
    assert lines[4]["indicators"] == []
    assert "2 record(s) processed, 3 failed" in result.stderr


def test_extract_all_good_exits_zero(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("one message\nanother message\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", "--input", str(src)])
    assert result.exit_code == 0
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["1", "2"]


def test_extract_usage_errors() -> None:
    assert runner.invoke(app, ["extract"]).exit_code == 2
    assert runner.invoke(app, ["extract", "x", "--types", "phone,bogus"]).exit_code == 2
    missing = runner.invoke(app, ["extract", "--input", "/nonexistent/file.jsonl"])
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_extract_text_prints_readable_output() -> None:
    result = runner.invoke(app, ["extract", "plain words only"])
    assert result.exit_code == 0
    assert "plain words only" in result.stdout


def test_demo_builds_a_linked_store_without_serving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make demo`'s store: the 65 sample reports, linked into the four planted operations, and a
    working analyst key; rebuilt from scratch on every run."""
    from lurewatch.demo import build_demo_store

    first = build_demo_store(tmp_path / "demo")
    again = build_demo_store(tmp_path / "demo")
    assert first.reports == again.reports == 65
    assert sorted(op["size"] for op in again.operations) == [8, 10, 12, 15]
    assert again.analyst_key and again.analyst_key != first.analyst_key
    monkeypatch.setattr("lurewatch.demo.demo_dir", lambda: tmp_path / "demo")
    result = runner.invoke(app, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "demo-20" in result.stdout and "operations linked" in result.stdout


def test_demo_announces_the_urls_only_once_the_server_listens() -> None:
    import io
    import socket

    from rich.console import Console

    from lurewatch.demo import _announce_when_listening

    out = io.StringIO()
    with socket.socket() as gone:
        gone.bind(("127.0.0.1", 0))
        closed = gone.getsockname()[1]
    _announce_when_listening(Console(file=out), closed, "ready", timeout=0.5)
    assert out.getvalue() == ""  # nothing listens: no URL is printed
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        _announce_when_listening(Console(file=out), server.getsockname()[1], "ready", timeout=5)
    assert out.getvalue().strip() == "ready"

"""`lurewatch match` over files: four steps, both sides end with the same intersection."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lurewatch.cli import app

runner = CliRunner()


def write_set(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def invoke(*args: str | Path) -> str:
    out = runner.invoke(app, ["match", *map(str, args)])
    assert out.exit_code == 0, out.output
    return out.stdout


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUREWATCH_PSI_MIN_SET", "10")


def test_four_steps_over_files(tmp_path: Path) -> None:
    # the same numbers written the ways people write them: national (TH), spaced, E.164
    a_lines = [f"08{i:08d}" for i in range(40)] + ["# comment", "", "not a number"]
    b_lines = [f"+66 8{i:08d}" for i in range(30, 70)]
    a_set, b_set = write_set(tmp_path / "a.txt", a_lines), write_set(tmp_path / "b.txt", b_lines)
    offer, reply, confirm = tmp_path / "offer.json", tmp_path / "reply.json", tmp_path / "c.json"
    a_state, b_state = tmp_path / "a.state", tmp_path / "b.state"

    invoke(
        "offer",
        "--type",
        "phone",
        "--input",
        a_set,
        "--region",
        "TH",
        "--state",
        a_state,
        "--output",
        offer,
    )
    assert stat.S_IMODE(a_state.stat().st_mode) == 0o600
    assert "08000000" not in offer.read_text()  # only blinded points travel
    invoke("respond", "--input", b_set, "--offer", offer, "--state", b_state, "--output", reply)
    shared_a = invoke("finish", "--state", a_state, "--reply", reply, "--confirm", confirm)
    shared_b = invoke("confirm", "--state", b_state, "--confirm", confirm)
    expected = "".join(f"+668{i:08d}\n" for i in range(30, 40))
    assert shared_a == shared_b == expected


def test_bad_files_and_small_sets_are_refused(tmp_path: Path) -> None:
    a_set = write_set(tmp_path / "a.txt", [f"+668{i:08d}" for i in range(20)])
    tiny = write_set(tmp_path / "tiny.txt", ["+66800000001", "+66800000002"])
    offer, state = tmp_path / "offer.json", tmp_path / "a.state"
    out = runner.invoke(
        app,
        [
            "match",
            "offer",
            "--type",
            "phone",
            "--input",
            str(tiny),
            "--state",
            str(state),
            "--output",
            str(offer),
        ],
    )
    assert out.exit_code == 1 and "at least 10" in out.output and not offer.exists()
    invoke("offer", "--type", "phone", "--input", a_set, "--state", state, "--output", offer)
    doc = json.loads(offer.read_text())
    for broken, reason in (
        ("{not json", "not a JSON document"),
        (json.dumps(doc | {"stage": "reply"}), "expected 'offer'"),
        (json.dumps(doc | {"points": "@@@"}), "not valid base64"),
        (json.dumps(doc | {"points": "AAAA"}), "whole number"),
        (json.dumps(doc | {"points": "/" * 43 + "="}), "not a valid ristretto255"),
    ):
        bad = tmp_path / "bad.json"
        bad.write_text(broken)
        reply = tmp_path / "reply.json"
        out = runner.invoke(
            app,
            [
                "match",
                "respond",
                "--input",
                str(a_set),
                "--offer",
                str(bad),
                "--state",
                str(tmp_path / "b.state"),
                "--output",
                str(reply),
            ],
        )
        assert out.exit_code == 1 and reason in out.output, out.output
        assert not reply.exists()
    out = runner.invoke(
        app,
        [
            "match",
            "offer",
            "--type",
            "money",
            "--input",
            str(a_set),
            "--state",
            str(state),
            "--output",
            str(offer),
        ],
    )
    assert out.exit_code == 2 and "choose from" in out.output

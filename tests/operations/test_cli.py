"""`lurewatch link`, `lurewatch operations ...` and `lurewatch campaigns`, through typer."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from lurewatch.operations import cli
from tests.operations.conftest import copy_of

app = typer.Typer()
cli.mount(app)
runner = CliRunner()

AD = (
    "URGENT HIRING: Customer service in {city}. Salary USD {pay} per month + commission. "
    "Free flight and visa. Contact HR Ms. {name} on Telegram @hr_joy_bkk"
)
LINES = [
    json.dumps({"id": "a1", "text": AD.format(city="Bangkok", pay="1,200", name="Joy")}),
    json.dumps({"id": "a2", "text": AD.format(city="Pattaya", pay="1,500", name="Anna")}),
    "not json",
    json.dumps({"id": "a3", "text": 5}),
    json.dumps({"id": "b1", "text": "Deposit 500 USDT to TMRH8Y2CfUqwEEY472vb798GP9Zvn22jyc now"}),
    json.dumps({"id": "b2", "text": "Pay the tax to TMRH8Y2CfUqwEEY472vb798GP9Zvn22jyc first"}),
    json.dumps({"id": "a1", "text": "the same id again"}),
    json.dumps({"id": "c1", "text": "Lunch at noon tomorrow?"}),
]


def test_link_a_file_reports_bad_lines_and_finishes(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes("\n".join(LINES).encode() + b"\n\xff\xfe broken utf-8\n")
    out = tmp_path / "ops.jsonl"
    r = runner.invoke(app, ["link", "--input", str(src), "--output", str(out)])
    assert r.exit_code == 1
    for line in ("line 3: malformed JSON", "line 4: no 'text'", "line 7: duplicate id", "line 9"):
        assert line in r.stderr
    ops = [json.loads(x) for x in out.read_text().splitlines()]
    assert [o["report_ids"] for o in ops] == [["a1", "a2"], ["b1", "b2"]]
    for o in ops:
        assert {"operation_id", "report_ids", "indicators", "template", "evidence"} <= set(o)
    assert ops[0]["template"]["slots"] and ops[0]["categories"]
    assert ops[1]["indicators"][0]["key"] == "crypto_wallet:TMRH8Y2CfUqwEEY472vb798GP9Zvn22jyc"
    # the same input gives the same operations (ids derived from members)
    again = tmp_path / "again.jsonl"
    runner.invoke(app, ["link", "--input", str(src), "--output", str(again), "--no-screen"])
    assert [json.loads(x)["operation_id"] for x in again.read_text().splitlines()] == [
        o["operation_id"] for o in ops
    ]


def test_missing_file_and_bad_engine(tmp_path: Path) -> None:
    assert runner.invoke(app, ["link", "--input", str(tmp_path / "none.jsonl")]).exit_code == 2
    assert runner.invoke(app, ["link", "--engine", "x", "--input", "y"]).exit_code == 2


@pytest.fixture
def env_store(
    kind: str,
    sample_bases: Callable[[str, str], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    for url in copy_of(sample_bases, kind, "all", tmp_path):
        monkeypatch.setenv("LUREWATCH_DATABASE_URL", url)
        yield url


def test_store_commands(env_store: str, tmp_path: Path) -> None:
    out = tmp_path / "ops.jsonl"
    r = runner.invoke(app, ["link", "--output", str(out)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["operations"] == 4
    ops = [json.loads(x) for x in out.read_text().splitlines()]
    assert [o["size"] for o in ops] == [15, 12, 10, 8] and all(len(o["report_ids"]) for o in ops)
    # the sample lives in org "hotline"
    r = runner.invoke(app, ["operations", "list", "--org", "hotline"])
    assert r.exit_code == 0 and r.stdout.startswith("4 operation(s)")
    first, second = ops[0]["operation_id"], ops[1]["operation_id"]
    r = runner.invoke(app, ["operations", "show", first, "--org", "hotline"])
    shown = json.loads(r.stdout)
    assert shown["size"] == 15 and shown["timeline"] and "members" in shown
    moved = ",".join(m["uid"] for m in shown["members"][-2:])
    r = runner.invoke(app, ["operations", "split", first, "--reports", moved, "--org", "hotline"])
    assert r.exit_code == 0 and json.loads(r.stdout)["kind"] == "split"
    r = runner.invoke(app, ["operations", "merge", second, first, "--org", "hotline"])
    assert r.exit_code == 0 and json.loads(r.stdout)["operations"] == [second]
    r = runner.invoke(app, ["operations", "show", "op-000000000000", "--org", "hotline"])
    assert r.exit_code == 1 and "No such operation" in r.stderr
    # an organisation that holds none of these unshared-or-shared reports sees only shared ones
    r = runner.invoke(app, ["operations", "list", "--org", "elsewhere"])
    assert r.exit_code == 0
    # the sample command: everything is a duplicate now, and the incremental run has no work
    r = runner.invoke(app, ["operations", "sample", "--org", "hotline"])
    assert r.exit_code == 0 and "stored 0, duplicates 65" in r.stdout
    assert json.loads(r.stdout.splitlines()[-1])["new_reports"] == 0


def test_campaigns(tmp_path: Path) -> None:
    parcel = (
        "Your parcel is held at customs. Pay the fee of THB {n} at {url} today or it is returned"
    )
    task = "Part-time job: like videos and earn {n} baht a day, contact our mentor on Telegram {h}"
    lines = [
        json.dumps({"id": f"p{i}", "text": parcel.format(n=20 + i, url=f"bit.ly/px{i}")})
        for i in range(5)
    ]
    lines += [
        json.dumps({"id": f"t{i}", "text": task.format(n=300 + i, h=f"@mentor_{i}")})
        for i in range(3)
    ]
    lines += ["{oops", json.dumps({"id": "x", "text": "See you at dinner, love"})]
    src = tmp_path / "stream.jsonl"
    src.write_text("\n".join(lines))
    out = tmp_path / "campaigns.jsonl"
    r = runner.invoke(app, ["campaigns", "--input", str(src), "--output", str(out)])
    assert r.exit_code == 1 and "line 9: malformed JSON" in r.stderr
    got = [json.loads(x) for x in out.read_text().splitlines()]
    assert sorted(c["volume"] for c in got) == [3, 5]
    assert [c["rank"] for c in got] == [1, 2]
    assert got[0]["priority"] >= got[1]["priority"]
    assert all(c["template"] and c["risk_mean"] > 0 for c in got)

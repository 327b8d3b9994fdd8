"""`lurewatch export`, `import` and `groups`, through typer, on the store named by
LUREWATCH_DATABASE_URL: files written whole, formats detected, bad input exits 2 with the
reason and imports nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from lurewatch.sharing import cli
from lurewatch.store.schema import Report
from tests.sharing.conftest import RECRUITER_PHONE, add_private_reports

app = typer.Typer()
cli.mount(app)
runner = CliRunner()


@pytest.fixture
def env_db(lite: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> sessionmaker[Session]:
    url = lite.kw["bind"].url.render_as_string(hide_password=False)
    monkeypatch.setenv("LUREWATCH_DATABASE_URL", url)
    return lite


def reports(factory: sessionmaker[Session]) -> int:
    with factory() as s:
        return s.scalar(select(func.count()).select_from(Report)) or 0


def test_export_then_import_both_formats(env_db: sessionmaker[Session], tmp_path: Path) -> None:
    add_private_reports(env_db)
    r = runner.invoke(app, ["groups", "create", "mekong", "--tlp", "amber", "-m", "police"])
    assert r.exit_code == 0, r.output
    for fmt in ("stix", "misp"):
        out = tmp_path / f"out.{fmt}.json"
        r = runner.invoke(app, ["export", "--format", fmt, "--group", "mekong", "-o", str(out)])
        assert r.exit_code == 0, r.output
        document = json.loads(out.read_text("utf-8"))
        assert RECRUITER_PHONE in out.read_text("utf-8")
        assert cli.detect_format(document) == fmt
    before = reports(env_db)
    r = runner.invoke(app, ["import", str(tmp_path / "out.misp.json"), "--org", "partner"])
    assert r.exit_code == 0, r.output
    assert "misp:" in r.stdout
    assert reports(env_db) > before
    r = runner.invoke(app, ["import", str(tmp_path / "out.stix.json"), "--org", "partner"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("stix:")


def test_dry_run_lists_and_writes_no_export(env_db: sessionmaker[Session], tmp_path: Path) -> None:
    add_private_reports(env_db)
    plan = tmp_path / "plan.json"
    r = runner.invoke(app, ["export", "--format", "stix", "--dry-run", "-o", str(plan)])
    assert r.exit_code == 0, r.output
    assert "its organisation shares it with all partners" in r.stdout
    assert "personal data of a reporter or victim" in r.stdout
    later = runner.invoke(app, ["export", "--dry-run", "--since", "2999-01-01"])
    assert later.exit_code == 0 and '"report"' not in later.stdout.splitlines()[-1]
    data = json.loads(plan.read_text("utf-8"))
    assert data["audience"] == "all partners" and data["included"] and data["withheld_items"]
    assert "type" not in data  # the plan, not a bundle


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "is not JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"hello": 1}', "neither a STIX 2.1 bundle"),
        (b'{"type": "bundle", "objects": [{"type": "indicator", "id": "x"}]}', "malformed id"),
        (b'{"Event": {"uuid": "7d3a1c7e-41b8-4a8e-9f3a-2b1c0d9e8f7a"}}', "info"),
    ],
)
def test_bad_files_exit_2_and_import_nothing(
    env_db: sessionmaker[Session], tmp_path: Path, content: bytes, reason: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    r = runner.invoke(app, ["import", str(bad)])
    assert r.exit_code == 2
    assert reason in r.stderr and "nothing imported" in r.stderr
    assert reports(env_db) == 0


def test_usage_errors(env_db: sessionmaker[Session], tmp_path: Path) -> None:
    r = runner.invoke(app, ["export", "--format", "csv", "-o", str(tmp_path / "x")])
    assert r.exit_code == 2 and "stix or misp" in r.stderr
    r = runner.invoke(app, ["export", "--format", "stix"])
    assert r.exit_code == 2 and "--output" in r.stderr
    r = runner.invoke(app, ["export", "--group", "nope", "-o", str(tmp_path / "x")])
    assert r.exit_code == 2 and "no sharing group named 'nope'" in r.stderr
    assert not (tmp_path / "x").exists()
    r = runner.invoke(app, ["import", str(tmp_path / "missing.json")])
    assert r.exit_code == 2 and "no such file" in r.stderr
    r = runner.invoke(app, ["groups", "create", "g", "--tlp", "purple"])
    assert r.exit_code == 2 and "unknown TLP level" in r.stderr


def test_groups_share_and_list(env_db: sessionmaker[Session]) -> None:
    uids = add_private_reports(env_db)
    assert runner.invoke(app, ["groups", "create", "asean"]).exit_code == 0
    r = runner.invoke(app, ["groups", "add-member", "asean", "police", "ngo"])
    assert r.exit_code == 0 and "ngo, police" in r.stdout
    r = runner.invoke(app, ["groups", "share", "asean", uids["unshared"]])
    assert r.exit_code == 0 and "1 report(s) newly shared" in r.stdout
    r = runner.invoke(app, ["groups", "share", "asean", "no-such-report"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["groups", "list"])
    assert "asean" in r.stdout and "AMBER" in r.stdout

"""The store commands, run through typer on SQLite and PostgreSQL via LUREWATCH_DATABASE_URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from lurewatch.store import cli
from lurewatch.store.keys import authenticate
from lurewatch.store.migrate import is_current

app = typer.Typer()
cli.mount(app)
runner = CliRunner()


@pytest.fixture
def env_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LUREWATCH_DATABASE_URL", db_url)
    return db_url


def test_upgrade_keys_import_lookup(env_db: str, tmp_path: Path) -> None:
    r = runner.invoke(app, ["db", "upgrade"])
    assert r.exit_code == 0, r.output
    key = runner.invoke(app, ["keys", "create", "--role", "partner", "--org", "ngo"])
    assert key.exit_code == 0 and key.stdout.strip().startswith("lw_")
    src = tmp_path / "reports.jsonl"
    src.write_text(
        "\n".join(
            [
                json.dumps({"id": "1", "text": "Casino job Poipet, WhatsApp +855 96 123 4567"}),
                json.dumps({"id": "1", "text": "again"}),
                json.dumps({"text": ""}) + "x",
                json.dumps({"messages": [{"text": "hello, I got your number from Amy"}]}),
            ]
        ),
        encoding="utf-8",
    )
    r = runner.invoke(app, ["reports", "import", str(src), "--org", "ngo"])
    assert "stored 2, duplicates 1, rejected 1" in r.stdout
    assert r.exit_code == 1  # a line was rejected
    r = runner.invoke(app, ["lookup", "+855 96 123 4567", "--org", "ngo"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["report_count"] == 1
    assert runner.invoke(app, ["lookup", "+855 11 000 000", "--org", "ngo"]).exit_code == 1
    from lurewatch.store.db import make_engine, session_factory

    engine = make_engine(env_db)
    assert is_current(engine)
    with session_factory(engine)() as s:
        viewer = authenticate(s, key.stdout.strip())
    engine.dispose()
    assert viewer is not None and viewer.role == "partner"


def test_bad_role_and_missing_file(env_db: str) -> None:
    r = runner.invoke(app, ["keys", "create", "--role", "god", "--org", "x"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["reports", "import", "/nonexistent.jsonl"])
    assert r.exit_code == 2


def test_bundled_sample_links_operations(env_db: str) -> None:
    r = runner.invoke(app, ["reports", "import", "sample", "--org", "demo"])
    assert r.exit_code == 0 and "stored 12, duplicates 0, rejected 0" in r.stdout
    r = runner.invoke(app, ["lookup", "+66 92 410 7781", "--org", "demo"])
    found = json.loads(r.stdout)
    assert found["report_count"] == 5 and found["first_seen"].startswith("2026-02-03T09:12:00+00")
    assert sum(rep["urgent"] for rep in found["reports"]) == 4
    r = runner.invoke(app, ["lookup", "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE", "--org", "demo"])
    assert json.loads(r.stdout)["report_count"] == 4
    # the family's own number given as personal data is not an indicator
    assert runner.invoke(app, ["lookup", "+62 813 2255 9910", "--org", "demo"]).exit_code == 1


def test_keys_list_and_revoke(env_db: str) -> None:
    secret = runner.invoke(app, ["keys", "create", "--role", "analyst", "--org", "ngo"]).stdout
    runner.invoke(app, ["keys", "create", "--role", "reporter", "--org", "police"])
    listed = runner.invoke(app, ["keys", "list", "--org", "ngo"])
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.strip().splitlines()
    assert len(lines) == 1 and "\tngo\tanalyst\t" in lines[0] and lines[0].endswith("active")
    assert secret.strip() not in listed.stdout and secret.strip()[:10] in listed.stdout
    key_id = lines[0].split("\t")[0]
    r = runner.invoke(app, ["keys", "revoke", key_id])
    assert r.exit_code == 0 and f"key {key_id} revoked" in r.stdout
    assert runner.invoke(app, ["keys", "revoke", key_id]).exit_code == 1  # already revoked
    assert runner.invoke(app, ["keys", "revoke", "99999"]).exit_code == 1
    assert "\trevoked 20" in runner.invoke(app, ["keys", "list"]).stdout
    from lurewatch.store.db import make_engine, session_factory

    engine = make_engine(env_db)
    with session_factory(engine)() as s:
        assert authenticate(s, secret.strip()) is None
    engine.dispose()

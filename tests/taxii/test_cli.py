"""`lurewatch taxii` commands on a store named by LUREWATCH_DATABASE_URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from lurewatch.cli import app
from lurewatch.sharing.groups import create_group
from lurewatch.store import make_engine, session_factory, upgrade

runner = CliRunner()


def test_collections_add_and_publish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("LUREWATCH_DATABASE_URL", url)
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine)() as s:
        create_group(s, "mekong", members=["police"])
    out = runner.invoke(
        app,
        [
            "taxii",
            "add-collection",
            "--title",
            "Police feed",
            "--alias",
            "police-feed",
            "--read",
            "police",
            "--write",
            "police",
        ],
    )
    assert out.exit_code == 0, out.output
    cid = out.stdout.strip()
    again = runner.invoke(
        app, ["taxii", "add-collection", "--title", "x", "--alias", "police-feed"]
    )
    assert again.exit_code == 1 and "exists" in again.output
    listed = runner.invoke(app, ["taxii", "collections"], env={"COLUMNS": "250"})
    assert listed.exit_code == 0
    assert cid in listed.stdout and "group-mekong" in listed.stdout
    assert "sharing-group members" in listed.stdout
    published = runner.invoke(app, ["taxii", "publish"])
    assert published.exit_code == 0 and published.stdout.startswith("group-mekong: ")
    missing = runner.invoke(app, ["taxii", "publish", "--collection", "nope"])
    assert missing.exit_code == 1 and "no collection" in missing.output

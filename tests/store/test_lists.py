"""Known-bad list versions in the store, on SQLite and PostgreSQL.

`lists update` → `default_checker(refresh=True)` finds the new entry with its list name and
since-date; a second update is version 2 and keeps 1; a malformed file changes nothing; an
unreachable store leaves the shared lists in force with a note.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from lurewatch.domains import check
from lurewatch.domains import store as lists_store
from lurewatch.domains.cli import app
from lurewatch.domains.listfiles import ListFormatError
from lurewatch.store.schema import ListEntry, ListVersion


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Store at `db_url`, no shared lists, a private data dir, and a fresh default checker."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "authority.txt").write_text("shared-only-scam.top\n")
    monkeypatch.setenv("LUREWATCH_DATABASE_URL", db_url)
    monkeypatch.setenv("LUREWATCH_LISTS_DIR", str(shared))
    monkeypatch.setenv("LUREWATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(check, "_DEFAULT", None)  # restored after the test
    return tmp_path


def _counts(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with sessions() as s:
        versions = s.scalar(select(func.count()).select_from(ListVersion)) or 0
        entries = s.scalar(select(func.count()).select_from(ListEntry)) or 0
    return versions, entries


def test_update_then_lookup_and_second_version(
    env: Path, sessions: sessionmaker[Session], orgs: dict[str, int]
) -> None:
    first = env / "hotline-feb.csv"
    first.write_text(
        "domain,first_seen\nhxxps://thai-casino-jobs[.]online/apply,2025-02-11\n"
        "kk-park-recruit.com,2025-01-30\n"
    )
    res = CliRunner().invoke(app, ["lists", "update", str(first), "--org", "hotline"])
    assert res.exit_code == 0, res.output
    assert "lists version 1" in res.output
    before = check.default_checker()
    assert before.list_version == 1 and not before.notes
    hit = check.check_domain("https://apply.kk-park-recruit.com/form")
    assert hit.flagged and [(h.list, h.since) for h in hit.listed] == [
        ("hotline-feb", "2025-01-30")
    ]
    assert before.index is not None and before.index.lookup("shared-only-scam.top")

    second = env / "police.json"
    second.write_text('{"deny": ["usdt-arbitrage-vip.net"], "allow": ["kbank.co.th"]}')
    assert CliRunner().invoke(app, ["lists", "update", str(second)]).exit_code == 0
    assert check.default_checker() is before  # cached for the process until refreshed
    after = check.default_checker(refresh=True)
    assert after.list_version == 2 and after.index is not None
    assert after.index.lookup("usdt-arbitrage-vip.net")[0].list == "police"
    assert after.index.lookup("kk-park-recruit.com")[0].list == "hotline-feb"  # carried over

    versions = lists_store.versions(sessions)
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].org == "hotline" and versions[1].org is None
    assert versions[0].manifest["files"][0]["entries"] == 2
    listing = CliRunner().invoke(app, ["lists", "versions"])
    assert listing.exit_code == 0 and "hotline-feb (2, kept)" in listing.output


def test_malformed_file_leaves_store_unchanged(
    env: Path, sessions: sessionmaker[Session], orgs: dict[str, int]
) -> None:
    ok = env / "ok.txt"
    ok.write_text("# weekly\nfake-embassy-visa.asia\n")
    lists_store.update(sessions, [ok])
    assert _counts(sessions) == (1, 1)
    bad = env / "broken.json"
    bad.write_text('{"blacklist": ["a.top",')
    res = CliRunner().invoke(app, ["lists", "update", str(ok), str(bad)])
    assert res.exit_code == 2 and "invalid JSON" in res.output
    assert "Traceback" not in res.output
    with pytest.raises(lists_store.ListStoreError):  # fails inside the transaction
        lists_store.update(sessions, [ok], org="no-such-org")
    assert _counts(sessions) == (1, 1)
    with pytest.raises(ListFormatError):
        lists_store.update(sessions, [env / "missing.csv"])
    assert _counts(sessions) == (1, 1)


def test_unreachable_store_keeps_shared_lists(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUREWATCH_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    checker = check.default_checker(refresh=True)
    assert checker.list_version is None
    assert checker.notes and "user lists not loaded" in checker.notes[0]
    assert check.check_domain("shared-only-scam.top").listed[0].list == "authority"

"""`lists update` on the store: versions, replacement, all-or-nothing, and the legacy move."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.domains import store
from lurewatch.domains.listfiles import ListFormatError
from lurewatch.domains.lists import KnownBadIndex
from lurewatch.store import make_engine, session_factory, upgrade


@pytest.fixture
def sessions(data_dir: Path) -> sessionmaker[Session]:
    engine = make_engine()
    upgrade(engine)
    return session_factory(engine)


def _index(sessions: sessionmaker[Session]) -> KnownBadIndex:
    idx = KnownBadIndex()
    with sessions() as s:
        _, rows = store.latest_entries(s)
        for name, host, path, since, allow in rows:
            idx.add(host + path, name, since, allow)
    return idx


def test_versions_accumulate_and_replace(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    a = tmp_path / "hotline.txt"
    a.write_text("scam-one.top\nhxxp://scam-two[.]vip/login\n")
    v1 = store.update(sessions, [a], created_by="volunteer-3")
    assert v1.number == 1 and v1.manifest["schema"] == store.SCHEMA
    meta = v1.manifest["files"][0]
    assert meta["entries"] == 2 and meta["format"] == "text" and len(meta["sha256"]) == 64
    b = tmp_path / "partner.csv"
    b.write_text("url,date\nhttps://fake-jobs.asia/apply,2024-02-03\n")
    v2 = store.update(sessions, [b])
    assert v2.number == 2 and v2.manifest["parent"] == 1
    carried = {f["name"]: f["version"] for f in v2.manifest["files"]}
    assert carried == {"hotline": 1, "partner": 2}  # hotline kept, not copied
    assert _index(sessions).lookup("scam-two.vip/login/x")[0].list == "hotline"
    a.write_text("scam-three.top\n")
    store.update(sessions, [a])
    idx = _index(sessions)
    assert idx.lookup("scam-three.top") and not idx.lookup("scam-one.top")
    assert idx.lookup("fake-jobs.asia/apply")[0].since == "2024-02-03"
    found = store.versions(sessions)
    assert [v.number for v in found] == [1, 2, 3] and found[0].created_by == "volunteer-3"


def test_bad_file_changes_nothing(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    good = tmp_path / "ok.txt"
    good.write_text("recruit-thai-job.online\n")
    bad = tmp_path / "x.json"
    bad.write_text("{")
    with pytest.raises(ListFormatError):
        store.update(sessions, [good, bad])
    assert store.versions(sessions) == []


def test_unknown_org_is_an_error(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    f = tmp_path / "ok.txt"
    f.write_text("recruit-thai-job.online\n")
    with pytest.raises(store.ListStoreError, match="no organisation"):
        store.update(sessions, [f], org="nobody")
    assert store.versions(sessions) == []


def test_legacy_directory_moves_in_once(data_dir: Path, sessions: sessionmaker[Session]) -> None:
    folder = data_dir / "lists" / "versions" / "000002"
    folder.mkdir(parents=True)
    with (folder / "ngo.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerows([["domain", "first_seen", "list"], ["kk-park-jobs.com", "2023-08-01", "deny"]])
    files = [{"name": "ngo", "file": "ngo.csv", "entries": 1}]
    (folder / "manifest.json").write_text(json.dumps({"version": 2, "files": files}))
    (data_dir / "lists" / "CURRENT").write_text("2\n")
    assert store.import_legacy_dir(sessions) == 1
    assert store.import_legacy_dir(sessions) is None  # already moved
    hit = _index(sessions).lookup("apply.kk-park-jobs.com")[0]
    assert (hit.list, hit.since) == ("ngo", "2023-08-01")
    assert "imported from" in store.versions(sessions)[0].manifest["note"]

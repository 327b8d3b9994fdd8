"""`lists update`: versioned imports under the user data dir, with store-ready metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lurewatch.domains import store
from lurewatch.domains.listfiles import ListFormatError
from lurewatch.domains.lists import load_index


def test_versions_accumulate_and_replace(tmp_path: Path, data_dir: Path) -> None:
    a = tmp_path / "hotline.txt"
    a.write_text("scam-one.top\nhxxp://scam-two[.]vip/login\n")
    v1 = store.update([a])
    assert v1.number == 1 and v1.manifest["schema"] == store.SCHEMA
    meta = v1.manifest["files"][0]
    assert meta["entries"] == 2 and meta["format"] == "text" and len(meta["source_sha256"]) == 64
    b = tmp_path / "partner.csv"
    b.write_text("url,date\nhttps://fake-jobs.asia/apply,2024-02-03\n")
    v2 = store.update([b])
    assert v2.number == 2 and v2.manifest["parent"] == 1
    assert {f["name"] for f in v2.manifest["files"]} == {"hotline", "partner"}
    a.write_text("scam-three.top\n")
    v3 = store.update([a])
    assert store.current_version().number == 3  # type: ignore[union-attr]
    idx = load_index(tmp_path / "none", extra=v3.files())
    assert idx.lookup("scam-three.top") and not idx.lookup("scam-one.top")
    assert idx.lookup("fake-jobs.asia/apply")[0].since == "2024-02-03"
    assert (data_dir / "lists" / "versions" / "000001" / "hotline.csv").exists()  # kept
    on_disk = json.loads((v3.path / "manifest.json").read_text())
    assert on_disk["version"] == 3


def test_bad_file_changes_nothing(tmp_path: Path, data_dir: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("{")
    with pytest.raises(ListFormatError):
        store.update([bad])
    assert store.current_version() is None

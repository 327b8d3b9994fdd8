"""Shared fixtures: a checker over a small list written here (fast, no shared data needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lurewatch.domains.check import DomainChecker
from lurewatch.domains.lists import KnownBadIndex
from lurewatch.domains.model import default_model


@pytest.fixture(scope="session")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> KnownBadIndex:
    d = tmp_path_factory.mktemp("lists")
    (d / "mine.csv").write_text(
        "domain,first_seen\nusdt-profit-hub.top,2024-03-02\nwww.fake-okx-login.xyz,2024-05-09\n"
        "hxxps://claim-rewards[.]site/drop,2023-11-30\nbit.ly/3xScamLnk,2024-01-01\n"
        "bit.ly,2024-01-01\nbinance.com,2024-01-01\n"
    )
    index = KnownBadIndex(whole_host_never={"bit.ly"})
    index.add_file(d / "mine.csv")
    return index


@pytest.fixture(scope="session")
def checker(small_index: KnownBadIndex) -> DomainChecker:
    return DomainChecker(index=small_index, model=default_model())


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data dir and SQLite store, so list imports never touch the user's own."""
    monkeypatch.setenv("LUREWATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LUREWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'store.db'}")
    return tmp_path / "data"

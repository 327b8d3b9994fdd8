"""Known-bad lists: formats, matching of hosts, subdomains and URLs, allow entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lurewatch.domains.listfiles import ListFormatError, read_list
from lurewatch.domains.lists import KnownBadIndex, load_index


def test_lookup_matches_host_subdomains_and_urls(small_index: KnownBadIndex) -> None:
    hit = small_index.lookup("https://app.usdt-profit-hub.top/deposit?x=1")
    assert [(h.list, h.entry, h.since) for h in hit] == [
        ("mine", "usdt-profit-hub.top", "2024-03-02")
    ]
    assert small_index.lookup("fake-okx-login.xyz")[0].since == "2024-05-09"  # www. stripped
    assert small_index.lookup("claim-rewards.site/drop/123")  # defanged URL entry, prefix match
    assert not small_index.lookup("claim-rewards.site/other")
    assert small_index.lookup("https://bit.ly/3xScamLnk")
    assert not small_index.lookup("bit.ly/somethingElse")  # a shortener is never listed whole
    assert not small_index.lookup("profit-hub.top")  # parents of a listed host are not listed
    assert not small_index.lookup("")


def test_formats(tmp_path: Path) -> None:
    (tmp_path / "mm.json").write_text(
        json.dumps(
            {
                "version": 2,
                "tolerance": 2,
                "fuzzylist": ["metamask"],
                "whitelist": ["good.example.org"],
                "blacklist": ["drainer-claim.net", "evil.example.org"],
            }
        )
    )
    (tmp_path / "pd.json").write_text(json.dumps({"allow": ["pages.dev"], "deny": ["x.pages.dev"]}))
    (tmp_path / "hosts.txt").write_text(
        "# comment\n0.0.0.0 task-earn.click\n||adblock-style.vip^\nplain-line.online  # note\n\n"
    )
    (tmp_path / "arr.json").write_text(json.dumps(["arr-entry.top", 5, None]))
    idx = KnownBadIndex()
    for name in ("mm.json", "pd.json", "hosts.txt", "arr.json"):
        assert idx.add_file(tmp_path / name) > 0
    for host in (
        "drainer-claim.net",
        "x.pages.dev",
        "task-earn.click",
        "adblock-style.vip",
        "plain-line.online",
        "arr-entry.top",
        "evil.example.org",
    ):
        assert idx.lookup(host), host
    assert not idx.lookup("good.example.org")
    assert not idx.lookup("pages.dev")
    assert not idx.lookup("y.pages.dev")


@pytest.mark.parametrize(
    ("name", "content"),
    [("bad.json", "{not json"), ("obj.json", '{"other": 1}'), ("cols.csv", "a,b\n1,2\n")],
)
def test_bad_list_files_raise_clear_errors(tmp_path: Path, name: str, content: str) -> None:
    (tmp_path / name).write_text(content)
    with pytest.raises(ListFormatError, match=name):
        list(read_list(tmp_path / name))


def test_load_index_skips_bad_files_and_reports(tmp_path: Path) -> None:
    (tmp_path / "good.csv").write_text("domain\nlisted-site.top\n")
    (tmp_path / "broken.json").write_text("[")
    (tmp_path / "popular_domains.csv").write_text("rank,domain\n1,google.com\n")
    errors: list[str] = []
    idx = load_index(tmp_path, errors=errors)
    assert idx.lookup("listed-site.top") and not idx.lookup("google.com")
    assert len(errors) == 1 and "broken.json" in errors[0]


def test_popular_hosts_are_never_listed_whole(tmp_path: Path) -> None:
    (tmp_path / "spam_urls.txt").write_text(
        "booking.com\nbooking.com/deal/123\nevil.booking.com\n", encoding="utf-8"
    )
    (tmp_path / "popular_domains.csv").write_text("rank,domain\n1,booking.com\n", "utf-8")
    index = load_index(tmp_path)
    assert index.lookup("booking.com") == []
    assert index.lookup("www.booking.com/hotel/x") == []
    assert [h.entry for h in index.lookup("booking.com/deal/123")] == ["booking.com/deal/123"]
    assert [h.entry for h in index.lookup("evil.booking.com")] == ["evil.booking.com"]

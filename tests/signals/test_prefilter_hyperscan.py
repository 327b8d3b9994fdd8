"""The Hyperscan-compiled prefilter (batch screening) against the RE2 one it stands in for."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
import yaml

from lurewatch.signals import default_engine
from lurewatch.signals.hyperscan_set import KEEP_FILES, HyperscanSet, cache_dir, prune
from lurewatch.signals.prefilter import Prefilter
from lurewatch.signals.schema import re2_options
from lurewatch.text import normalize

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "screening"
DATA = Path(os.environ.get("LUREWATCH_DATA", Path(__file__).parents[3] / "shared" / "data"))


def _texts() -> list[str]:
    out: list[str] = []
    for pack in default_engine().packs:
        for rule in pack.rules:
            out += list(rule.examples.positive) + list(rule.examples.negative)
    for path in sorted(FIXTURES.glob("*.yaml")):
        out += [str(c["text"]) for c in yaml.safe_load(path.read_text(encoding="utf-8"))]
    corpus = DATA / "corpus"
    if corpus.is_dir():
        for path in sorted(corpus.glob("*.jsonl")):
            with path.open(encoding="utf-8") as fh:
                out += [json.loads(line)["text"] for n, line in enumerate(fh) if n % 40 == 0]
    return out


@pytest.mark.slow
def test_hyperscan_candidates_equal_re2_candidates() -> None:
    engine = default_engine()
    fast = engine.batch_prefilter()
    assert fast.engine == "hyperscan"
    texts = [normalize(t).text for t in _texts()]
    assert len(texts) > 2000
    differ = [
        t[:80]
        for t in texts
        if fast.candidates(t) != engine.candidate_patterns(t)  # RE2 sets
    ]
    assert differ == []
    nts = [normalize(t) for t in texts[:600]]
    assert engine.match_many(nts) == [engine.match(nt) for nt in nts]
    assert engine.match_many([]) == []


def test_hyperscan_rejects_go_to_re2_and_match_the_same() -> None:
    # "[^x]{0,5}" can match the empty string: Hyperscan refuses it, RE2 keeps it
    groups = [[(0, "[^x]{0,5}"), (1, r"free\s+flight"), (2, "刷单")], [(3, r"\bprize\b")]]
    ref = Prefilter(groups, re2_options())
    fast = Prefilter(groups, re2_options(), "hyperscan")
    kinds = sorted(type(s[0]).__name__ for s in fast._sets)
    # one database for every piece Hyperscan takes; the empty-matching piece: RE2
    assert kinds == ["HyperscanSet", "Set"]
    for text in ["", "x", "FREE  Flight", "win a PRIZE 兼职刷单", "prizes", "ſree flight"]:
        assert fast.candidates(text) == ref.candidates(text), text
    with pytest.raises(ValueError, match="engine"):
        Prefilter(groups, re2_options(), "pcre")


def test_compiled_sets_are_cached_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUREWATCH_CACHE_DIR", str(tmp_path))
    pieces = [r"free\s+visa", "งาน", r"\bUSDT\b"]
    first = HyperscanSet(pieces, case_sensitive=False)
    files = list(cache_dir().glob("*.hsdb"))
    assert len(files) == 1 and files[0].stat().st_size > 0
    again = HyperscanSet(pieces, case_sensitive=False)  # loaded from the file
    assert again.Match("FREE visa งาน".encode()) == first.Match("FREE visa งาน".encode())
    files[0].write_bytes(b"damaged")
    repaired = HyperscanSet(pieces, case_sensitive=False)  # compiled again and replaced
    assert sorted(repaired.Match(b"pay 10 usdt")) == [2]
    assert files[0].read_bytes() != b"damaged"
    assert not list(cache_dir().glob("*.tmp"))


def test_cache_keeps_only_the_most_recently_used_databases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LUREWATCH_CACHE_DIR", str(tmp_path))
    folder = cache_dir()
    folder.mkdir(parents=True)
    for i in range(KEEP_FILES + 5):  # databases of earlier versions, oldest first
        old = folder / f"{i:064x}.hsdb"
        old.write_bytes(b"stale")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    pieces = [r"free\s+visa", "prize"]
    HyperscanSet(pieces, case_sensitive=False)  # compiled and written: the folder is pruned
    kept = {p.name for p in folder.glob("*.hsdb")}
    assert len(kept) == KEEP_FILES
    assert f"{0:064x}.hsdb" not in kept and f"{KEEP_FILES + 4:064x}.hsdb" in kept
    (newest,) = set(kept) - {f"{i:064x}.hsdb" for i in range(KEEP_FILES + 5)}
    os.utime(folder / newest, (1_000, 1_000))  # long unused ...
    HyperscanSet(pieces, case_sensitive=False)  # ... until loaded again: touched
    assert (folder / newest).stat().st_mtime > 2_000_000
    assert prune(folder, keep=1) == KEEP_FILES - 1
    assert [p.name for p in folder.glob("*.hsdb")] == [newest]


def test_one_set_scanned_from_many_threads() -> None:
    hs = HyperscanSet([r"free\s+visa", "prize"], case_sensitive=False, cache=False)
    texts = [b"free visa", b"a prize", b"nothing", b"free  visa and a PRIZE"] * 200
    want = [sorted(hs.Match(t)) for t in texts]
    results: list[list[list[int]]] = []

    def work() -> None:
        results.append([sorted(hs.Match(t)) for t in texts])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [want] * 4

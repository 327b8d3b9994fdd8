"""Script gates skip only sets that cannot match: candidates equal a piece-by-piece search."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import re2  # type: ignore[import-untyped]

from lurewatch.signals.prefilter import Prefilter, pattern_pieces, script_gate
from lurewatch.signals.schema import re2_options
from lurewatch.text import normalize
from tests.signals.conftest import ENGINE

DATA = Path(os.environ.get("LUREWATCH_DATA", Path(__file__).parents[3] / "shared" / "data"))


@pytest.mark.parametrize(
    ("pieces", "gated"),
    [
        (["ทำงาน"], True),
        (["(?:ไป|มา)\\s*ทำงาน"], True),
        (["(?:ทำงาน|work)"], False),  # an English alternative reaches ASCII text
        (["[ก-ฮ]{2}"], True),
        (["[ก-ฮ]{0,2}x"], False),  # optional Thai: an ASCII match exists
        (["[^a]"], False),
        (["\\p{Han}{1,4}(?:吗|嗎)"], True),  # RE2-only class read as any character
        (["\\p{Han}{2}"], False),
        (["σας"], True),
        (["ſ"], False),  # long s pairs with ASCII s when matching ignores case
        (["ok", "ทำงาน"], False),
        (["(unclosed"], False),  # not understood: never gated
    ],
)
def test_script_gate(pieces: list[str], gated: bool) -> None:
    assert (script_gate(pieces) is not None) == gated


def test_gate_holds_case_variants() -> None:
    gate = script_gate(["σας"])
    assert gate is not None and {"Σ", "ς", "σ"} <= gate


def test_gated_set_is_skipped_and_ascii_pieces_still_found() -> None:
    pre = Prefilter([[(0, "ทำงาน"), (1, "(?:สมัคร|apply)")], [(2, "free\\s+visa")]], re2_options())
    assert pre.gated_sets == 1
    assert pre.candidates("please APPLY now, free visa") == [1, 2]
    assert pre.candidates("สมัคร ทำงาน") == [0, 1]
    assert pre.candidates("ΣΑΣ free") == []


def _reference(text: str) -> list[int]:
    """Candidates by definition: patterns all of whose pieces occur in the text."""
    return sorted(pid for pid, pieces in _PIECES.items() if all(p.search(text) for p in pieces))


def _engine_pieces() -> dict[int, list[re2._Regexp]]:
    options = re2_options()
    out: dict[int, list[re2._Regexp]] = {}
    pid = 0
    for rule in ENGINE.rules:
        for pattern in rule.all_patterns():
            out[pid] = [re2.compile(p, options) for p in pattern_pieces(pattern, options)]
            pid += 1
    return out


_PIECES = _engine_pieces()

WRITTEN = [
    "Hi dear, I saw your profile. Are you free for golf this weekend?",
    "งานแอดมินที่กัมพูชา เงินเดือน 35,000 บาท ไม่ต้องมีประสบการณ์ ติดต่อ line",
    "招聘客服，月薪一万五，包吃包住，免费机票，去柬埔寨",
    "Lowongan kerja admin di Kamboja, gaji 15 juta, tiket ditanggung",
    "Việc nhẹ lương cao ở Campuchia, bao vé máy bay, liên hệ zalo",
    "Viec nhe luong cao o Campuchia, bao ve may bay, lien he zalo",
    "カンボジアでコールセンターの仕事、日給3万円、パスポートだけでOK",
    "캄보디아 고객센터 채용, 월 500만원, 항공권 지원 telegram 문의",
    "ថ្ងៃនេះ darling ចង់ឆាតជាមួយបង",
    "ΤΗΣ ΣΑΣ mixed Ελληνικά with English scam words: deposit USDT now",
    "",
]


@pytest.mark.parametrize("text", WRITTEN)
def test_written_candidates_match_reference(text: str) -> None:
    nt = normalize(text)
    assert ENGINE.candidate_patterns(nt.text) == _reference(nt.text)


def test_corpus_candidates_match_reference() -> None:
    corpus = DATA / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"shared corpora not at {DATA}")
    texts: list[str] = []
    for path in sorted(corpus.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"][:1500] for n, line in enumerate(fh) if n % 250 == 0]
    differ = []
    for raw in texts:
        text = normalize(raw).text
        if ENGINE.candidate_patterns(text) != _reference(text):
            differ.append(text[:60])
    assert differ == []

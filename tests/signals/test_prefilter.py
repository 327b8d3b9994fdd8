"""Cutting patterns into gap-free pieces for the prefilter sets."""

from __future__ import annotations

import pytest

from lurewatch.signals.prefilter import Prefilter, pattern_pieces
from lurewatch.signals.schema import re2_options


@pytest.mark.parametrize(
    ("pattern", "pieces"),
    [
        (r"free\s+flight", [r"free\s+flight"]),
        (r"customer\s+service[^\n]{0,60}cambodia", [r"customer\s+service", "cambodia"]),
        (r"(?:a|b)c.{2,9}?d.*e", ["(?:a|b)c", "d", "e"]),
        (r"dear[^\n.!]+send\s+money", ["dear", r"send\s+money"]),
        (r"hi[^\n]{0,40}\s*golf", ["hi", r"\s*golf"]),  # `\s*` is not a gap token
        (r"hi[^\n]{0,40}\s*", ["hi"]),  # a piece that matches empty is dropped
        (r"foo[^\n]{0,9}bar|baz", [r"foo[^\n]{0,9}bar|baz"]),  # top-level | : never cut
        (r"(?i)foo.*bar", [r"(?i)foo.*bar"]),  # flags would not reach the pieces
        (r"[^\]x]{0,5}", [r"[^\]x]{0,5}"]),  # nothing left after the cut: keep whole
        (r"x\[^\n]{0,5}y", [r"x\[^\n]{0,5}y"]),  # escaped bracket is a literal, not a gap
        (r"(?:a[^\n]{0,5}b)c", [r"(?:a[^\n]{0,5}b)c"]),  # gap inside a group: not top level
    ],
)
def test_pattern_pieces(pattern: str, pieces: list[str]) -> None:
    assert pattern_pieces(pattern, re2_options()) == pieces


def test_candidates_need_every_piece() -> None:
    patterns = [r"customer\s+service[^\n]{0,60}cambodia", r"\bprize\b", "刷单"]
    pre = Prefilter([[(0, patterns[0]), (1, patterns[1])], [(2, patterns[2])]], re2_options())
    assert pre.candidates("Customer service job in CAMBODIA") == [0]
    assert pre.candidates("customer service only") == []
    assert pre.candidates("cambodia, then customer service") == [0]  # superset: order ignored
    assert pre.candidates("win a PRIZE 兼职刷单") == [1, 2]
    assert pre.candidates("") == []

"""Literal folding agrees with what normalization does to the same letters."""

from __future__ import annotations

import pytest

from lurewatch.text import normalize
from lurewatch.text.literals import fold_literal


@pytest.mark.parametrize("word", ["ทำงาน", "ຄຳ", "ໜ້າ", "ໝູ່", "plain", "（full-width）"])
def test_folded_literal_equals_normalized_text_for_these_letters(word: str) -> None:
    folded = fold_literal(word)
    if word.startswith("（"):
        assert folded == word  # regex syntax is never touched
    else:
        assert folded == normalize(word).text

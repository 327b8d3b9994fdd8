"""Shared check that a pattern respelled for speed matches exactly what its plain spelling does.

Several extractor patterns move an opening look-behind after the character it guards (so `re`
can skip to candidate characters in C); the match spans and groups must stay the same.
"""

from __future__ import annotations

import re


def match_list(pattern: re.Pattern[str], text: str, end: int) -> list[tuple[object, ...]]:
    return [(m.span(), *m.groups()) for m in pattern.finditer(text, 0, end)]


def assert_same_matches(fast: re.Pattern[str], plain: str, text: str) -> None:
    """`fast` finds the same matches as `plain` in `text`, also with an end bound inside it."""
    slow = re.compile(plain)
    for end in (len(text), len(text) // 2):
        assert match_list(fast, text, end) == match_list(slow, text, end), (text, end)

"""Edit application with an offset map back into the original text.

Every normalization stage is expressed as a list of non-overlapping edits on the current text
(`(start, end, replacement)`). Applying edits keeps, for each output character, the span of the
original text it came from, so spans found in normalized text can be reported against what the
person actually wrote. Stages that change nothing cost nothing: the map stays implicit
(identity) until the first edit.
"""

from __future__ import annotations

from collections.abc import Sequence

Edit = tuple[int, int, str]


class OffsetMap:
    """Maps each character of a derived text to the `[start, end)` span of the original."""

    __slots__ = ("_ends", "_length", "_starts")

    def __init__(self, length: int) -> None:
        self._length = length
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None

    @property
    def identity(self) -> bool:
        return self._starts is None

    def _materialize(self, n: int) -> tuple[list[int], list[int]]:
        if self._starts is None or self._ends is None:
            return list(range(n)), list(range(1, n + 1))
        return self._starts, self._ends

    def apply(self, text: str, edits: Sequence[Edit]) -> str:
        """Apply sorted, non-overlapping `edits` to `text` and update the map in place."""
        if not edits:
            return text
        starts, ends = self._materialize(len(text))
        out: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        pos = 0
        for s, e, rep in edits:
            if s < pos:
                raise ValueError("overlapping normalization edits")
            out.append(text[pos:s])
            new_starts.extend(starts[pos:s])
            new_ends.extend(ends[pos:s])
            if rep:
                if e > s:
                    o_start, o_end = starts[s], ends[e - 1]
                else:  # pure insertion: anchor on the following (or last) character
                    o_start = starts[s] if s < len(starts) else self._length
                    o_end = o_start
                out.append(rep)
                new_starts.extend([o_start] * len(rep))
                new_ends.extend([o_end] * len(rep))
            pos = e
        out.append(text[pos:])
        new_starts.extend(starts[pos:])
        new_ends.extend(ends[pos:])
        self._starts, self._ends = new_starts, new_ends
        return "".join(out)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original `[start, end)` covering derived `[start, end)`."""
        if self._starts is None or self._ends is None:
            return start, end
        n = len(self._starts)
        if n == 0:
            return 0, 0
        if end <= start:
            anchor = self._starts[start] if start < n else self._length
            return anchor, anchor
        return self._starts[start], self._ends[min(end, n) - 1]

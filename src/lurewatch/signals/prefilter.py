"""The one-pass prefilter: which rule patterns can possibly match a text.

Why it is shaped like this (measured with `python -m bench.signals_speed` on 150-char corpus
messages the DFA had not seen before): one `re2.Set` over every pattern of every language was
the obvious design, but RE2 builds its DFA lazily and the states of ~1,000 unanchored patterns
combine: almost every byte of new text needed a new DFA state, ~400 us per message. Two
changes cut that by ~8x while keeping one linear pass per set:

1. One set per pack LANGUAGE. Patterns of different languages rarely have partial matches
   alive at the same time, so splitting them stops the cross-product of states.
2. Each pattern enters its set as its top-level PIECES, cut at gap tokens such as
   `[^\\n]{0,60}` or `.*`. A gap keeps a thread alive at a different offset for every byte,
   which is what multiplies states; the pieces have no gaps. A pattern is a candidate when
   all its pieces occur; the engine then runs the exact pattern to confirm and find spans,
   so the prefilter may over-report but never under-report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import re2  # type: ignore[import-untyped]  # google-re2 ships no stubs

SET_MAX_MEM = 64 << 20
"""RE2 memory budget per set (a ceiling for the lazy DFA, not an allocation)."""

# A gap: any-char or negated class with an open repeat. Written for Python's `re` because it
# scans PATTERN SOURCE (short, trusted once schema-validated), never message text.
_GAP = re.compile(r"(?:\.|\[\^(?:\\.|[^\]\\])*\])(?:\{\d+,\d*\}\??|\*\??|\+\??)")
_FLAG_GROUP = re.compile(r"\(\?[a-zA-Z-]+\)")


def pattern_pieces(pattern: str, options: re2.Options) -> list[str]:
    """Top-level factors of `pattern` between gap tokens; `[pattern]` when it cannot be cut.

    Only a top-level concatenation is cut: a `|` at depth 0 means the pattern is kept whole.
    Pieces that match the empty string carry no evidence and are dropped.
    """
    if _FLAG_GROUP.search(pattern):  # `(?i)`-style flags would not carry over to the pieces
        return [pattern]
    cuts: list[tuple[int, int]] = []
    depth, i, n = 0, 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if depth == 0:
            gap = _GAP.match(pattern, i)
            if gap:
                cuts.append((i, gap.end()))
                i = gap.end()
                continue
            if c == "|":
                return [pattern]
        if c == "[":
            i = _skip_class(pattern, i)
            continue
        depth += 1 if c == "(" else -1 if c == ")" else 0
        i += 1
    if not cuts:
        return [pattern]
    bounds = [0] + [x for cut in cuts for x in cut] + [n]
    pieces = []
    for s, e in zip(bounds[::2], bounds[1::2], strict=True):
        piece = pattern[s:e]
        try:
            if piece.strip() and re2.compile(piece, options).search("") is None:
                pieces.append(piece)
        except re2.error:
            return [pattern]
    return pieces or [pattern]


def _skip_class(pattern: str, i: int) -> int:
    """Index just past the character class starting at `pattern[i] == '['`."""
    i += 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


class Prefilter:
    """Per-group RE2 sets over pattern pieces; `candidates(text)` lists possible patterns."""

    def __init__(self, groups: Iterable[Sequence[tuple[int, str]]], options: re2.Options) -> None:
        """`groups`: for each set, (pattern id, pattern) pairs. Ids must be 0..N-1 overall."""
        set_options = re2.Options()
        for name in re2.Options.NAMES:
            setattr(set_options, name, getattr(options, name))
        set_options.max_mem = SET_MAX_MEM
        self._sets: list[tuple[Any, list[int]]] = []
        self._need: dict[int, int] = {}
        for group in groups:
            rset = re2.Set.SearchSet(set_options)
            owner: list[int] = []
            for pid, pattern in group:
                pieces = pattern_pieces(pattern, options)
                self._need[pid] = len(pieces)
                for piece in pieces:
                    rset.Add(piece)
                    owner.append(pid)
            if owner:
                rset.Compile()
                # The C++ set itself: the wrapper's Match only re-checks the type and wraps
                # the result, which costs as much as a warm scan of a short message.
                # Falls back to the public object if a future wrapper drops `_set`.
                self._sets.append((getattr(rset, "_set", rset), owner))

    def candidates(self, text: str) -> list[int]:
        """Ids of patterns all of whose pieces occur in `text`, sorted."""
        if not text:
            return []
        data = text.encode("utf-8")
        found: dict[int, int] = {}
        for rset, owner in self._sets:
            for idx in rset.Match(data) or ():
                pid = owner[idx]
                found[pid] = found.get(pid, 0) + 1
        need = self._need
        return sorted(pid for pid, k in found.items() if k >= need[pid])

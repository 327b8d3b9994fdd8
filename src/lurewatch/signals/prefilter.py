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
3. A set is only scanned when the text could hold a match of it (`script_gate`): most sets
   are a script's (Thai, Khmer, Han...), every piece of them needs one of a few thousand
   non-ASCII characters, and an English or Malay message has none of them. Checking the
   text's characters against that set costs well under a microsecond; the RE2 scan it saves
   costs several (cold DFA states on every new text).
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # type: ignore[import-not-found]  # private, unstubbed; see script_gate
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import re2  # type: ignore[import-untyped]  # google-re2 ships no stubs

from lurewatch.signals.hyperscan_set import HyperscanError, HyperscanSet

SET_MAX_MEM = 64 << 20
"""RE2 memory budget per set (a ceiling for the lazy DFA, not an allocation)."""

# A gap: any-char or negated class with an open repeat. Written for Python's `re` because it
# scans PATTERN SOURCE (short, trusted once schema-validated), never message text.
_GAP = re.compile(r"(?:\.|\[\^(?:\\.|[^\]\\])*\])(?:\{\d+,\d*\}\??|\*\??|\+\??)")
_FLAG_GROUP = re.compile(r"\(\?[a-zA-Z-]+\)")
_RE2_ONLY_CLASS = re.compile(r"\\[pP](?:\{[^}]*\}|[A-Za-z])")
"""RE2's Unicode classes (`\\p{Han}`), which Python's parser rejects: read as `.` (any)."""
_CASE_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a\u212b")
"""Non-ASCII letters that case-insensitive matching may pair with an ASCII letter."""
MAX_GATE_CHARS = 200_000


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


def _can_be_ascii(ch: str) -> bool:
    return (
        ch.isascii()
        or ch in _CASE_TO_ASCII
        or any(v.isascii() for v in (ch.lower(), ch.upper(), ch.casefold()))
    )


@lru_cache(maxsize=1)
def _case_orbits() -> dict[str, frozenset[str]]:
    """Each cased non-ASCII character's case-insensitive equivalents (σ, ς and Σ together).

    RE2 matches case-insensitively along Unicode case-folding orbits, which `lower()` and
    `upper()` of one character do not always reach in one step (ς -> Σ -> σ); the orbits are
    the connected groups of "is the lower, upper or casefold of"."""
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        while parent.get(c, c) != c:
            c = parent[c]
        return c

    for cp in range(0x80, 0x20000):
        ch = chr(cp)
        for v in (ch.lower(), ch.upper(), ch.casefold()):
            if len(v) == 1 and v != ch:
                a, b = root(ch), root(v)
                if a != b:
                    parent[a] = b
    groups: dict[str, set[str]] = {}
    for ch in parent:
        groups.setdefault(root(ch), set()).add(ch)
    orbits: dict[str, frozenset[str]] = {}
    for r, members in groups.items():
        orbit = frozenset(members | {r})
        orbits.update(dict.fromkeys(orbit, orbit))
    return orbits


def _with_cases(chars: set[str]) -> set[str]:
    """`chars` and every character case-insensitive matching pairs with them."""
    orbits = _case_orbits()
    out = set(chars)
    for ch in chars:
        out |= orbits.get(ch, frozenset())
    return out


def _needs(items: Any, chars: set[str]) -> bool:
    """True when every match of the parsed sequence `items` holds a non-ASCII character;
    adds the non-ASCII characters its literals and classes can match to `chars`."""
    needs = False
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            ch = chr(arg)
            if not ch.isascii():
                chars.add(ch)
            needs |= not _can_be_ascii(ch)
        elif name == "IN":
            needs |= _class_needs(arg, chars)
        elif name == "BRANCH":
            needs |= all([_needs(branch, chars) for branch in arg[1]])
        elif name == "SUBPATTERN":
            needs |= _needs(arg[-1], chars)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            inner = _needs(arg[2], chars)
            needs |= arg[0] >= 1 and inner
        elif name == "ATOMIC_GROUP":
            needs |= _needs(arg, chars)
    return needs


def _class_needs(items: Any, chars: set[str]) -> bool:
    """True when the character class `items` matches only non-ASCII characters."""
    only_non_ascii = True
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            ch = chr(arg)
            if not ch.isascii():
                chars.add(ch)
            only_non_ascii &= not _can_be_ascii(ch)
        elif name == "RANGE" and arg[0] >= 0x80:
            span = {chr(c) for c in range(arg[0], arg[1] + 1)}
            chars.update(span)
            only_non_ascii &= not any(_can_be_ascii(ch) for ch in span)
        else:  # NEGATE, CATEGORY (\w, \s, \d) and ASCII ranges all reach ASCII text
            only_non_ascii = False
    return only_non_ascii


def script_gate(pieces: Sequence[str]) -> frozenset[str] | None:
    """Characters at least one of which every match of every piece contains, or None.

    None when some piece can match pure-ASCII text or cannot be analysed (the set is then
    always scanned). The analysis uses Python's regex parser on the RE2 source; anything it
    does not understand makes the answer None, so a gate can only skip sets that cannot match.
    """
    chars: set[str] = set()
    for piece in pieces:
        try:
            parsed = sre_parse.parse(_RE2_ONLY_CLASS.sub(".", piece))
        except (re.error, RecursionError, OverflowError):
            return None
        if not _needs(list(parsed), chars):
            return None
    chars = _with_cases(chars)
    if len(chars) > MAX_GATE_CHARS:
        return None
    return frozenset(ch for ch in chars if not ch.isascii())


class Prefilter:
    """Per-group sets over pattern pieces; `candidates(text)` lists possible patterns.

    `engine` is "re2" (the default: sets are ready at once and RE2 builds its DFA lazily) or
    "hyperscan" (`hyperscan_set`: every piece in one database compiled ahead of time, ~25 s
    for the built-in packs the first time, then loaded from a disk cache; one scan per text,
    ~5x faster than the RE2 sets on unseen traffic, so batch screening uses it). The two give
    the same candidates (tested)."""

    def __init__(
        self,
        groups: Iterable[Sequence[tuple[int, str]]],
        options: re2.Options,
        engine: str = "re2",
    ) -> None:
        """`groups`: for each set, (pattern id, pattern) pairs. Ids must be 0..N-1 overall."""
        if engine not in ("hyperscan", "re2"):
            raise ValueError(f"engine must be 'hyperscan' or 're2', not {engine!r}")
        self.engine = engine
        set_options = re2.Options()
        for name in re2.Options.NAMES:
            setattr(set_options, name, getattr(options, name))
        set_options.max_mem = SET_MAX_MEM
        self._case_sensitive = bool(options.case_sensitive)
        self._sets: list[tuple[Any, list[int], frozenset[str] | None]] = []
        self._need: dict[int, int] = {}
        leftovers: list[tuple[int, str]] = []
        sets: list[tuple[list[tuple[int, str]], frozenset[str] | None]] = []
        for group in groups:
            pieces = []
            for pid, pattern in group:
                cut = pattern_pieces(pattern, options)
                self._need[pid] = len(cut)
                pieces += [(pid, piece) for piece in cut]
            # A script's set keeps the pieces that need its script; its few ASCII-capable
            # pieces (English words in a Thai pack) join one shared set scanned always.
            gated = [(pid, p) for pid, p in pieces if script_gate([p]) is not None]
            if gated:
                leftovers += [(pid, p) for pid, p in pieces if script_gate([p]) is None]
                sets.append((gated, script_gate([p for _pid, p in gated])))
            else:
                sets.append((pieces, None))
        sets.append((leftovers, None))
        if engine == "hyperscan":
            self._add_hyperscan(sets, set_options)
        else:
            for pieces, gate in sets:
                self._add_re2_set(pieces, set_options, gate)
        self._gated = self.gated_sets > 0

    def _add_hyperscan(
        self,
        sets: list[tuple[list[tuple[int, str]], frozenset[str] | None]],
        options: re2.Options,
    ) -> None:
        """Every piece Hyperscan accepts in ONE database, scanned once per text.

        Why one: Hyperscan's compiled automaton does not blow up the way RE2's lazy DFA
        does when languages are mixed, and a text then costs one `scan` call instead of one
        per ungated set (~5.5 per text measured: 45 -> 20 us per corpus text). The script
        gates are not needed for it: a gate only skips a set that cannot match the text, so
        scanning its pieces anyway finds nothing more. Pieces Hyperscan rejects stay in RE2
        sets, with their group's gate."""
        case = self._case_sensitive
        pieces = [item for group, _gate in sets for item in group]
        if not pieces:
            return
        try:
            hs = HyperscanSet([p for _pid, p in pieces], case)
        except HyperscanError:  # a piece it rejects: find it, the rest go to Hyperscan
            accepted = {p: HyperscanSet.compiles(p, case) for _pid, p in pieces}
            for group, gate in sets:
                self._add_re2_set([it for it in group if not accepted[it[1]]], options, gate)
            pieces = [it for it in pieces if accepted[it[1]]]
            if not pieces:
                return
            hs = HyperscanSet([p for _pid, p in pieces], case)
        self._sets.append((hs, [pid for pid, _p in pieces], None))

    def _add_re2_set(
        self, pieces: list[tuple[int, str]], options: re2.Options, gate: frozenset[str] | None
    ) -> None:
        if not pieces:
            return
        rset = re2.Set.SearchSet(options)
        owner: list[int] = []
        for pid, piece in pieces:
            rset.Add(piece)
            owner.append(pid)
        rset.Compile()
        # The C++ set itself: the wrapper's Match only re-checks the type and wraps
        # the result, which costs as much as a warm scan of a short message.
        # Falls back to the public object if a future wrapper drops `_set`.
        self._sets.append((getattr(rset, "_set", rset), owner, gate))

    @property
    def gated_sets(self) -> int:
        """How many sets are skipped for texts without their script (for tests and tuning)."""
        return sum(gate is not None for _s, _o, gate in self._sets)

    def candidates(self, text: str) -> list[int]:
        """Ids of patterns all of whose pieces occur in `text`, sorted."""
        if not text:
            return []
        data = text.encode("utf-8")
        # ASCII text (most traffic): no gated set can match. Otherwise the text's characters
        # (not needed when no set is gated: Hyperscan's one database).
        chars = None if len(data) == len(text) or not self._gated else set(text)
        found: dict[int, int] = {}
        for rset, owner, gate in self._sets:
            if gate is not None and (chars is None or gate.isdisjoint(chars)):
                continue
            for idx in rset.Match(data) or ():
                pid = owner[idx]
                found[pid] = found.get(pid, 0) + 1
        need = self._need
        return sorted(pid for pid, k in found.items() if k >= need[pid])

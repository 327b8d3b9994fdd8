"""Compile every pack once and match a normalized text against all rules.

Why this shape: a trust-and-safety pipeline runs every pack (code-mixed texts are common, so
all languages) on millions of messages. A prefilter of RE2 sets (`prefilter.py`: one per
language, linear-time whatever the patterns) scans the text and names the few patterns that
can match; only those are run again, exactly, to confirm them, find their spans and apply
context windows. On a typical benign message nothing is a candidate and the cost is the scan.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re2  # type: ignore[import-untyped]  # google-re2 ships no stubs

from lurewatch.signals.loader import active_packs, load_pack_dirs
from lurewatch.signals.prefilter import Prefilter
from lurewatch.signals.schema import Pack, Rule, keyword_pattern, re2_options
from lurewatch.signals.scoring import SignalHit, SignalSpan
from lurewatch.text import NormalizedText

MAX_SPANS_PER_RULE = 20
"""A hostile text repeating a phrase thousands of times gets 20 spans, not thousands."""


class EngineError(RuntimeError):
    """The combined pattern set could not be built or searched."""


@dataclass(frozen=True)
class _CompiledRule:
    rule: Rule
    regexes: tuple[Any, ...]
    context: Any | None


def _compile_rule(rule: Rule, options: re2.Options) -> _CompiledRule:
    regexes = tuple(re2.compile(p, options) for p in rule.all_patterns())
    context = None
    if rule.context:
        context = re2.compile("|".join(keyword_pattern(w) for w in rule.context), options)
    return _CompiledRule(rule, regexes, context)


class SignalEngine:
    """All rules of the given packs, compiled once; `match` is safe to call from many threads."""

    def __init__(self, packs: Iterable[Pack]) -> None:
        options = re2_options()
        self.packs: tuple[Pack, ...] = tuple(packs)
        self._rules: list[_CompiledRule] = []
        # pattern id -> (rule index, pattern index within the rule)
        self._owners: list[tuple[int, int]] = []
        groups: dict[str, list[tuple[int, str]]] = {}
        for pack in self.packs:
            group = groups.setdefault(pack.language, [])
            for rule in pack.rules:
                r_idx = len(self._rules)
                self._rules.append(_compile_rule(rule, options))
                for p_idx, pattern in enumerate(rule.all_patterns()):
                    group.append((len(self._owners), pattern))
                    self._owners.append((r_idx, p_idx))
        try:
            self._prefilter = Prefilter(groups.values(), options)
        except re2.error as exc:
            raise EngineError(f"the rule patterns do not compile into a set: {exc}") from exc
        self._groups = [list(g) for g in groups.values()]
        self._options = options
        self._batch_prefilter: Prefilter | None = None
        self._batch_lock = threading.Lock()

    def batch_prefilter(self) -> Prefilter:
        """The same prefilter compiled by Hyperscan (see `Prefilter`), built on first use:
        compiling takes ~25 s the first time on a machine (then a disk cache loads it), worth
        it for a pipeline that screens chunks of traffic, not for one text."""
        with self._batch_lock:
            if self._batch_prefilter is None:
                self._batch_prefilter = Prefilter(self._groups, self._options, "hyperscan")
            return self._batch_prefilter

    @property
    def rules(self) -> list[Rule]:
        return [c.rule for c in self._rules]

    def candidate_patterns(self, text: str) -> list[int]:
        """Ids of patterns that MAY match `text` (a superset of those that do), sorted."""
        return self._prefilter.candidates(text)

    def match(self, nt: NormalizedText) -> list[SignalHit]:
        """Every rule that fires on `nt`, in pack order, with original-text spans."""
        return self._match(nt, self._prefilter)

    def match_many(self, nts: Sequence[NormalizedText]) -> list[list[SignalHit]]:
        """`match` of each text (the same hits), through the Hyperscan prefilter."""
        if not nts:
            return []
        prefilter = self.batch_prefilter()
        return [self._match(nt, prefilter) for nt in nts]

    def _match(self, nt: NormalizedText, prefilter: Prefilter) -> list[SignalHit]:
        text = nt.text
        by_rule: dict[int, list[int]] = {}
        for idx in prefilter.candidates(text):
            r_idx, p_idx = self._owners[idx]
            by_rule.setdefault(r_idx, []).append(p_idx)
        hits: list[SignalHit] = []
        for r_idx in sorted(by_rule):
            compiled = self._rules[r_idx]
            spans = _spans(compiled, by_rule[r_idx], nt)
            if spans:
                rule = compiled.rule
                hits.append(
                    SignalHit(
                        id=rule.id,
                        title=rule.title,
                        title_local=rule.title_local,
                        category=rule.category,
                        stage=rule.stage,
                        weight=rule.weight,
                        spans=spans,
                    )
                )
        return hits


def _spans(
    compiled: _CompiledRule, pattern_idx: Sequence[int], nt: NormalizedText
) -> list[SignalSpan]:
    """Normalized-text matches of the given patterns that pass the context check, as spans."""
    text = nt.text
    window = compiled.rule.context_window
    found: set[tuple[int, int]] = set()
    for p_idx in pattern_idx:
        for m in compiled.regexes[p_idx].finditer(text):
            s, e = m.span()
            if e <= s:
                continue
            if compiled.context is not None:
                # Search a slice, not `search(text, lo, hi)`: google-re2 re-encodes the whole
                # text on every call, which made hostile texts with many matches quadratic.
                # One extra character each side keeps word boundaries at the edges right.
                lo, hi = max(0, s - window - 1), min(len(text), e + window + 1)
                if compiled.context.search(text[lo:hi]) is None:
                    continue
            found.add((s, e))
            if len(found) >= MAX_SPANS_PER_RULE:
                break
        if len(found) >= MAX_SPANS_PER_RULE:
            break
    spans = []
    for s, e in sorted(found):
        o_s, o_e = nt.span(s, e)
        spans.append(SignalSpan(start=o_s, end=o_e, text=nt.original[o_s:o_e]))
    return spans


_default: tuple[tuple[Pack, ...], SignalEngine] | None = None


def default_engine() -> SignalEngine:
    """The engine over built-in packs and registered user directories (built once, cached).

    Rebuilt only when `active_packs()` returns a different tuple, i.e. after `add_pack_dir`.
    """
    global _default
    packs = active_packs()
    if _default is None or _default[0] is not packs:
        _default = (packs, SignalEngine(packs))
    return _default[1]


def engine_for_dirs(directories: Iterable[Path]) -> SignalEngine:
    """An engine over exactly the packs in `directories` (no built-ins unless listed)."""
    return SignalEngine(load_pack_dirs(directories))


def match_signals(nt: NormalizedText, engine: SignalEngine | None = None) -> list[SignalHit]:
    """Every signal rule that fires on `nt` (default: built-in + registered packs)."""
    return (engine or default_engine()).match(nt)


def match_signals_many(
    nts: Sequence[NormalizedText], engine: SignalEngine | None = None
) -> list[list[SignalHit]]:
    """`match_signals` of each text, for a chunk of texts (see `SignalEngine.match_many`)."""
    return (engine or default_engine()).match_many(nts)

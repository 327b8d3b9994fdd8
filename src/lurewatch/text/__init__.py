"""Text normalization with a map back to the original characters.

`normalize(text)` returns a `NormalizedText`: the cleaned text every detector works on, and
`span()` to turn a match in it into offsets of what the person actually wrote.
Stages, in order: line endings; NFKC + invisible characters + native digits; Cyrillic/Greek
look-alikes in Latin words; refanging; digits spelled as words; letters inside numbers;
whitespace. Each stage records whether it changed something so extractors can mark a value as
deliberately obfuscated.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from lurewatch.text import chars, deobfuscate
from lurewatch.text.language import (
    STATISTICAL_ANSWERS,
    SUPPORTED,
    detect_language,
    detect_languages,
    model_language,
    script_language,
)
from lurewatch.text.offsets import Edit, OffsetMap

MAX_TEXT_CHARS = 10_000_000
"""Hard upper bound on one text (10 M characters); longer input is refused, not truncated."""

Stage = Callable[[str], list[Edit]]

# (stage, counts as obfuscation when it edits inside a token)
_STAGES: tuple[tuple[Stage, bool], ...] = (
    (deobfuscate.line_endings, False),
    (chars.fold_chars, True),
    (chars.fold_homoglyphs, True),
    (deobfuscate.refang, True),
    (deobfuscate.spelled_digits, True),
    (deobfuscate.letters_in_numbers, True),
    (deobfuscate.whitespace, False),
    (deobfuscate.trim, False),
)


class TextTooLongError(ValueError):
    """Raised when a text exceeds `MAX_TEXT_CHARS`."""


@dataclass
class NormalizedText:
    """A normalized text, its original, and the map between them."""

    original: str
    text: str
    offsets: OffsetMap
    _obfuscated: list[tuple[int, int]] = field(default_factory=list)
    _language: str | None = None
    _script_undecided: bool = False
    """`script_language` found no deciding script (remembered: it reads the whole text, and
    every phone candidate of a Latin-script text asks again)."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original `[start, end)` for normalized `[start, end)`."""
        return self.offsets.span(start, end)

    def original_slice(self, start: int, end: int) -> str:
        """The original characters behind normalized `[start, end)`."""
        s, e = self.span(start, end)
        return self.original[s:e]

    def obfuscated(self, start: int, end: int) -> bool:
        """Whether an obfuscation stage changed anything inside original `[start, end)`.

        Whitespace edits on the edges of a token and invisible characters between words are not
        obfuscation; everything recorded in `_obfuscated` is in original coordinates.
        """
        if not self._obfuscated:
            return False
        i = bisect_right(self._obfuscated, (start, 1 << 62)) - 1
        for k in range(max(i, 0), len(self._obfuscated)):
            s, e = self._obfuscated[k]
            if s >= end:
                break
            if e > start and s < end:
                return True
        return False

    @property
    def language_known(self) -> bool:
        """Whether `language` is already worked out (asking it again costs nothing)."""
        return self._language is not None

    def language_options(self) -> tuple[str, ...]:
        """The language when it is known or cheap to know (scripts decide it), else every
        answer the statistical model could give; `language` then still has the answer."""
        if self._language is None:
            # One text's table look-ups (`script_language`): on the non-ASCII texts that get
            # here (phone candidates without a region) ~15 µs, where the chunk form for a
            # chunk of one cost ~55 µs and the per-script regex passes ~60 µs.
            lang = None if self._script_undecided else script_language(self.text)
            if lang is None:
                self._script_undecided = True
                return STATISTICAL_ANSWERS
            self._language = lang
        return (self._language,)

    @property
    def language(self) -> str:
        """Detected language (ISO 639-1, or "und"), computed on first use."""
        if self._language is None:
            # Scripts already left it undecided: straight to the model (the same answer as
            # `detect_language`, without counting the scripts again).
            self._language = (
                model_language(self.text) if self._script_undecided else detect_language(self.text)
            )
        return self._language


def languages_of(texts: Sequence[NormalizedText]) -> list[str]:
    """The `language` of each normalized text, the same answers, detected for the chunk at
    once (`detect_languages`) for those not yet known; each text keeps its answer."""
    todo = [nt for nt in texts if nt._language is None]
    if len(todo) > 1:
        for nt, lang in zip(todo, detect_languages([nt.text for nt in todo]), strict=True):
            nt._language = lang
    return [nt.language for nt in texts]


def edit_anchor_pieces() -> tuple[str, ...]:
    """Where some stage may edit a text: `deobfuscate.EDIT_ANCHORS` and the characters
    `fold_chars` folds in an NFKC-stable text (`chars.suspect_anchors`: invisibles, non-ASCII
    digits). A text holding none of them is edited only by NFKC, look-alike folding or
    `trim`, which `_unedited` asks itself."""
    return (*deobfuscate.EDIT_ANCHORS, *chars.suspect_anchors())


class _EditAnchors:
    """One Hyperscan pass over `edit_anchor_pieces()` (built on first use; the compiled
    database is cached on disk by `HyperscanSet`)."""

    def __init__(self) -> None:
        # Imported here: lurewatch.signals imports this package.
        from lurewatch.signals.hyperscan_set import HyperscanError, HyperscanSet

        try:
            self._set: HyperscanSet | None = HyperscanSet(edit_anchor_pieces(), case_sensitive=True)
        except HyperscanError:
            self._set = None  # no database here: every stage runs, as before this pass

    def found_in(self, text: str) -> bool:
        if self._set is None:
            return True
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            return True  # lone surrogates: no verdict, every stage decides
        return bool(self._set.Match(data))


@lru_cache(maxsize=1)
def _edit_anchors() -> _EditAnchors:
    return _EditAnchors()


def _unedited(text: str, edit_anchor_found: bool | None = None) -> bool:
    """True only when no stage would edit `text`, so it is its own normalized form.

    Why: most messages (plain ASCII SMS) need no edit, and asking eight stages one by one
    (each with its own gate, ~1 µs each) cost ~8 µs a message; this asks `trim`'s test, one
    Hyperscan pass over `edit_anchor_pieces()` (unless the caller did it) and, for non-ASCII
    text without those pieces, NFKC's own check and the look-alike gate. Every condition here
    is a superset of where its stage edits (`tests/text` compare both paths).
    """
    if not text or text[0].isspace() or text[-1].isspace():
        return not text
    if edit_anchor_found is None:
        edit_anchor_found = _edit_anchors().found_in(text)
    if edit_anchor_found:
        return False
    # No invisible character or non-ASCII digit (both are among the pieces).
    return text.isascii() or not (
        chars.fold_chars_may_edit(text, suspect_found=False) or chars.fold_homoglyphs(text)
    )


def normalize(text: str, *, edit_anchor_found: bool | None = None) -> NormalizedText:
    """Normalize `text` for detection; see the module docstring for the stages.

    `edit_anchor_found`: whether any of `edit_anchor_pieces()` occurs in `text`, when the
    caller already knows (extraction scans for them in the same Hyperscan call as its own
    gates); None to have it looked up here. Raises `TypeError` for non-str input and
    `TextTooLongError` above `MAX_TEXT_CHARS`.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() needs str, not {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLongError(
            f"text has {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}"
        )
    if _unedited(text, edit_anchor_found):
        return NormalizedText(original=text, text=text, offsets=OffsetMap(len(text)))
    return _run_stages(text)


def _run_stages(text: str) -> NormalizedText:
    """Every stage in turn (what `normalize` does unless `_unedited` says none would edit)."""
    offsets = OffsetMap(len(text))
    current = text
    obfuscated: list[tuple[int, int]] = []
    for stage, marks in _STAGES:
        edits = stage(current)
        if not edits:
            continue
        if marks:
            for s, e, _rep in edits:
                if e > s:
                    obfuscated.append(offsets.span(s, e))
        current = offsets.apply(current, edits)
    obfuscated.sort()
    return NormalizedText(original=text, text=current, offsets=offsets, _obfuscated=obfuscated)


__all__ = [
    "MAX_TEXT_CHARS",
    "SUPPORTED",
    "NormalizedText",
    "TextTooLongError",
    "detect_language",
    "languages_of",
    "normalize",
]

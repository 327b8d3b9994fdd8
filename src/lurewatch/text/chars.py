"""Character-level folding: NFKC, invisible characters, native digits, look-alike letters.

Scam texts are written to dodge keyword filters: zero-width spaces inside "Tele\u200bgram",
full-width digits, mathematical bold letters, Cyrillic "а" inside a Latin word, Thai or Khmer
digits in a phone number. Each function here returns edits (see `offsets.Edit`) so the caller
keeps a map back to the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache

from lurewatch.text.offsets import Edit

# Zero-width, soft hyphen and bidirectional controls: invisible, used to split keywords or to
# reverse what a filter sees. ZWJ/ZWNJ are included: they only shape rendering.
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u3164\ufeff\uffa0"
)

# Cyrillic and Greek letters that render like Latin ones. Folded only inside words that also
# hold Latin letters (so genuine Russian or Greek text is left alone). The full Unicode
# confusables table (UTS #39) is used for domain skeletons; here we need the small, safe subset
# that never maps a letter to something it does not look like in common fonts.
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԛ": "q",
    "ԝ": "w", "ɡ": "g", "һ": "h", "ӏ": "l", "ԁ": "d", "ո": "n", "ս": "u",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q",
    "Ԝ": "W", "Ӏ": "I",
    # Greek
    "α": "a", "ο": "o", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "ι": "i", "κ": "k",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}  # fmt: skip

_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[A-Za-z]")
_HOMOGLYPH_GATE = re.compile("[" + "".join(sorted(HOMOGLYPHS)) + "]")
# Invisibles and non-ASCII decimal digits: what an NFKC-stable text may still need folded.
_SUSPECT = re.compile("[" + "".join(sorted(INVISIBLE)) + "]|[^\\D0-9]")


def _fold_char(ch: str) -> str:
    """NFKC of one character plus native-digit folding (Thai ๕ -> 5, Khmer ៥ -> 5)."""
    if ch in INVISIBLE:
        return ""
    out = unicodedata.normalize("NFKC", ch)
    if len(out) == 1 and out not in "0123456789":
        d = unicodedata.decimal(out, -1)
        if d >= 0:
            return str(d)
    return out


# Planes 3-13 and 15-16 hold only CJK extension ideographs, unassigned and private-use code
# points: NFKC-stable, never combining, never digits (tests/text check the whole range against
# `_fold_char`). Skipping them cuts the one-off table build from ~0.4 s to a few tens of ms.
_SCANNED_RANGES = ((0x80, 0x30000), (0xE0000, 0xE1000))
_BLOCK = 128


@lru_cache(maxsize=1)
def _changing_code_points() -> tuple[int, ...]:
    """Code points that `_fold_char` changes, plus combining marks (which may compose)."""
    digit = re.compile(r"\d")
    comb, nfkc = unicodedata.combining, unicodedata.normalize
    out: list[int] = []
    for lo, hi in _SCANNED_RANGES:
        for base in range(lo, hi, _BLOCK):
            if 0xD800 <= base < 0xE000:
                continue  # surrogates
            block = "".join(map(chr, range(base, base + _BLOCK)))
            # A string is NFKC-stable only if none of its characters decomposes, so a stable
            # block with no digits and no combining marks has nothing to fold.
            stable = nfkc("NFKC", block) == block and not digit.search(block)
            if stable and not any(map(comb, block)):
                continue
            out.extend(ord(c) for c in block if comb(c) or _fold_char(c) != c)
    return tuple(out)


def _runs(points: Sequence[int]) -> Iterator[tuple[int, int]]:
    """(first, last) of each run of consecutive code points in sorted `points`: the ranges
    of a character class, written in `re` syntax (`_ranges_class`) or Hyperscan's
    (`_hyperscan_class`)."""
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        yield points[i], points[j]
        i = j + 1


def _ranges_class(points: Sequence[int]) -> str:
    parts = [
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        for lo, hi in _runs(points)
    ]
    return "[" + "".join(parts) + "]"


@lru_cache(maxsize=1)
def _changing() -> re.Pattern[str]:
    """One character class of everything `fold_chars` may rewrite, built on first use.

    The folding then costs Python work per CHANGED character, not per character: a Chinese
    job ad with full-width punctuation used to be walked character by character (~580 µs for
    930 characters); now the regex skips from one full-width comma to the next in C.
    """
    return re.compile(_ranges_class(sorted({*_changing_code_points(), *map(ord, INVISIBLE)})))


@lru_cache(maxsize=1)
def _single_folds() -> tuple[re.Pattern[str], dict[str, str]]:
    """The combining marks as one class, and the folded form of every other character of
    `_changing()`: a text without combining marks (Chinese with full-width punctuation) is
    then folded by one comprehension over the matches."""
    points = _changing_code_points()
    marks = [cp for cp in points if unicodedata.combining(chr(cp))]
    mark_set = set(marks)
    folds = {chr(cp): _fold_char(chr(cp)) for cp in points if cp not in mark_set}
    folds.update(dict.fromkeys(INVISIBLE, ""))
    return re.compile(_ranges_class(marks)), folds


def _hyperscan_class(points: Sequence[int]) -> str:
    """A character class of `points` in `\\x{...}` escapes (Hyperscan and RE2 syntax)."""
    parts = [
        f"\\x{{{lo:x}}}" if lo == hi else f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for lo, hi in _runs(points)
    ]
    return "[" + "".join(parts) + "]"


@lru_cache(maxsize=1)
def suspect_anchors() -> tuple[str, str]:
    """`_SUSPECT` as two Hyperscan pieces, (invisible characters, non-ASCII decimal digits),
    for the one-pass gates (`lurewatch.text._EditAnchors`, `indicators.anchors`).

    Why: on non-ASCII texts the `_SUSPECT` search (~8 µs) and the anchors pass's own
    non-ASCII digit search (~3 µs) were two more reads of every message beside the Hyperscan
    pass that reads it anyway. The digits are the very code points `re`'s `\\d` matches
    (listed once from `_SCANNED_RANGES`, which hold every non-ASCII one; tests/text compare
    both pieces with `_SUSPECT` on every code point)."""
    digit = re.compile(r"[^\D0-9]")
    digits = [
        lo + m.start()
        for lo, hi in _SCANNED_RANGES
        for m in digit.finditer("".join(map(chr, range(lo, hi))))
    ]
    return _hyperscan_class(sorted(map(ord, INVISIBLE))), _hyperscan_class(digits)


def fold_chars_may_edit(text: str, suspect_found: bool | None = None) -> bool:
    """False when `fold_chars` has nothing to do: ASCII, or NFKC-stable without invisible
    characters and non-ASCII digits. `suspect_found`: whether `suspect_anchors()` occur in
    `text`, when the caller's Hyperscan pass already knows (None: searched here)."""
    if text.isascii():
        return False
    if not unicodedata.is_normalized("NFKC", text):
        return True
    return suspect_found if suspect_found is not None else _SUSPECT.search(text) is not None


def fold_chars(text: str) -> list[Edit]:
    """Edits for NFKC, invisible removal and native digits, applied per grapheme-ish segment.

    NFKC is applied to a base character together with its combining marks, so decomposed
    Vietnamese ("e" + U+0302 + U+0301) composes as whole-string NFKC would. Segments are a
    character plus the combining marks after it; only segments holding a character of
    `_changing()` are looked at, which gives the same edits as walking every segment.
    """
    if not fold_chars_may_edit(text):
        return []  # the common case, Thai or Chinese without full-width forms: all in C
    changing = _changing()
    marks, folds = _single_folds()
    if marks.search(text) is None:
        # Every segment is one character, and every character of the class changes.
        return [(m.start(), m.end(), folds[m.group()]) for m in changing.finditer(text)]
    comb = unicodedata.combining
    edits: list[Edit] = []
    n = len(text)
    pos = 0
    while True:
        m = changing.search(text, pos)
        if m is None:
            return edits
        i = m.start()
        while i > pos and comb(text[i]):
            i -= 1  # back to the base the combining mark belongs to
        j = m.start() + 1
        while j < n and comb(text[j]):
            j += 1
        seg = text[i:j]
        if j - i == 1:
            folded = _fold_char(seg)
        else:
            folded = "".join(_fold_char(c) for c in unicodedata.normalize("NFKC", seg))
            folded = unicodedata.normalize("NFKC", folded)
        if folded != seg:
            edits.append((i, j, folded))
        pos = j


def fold_homoglyphs(text: str) -> list[Edit]:
    """Edits replacing Cyrillic/Greek look-alikes inside words that also contain Latin letters."""
    if text.isascii() or _HOMOGLYPH_GATE.search(text) is None or not _LATIN.search(text):
        return []
    edits: list[Edit] = []
    for m in _WORD.finditer(text):
        word = m.group()
        if word.isascii() or not _LATIN.search(word):
            continue
        base = m.start()
        for k, ch in enumerate(word):
            rep = HOMOGLYPHS.get(ch)
            if rep is not None:
                edits.append((base + k, base + k + 1, rep))
    return edits

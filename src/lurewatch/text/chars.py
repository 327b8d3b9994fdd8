"""Character-level folding: NFKC, invisible characters, native digits, look-alike letters.

Scam texts are written to dodge keyword filters: zero-width spaces inside "Tele\u200bgram",
full-width digits, mathematical bold letters, Cyrillic "а" inside a Latin word, Thai or Khmer
digits in a phone number. Each function here returns edits (see `offsets.Edit`) so the caller
keeps a map back to the original text.
"""

from __future__ import annotations

import re
import unicodedata

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

# Anything that may need folding: invisibles, Greek/Cyrillic/Armenian letters, non-ASCII
# decimal digits (\d is Unicode-aware) and whatever NFKC would change (checked separately).
_SUSPECT = re.compile("[" + "".join(sorted(INVISIBLE)) + "\u0370-\u058f\u0261\u04bb]|(?![0-9])\\d")
_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[A-Za-z]")


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


def fold_chars(text: str) -> list[Edit]:
    """Edits for NFKC, invisible removal and native digits, applied per grapheme-ish segment.

    NFKC is applied to a base character together with its combining marks, so decomposed
    Vietnamese ("e" + U+0302 + U+0301) composes as whole-string NFKC would.
    """
    if text.isascii():
        return []
    if unicodedata.is_normalized("NFKC", text) and _SUSPECT.search(text) is None:
        return []
    edits: list[Edit] = []
    n = len(text)
    i = 0
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        seg = text[i:j]
        if j - i == 1:
            folded = _fold_char(seg)
        else:
            folded = "".join(_fold_char(c) for c in unicodedata.normalize("NFKC", seg))
            folded = unicodedata.normalize("NFKC", folded)
        if folded != seg:
            edits.append((i, j, folded))
        i = j
    return edits


def fold_homoglyphs(text: str) -> list[Edit]:
    """Edits replacing Cyrillic/Greek look-alikes inside words that also contain Latin letters."""
    if text.isascii():
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

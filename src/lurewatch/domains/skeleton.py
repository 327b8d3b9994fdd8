"""Visual skeletons of domain labels, so `bіnance` (Cyrillic і) and `b1nance` compare equal
to `binance`.

The character data is Unicode's confusables table (UTS #39) as shipped by the maintained
`confusable_homoglyphs` package; that package answers "is this string confusable?" but has no
skeleton function, so we build the char -> ASCII map from its table once. On top of UTS #39 we
fold accents (NFKD) and the ASCII tricks phishing kits use in domains (0/o, 1/l/i, rn/m, vv/w),
which UTS #39 leaves alone because they are different letters, but victims do not notice.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import utils as _confusable_utils  # type: ignore[import-untyped]

_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_ASCII_FOLD = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "!": "l"})
_MULTI = (("rn", "m"), ("vv", "w"), ("cl", "d"))


@lru_cache(maxsize=1)
def _to_ascii_map() -> dict[str, str]:
    table: dict[str, list[dict[str, str]]] = _confusable_utils.load("confusables.json")
    mapping: dict[str, str] = {}
    for char, glyphs in table.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            c = glyph["c"].lower()
            if len(c) == 1 and c in _ASCII_ALNUM:
                mapping[char] = c
                break
    return mapping


def fold_unicode(label: str) -> str:
    """Map each non-ASCII character to the ASCII letter it imitates (or drop its accent).

    Characters with no ASCII look-alike are kept, so `skeleton("ไทย")` stays Thai.
    """
    if label.isascii():
        return label
    mapping = _to_ascii_map()
    out: list[str] = []
    for ch in label.lower():
        if ch.isascii():
            out.append(ch)
        elif ch in mapping:
            out.append(mapping[ch])
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            out.append(mapping.get(base, base) if base else ch)
    return "".join(out)


def skeleton(label: str) -> str:
    """Visual skeleton: homoglyphs folded to ASCII, then 0->o, 1/i->l, rn->m, vv->w, cl->d."""
    s = fold_unicode(label).translate(_ASCII_FOLD)
    for seq, rep in _MULTI:
        if seq in s:
            s = s.replace(seq, rep)
    return s


def non_ascii_chars(label: str) -> list[str]:
    """Names of the non-ASCII characters in `label` (for explanations)."""
    return [
        f"{ch} ({unicodedata.name(ch, f'U+{ord(ch):04X}')})" for ch in label if not ch.isascii()
    ]

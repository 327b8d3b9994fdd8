"""Folding for literal text that is matched against normalized text (patterns, keywords).

NFKC decomposes a few Thai and Lao letters: SARA AM into NIKHAHIT + SARA AA, Lao AM likewise,
Lao HO NO / HO MO into HO SUNG + NO / MO. Normalized text holds the decomposed form, so signal
patterns, keywords and context words written as people type them are folded the same way.
Only these letters, not full NFKC: NFKC would turn full-width brackets in a regex into ASCII
syntax and change what the pattern means.
"""

from __future__ import annotations

_SCRIPT_COMPAT = str.maketrans(
    {
        "\u0e33": "\u0e4d\u0e32",  # Thai SARA AM
        "\u0eb3": "\u0ecd\u0eb2",  # Lao AM
        "\u0edc": "\u0eab\u0e99",  # Lao HO NO
        "\u0edd": "\u0eab\u0ea1",  # Lao HO MO
    }
)


def fold_literal(literal: str) -> str:
    """`literal` with the letters `normalize` decomposes written the way it writes them."""
    return literal.translate(_SCRIPT_COMPAT)

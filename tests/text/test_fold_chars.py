"""`fold_chars` finds what to fold with one character class; these tests pin it to the
character-by-character definition it replaced, on every code point and on mixed texts."""

from __future__ import annotations

import random
import unicodedata

from lurewatch.text import chars
from lurewatch.text.offsets import Edit


def _walk_every_segment(text: str) -> list[Edit]:
    """The definition: fold each base character together with its combining marks."""
    edits: list[Edit] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        seg = text[i:j]
        if j - i == 1:
            folded = chars._fold_char(seg)
        else:
            folded = "".join(chars._fold_char(c) for c in unicodedata.normalize("NFKC", seg))
            folded = unicodedata.normalize("NFKC", folded)
        if folded != seg:
            edits.append((i, j, folded))
        i = j
    return edits


def test_table_holds_every_code_point_that_can_change() -> None:
    table = chars._changing()
    for cp in range(0x80, 0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        must = bool(unicodedata.combining(c)) or chars._fold_char(c) != c
        assert must == (table.fullmatch(c) is not None), hex(cp)


_POOL = (
    "ab1 ,。"  # ASCII and stable CJK punctuation
    "，：；！？（）０１９ＡＺａ"  # full-width forms
    "\u0301\u0302\u0323\u0e48\u0e38\u0e31"  # combining marks (Latin, Thai)
    "ếệ\u1100\u1161가"  # precomposed Vietnamese, conjoining jamo, a syllable
    "๑๕០៥\u200b\u200d\ufeff"  # native digits, invisibles
    "𝐀𝟗\U0002f800①㈱ﬁ"  # astral math letters/digits, compat ideograph, enclosed, ligature
    "招聘月薪ไทยกรุง"
)


def test_same_edits_as_walking_every_segment() -> None:
    rng = random.Random(7)
    samples = [
        "招聘：月薪８０００元，联系电话１３８００１３８０００。",
        "e\u0302\u0301 and \u0301leading mark, ๐๘๑-๒๓๔-๕๖๗๘ Tele\u200bgram",
        "\u0301\u0301x",
    ]
    samples += ["".join(rng.choice(_POOL) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    for text in samples:
        assert chars.fold_chars(text) == _walk_every_segment(text), repr(text)


def test_stable_text_has_no_edits() -> None:
    assert chars.fold_chars("ไทย สมัครงาน ติดต่อ") == []
    assert chars.fold_chars("plain ascii") == []


def test_suspect_anchors_are_the_suspect_class_on_every_code_point() -> None:
    """The two Hyperscan pieces that stand for `_SUSPECT` (so the one-pass gates can answer
    it) match exactly the code points it matches: invisibles and non-ASCII digits."""
    import re
    import sys

    from lurewatch.signals.hyperscan_set import HyperscanSet

    invisible, other_digit = chars.suspect_anchors()
    pieces = HyperscanSet([invisible, other_digit], case_sensitive=True, cache=False)
    digit = re.compile(r"[^\D0-9]")
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp < 0xE000:
            continue  # not encodable: the passes answer such texts with no verdict
        c = chr(cp)
        want = set()
        if c in chars.INVISIBLE:
            want.add(0)
        if digit.match(c):
            want.add(1)
        assert set(pieces.Match(f"a{c}b".encode())) == want, hex(cp)
        assert (chars._SUSPECT.search(c) is not None) == bool(want), hex(cp)


def test_may_edit_with_the_callers_verdict_equals_its_own_search() -> None:
    texts = ["中文", "ｔｇ", "a\u200bb", "๕๕", "e\u0301", "Привет", "ไทย 123", "abc"]
    for text in texts:
        found = chars._SUSPECT.search(text) is not None
        assert chars.fold_chars_may_edit(text, suspect_found=found) == chars.fold_chars_may_edit(
            text
        )

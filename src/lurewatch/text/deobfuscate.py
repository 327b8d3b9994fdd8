"""Undo the tricks used to slip identifiers past filters: defanged links, letters inside
phone numbers, digits spelled out as words, and messy whitespace.

All patterns are linear: every repetition consumes at least one character from a class that
cannot also match the separator around it, so there is no nested ambiguity to backtrack into.
"""

from __future__ import annotations

import re

from lurewatch.text.offsets import Edit
from lurewatch.text.re2_gate import Gate

_TLD_WORDS = (
    "com|net|org|info|biz|io|co|me|xyz|top|vip|cc|cn|asia|th|kh|vn|ph|id|my|la|mm|sg|hk|tw|"
    "kr|jp|ly|app|link|site|online|shop|club|live|pro|ai|gov|edu"
)

_REFANG = re.compile(
    r"(?P<hxxp>\bh(?:xx|XX|xX|Xx|\*\*)p(?P<s>[sS]?)(?=\s*[\[\(\{]?:))"
    r"|(?P<dot>[ \t]?[\[\(\{][ \t]?(?:\.|dot|DOT|Dot)[ \t]?[\]\)\}][ \t]?)"
    r"|(?P<at>[ \t]?[\[\(\{][ \t]?(?:@|at|AT|At)[ \t]?[\]\)\}][ \t]?)"
    r"|(?P<colon>[\[\(\{](?P<sep>:|://|:/)[\]\)\}])"
    r"|(?P<bare>(?<=[A-Za-z0-9]) (?:dot|DOT) (?=(?:" + _TLD_WORDS + r")\b))"
    # An ideographic full stop between Latin letters or digits is a dot in a host name:
    # "example。com" (NFKC leaves U+3002 alone; the half-width U+FF61 folds to it).
    r"|(?P<cjkdot>(?<=[A-Za-z0-9])\u3002(?=[A-Za-z0-9]))"
)


# Where a `_REFANG` match can start, one cheap test per alternative: a bracketed ".", "@",
# ":", "://", dot or at (whole: "(a" and "[D" open ordinary words in ~1% of messages, and as
# an edit anchor they ran every normalization stage for nothing); "hxxp"; " dot "; "x。y". `_REFANG`
# tries all its alternatives at every position (~15 µs per message), so it only runs from
# the first of these, and each test runs only if a substring check (memchr-fast) says its
# literal is there at all.
_BRACKET = re.compile(r"[\[\(\{][ \t]?(?:[.@]|[dD]ot|DOT|[aA]t|AT|:/{0,2})[ \t]?[\]\)\}]")
_HXXP = re.compile(r"h(?:[xX]{2}|\*\*)p")
_BARE_DOT = re.compile(r" (?:dot|DOT) ")
_CJK_DOT = re.compile(
    "[A-Za-z0-9]\u3002[A-Za-z0-9]"
)  # the character itself: Hyperscan reads it too


def _first_defang(text: str) -> int | None:
    """Offset of the first place a defanged form may start (a character early), or None."""
    starts = []
    if "[" in text or "(" in text or "{" in text:
        starts.append(_BRACKET.search(text))
    if "xp" in text or "Xp" in text or "*p" in text:
        starts.append(_HXXP.search(text))
    if " dot " in text or " DOT " in text:
        starts.append(_BARE_DOT.search(text))
    if "\u3002" in text:
        starts.append(_CJK_DOT.search(text))
    found = [m.start() for m in starts if m is not None]
    return min(found) if found else None


def refang(text: str) -> list[Edit]:
    """Edits turning hxxp://, [.], (dot), [at], [:] and "example dot com" back into a link."""
    first = _first_defang(text)
    if first is None:
        return []
    edits: list[Edit] = []
    for m in _REFANG.finditer(text, max(0, first - 1)):
        kind = m.lastgroup
        if m.group("hxxp") is not None:
            edits.append((m.start(), m.end(), "http" + m.group("s").lower()))
        elif m.group("dot") is not None or m.group("bare") is not None or m.group("cjkdot"):
            edits.append((m.start(), m.end(), "."))
        elif m.group("at") is not None:
            edits.append((m.start(), m.end(), "@"))
        elif kind is not None:
            edits.append((m.start(), m.end(), m.group("sep")))
    return edits


# A run of digits and digit-like letters with at most one separator between them, holding at
# least seven of them: a run is only edited with six digits and a letter in it, and requiring
# that in the pattern keeps "too", "all", "o 5" (in nearly every message) out of Python. The
# runs found are the long runs of an unbounded `+`: any run inside a short run is short.
_DIGIT_RUN = re.compile(r"[0-9OoIl|](?:[ .\-]?[0-9OoIl|]){6,}")
# The gate: an edited run's core (first to last digit) holds a letter, so its first letter
# follows a digit (at most one separator between) and is followed, through letters and
# separators only, by the next digit: "4l 5", "0 O 8". Any seven-digit number fired the
# earlier gate (a run of seven from a digit on), so normalization ran every stage on ~10% of
# messages and edited almost none; this one fires on the letter itself. Starting at a digit,
# the scan skips the "o"s and "l"s of ordinary words in C.
_LETTER_INSIDE = re.compile(r"[0-9][ .\-]?[OoIl|](?:[ .\-]?[OoIl|])*[ .\-]?[0-9]")
_DIGIT_LIKE = {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"}
_MIN_DIGITS = 6


def letters_in_numbers(text: str) -> list[Edit]:
    """Edits for O/o -> 0 and l/I/| -> 1 strictly inside long digit runs ("08l 234 56O8")."""
    if _LETTER_INSIDE.search(text) is None:
        return []
    edits: list[Edit] = []
    for m in _DIGIT_RUN.finditer(text):
        run = m.group()
        lo, hi = 0, len(run)
        while lo < hi and not run[lo].isdigit():
            lo += 1
        while hi > lo and not run[hi - 1].isdigit():
            hi -= 1
        core = run[lo:hi]
        digits = sum(c.isdigit() for c in core)
        letters = sum(c in _DIGIT_LIKE for c in core)
        if not letters or digits < _MIN_DIGITS or letters * 3 > digits:
            continue
        # The run must not be the tail of a word ("Hello2O24..."): look at what precedes it.
        start = m.start() + lo
        if start > 0 and text[start - 1].isalpha():
            continue
        for k, c in enumerate(core):
            if c in _DIGIT_LIKE:
                edits.append((start + k, start + k + 1, _DIGIT_LIKE[c]))
    return edits


_NUMBER_WORDS: dict[str, str] = {}
for _lang_words in (
    # English
    "zero:0 oh:0 one:1 two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9",
    # Indonesian / Malay
    "nol:0 kosong:0 satu:1 dua:2 tiga:3 empat:4 lima:5 enam:6 tujuh:7 delapan:8 lapan:8 sembilan:9",
    # Tagalog
    "sero:0 isa:1 dalawa:2 tatlo:3 apat:4 anim:6 pito:7 walo:8 siyam:9",
    # Vietnamese
    "không:0 một:1 hai:2 ba:3 bốn:4 năm:5 sáu:6 bảy:7 tám:8 chín:9",
):
    for _pair in _lang_words.split():
        _w, _d = _pair.split(":")
        _NUMBER_WORDS[_w] = _d

_WORD_ALT = "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
_SPELLED = re.compile(
    r"(?<!\w)(?:" + _WORD_ALT + r"|\d{1,4})(?:[ ,\-]+(?:" + _WORD_ALT + r"|\d{1,4})){5,}(?!\w)",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^ ,\-]+")


_ODD_SPACES = (
    r"\t\x{0b}-\r\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
    r"\x{205f}\x{3000}"
)
"""Every `str.isspace()` character but " " and "\\n", as the body of an RE2/Hyperscan class
(a test checks it against `str.isspace`)."""
_SEP = f"[{_ODD_SPACES}\\n ,\\-]"
"""What `_has_number_words` splits on (every `str.isspace()` character, "," and "-") as one
RE2 class: RE2's own `\\s` is ASCII-only. A test checks it against `str.isspace`."""
_ALT_BYTES = "|".join(re.escape(w) for w in _NUMBER_WORDS)
_TWO_NUMBER_WORDS = Gate(
    f"(?i)(?:^|{_SEP})(?:{_ALT_BYTES}){_SEP}(?:(?s:.*){_SEP})?(?:{_ALT_BYTES})(?:{_SEP}|$)"
)
"""A superset of `_has_number_words` in one byte-level RE2 pass (a DFA: linear): two number
words, each a whole token. RE2's case folding is at least as wide as `str.lower` on these
words. Lower-casing, splitting and looking up every token cost ~5 µs on an average message,
the search about one, and almost no message holds two number words. A `Gate` calls the
compiled matcher directly (the wrapper's `search` cost ~2 µs more per message)."""


def _has_number_words(text: str) -> bool:
    """At least two number words: a cheap set lookup before the big alternation runs.

    `str.split()` splits on exactly the whitespace `\\s` matches; replacing "," and "-" first
    gives the tokens of a `[\\s,\\-]+` split at half the cost of the regex.
    """
    words = text.lower().replace(",", " ").replace("-", " ").split()
    return sum(map(_NUMBER_WORDS.__contains__, words)) >= 2


def spelled_digits(text: str) -> list[Edit]:
    """Edits turning "zero eight one 2 3 4 5 6 7 8" (six or more tokens) into digits."""
    # Lone surrogates (no UTF-8): the gate answers yes and the exact test decides.
    if not _TWO_NUMBER_WORDS.found_in(text) or not _has_number_words(text):
        return []
    edits: list[Edit] = []
    for m in _SPELLED.finditer(text):
        tokens = _TOKEN.findall(m.group())
        words = [t for t in tokens if not t.isdigit()]
        digits = "".join(t if t.isdigit() else _NUMBER_WORDS[t.lower()] for t in tokens)
        if len(words) >= 2 and len(digits) >= 7:
            edits.append((m.start(), m.end(), digits))
    return edits


_LINE_ENDS = re.compile(r"\r\n?")
_HSPACE = re.compile(r"[^\S\n]{2,}|[^\S \n]")
_NEWLINES = re.compile(r"\n(?:[^\S\n]*\n)+")


def line_endings(text: str) -> list[Edit]:
    """Edits turning CRLF and CR into LF."""
    if "\r" not in text:
        return []
    return [(m.start(), m.end(), "\n") for m in _LINE_ENDS.finditer(text)]


def trim(text: str) -> list[Edit]:
    """Edits removing leading and trailing whitespace.

    Uses str.strip rather than a `\\s+$` regex, which is quadratic on long inner whitespace runs.
    """
    if not text or not (text[0].isspace() or text[-1].isspace()):
        return []  # the common case, without building two stripped copies
    edits: list[Edit] = []
    head = len(text) - len(text.lstrip())
    if head:
        edits.append((0, head, ""))
    tail = len(text.rstrip())
    if tail < len(text) and tail >= head:
        edits.append((tail, len(text), ""))
    return edits


EDIT_ANCHORS: tuple[str, ...] = (
    _BRACKET.pattern,
    _HXXP.pattern,
    _BARE_DOT.pattern,
    _CJK_DOT.pattern,
    _TWO_NUMBER_WORDS.pattern,
    _LETTER_INSIDE.pattern,
    f"[{_ODD_SPACES}]|  |\n *\n",
)
"""Where the stages of this module can edit, as patterns for one Hyperscan pass (`normalize`
skips every stage when none occurs): the first places `refang`, `spelled_digits` and
`letters_in_numbers` look at, and a superset of what `whitespace` and `line_endings` rewrite
(any whitespace but " " and "\\n", two spaces, or two newlines with spaces between).
`trim` is tested directly."""


def whitespace(text: str) -> list[Edit]:
    """Edits collapsing runs of spaces/tabs to one space and blank-line runs to one newline."""
    if "  " not in text and text.isprintable():
        return []  # no tabs, newlines or other control whitespace, no double spaces
    edits: list[Edit] = []
    for m in _NEWLINES.finditer(text):
        edits.append((m.start(), m.end(), "\n"))
    for m in _HSPACE.finditer(text):
        edits.append((m.start(), m.end(), " "))
    edits.sort()
    # Drop horizontal-space edits swallowed by a newline edit.
    merged: list[Edit] = []
    for e in edits:
        if merged and e[0] < merged[-1][1]:
            continue
        merged.append(e)
    return merged

"""The shared template of an operation's texts, with its variable slots marked.

Why: a compound recycles one ad or script and swaps the city, the salary, the persona's name and
the contact. Showing analysts the constant part once, with the parts that vary marked as slots
and a few example values each, says "this is one script" faster than any list of texts.

How: members' `masked_text` (identifiers already replaced by tokens such as `{phone}`) is cut
into tokens (words; single characters for scripts written without spaces: Thai, Lao, Burmese,
Khmer, Chinese, Japanese kana), the medoid (the member most similar to the others, by MinHash
signature agreement) is aligned token by token against every other member (longest common
subsequence, rapidfuzz), and a medoid token is constant when most aligned members have it at
that place. Runs of non-constant tokens become named slots (`var_1`, ...); mask tokens are
slots named after what they mask (`phone`, `phone_2`, ...). Members too unlike the medoid
(alignment ratio < `MIN_ALIGN`) do not shape the template; when no member aligns, an
operation held together by indicators alone has no template.

Hostile text: tokenizing is linear (see `_TOKEN`); alignment is quadratic in the worst case, so
texts are cut to `MAX_CHARS` and at most `MAX_MEMBERS` members are aligned.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz.distance import Indel

MAX_CHARS = 3000
MAX_MEMBERS = 40
MIN_ALIGN = 0.5
"""Alignment ratio (2 x common tokens / all tokens, as difflib's) a member needs against the
medoid to count as the same template."""
CONSTANT_SHARE = 0.5
"""A medoid token is constant when more than this share of aligned members keep it."""
MIN_CONSTANT = 4
"""Fewer constant tokens than this is not a template ("Hello {var_1}" says nothing)."""
MAX_EXAMPLES = 5
MAX_EXAMPLE_CHARS = 200
REDACTED = "[redacted]"

CONTINUA = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
)
"""Scripts written without spaces between words: each character is a token."""


def _class(ranges: list[tuple[int, int]]) -> str:
    return "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in ranges)


def _mark_ranges() -> list[tuple[int, int]]:
    """Combining marks (Unicode category M*) of the Basic Multilingual Plane, as ranges."""
    out: list[tuple[int, int]] = []
    for cp in range(0x300, 0x10000):
        if unicodedata.category(chr(cp))[0] == "M":
            if out and out[-1][1] == cp - 1:
                out[-1] = (out[-1][0], cp)
            else:
                out.append((cp, cp))
    return out


_CONT = _class(list(CONTINUA))
_MARKS = _class(_mark_ranges())
_TOKEN = re.compile(
    r"\{[a-z_]{1,20}\}"  # a mask token from linking
    rf"|[{_CONT}][{_MARKS}]*"  # one character of a script written without spaces, and its marks
    rf"|(?:[^\W_{_CONT}]|[{_MARKS}])+"  # a word: letters, digits, their marks
    r"|\S"  # one punctuation mark or symbol
)
"""Python `re`, not RE2, on purpose and still linear: every alternative is a literal or one
character class repeated, with nothing after it to backtrack into, so each character is read a
bounded number of times. The RE2 wrapper's `finditer` maps every match back through Python and
measured 10x slower; a test checks these tokens equal the RE2 reference pattern's."""


def _mask_name(token: str) -> str | None:
    """`"{phone}"` -> `"phone"`; None for anything that is not a mask token."""
    inner = token[1:-1]
    if (
        len(token) > 2
        and token[0] == "{"
        and token[-1] == "}"
        and len(inner) <= 20
        and inner.replace("_", "").isalpha()
        and inner.isascii()
        and inner.islower()
    ):
        return inner
    return None


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Tokens of `text[:MAX_CHARS]` with their character offsets: mask tokens such as
    `{phone}`, words (letters, digits and their combining marks), single characters of the
    scripts in `CONTINUA` (with their marks), and single punctuation marks or symbols."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text[:MAX_CHARS])]


@dataclass(slots=True)
class Slot:
    """A variable part of the template: `text[start:end]` of the template is its placeholder."""

    name: str
    start: int
    end: int
    kind: str
    """"masked" (an identifier, number or amount masked by linking) or "varying" (words that
    differ between members: a city, a salary, a persona's name)."""
    examples: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "examples": list(self.examples),
        }


@dataclass(slots=True)
class Template:
    text: str
    slots: list[Slot]
    medoid: str
    members: list[str]
    """The report ids whose texts shaped the template (the medoid and the aligned members)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "slots": [s.to_dict() for s in self.slots],
            "medoid": self.medoid,
            "members": list(self.members),
        }


def _medoid(
    ids: list[str], texts: Mapping[str, str], signatures: Mapping[str, Sequence[int]]
) -> str:
    """The member most similar to all others: the most agreeing MinHash signature (estimated
    Jaccard, all pairs at once with numpy); the Indel ratio of the texts when one has none."""
    sigs = [signatures.get(i, ()) for i in ids]
    width = len(sigs[0])
    if width and all(len(s) == width for s in sigs):
        m = np.asarray(sigs, dtype=np.int64)
        scores = (m[:, None, :] == m[None, :, :]).sum(axis=(1, 2))
        return ids[int(np.argmax(scores))]  # first of the best: ids are sorted
    best, best_score = ids[0], -1.0
    for i in ids:
        score = sum(Indel.normalized_similarity(texts[i], texts[j]) for j in ids if j != i)
        if score > best_score:
            best, best_score = i, score
    return best


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Alignment of two token lists as difflib-style opcodes (equal/replace/delete/insert).

    rapidfuzz's Indel (longest common subsequence, in C++) is used instead of difflib:
    measured 45x faster on 60-token texts, with the same similarity ratio. Its opcodes never
    say "replace", so adjacent inserts and deletes are merged into one replace here."""
    out: list[tuple[str, int, int, int, int]] = []
    for op in Indel.opcodes(a, b):
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if out and tag != "equal" and out[-1][0] != "equal":
            _t, pi1, _pi2, pj1, _pj2 = out.pop()
            i1, j1 = pi1, pj1
            tag = "replace" if i2 > i1 and j2 > j1 else tag
        out.append((tag, i1, i2, j1, j2))
    return out


def _start_map(opcodes: Sequence[tuple[str, int, int, int, int]], n: int, m: int) -> list[int]:
    """For each medoid token position (and n), where it starts in the other member's tokens."""
    jmap = [-1] * (n + 1)
    for tag, i1, i2, j1, _j2 in opcodes:
        for k, i in enumerate(range(i1, i2)):
            jmap[i] = j1 + k if tag == "equal" else j1
    jmap[n] = m
    for i in range(n - 1, -1, -1):  # positions never set follow on (opcodes cover every position)
        if jmap[i] < 0:
            jmap[i] = jmap[i + 1]
    return jmap


def _scrub(value: str, private: Sequence[str]) -> str:
    for p in private:
        if p and p in value:
            value = value.replace(p, REDACTED)
    return value


@dataclass(slots=True)
class _Aligned:
    """One member aligned against the medoid."""

    text: str
    tokens: list[Token]
    starts: list[int]
    """Where each medoid token position (and the end) starts among this member's tokens."""
    inserts: dict[int, tuple[int, int]]
    """Tokens this member has before medoid position i that the medoid lacks."""

    def span(self, j1: int, j2: int) -> str:
        if j2 <= j1:
            return ""
        return self.text[self.tokens[j1].start : self.tokens[j2 - 1].end][:MAX_EXAMPLE_CHARS]


def derive_template(
    texts: Mapping[str, str],
    *,
    signatures: Mapping[str, Sequence[int]] | None = None,
    mask_examples: Mapping[str, Sequence[str]] | None = None,
    private: Sequence[str] = (),
) -> Template | None:
    """The shared template of `texts` (report id -> masked text), or None when fewer than two
    members share one.

    `mask_examples` gives example values per mask name (e.g. the operation's phones for
    `{phone}`); `private` lists personal data (names, contacts of reporters and victims) that
    must never appear in the template: it is replaced by `[redacted]` in the text and examples.
    """
    signatures = signatures or {}
    ids = sorted(i for i in texts if texts[i].strip())[:MAX_MEMBERS]
    if len(ids) < 2:
        return None
    medoid = _medoid(ids, texts, signatures)
    med = tokenize(texts[medoid])
    if not med:
        return None
    words = [t.text for t in med]
    n = len(med)
    aligned: list[_Aligned] = []
    members = [medoid]
    kept = [0] * n
    inserted = Counter[int]()
    for rid in ids:
        if rid == medoid:
            continue
        toks = tokenize(texts[rid])
        other = [t.text for t in toks]
        if Indel.normalized_similarity(words, other) < MIN_ALIGN:
            continue
        ops = _opcodes(words, other)
        inserts: dict[int, tuple[int, int]] = {}
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                for i in range(i1, i2):
                    kept[i] += 1
            elif tag == "insert":
                inserted[i1] += 1
                inserts[i1] = (j1, j2)
        aligned.append(_Aligned(texts[rid], toks, _start_map(ops, n, len(toks)), inserts))
        members.append(rid)
    if not aligned:
        return None
    need = len(aligned) * CONSTANT_SHARE
    const = _glue([kept[i] > need for i in range(n)], med)
    source = texts[medoid][:MAX_CHARS]
    builder = _Builder(source, private, mask_examples or {})
    i = 0
    while i < n:
        if inserted[i] > need:  # most members have words here that the medoid lacks
            builder.text_to(med[i].start)
            builder.slot("var", [a.span(*a.inserts.get(i, (0, 0))) for a in aligned])
        tok = med[i]
        mask = _mask_name(tok.text)
        if const[i] and mask is None:
            i += 1
            continue
        builder.text_to(tok.start)
        if const[i] and mask is not None:  # a mask token every member has: it varies anyway
            builder.slot(mask, [], masked=True)
            builder.skip_to(tok.end)
            i += 1
            continue
        j = i
        while j < n and not const[j]:
            j += 1
        run = [t.text for t in med[i:j]]
        base = "var"
        if len(run) == 1 and (name := _mask_name(run[0])) is not None:
            base = name
        examples = [source[tok.start : med[j - 1].end][:MAX_EXAMPLE_CHARS]]
        examples += [a.span(a.starts[i], a.starts[j]) for a in aligned]
        builder.slot(base, examples, masked=base != "var")
        builder.skip_to(med[j - 1].end)
        i = j
    if inserted[n] > need:
        builder.text_to(len(source))
        builder.slot("var", [a.span(*a.inserts.get(n, (0, 0))) for a in aligned])
    builder.text_to(len(source))
    if sum(const) < MIN_CONSTANT:
        return None
    return Template(builder.text(), builder.slots, medoid, sorted(members))


GLUE = 2


def _glue(const: list[bool], med: list[Token]) -> list[bool]:
    """Constant runs of at most `GLUE` tokens written without spaces between two varying runs
    are coincidences (the same Thai letter in two city names), not template text."""
    out = list(const)
    n = len(out)
    i = 0
    while i < n:
        if not out[i]:
            i += 1
            continue
        j = i
        while j < n and out[j]:
            j += 1
        glued = all(med[k].end == med[k + 1].start for k in range(max(i - 1, 0), min(j, n - 1)))
        if i > 0 and j < n and j - i <= GLUE and glued:
            for k in range(i, j):
                out[k] = False
        i = j
    return out


class _Builder:
    """Writes the template: the medoid's text with variable runs replaced by placeholders."""

    def __init__(
        self, source: str, private: Sequence[str], mask_examples: Mapping[str, Sequence[str]]
    ) -> None:
        self.source = source
        self.private = private
        self.mask_examples = mask_examples
        self.parts: list[str] = []
        self.length = 0
        self.pos = 0
        self.slots: list[Slot] = []
        self.names = Counter[str]()

    def _put(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def text_to(self, end: int) -> None:
        if end > self.pos:
            self._put(_scrub(self.source[self.pos : end], self.private))
            self.pos = end

    def skip_to(self, end: int) -> None:
        self.pos = max(self.pos, end)

    def slot(self, base: str, examples: list[str], *, masked: bool = False) -> None:
        self.names[base] += 1
        count = self.names[base]
        name = base if masked and count == 1 else f"{base}_{count}"
        if masked and not examples:
            examples = list(self.mask_examples.get(base, ()))
        clean = [_scrub(e.strip(), self.private) for e in examples if e.strip()]
        common = [e for e, _ in Counter(clean).most_common(MAX_EXAMPLES)]
        placeholder = "{" + name + "}"
        start = self.length
        self._put(placeholder)
        kind = "masked" if masked else "varying"
        self.slots.append(Slot(name, start, start + len(placeholder), kind, common))

    def text(self) -> str:
        return "".join(self.parts)

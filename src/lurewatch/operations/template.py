"""The shared template of an operation's texts, with its variable slots marked.

Why: a compound recycles one ad or script and swaps the city, the salary, the persona's name and
the contact. Showing analysts the constant part once, with the parts that vary marked as slots
and a few example values each, says "this is one script" faster than any list of texts.

How: members' `masked_text` (identifiers already replaced by tokens such as `{phone}`) is cut
into tokens (words; single characters for scripts written without spaces: Thai, Lao, Burmese,
Khmer, Chinese, Japanese kana), the medoid (the member most similar to the others, by MinHash
signature agreement) is aligned token by token against every other member with `difflib`, and a
medoid token is constant when most aligned members have it at that place. Runs of non-constant
tokens become named slots (`var_1`, ...); mask tokens are slots named after what they mask
(`phone`, `phone_2`, ...). Members too unlike the medoid (alignment ratio < `MIN_ALIGN`) do not
shape the template; when no member aligns, an operation held together by indicators alone has
no template.

Hostile text: tokenizing runs RE2 (linear time); alignment is quadratic in the worst case, so
texts are cut to `MAX_CHARS` and at most `MAX_MEMBERS` members are aligned.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import re2  # type: ignore[import-untyped]  # google-re2 ships no stubs

MAX_CHARS = 3000
MAX_MEMBERS = 40
MIN_ALIGN = 0.5
"""difflib ratio a member needs against the medoid to count as the same template."""
CONSTANT_SHARE = 0.5
"""A medoid token is constant when more than this share of aligned members keep it."""
MIN_CONSTANT = 4
"""Fewer constant tokens than this is not a template ("Hello {var_1}" says nothing)."""
MAX_EXAMPLES = 5
MAX_EXAMPLE_CHARS = 200
REDACTED = "[redacted]"

_CONTINUA = r"\p{Han}\p{Thai}\p{Lao}\p{Myanmar}\p{Khmer}\p{Hiragana}\p{Katakana}"
_TOKEN = re2.compile(
    r"\{[a-z_]{1,20}\}"  # a mask token from linking.prepare
    rf"|[{_CONTINUA}]\p{{M}}*"  # one character of a script written without spaces
    rf"|[^\s\p{{P}}\p{{S}}{_CONTINUA}]+"  # a word
    r"|\S"  # one punctuation mark or symbol
)
_MASK = re2.compile(r"^\{([a-z_]{1,20})\}$")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Tokens of `text[:MAX_CHARS]` with their character offsets."""
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


def _agreement(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two MinHash signatures."""
    n = min(len(a), len(b))
    if n == 0:
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=False) if x == y) / n


def _medoid(
    ids: list[str], texts: Mapping[str, str], signatures: Mapping[str, Sequence[int]]
) -> str:
    """The member most similar to all others (signature agreement; difflib when unsigned)."""
    best, best_score = ids[0], -1.0
    for i in ids:
        score = 0.0
        for j in ids:
            if i == j:
                continue
            si, sj = signatures.get(i, ()), signatures.get(j, ())
            if si and sj:
                score += _agreement(si, sj)
            else:
                score += difflib.SequenceMatcher(None, texts[i], texts[j]).quick_ratio()
        if score > best_score:
            best, best_score = i, score
    return best


def _start_map(opcodes: Sequence[tuple[str, int, int, int, int]], n: int, m: int) -> list[int]:
    """For each medoid token position (and n), where it starts in the other member's tokens."""
    jmap = [-1] * (n + 1)
    for tag, i1, i2, j1, _j2 in opcodes:
        for k, i in enumerate(range(i1, i2)):
            jmap[i] = j1 + k if tag == "equal" else j1
    jmap[n] = m
    for i in range(n - 1, -1, -1):  # positions never set (cannot happen with difflib) follow on
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
        sm = difflib.SequenceMatcher(None, words, [t.text for t in toks], autojunk=False)
        if sm.ratio() < MIN_ALIGN:
            continue
        ops = sm.get_opcodes()
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
        mask = _MASK.match(tok.text)
        if const[i] and mask is None:
            i += 1
            continue
        builder.text_to(tok.start)
        if const[i]:  # a mask token every member has: its values vary by nature
            builder.slot(mask.group(1), [], masked=True)
            builder.skip_to(tok.end)
            i += 1
            continue
        j = i
        while j < n and not const[j]:
            j += 1
        run = [t.text for t in med[i:j]]
        base = "var"
        if len(run) == 1 and (m := _MASK.match(run[0])) is not None:
            base = m.group(1)
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

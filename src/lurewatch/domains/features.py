"""Lexical features of a domain for the risk model, and their human-readable names.

Named string features hashed into a fixed-size vector with CRC-32 (stable across processes,
unlike `hash()`), so training (numpy/scikit-learn) and run-time scoring (a few dict-free
array reads) share this one function and no vocabulary file is shipped. Names double as
explanations: `g:nanc` is the letter run "nanc", `t:xyz` the ending ".xyz".
"""

from __future__ import annotations

import math
import zlib
from functools import lru_cache

from lurewatch.domains.catalogue import Catalogue
from lurewatch.domains.parse import ParsedDomain
from lurewatch.domains.skeleton import fold_unicode
from lurewatch.hosts import to_unicode

FEATURE_VERSION = 2
DIM = 1 << 18
NGRAMS = (3, 4, 5)
MAX_LABEL = 63


def _bucket(n: int, cap: int) -> str:
    return str(min(n, cap))


_ASCII_NON_LETTERS = "".join(chr(i) for i in range(128) if not chr(i).isalpha())
_NON_LETTER_TO_SPACE = str.maketrans(_ASCII_NON_LETTERS, " " * len(_ASCII_NON_LETTERS))
_DROP_DIGITS = str.maketrans("", "", "0123456789")


def _entropy(s: str) -> float:
    if not s:
        return 0.0
    # Counts in order of first appearance (as a Counter iterates), so the float sum, and with
    # it the bucket, is the same as before; `str.count` per distinct character runs in C.
    n = len(s)
    return -sum([c / n * math.log2(c / n) for c in map(s.count, dict.fromkeys(s))])


def _digits(s: str) -> int:
    if s.isascii():
        return len(s) - len(s.translate(_DROP_DIGITS))
    return sum(c.isdigit() for c in s)  # Thai and other digits count too


def _words(s: str) -> list[str]:
    """Runs of letters (`str.isalpha`): one `translate` + `split` in C for ASCII labels."""
    if s.isascii():
        return s.translate(_NON_LETTER_TO_SPACE).split()
    out: list[str] = []
    cur: list[str] = []
    for ch in s:
        if ch.isalpha():
            cur.append(ch)
        else:
            if cur:
                out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def feature_names(p: ParsedDomain, catalogue: Catalogue) -> list[str]:
    """Feature names for a parsed domain with a registrable domain (else an empty list)."""
    if p.registrable is None or p.suffix is None:
        return []
    label = p.label
    names: list[str] = []
    if "xn--" in label:
        names.append("idn:1")
        label = fold_unicode(to_unicode(label))
    label = label[:MAX_LABEL]
    padded = f"^{label}$"
    for n in NGRAMS:
        names += ["g:" + padded[i : i + n] for i in range(len(padded) - n + 1)]
    words = _words(label)
    kw = catalogue.keywords
    names += ["w:" + w for w in words]
    names += ["kw:" + w for w in words if w in kw]
    names.append("t:" + p.suffix)
    names.append("tl:" + p.suffix.rsplit(".", 1)[-1])
    if p.suffix in catalogue.free_hosting or p.registrable in catalogue.free_hosting:
        names.append("free:1")
    names.append("len:" + _bucket(len(label) // 3, 10))
    names.append("dig:" + _bucket(_digits(label), 4))
    names.append("hy:" + _bucket(label.count("-"), 3))
    names.append("ent:" + _bucket(int(_entropy(label) * 2), 9))
    names.append("nw:" + _bucket(len(words), 4))
    names.append(f"tlen:{p.suffix}:{_bucket(len(label) // 4, 5)}")
    names.append(f"thy:{p.suffix}:{_bucket(label.count('-'), 2)}")
    sub = p.subdomain
    sub_labels = sub.split(".") if sub else []
    names.append("sub:" + _bucket(len(sub_labels), 3))
    for w in _words(sub)[:6]:
        names.append("sw:" + w)
        if w in kw:
            names.append("skw:" + w)
    if sub:
        padded_sub = f"<{sub[:MAX_LABEL]}>"
        names += ["sg:" + padded_sub[i : i + 4] for i in range(len(padded_sub) - 3)]
    return names


@lru_cache(maxsize=1 << 17)
def hash_index(name: str) -> int:
    """Stable index of a feature name (cached: n-grams recur across domains)."""
    return zlib.crc32(name.encode("utf-8")) % DIM


def feature_indices(names: list[str]) -> list[int]:
    """Distinct hashed indices (binary features: a repeated n-gram counts once)."""
    return sorted({hash_index(n) for n in names})


_PHRASES = {
    "g": "letters {!r}",
    "w": "word {!r}",
    "kw": "scam keyword {!r}",
    "t": "ending .{}",
    "tl": "top-level domain .{}",
    "free": "free hosting",
    "len": "length",
    "dig": "{} digit(s)",
    "hy": "{} hyphen(s)",
    "ent": "random-looking letters",
    "sub": "{} subdomain level(s)",
    "sw": "subdomain word {!r}",
    "skw": "scam keyword {!r} in subdomain",
    "idn": "international (punycode) name",
    "nw": "word count",
    "tlen": "length for this ending",
    "thy": "hyphens for this ending",
    "sg": "subdomain letters {!r}",
}
"""Templates filled with the feature's value (n-grams without their ^$ or <> padding); only
the one asked for is formatted."""
_PADDING = {"g": "^$", "sg": "<>"}


def describe(name: str) -> str:
    """A feature name as a phrase for an explanation."""
    kind, _, value = name.partition(":")
    template = _PHRASES.get(kind)
    if template is None:
        return name
    strip = _PADDING.get(kind)
    return template.format(value.strip(strip) if strip else value)

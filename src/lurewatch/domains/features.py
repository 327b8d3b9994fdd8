"""Lexical features of a domain for the risk model, and their human-readable names.

Named string features hashed into a fixed-size vector with CRC-32 (stable across processes,
unlike `hash()`), so training (numpy/scikit-learn) and run-time scoring (a few dict-free
array reads) share this one function and no vocabulary file is shipped. Names double as
explanations: `g:nanc` is the letter run "nanc", `t:xyz` the ending ".xyz".
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
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


def _entropy(s: str) -> float:
    if not s:
        return 0.0
    counts = Counter(s)
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _words(s: str) -> list[str]:
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
        names.extend("g:" + padded[i : i + n] for i in range(len(padded) - n + 1))
    words = _words(label)
    kw = catalogue.keywords
    names.extend("w:" + w for w in words)
    names.extend("kw:" + w for w in words if w in kw)
    names.append("t:" + p.suffix)
    names.append("tl:" + p.suffix.rsplit(".", 1)[-1])
    if p.suffix in catalogue.free_hosting or p.registrable in catalogue.free_hosting:
        names.append("free:1")
    names.append("len:" + _bucket(len(label) // 3, 10))
    names.append("dig:" + _bucket(sum(c.isdigit() for c in label), 4))
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
        names.extend("sg:" + padded_sub[i : i + 4] for i in range(len(padded_sub) - 3))
    return names


@lru_cache(maxsize=1 << 17)
def hash_index(name: str) -> int:
    """Stable index of a feature name (cached: n-grams recur across domains)."""
    return zlib.crc32(name.encode("utf-8")) % DIM


def feature_indices(names: list[str]) -> list[int]:
    """Distinct hashed indices (binary features: a repeated n-gram counts once)."""
    return sorted({hash_index(n) for n in names})


def describe(name: str) -> str:
    """A feature name as a phrase for an explanation."""
    kind, _, value = name.partition(":")
    phrases = {
        "g": f"letters {value.strip('^$')!r}",
        "w": f"word {value!r}",
        "kw": f"scam keyword {value!r}",
        "t": f"ending .{value}",
        "tl": f"top-level domain .{value}",
        "free": "free hosting",
        "len": "length",
        "dig": f"{value} digit(s)",
        "hy": f"{value} hyphen(s)",
        "ent": "random-looking letters",
        "sub": f"{value} subdomain level(s)",
        "sw": f"subdomain word {value!r}",
        "skw": f"scam keyword {value!r} in subdomain",
        "idn": "international (punycode) name",
        "nw": "word count",
        "tlen": "length for this ending",
        "thy": "hyphens for this ending",
        "sg": f"subdomain letters {value.strip('<>')!r}",
    }
    return phrases.get(kind, name)

"""Which brand does a domain imitate, and how?

Techniques, each reported with the brand and a human explanation:
homoglyphs / punycode (UTS #39 skeleton), ASCII confusables (0/o, 1/l, rn/m), typo-squatting
(omission, repetition, insertion, swap, keyboard neighbour, replacement, hyphenation), the brand
name under another TLD, brand + scam keyword ("binance-vip"), the brand or its real domain
in the subdomain of an unrelated domain, and a brand written before '@' in a URL.
Edit distance is rapidfuzz's OSA distance (Levenshtein plus adjacent swaps), in C.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from lurewatch.domains.catalogue import Brand, Catalogue
from lurewatch.domains.models import DomainReason
from lurewatch.domains.parse import ParsedDomain
from lurewatch.domains.skeleton import fold_unicode, non_ascii_chars, skeleton
from lurewatch.hosts import to_unicode

_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
MAX_LABEL_FOR_FUZZY = 63


def _neighbours() -> dict[str, frozenset[str]]:
    pos = {ch: (r, c) for r, row in enumerate(_KEYBOARD_ROWS) for c, ch in enumerate(row)}
    out: dict[str, frozenset[str]] = {}
    for ch, (r, c) in pos.items():
        out[ch] = frozenset(
            o for o, (r2, c2) in pos.items() if o != ch and abs(r - r2) <= 1 and abs(c - c2) <= 1
        )
    return out


_NEIGHBOURS = _neighbours()


def typo_kind(typo: str, real: str) -> str:
    """Name the typo-squatting pattern turning `real` into `typo` (one edit; else 'two edits')."""
    if typo.replace("-", "") == real:
        return "hyphenation"
    if OSA.distance(typo, real) > 1:
        return "two edits"
    if len(typo) == len(real) - 1:
        return "omission"
    if len(typo) == len(real) + 1:
        i = next((k for k in range(len(real)) if typo[k] != real[k]), len(real))
        dup = (i > 0 and typo[i] == typo[i - 1]) or (i + 1 < len(typo) and typo[i] == typo[i + 1])
        return "repetition" if dup else "insertion"
    diffs = [k for k in range(len(real)) if typo[k] != real[k]]
    if len(diffs) == 2:
        return "swap"
    k = diffs[0]
    if typo[k] in _NEIGHBOURS.get(real[k], frozenset()):
        return "keyboard neighbour"
    return "replacement"


def _plausible_typo(cand: str, token: str) -> bool:
    """Reject edits that are not typos of the brand but other words around it.

    A letter added before or after the whole brand ("hicloud") is a different name (a combo
    at most), and a changed first letter of a short brand ("qcloud") is what readers notice
    first; both flagged real companies' domains in the popular list.
    """
    if len(cand) == len(token) + 1 and (cand.startswith(token) or cand.endswith(token)):
        return False
    return not (len(token) <= 6 and len(cand) == len(token) and cand[0] != token[0])


@dataclass(frozen=True, slots=True)
class Finding:
    brand: Brand
    reason: DomainReason


class LookalikeMatcher:
    """Precomputed indexes over a catalogue; `find(parsed)` is a few microseconds per domain."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._tokens: dict[str, Brand] = {}
        self._short: dict[str, Brand] = {}
        self._words: dict[str, Brand] = {}
        for b in catalogue.brands:
            for t in b.tokens:
                self._tokens.setdefault(t, b)
            for t in b.short:
                self._short.setdefault(t, b)
            for t in b.words:
                self._words.setdefault(t, b)
        self._skeletons: dict[str, tuple[str, Brand]] = {}
        for table in (self._tokens, self._short):
            for t, b in table.items():
                self._skeletons.setdefault(skeleton(t), (t, b))
        self._token_skeletons = [(skeleton(t), t, b) for t, b in self._tokens.items()]
        self._fuzzy = [t for t in self._tokens if len(t) >= 5]
        self._keywords = catalogue.keywords
        # For "brand + keyword" explanations: a set's order changes with each process's string
        # hashing, so the keyword named varied between runs ('dapp' or 'apps' in "dapps").
        # Longest first names the most specific one, the same in every process.
        self._keywords_longest_first = tuple(sorted(self._keywords, key=lambda k: (-len(k), k)))
        # One alternation, longest first; labels are at most 63 characters (DNS), so bounded.
        alternation = "|".join(sorted(map(re.escape, self._tokens), key=len, reverse=True))
        self._token_re = re.compile(alternation or "(?!)")

    def _finding(self, b: Brand, rid: str, title: str, w: float, detail: str) -> Finding:
        return Finding(b, DomainReason(id=rid, title=f"{title}: {b.name}", weight=w, detail=detail))

    def _homoglyph(self, p: ParsedDomain) -> Finding | None:
        ulabel = to_unicode(p.label) if "xn--" in p.label else p.label
        if ulabel.isascii():
            sk = skeleton(ulabel)
            if sk == ulabel or ulabel in self._tokens or ulabel in self._short:
                return None
            hit = self._skeletons.get(sk)
            if hit is not None and hit[0] != ulabel:
                return self._finding(
                    hit[1],
                    "lookalike.confusable",
                    "Look-alike characters",
                    0.9,
                    f"{ulabel!r} reads as {hit[0]!r} (0/o, 1/l/i, rn/m swapped)",
                )
            joined, plain = sk.replace("-", ""), ulabel.replace("-", "")
            for tsk, t, b in self._token_skeletons:
                if tsk in joined and t not in plain:
                    return self._finding(
                        b,
                        "lookalike.confusable",
                        "Look-alike characters",
                        0.85,
                        f"{ulabel!r} hides {t!r} behind 0/o, 1/l/i or rn/m",
                    )
            return None
        folded = fold_unicode(ulabel)
        sk = skeleton(folded)
        hit = self._skeletons.get(sk)
        if hit is None:
            for t, b in self._tokens.items():
                if skeleton(t) in sk:
                    hit = (t, b)
                    break
        if hit is None:
            return None
        chars = ", ".join(non_ascii_chars(ulabel)[:4])
        return self._finding(
            hit[1],
            "lookalike.homoglyph",
            "Homoglyph domain",
            0.95,
            f"{ulabel!r} ({p.label}) imitates {hit[0]!r} with {chars}",
        )

    def _exact(self, p: ParsedDomain) -> Finding | None:
        label = p.label
        joined = label.replace("-", "")
        b = self._tokens.get(label) or self._short.get(label)
        if b is not None:
            return self._finding(
                b,
                "lookalike.tld_swap",
                "Brand name under another domain ending",
                0.85,
                f"{p.registrable!r} is not one of {b.name}'s domains ({', '.join(b.domains[:3])})",
            )
        if joined != label and joined in self._tokens:
            b = self._tokens[joined]
            return self._finding(
                b,
                "lookalike.typo",
                "Typo-squatting (hyphenation)",
                0.85,
                f"{label!r} is {joined!r} with hyphens added",
            )
        return None

    def _typo(self, p: ParsedDomain) -> Finding | None:
        label = fold_unicode(to_unicode(p.label)) if "xn--" in p.label else p.label
        joined = label.replace("-", "")
        if not label.isascii() or len(label) > MAX_LABEL_FOR_FUZZY:
            return None
        for cand in dict.fromkeys((label, joined, *label.split("-"))):
            if len(cand) < 5 or cand in self.catalogue.not_typos or cand in self._tokens:
                continue
            limit = 2 if len(cand) >= 9 else 1  # two edits only when lengths are close:
            best = process.extractOne(cand, self._fuzzy, scorer=OSA.distance, score_cutoff=limit)
            if best is None or (best[1] == 2 and abs(len(best[0]) - len(cand)) > 1):
                continue  # "kasikornbank-th" is a combo, not a two-edit typo
            if not _plausible_typo(cand, best[0]):
                continue
            token = best[0]
            kind = typo_kind(cand, token)
            w = 0.85 if cand in (label, joined) else 0.45
            return self._finding(
                self._tokens[token],
                "lookalike.typo",
                f"Typo-squatting ({kind})",
                w,
                f"{cand!r} is one {kind} away from {token!r}"
                if kind != "two edits"
                else f"{cand!r} is two edits from {token!r}",
            )
        return None

    def _combo(self, p: ParsedDomain) -> Finding | None:
        label = p.label
        m = self._token_re.search(label)
        if m is not None:
            t = m.group()
            b = self._tokens[t]
            rest = [r for r in label.replace(t, " ").replace("-", " ").split() if r]
            kws = [k for r in rest for k in self._keywords_longest_first if len(k) >= 3 and k in r]
            kws += [r for r in rest if r in self._keywords or r.isdigit()]
            w = 0.85 if kws else 0.45
            extra = f" + scam keyword {kws[0]!r}" if kws else ""
            return self._finding(
                b,
                "lookalike.combo",
                "Brand name inside another domain",
                w,
                f"{p.registrable!r} contains {t!r}{extra}",
            )
        parts = label.split("-")
        if len(parts) > 1:
            kws = [x for x in parts if x in self._keywords]
            for x in parts:
                b2 = self._short.get(x) or self._words.get(x)
                if b2 is not None and kws:
                    return self._finding(
                        b2,
                        "lookalike.combo",
                        "Brand name + scam keyword",
                        0.8,
                        f"{p.registrable!r} joins {x!r} and {kws[0]!r}",
                    )
        for t, b in self._short.items():
            if label.startswith(t) and label[len(t) :] in self._keywords:
                return self._finding(
                    b,
                    "lookalike.combo",
                    "Brand name + scam keyword",
                    0.8,
                    f"{label!r} is {t!r} + {label[len(t) :]!r}",
                )
            if label.endswith(t) and label[: -len(t)] in self._keywords:
                return self._finding(
                    b,
                    "lookalike.combo",
                    "Brand name + scam keyword",
                    0.8,
                    f"{label!r} is {label[: -len(t)]!r} + {t!r}",
                )
        return None

    def on_cdn(self, host: str) -> bool:
        """True for CNAME-target hosts under CDN infrastructure (`x.com.akadns.net`)."""
        cdn = self.catalogue.cdn_infrastructure
        parts = host.split(".")
        return any(".".join(parts[i:]) in cdn for i in range(1, len(parts) - 1))

    def _subdomain(self, p: ParsedDomain) -> Finding | None:
        sub = p.subdomain
        if not sub or self.on_cdn(p.host or ""):
            return None
        labels = sub.split(".")[:12]
        official = self.catalogue.official
        for i in range(len(labels)):
            for j in range(i + 2, len(labels) + 1):
                dom = ".".join(labels[i:j])
                b = official.get(dom)
                if b is not None:
                    return self._finding(
                        b,
                        "lookalike.subdomain",
                        "Real domain used as a disguise",
                        0.9,
                        f"{p.host!r} starts with {dom!r} but belongs to {p.registrable!r}",
                    )
        for part in sub.replace("-", ".").split("."):
            b2 = self._tokens.get(part)
            if b2 is not None:
                return self._finding(
                    b2,
                    "lookalike.subdomain",
                    "Brand name in a subdomain",
                    0.6,
                    f"{part!r} is a subdomain of unrelated {p.registrable!r}",
                )
        return None

    def _userinfo(self, p: ParsedDomain) -> Finding | None:
        user = p.userinfo.lower()
        if not user:
            return None
        for dom, b in self.catalogue.official.items():
            if dom in user:
                return self._finding(
                    b,
                    "lookalike.credentials",
                    "Brand domain before '@'",
                    0.9,
                    f"the link shows {dom!r} but opens {p.host or p.ip!r}",
                )
        return None

    def find(self, p: ParsedDomain) -> list[Finding]:
        """Look-alike findings for a parsed domain that is NOT one of the brands' own."""
        found: list[Finding] = []
        f = self._userinfo(p)
        if f is not None:
            found.append(f)
        if p.registrable is None:
            return found
        for step in (self._homoglyph, self._exact, self._typo, self._combo, self._subdomain):
            f = step(p)
            if f is not None and all(f.brand.id != g.brand.id for g in found):
                found.append(f)
                if f.reason.weight >= 0.85:
                    break
        return found

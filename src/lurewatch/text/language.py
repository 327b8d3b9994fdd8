"""Language identification tuned for the region's languages on short texts.

Scripts decide most cases outright and cheaply: Thai, Lao, Khmer, Burmese, Hangul and Kana are
each used by one of our languages, and Han without Kana is Chinese. Latin-script text goes to
py3langid (a maintained fork of langid.py that ships its model), with Vietnamese recognised
first by its letters, since a few diacritics are decisive where n-gram statistics on ten words
are not.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

SCRIPT_LANGUAGES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("th", re.compile(r"[\u0e01-\u0e5b]")),
    ("lo", re.compile(r"[\u0e81-\u0edf]")),
    ("km", re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")),
    ("my", re.compile(r"[\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f]")),
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),
    ("ja", re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")),
    ("zh", re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")),
)
_LETTER = re.compile(r"[^\W\d_]")
_VIETNAMESE = re.compile(r"[đĐơƠưƯăĂ\u1ea0-\u1ef9]")

# Latin-script languages we let py3langid choose between. Restricting the set is what makes
# short texts usable; the list keeps major non-regional languages so they are not forced into
# a regional label.
LATIN_CANDIDATES = ("en", "id", "ms", "tl", "vi", "fr", "es", "pt", "de", "nl", "it")

SUPPORTED = ("en", "zh", "th", "vi", "id", "ms", "tl", "my", "km", "lo", "ko", "ja")


@lru_cache(maxsize=1)
def _latin_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    class _Identifier(LanguageIdentifier):  # type: ignore[misc]  # py3langid has no types
        """Same scores, same answers, ~10x less time: py3langid walks its byte automaton in
        a Python loop (~0.1 ms per message, the costliest step of screening); this walks it
        with numpy (`_window_walk`). Only the feature counting is replaced: py3langid still
        encodes the text, scores, normalises and picks the label. The differential test in
        tests/text/test_language_fast.py checks that both agree on corpus texts."""

        def _encode(self, text: Any) -> Any:
            pending = getattr(_PENDING, "walked", None)
            if pending is not None and pending[0] is text:
                return text  # `classify_many` already encoded it: not decoded and encoded again
            return LanguageIdentifier._encode(text)

        def _raw_score(self, text: bytes) -> Any:
            pending = getattr(_PENDING, "walked", None)
            if pending is not None and pending[0] == text:
                _PENDING.walked = None
                return self._fast.score(pending[1])
            return self._fast(text)

        def classify_many(self, texts: Sequence[str]) -> list[str]:
            """`classify(t)[0]` for each text, the automaton walked once for all of them.

            py3langid still encodes, scores, normalises and picks each label: the walk's
            features for the text it is about to score wait in a thread-local slot, so
            threads classifying at the same time do not see each other's."""
            encoded = [self._encode(t) for t in texts]
            walked = self._fast.walk_many(encoded)
            out = []
            for data, feats in zip(encoded, walked, strict=True):
                _PENDING.walked = (data, feats)
                out.append(str(self.classify(data)[0]))
            _PENDING.walked = None
            return out

    ident = _Identifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LATIN_CANDIDATES))
    ident._fast = _FastScorer(ident, LanguageIdentifier._raw_score.__get__(ident))
    return ident


_PENDING = threading.local()


AUTOMATON_DEPTH = 6
"""`_automaton_depth` of py3langid's shipped model (1.7 s to compute, so a constant; a test
recomputes it). A larger value than the true depth would still be exact, only slower."""


def _automaton_depth(nextmove: np.ndarray, rowbase: np.ndarray) -> int:
    """Longest string a state of the automaton stands for (breadth-first from the root).

    In an Aho-Corasick automaton, the state after any text is the longest suffix of the text
    that is a prefix of a feature, so it depends on the last `depth` bytes only."""
    seen = np.zeros(len(rowbase), dtype=bool)
    seen[0] = True
    frontier = np.array([0], dtype=np.int64)
    depth = 0
    all_bytes = np.arange(256, dtype=np.int64)
    while True:
        reached = np.zeros(len(rowbase), dtype=bool)
        reached[nextmove[(rowbase[frontier][:, None] + all_bytes[None, :]).ravel()]] = True
        nxt = np.flatnonzero(reached & ~seen)
        if len(nxt) == 0:
            return depth
        seen[nxt] = True
        frontier = nxt.astype(np.int64)
        depth += 1


class _FastScorer:
    """`ident._raw_score` with the automaton walked as `depth` vectorised steps.

    Every byte position's state is the automaton run from the root over the `depth` bytes
    ending there (see `_automaton_depth`); step k advances all positions at once by one byte.
    Features are counted in a `Counter` in text order, exactly as py3langid counts them (the
    order is the order of the float sum, so scores are equal to the last bit).
    """

    def __init__(self, ident: Any, fallback: Callable[[Any], Any]) -> None:
        self.ident = ident
        self.fallback = fallback
        self.nextmove = np.frombuffer(ident.tk_nextmove, dtype=np.uint32)  # 39 MB: no copy
        self.rowbase = np.asarray(ident._rowbase, dtype=np.int64)
        self.output = np.asarray(ident.tk_output, dtype=np.int64)
        self.depth = AUTOMATON_DEPTH
        self.pairs = _pair_table(self.nextmove, self.rowbase)

    def __call__(self, text: Any) -> Any:
        if not isinstance(text, bytes):  # py3langid passes bytes; anything else: its own path
            return self.fallback(text)
        return self.score(
            _window_walk(text, self.nextmove, self.rowbase, self.output, self.depth, self.pairs)
        )

    def score(self, feats: np.ndarray) -> Any:
        """py3langid's raw scores from the feature ids a walk emitted, in text order."""
        if len(feats) == 0:
            return self.fallback(b"")
        return self.ident._sparse_score(Counter(feats.tolist()), self.ident.nb_ptc)

    def walk_many(self, texts: Sequence[bytes]) -> list[np.ndarray]:
        """`_window_walk` of each text, in one pass over all of them (see `_walk_many`)."""
        return _walk_many(texts, self.nextmove, self.rowbase, self.output, self.depth, self.pairs)


def _pair_table(nextmove: np.ndarray, rowbase: np.ndarray) -> np.ndarray:
    """State after each two-byte string read from the root (65,536 entries, 256 kB): the
    first two of the `depth` steps in one cache-friendly lookup."""
    first = nextmove[rowbase[0] + np.arange(256)].astype(np.int64)
    pairs: np.ndarray = nextmove[(rowbase[first][:, None] + np.arange(256)[None, :]).ravel()]
    return pairs


def _window_walk(
    text: bytes,
    nextmove: np.ndarray,
    rowbase: np.ndarray,
    output: np.ndarray,
    depth: int,
    pairs: np.ndarray,
) -> np.ndarray:
    """Feature ids emitted at each byte of `text`, in text order (-1s dropped)."""
    b = np.frombuffer(text, dtype=np.uint8).astype(np.int64)
    n = len(b)
    state = np.zeros(n, dtype=np.int64)
    current = 0  # positions whose window starts at byte 0: the plain walk from the root
    for i in range(min(n, depth - 1)):
        current = int(nextmove[rowbase[current] + b[i]])
        state[i] = current
    w = n - depth + 1  # positions with a full window [i - depth + 1, i]
    if w > 0:
        s = pairs[(b[:w] << 8) | b[1 : w + 1]]
        for k in range(2, depth):
            s = nextmove[rowbase[s] + b[k : k + w]]
        state[depth - 1 :] = s
    feats = output[state]
    return feats[feats >= 0]


def _walk_many(
    texts: Sequence[bytes],
    nextmove: np.ndarray,
    rowbase: np.ndarray,
    output: np.ndarray,
    depth: int,
    pairs: np.ndarray,
) -> list[np.ndarray]:
    """`_window_walk` of each of `texts`, computed over their concatenation.

    The full-window steps run once over all bytes (positions whose window would reach into
    the previous text are overwritten next); the first `depth - 1` positions of every text are
    walked from the root, all texts at once, one byte per step. Same states as walking each
    text alone, ~15 fewer numpy calls per text."""
    if not texts:
        return []
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.cumsum(lengths) - lengths
    b = np.frombuffer(b"".join(texts), dtype=np.uint8).astype(np.int64)
    n = len(b)
    state = np.zeros(n, dtype=np.int64)
    w = n - depth + 1
    if w > 0:
        s = pairs[(b[:w] << 8) | b[1 : w + 1]]
        for k in range(2, depth):
            s = nextmove[rowbase[s] + b[k : k + w]]
        state[depth - 1 :] = s
    current = np.zeros(len(texts), dtype=np.int64)
    for k in range(depth - 1):
        live = np.flatnonzero(lengths > k)
        if len(live) == 0:
            break
        pos = starts[live] + k
        current[live] = nextmove[rowbase[current[live]] + b[pos]]
        state[pos] = current[live]
    feats = output[state]
    bounds = np.concatenate([starts, [n]]).tolist()
    out = []
    for i in range(len(texts)):
        f = feats[bounds[i] : bounds[i + 1]]
        out.append(f[f >= 0])
    return out


def _count(runs: re.Pattern[str], sample: str) -> int:
    """How many characters of `sample` the one-character class repeated in `runs` matches.

    Summed over maximal runs (`[class]+`), so a text written in the script costs one match
    per word or sentence instead of one Python string per character; per-character
    `findall` made the script counts cost ~40 us on a 200-character Chinese message and
    ~100 us on a Chinese job ad."""
    return sum(map(len, runs.findall(sample)))


def _runs(rx: re.Pattern[str]) -> re.Pattern[str]:
    assert rx.pattern.startswith("[") and rx.pattern.endswith("]")  # one character class
    return re.compile(rx.pattern + "+")


_SCRIPT_RUNS = {lang: _runs(rx) for lang, rx in SCRIPT_LANGUAGES}
_ANY_SCRIPT = re.compile("|".join(rx.pattern for _lang, rx in SCRIPT_LANGUAGES))
_NOT_LETTER_RUNS = re.compile(r"[\W\d_]+")  # runs of the exact complement of `_LETTER`


STATISTICAL_ANSWERS = (*LATIN_CANDIDATES, "und")
"""Every answer `detect_language` can give when `script_language` cannot decide."""


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`'s language, or "und" when there is nothing to go on."""
    lang = script_language(text)
    if lang is not None:
        return lang
    code, _prob = _latin_identifier().classify(text[:2000])
    return str(code)


def detect_languages(texts: Sequence[str]) -> list[str]:
    """`detect_language` of each text (the same answers), for a chunk of texts: the n-gram
    model's automaton is walked once over all texts that scripts do not decide."""
    out = [script_language(t) for t in texts]
    todo = [i for i, lang in enumerate(out) if lang is None]
    if todo:
        codes = _latin_identifier().classify_many([texts[i][:2000] for i in todo])
        for i, code in zip(todo, codes, strict=True):
            out[i] = code
    return [str(lang) for lang in out]


def script_language(text: str) -> str | None:
    """The language when scripts (or Vietnamese letters) decide it, else None: then only the
    n-gram model can, and it answers one of `STATISTICAL_ANSWERS`.

    Split out because the model is by far the costliest step of extraction (its 40 MB
    tables miss the CPU cache: ~0.5 ms per call on a busy machine), and a caller that gets the
    same result for every possible answer need not run it (see `phone._Regions`)."""
    sample = text[:2000]
    # The letters left once every run of non-letters is cut out: one C call and one string,
    # where summing the runs built a list of every space and punctuation run (~2x slower).
    letters = len(_NOT_LETTER_RUNS.sub("", sample))
    if letters == 0:
        return "und"
    if _ANY_SCRIPT.search(sample) is not None:  # no such character: every count is 0
        counts = {lang: _count(_SCRIPT_RUNS[lang], sample) for lang, _rx in SCRIPT_LANGUAGES}
        # Japanese mixes Kana with Han: any real share of Kana makes Han text Japanese.
        if counts["ja"] and counts["ja"] * 10 >= counts["zh"]:
            counts["ja"] += counts["zh"]
            counts["zh"] = 0
        lang, best = max(counts.items(), key=lambda kv: kv[1])
        if best >= 2 and best * 5 >= letters:
            return lang
    if letters < 2:
        return "und"
    if len(_VIETNAMESE.findall(sample)) >= 2:
        return "vi"
    return None

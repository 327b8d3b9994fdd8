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
from functools import lru_cache, partial
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
            decided = self._fast.certain_labels(walked, encoded)
            out = []
            for data, feats, k in zip(encoded, walked, decided, strict=True):
                if k >= 0:  # the same label py3langid gives (see `certain_labels`)
                    out.append(str(self.nb_classes[k]))
                    continue
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

    def certain_labels(self, walked: Sequence[np.ndarray], texts: Sequence[bytes]) -> np.ndarray:
        """For each text, the column py3langid's `classify` picks, or -1 where it is not sure.

        Why: py3langid scores one text at a time (a Counter, two `fromiter`, a float32
        product, a softmax: ~40 us per text, the costliest part of language identification
        in a batch). Here every text of the chunk is scored at once in float64 and, per text,
        the best column is kept only when it beats the runner-up by more than the float32
        rounding error py3langid's own arithmetic can make (`_float32_error`) plus a margin
        that survives its softmax. So a kept label is exactly the one `classify` returns, by
        that bound, whatever order its product sums in; the few close calls (-1) go through
        `classify` itself. tests/text/test_language.py compares both on corpus texts."""
        ident = self.ident
        out = np.full(len(walked), -1, dtype=np.int64)
        n_cls = len(ident.nb_classes)
        if ident._alias_pairs or ident.min_confidence is not None or n_cls < 2 or not walked:
            return out  # py3langid's answer is more than an argmax: leave it to classify
        table = self._table()
        n_feats = table.shape[0]
        lengths = np.fromiter(map(len, walked), dtype=np.int64, count=len(walked))
        if not lengths.any():
            return out
        row = np.repeat(np.arange(len(walked), dtype=np.int64), lengths)
        keys, counts = np.unique(row * n_feats + np.concatenate(walked), return_counts=True)
        rows, feats = np.divmod(keys, n_feats)
        logc = np.log1p(counts.astype(np.float64))
        weights = table[feats]
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        present = rows[starts]
        scores = np.add.reduceat(logc[:, None] * weights, starts, axis=0)
        scores += ident.nb_pc.astype(np.float64)
        magnitude = np.add.reduceat(logc[:, None] * np.abs(weights), starts, axis=0)
        magnitude += np.abs(ident.nb_pc.astype(np.float64))
        n_distinct = np.diff(np.r_[starts, len(rows)])
        error = _float32_error(n_distinct)[:, None] * magnitude
        order = np.argsort(-scores, axis=1, kind="stable")
        best, second = order[:, 0], order[:, 1]
        pick = np.arange(len(present))
        gap = scores[pick, best] - scores[pick, second]
        n_bytes = np.fromiter((len(texts[i]) for i in present.tolist()), dtype=np.float64)
        # py3langid divides the scores by sqrt(bytes) before its softmax; a gap of 1e-3 after
        # that keeps exp(-gap) clearly below 1 in float32, so the argmax cannot tie.
        margin = SOFTMAX_MARGIN * np.sqrt(np.maximum(n_bytes, 1.0))
        sure = gap > error[pick, best] + error[pick, second] + margin
        out[present[sure]] = best[sure]
        return out

    def _table(self) -> np.ndarray:
        """py3langid's (float16) feature-by-language table as float32, C-ordered, once."""
        table = getattr(self, "_table32", None)
        if table is None:
            table = self._table32 = np.ascontiguousarray(self.ident.nb_ptc, dtype=np.float32)
        return table

    def walk_many(self, texts: Sequence[bytes]) -> list[np.ndarray]:
        """`_window_walk` of each text, in one pass over all of them (see `_walk_many`)."""
        return _walk_many(texts, self.nextmove, self.rowbase, self.output, self.depth, self.pairs)


SOFTMAX_MARGIN = 1e-3
"""Smallest gap (in nats, after py3langid divides by sqrt(bytes)) between the best and the
second score for `certain_labels` to trust its argmax."""


def _float32_error(n_terms: np.ndarray) -> np.ndarray:
    """Relative bound on py3langid's float32 score error for a text with `n_terms` features.

    Its score is `log1p(counts) @ table[idx] + nb_pc` in float32: a dot product of n terms
    plus one addition, each rounding with unit roundoff u = 2**-24 in any summation order,
    so the error is at most ~(n + 1) u times the sum of the terms' magnitudes; float32
    `log1p` adds at most 2 ulp (2**-22) per term. (n + 8) * 2**-22 covers both with room,
    and float64 rounding here is a billion times smaller."""
    return (n_terms.astype(np.float64) + 8.0) * 2.0**-22


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
_ASCII_NON_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
"""Every ASCII byte that is not a letter: what `script_language` deletes to count letters."""


STATISTICAL_ANSWERS = (*LATIN_CANDIDATES, "und")
"""Every answer `detect_language` can give when `script_language` cannot decide."""


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`'s language, or "und" when there is nothing to go on."""
    lang = script_language(text)
    if lang is not None:
        return lang
    return model_language(text)


def model_language(text: str) -> str:
    """The n-gram model's answer for `text`: `detect_language`'s when `script_language(text)`
    is None (a caller that already knows that need not count the scripts again)."""
    code, _prob = _latin_identifier().classify(text[:2000])
    return str(code)


def detect_languages(texts: Sequence[str]) -> list[str]:
    """`detect_language` of each text (the same answers), for a chunk of texts: scripts are
    counted for all texts at once (`script_languages`) and the n-gram model's automaton is
    walked once over all texts that scripts do not decide."""
    out: list[str | None] = script_languages(texts)
    todo = [i for i, lang in enumerate(out) if lang is None]
    if todo:
        codes = _latin_identifier().classify_many([texts[i][:2000] for i in todo])
        for i, code in zip(todo, codes, strict=True):
            out[i] = code
    return [str(lang) for lang in out]


_SCRIPT_ORDER = tuple(lang for lang, _rx in SCRIPT_LANGUAGES)
_LETTER_BIT, _VIETNAMESE_BIT = 8, 16
"""`_char_classes` holds per code point: the 1-based index of its script in `SCRIPT_LANGUAGES`
(low 3 bits, 0 for none), whether `_LETTER` matches it, whether `_VIETNAMESE` does."""


@lru_cache(maxsize=1)
def _char_classes() -> np.ndarray:
    """The class byte of every code point (1.1 MB), from the very regexes `script_language`
    uses, each run once over a string of all code points (~0.1 s, on first use)."""
    table = np.zeros(0x110000, dtype=np.uint8)
    every = "".join(map(chr, range(0x110000)))
    for bit, rx in [(_LETTER_BIT, _LETTER), (_VIETNAMESE_BIT, _VIETNAMESE)]:
        table[[m.start() for m in rx.finditer(every)]] |= bit
    for k, (_lang, rx) in enumerate(SCRIPT_LANGUAGES, start=1):
        hits = [m.start() for m in rx.finditer(every)]
        assert not (table[hits] & 7).any()  # the script classes do not overlap
        table[hits] |= k
    return table


def script_languages(texts: Sequence[str]) -> list[str | None]:
    """`script_language` of each text (the same answers), the non-ASCII ones counted at once.

    Why: a text with non-ASCII characters costs `script_language` nine regex passes (~150 us
    on a Chinese job ad, ~22 us per corpus text on average). Here the samples of all such
    texts are read as one code-point array and every count (letters, each script, Vietnamese
    letters) is a lookup in `_char_classes` summed per text; the decision below is
    `_script_language`'s, step for step."""
    out: list[str | None] = []
    todo: list[int] = []
    for i, text in enumerate(texts):
        sample = text[:2000]
        if sample.isascii():
            out.append(script_language(sample))
        else:
            out.append(None)
            todo.append(i)
    if not todo:
        return out
    samples = [texts[i][:2000] for i in todo]
    lengths = np.fromiter(map(len, samples), dtype=np.int64, count=len(samples))
    cp = np.frombuffer("".join(samples).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cls = _char_classes()[cp]
    starts = np.cumsum(lengths) - lengths  # every sample is non-empty (it has a non-ASCII char)
    letters = np.add.reduceat((cls & _LETTER_BIT) > 0, starts).tolist()
    viet = np.add.reduceat((cls & _VIETNAMESE_BIT) > 0, starts).tolist()
    n_scripts = len(_SCRIPT_ORDER) + 1
    row = np.repeat(np.arange(len(samples), dtype=np.int64), lengths)
    scripts = np.bincount(row * n_scripts + (cls & 7), minlength=len(samples) * n_scripts)
    per_text = scripts.reshape(len(samples), n_scripts)[:, 1:].tolist()
    for i, n_letters, n_viet, counts in zip(todo, letters, viet, per_text, strict=True):
        by_script = dict(zip(_SCRIPT_ORDER, counts, strict=True))
        out[i] = _decide_script(n_letters, by_script, partial(int, n_viet))
    return out


@lru_cache(maxsize=1)
def _class_counts() -> np.ndarray:
    """(32, 9) 0/1 matrix: for each class byte of `_char_classes`, which counts it adds to
    (the seven scripts in `SCRIPT_LANGUAGES` order, letters, Vietnamese letters)."""
    n_scripts = len(_SCRIPT_ORDER)
    m = np.zeros((32, n_scripts + 2), dtype=np.int64)
    for v in range(32):
        if v & 7:
            m[v, (v & 7) - 1] = 1
        m[v, n_scripts] = 1 if v & _LETTER_BIT else 0
        m[v, n_scripts + 1] = 1 if v & _VIETNAMESE_BIT else 0
    return m


def _table_script_language(sample: str) -> str | None:
    """`_script_language(sample)` from `_char_classes` look-ups, for one non-ASCII sample.

    Why: the regex path reads the sample up to nine times (~50-70 us on a Chinese message,
    once per text with a phone number and no region); the chunk form's per-chunk numpy work
    costs as much for a chunk of one. Here one table look-up, one `bincount` over the 32
    class bytes and one small product give every count (~15 us). tests/text compare it with
    `_script_language`."""
    cp = np.frombuffer(sample.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    counts = (np.bincount(_char_classes()[cp], minlength=32) @ _class_counts()).tolist()
    n_scripts = len(_SCRIPT_ORDER)
    by_script = dict(zip(_SCRIPT_ORDER, counts[:n_scripts], strict=True))
    return _decide_script(counts[n_scripts], by_script, partial(int, counts[n_scripts + 1]))


def script_language(text: str) -> str | None:
    """The language when scripts (or Vietnamese letters) decide it, else None: then only the
    n-gram model can, and it answers one of `STATISTICAL_ANSWERS`.

    Split out because the model is by far the costliest step of extraction (its 40 MB
    tables miss the CPU cache: ~0.5 ms per call on a busy machine), and a caller that gets the
    same result for every possible answer need not run it (see `phone._Regions`)."""
    sample = text[:2000]
    if sample.isascii():
        # Most traffic. No script letter and no Vietnamese letter is ASCII, so only the
        # letter count can decide; ASCII letters are A-Z and a-z (`[^\W\d_]` on ASCII),
        # counted by deleting the rest in one bytes call (~5x cheaper than the regex path).
        letters = len(sample.encode("ascii").translate(None, _ASCII_NON_LETTERS))
        return "und" if letters < 2 else None
    return _table_script_language(sample)


def _script_language(sample: str) -> str | None:
    """`script_language` of a sample of at most 2,000 characters, for any text, with one regex
    pass per count: the plain path the table look-ups (`_table_script_language`, the chunk
    form) are tested against."""
    # The letters left once every run of non-letters is cut out: one C call and one string,
    # where summing the runs built a list of every space and punctuation run (~2x slower).
    letters = len(_NOT_LETTER_RUNS.sub("", sample))
    counts = None
    if letters and _ANY_SCRIPT.search(sample) is not None:  # else every count is 0
        counts = {lang: _count(_SCRIPT_RUNS[lang], sample) for lang, _rx in SCRIPT_LANGUAGES}
    return _decide_script(letters, counts, lambda: len(_VIETNAMESE.findall(sample)))


def _decide_script(
    letters: int, counts: dict[str, int] | None, vietnamese: Callable[[], int]
) -> str | None:
    """`script_language`'s answer from the counts of a sample: its letters, its characters of
    each script in `SCRIPT_LANGUAGES` order (None when it has none) and its Vietnamese letters
    (asked for only when they decide). The one place the rule is written, for the one-text
    and the chunk paths."""
    if letters == 0:
        return "und"
    if counts is not None and any(counts.values()):
        # Japanese mixes Kana with Han: any real share of Kana makes Han text Japanese.
        if counts["ja"] and counts["ja"] * 10 >= counts["zh"]:
            counts["ja"] += counts["zh"]
            counts["zh"] = 0
        lang, best = max(counts.items(), key=lambda kv: kv[1])
        if best >= 2 and best * 5 >= letters:
            return lang
    if letters < 2:
        return "und"
    if vietnamese() >= 2:
        return "vi"
    return None

"""Language identification tuned for the region's languages on short texts.

Scripts decide most cases outright and cheaply: Thai, Lao, Khmer, Burmese, Hangul and Kana are
each used by one of our languages, and Han without Kana is Chinese. Latin-script text goes to
py3langid (a maintained fork of langid.py that ships its model), with Vietnamese recognised
first by its letters, since a few diacritics are decisive where n-gram statistics on ten words
are not.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

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

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LATIN_CANDIDATES))
    return ident


def _count(rx: re.Pattern[str], rest: re.Pattern[str], sample: str) -> int:
    """How many characters of `sample` match the one-character class `rx`.

    Counted as the length minus the characters of the complement class `rest`, so that a
    text written in the script (where nearly every character matches) costs a few short
    matches instead of one Python string per character; `findall` of the class made the
    script counts cost ~40 µs on a 200-character Chinese message.
    """
    if rx.search(sample) is None:
        return 0
    return len(sample) - len(rest.findall(sample))


def _complement(rx: re.Pattern[str]) -> re.Pattern[str]:
    assert rx.pattern.startswith("[") and rx.pattern.endswith("]")  # one character class
    return re.compile("[^" + rx.pattern[1:])


_SCRIPT_REST = {lang: _complement(rx) for lang, rx in SCRIPT_LANGUAGES}
_ANY_SCRIPT = re.compile("|".join(rx.pattern for _lang, rx in SCRIPT_LANGUAGES))
_NOT_LETTER = re.compile(r"[\W\d_]")  # the exact complement of `_LETTER`


STATISTICAL_ANSWERS = (*LATIN_CANDIDATES, "und")
"""Every answer `detect_language` can give when `script_language` cannot decide."""


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`'s language, or "und" when there is nothing to go on."""
    lang = script_language(text)
    if lang is not None:
        return lang
    code, _prob = _latin_identifier().classify(text[:2000])
    return str(code)


def script_language(text: str) -> str | None:
    """The language when scripts (or Vietnamese letters) decide it, else None: then only the
    n-gram model can, and it answers one of `STATISTICAL_ANSWERS`.

    Split out because the model is by far the costliest step of extraction (its 40 MB
    tables miss the CPU cache: ~0.5 ms per call on a busy machine), and a caller that gets the
    same result for every possible answer need not run it (see `phone._Regions`)."""
    sample = text[:2000]
    letters = len(sample) - len(_NOT_LETTER.findall(sample))
    if letters == 0:
        return "und"
    if _ANY_SCRIPT.search(sample) is None:
        counts = dict.fromkeys((lang for lang, _rx in SCRIPT_LANGUAGES), 0)
    else:
        counts = {lang: _count(rx, _SCRIPT_REST[lang], sample) for lang, rx in SCRIPT_LANGUAGES}
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

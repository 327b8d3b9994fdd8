"""The numpy walk of py3langid's automaton gives py3langid's own answers, score for score."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from lurewatch.text import normalize
from lurewatch.text.language import LATIN_CANDIDATES, _latin_identifier, detect_language

DATA = Path(os.environ.get("LUREWATCH_DATA", Path(__file__).parents[3] / "shared" / "data"))

WRITTEN = [
    "",
    " ",
    "a",
    "ok",
    "Hi kak, mau tanya lowongan kerja di Kamboja masih ada?",
    "Salam, gaji RM8000 sebulan, tiket dan visa ditanggung syarikat. Minat? PM saya.",
    "Kumusta po! May trabaho sa Dubai, libre pasahe, sahod 50k kada buwan.",
    "Your parcel is on hold. Pay the 1.99 USD fee at https://post-track.example/x today.",
    "Chào anh, em làm việc ở công ty xuất khẩu lao động, lương cao lắm ạ",
    "Bonjour, votre colis est bloqué au dépôt, merci de régler les frais.",
    "DEAR CUSTOMER YOUR ACCOUNT IS SUSPENDED CALL 0812345678 NOW",
    "emoji only 😀😀😀 and then words after the faces",
    "x" * 5000,
    "ab" * 1000 + " selamat pagi " * 50,
    "naïve café résumé über straße",
]


@pytest.fixture(scope="module")
def reference() -> LanguageIdentifier:
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LATIN_CANDIDATES))
    return ident


def _corpus_sample(step: int = 25) -> list[str]:
    corpus = DATA / "corpus"
    if not corpus.is_dir():
        return []
    out: list[str] = []
    for path in sorted(corpus.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if n % step == 0:
                    out.append(normalize(json.loads(line)["text"][:8000]).text[:2000])
    return out


@pytest.mark.parametrize("text", WRITTEN)
def test_written_texts_agree(reference: LanguageIdentifier, text: str) -> None:
    assert _latin_identifier().classify(text) == reference.classify(text)


def test_corpus_texts_agree(reference: LanguageIdentifier) -> None:
    texts = _corpus_sample()
    if not texts:
        pytest.skip(f"shared corpora not at {DATA}")
    fast = _latin_identifier()
    differ = [t[:60] for t in texts if fast.classify(t) != reference.classify(t)]
    assert differ == []


def test_detect_language_still_answers() -> None:
    assert detect_language("Hi kak, mau tanya lowongan kerja di Kamboja masih ada gajinya?") in (
        "id",
        "ms",
    )
    assert detect_language("Your parcel is on hold, please pay the delivery fee today") == "en"


def test_automaton_depth_constant_matches_the_model() -> None:
    import numpy as np

    from lurewatch.text.language import AUTOMATON_DEPTH, _automaton_depth

    ident = _latin_identifier()
    nextmove = np.frombuffer(ident.tk_nextmove, dtype=np.uint32).astype(np.int64)
    rowbase = np.asarray(ident._rowbase, dtype=np.int64)
    assert _automaton_depth(nextmove, rowbase) <= AUTOMATON_DEPTH


def test_run_counts_equal_per_character_counts() -> None:
    """Script shares are counted over runs; the counts equal counting character by character."""
    import re

    from lurewatch.text.language import (
        _NOT_LETTER_RUNS,
        _SCRIPT_RUNS,
        SCRIPT_LANGUAGES,
        _count,
    )

    texts = [
        *WRITTEN,
        "招聘客服，月薪一万五，包吃包住 QQ: 12345",
        "งานแอดมินที่กัมพูชา 35,000 บาท",
        "カンボジアでコールセンター、日給3万円",
        "캄보디아 고객센터 채용 telegram",
        "ថ្ងៃនេះ darling ចង់ឆាត",
        "ວຽກດີ ເງິນເດືອນສູງ",
        "မင်္ဂလာပါ အလုပ်ရှိတယ်",
        *_corpus_sample(step=200),
    ]
    not_letter = re.compile(r"[\W\d_]")
    for text in texts:
        sample = text[:2000]
        assert _count(_NOT_LETTER_RUNS, sample) == len(not_letter.findall(sample))
        for lang, rx in SCRIPT_LANGUAGES:
            assert _count(_SCRIPT_RUNS[lang], sample) == len(rx.findall(sample)), lang


def test_batch_walk_gives_each_texts_own_walk() -> None:
    """`detect_languages` / `classify_many` walk a chunk at once: the same features per text
    and the same answers as one text at a time, also with texts shorter than the automaton
    depth and empty ones between them."""
    from lurewatch.text.language import detect_languages

    ident = _latin_identifier()
    texts = [*WRITTEN, "é", "ab", "abcde", "", "Xin chào", *_corpus_sample(step=100)]
    encoded = [ident._encode(t) for t in texts]
    fast = ident._fast
    for data, feats in zip(encoded, fast.walk_many(encoded), strict=True):
        alone = _window_walk_of(fast, data)
        assert feats.tolist() == alone.tolist()
    assert ident.classify_many(texts) == [ident.classify(t)[0] for t in texts]
    assert detect_languages(texts) == [detect_language(t) for t in texts]
    assert ident.classify_many([]) == [] and detect_languages([]) == []


def test_languages_of_fills_each_normalized_text() -> None:
    from lurewatch.text import languages_of

    texts = [*WRITTEN, "招聘客服，月薪一万五", "งานแอดมินที่กัมพูชา"]
    chunk = [normalize(t) for t in texts]
    assert languages_of(chunk) == [normalize(t).language for t in texts]
    assert [nt.language for nt in chunk] == languages_of(chunk)


def _window_walk_of(fast: object, data: bytes) -> object:
    from lurewatch.text.language import _window_walk

    f = fast
    return _window_walk(data, f.nextmove, f.rowbase, f.output, f.depth, f.pairs)  # type: ignore[attr-defined]


def test_letter_count_by_cutting_non_letter_runs() -> None:
    """`script_language` counts letters as what is left after cutting `[\\W\\d_]+` runs out."""
    from lurewatch.text.language import _LETTER, _NOT_LETTER_RUNS

    for text in [
        *WRITTEN,
        "a1_b-2 c",
        "ไทย 123 ภาษา",
        "日本語、テキスト。",
        *_corpus_sample(step=200),
    ]:
        sample = text[:2000]
        assert len(_NOT_LETTER_RUNS.sub("", sample)) == len(_LETTER.findall(sample))

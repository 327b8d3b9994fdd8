"""Language identification on the short texts lurewatch actually sees."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lurewatch.text import detect_language, normalize
from lurewatch.text.language import (
    _float32_error,
    _latin_identifier,
    _script_language,
    _table_script_language,
    script_language,
    script_languages,
)

SHORT_TEXTS = {
    "en": [
        "Hi, is this Anna? We met at the yoga class last week",
        "Customer service job in Bangkok, no experience needed",
        "Your parcel is held at customs, pay the fee to release it",
    ],
    "zh": [
        "你好，请问是王先生吗？",
        "泰國高薪客服，包吃包住，機票報銷",
        "招聘打字员，月薪一万五，无需经验",
    ],
    "th": ["สวัสดีครับ สนใจงานไหม", "รับสมัครพนักงานแอดมิน เงินเดือนสูง", "พัสดุของคุณถูกกักไว้"],
    "vi": [
        "Chào bạn, bạn có khỏe không?",
        "Tuyển nhân viên chăm sóc khách hàng tại Campuchia",
        "Việc nhẹ lương cao, bao ăn ở",
    ],
    "id": [
        "Halo kak, ada lowongan kerja di Bangkok gaji besar",
        "Selamat siang, apakah ini nomor Ibu Sari?",
        "Dibutuhkan segera admin online tanpa pengalaman",
    ],
    "ms": [
        "Saya nak tanya pasal kerja kosong tu",
        "Jawatan kosong khidmat pelanggan di luar negara, gaji lumayan",
    ],
    "tl": [
        "Kumusta ka na? Saan ka na ngayon?",
        "May trabaho sa Bangkok, malaki ang sahod, libre ang pamasahe",
        "Pasensya na po, mali yata ang numero ko",
    ],
    "my": ["မင်္ဂလာပါ နေကောင်းလား", "ထိုင်းမှာ အလုပ်ရှိတယ် လစာကောင်းတယ်"],
    "km": ["សួស្តី សុខសប្បាយទេ", "ការងារនៅថៃ ប្រាក់ខែខ្ពស់"],
    "lo": ["ສະບາຍດີ ເຈົ້າສະບາຍດີບໍ່", "ວຽກຢູ່ໄທ ເງິນເດືອນສູງ"],
    "ko": ["안녕하세요 잘 지내세요?", "캄보디아 고수익 알바 모집, 항공권 지원"],
    "ja": ["こんにちは、お元気ですか", "カンボジアで高収入の仕事、航空券無料"],
}


@pytest.mark.parametrize(
    ("lang", "text"), [(lang, t) for lang, texts in SHORT_TEXTS.items() for t in texts]
)
def test_short_texts(lang: str, text: str) -> None:
    assert detect_language(text) == lang


def test_mixed_script_prefers_regional_script() -> None:
    assert detect_language("สมัครงาน customer service ที่กัมพูชา") == "th"
    assert detect_language("Kanji 漢字 with かな") == "ja"


def test_nothing_to_go_on() -> None:
    assert detect_language("") == "und"
    assert detect_language("12345 !!! 🙂") == "und"


ASCII_TEXTS = [
    "",
    " ",
    "a",
    "ab",
    "1 2 3 _ _",
    "x_1",
    "ok!",
    "Call 0812345678 NOW",
    "a" + " " * 2500 + "b",  # the second letter lies past the 2,000-character sample
]


@pytest.mark.parametrize("text", ASCII_TEXTS)
def test_ascii_shortcut_equals_the_general_path(text: str) -> None:
    assert script_language(text) == _script_language(text[:2000])


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_shortcut_equals_the_general_path_on_any_ascii(text: str) -> None:
    assert script_language(text) == _script_language(text[:2000])


DATA = Path(os.environ.get("LUREWATCH_DATA", Path(__file__).parents[3] / "shared" / "data"))


def _statistical_sample(step: int) -> list[str]:
    """Written texts and every `step`-th corpus text that only py3langid can decide."""
    out = [
        "Hi kak, mau tanya lowongan kerja di Kamboja masih ada?",
        "Salam, gaji RM8000 sebulan, tiket dan visa ditanggung syarikat.",
        "Kumusta po! May trabaho sa Dubai, libre pasahe.",
        "DEAR CUSTOMER YOUR ACCOUNT IS SUSPENDED CALL NOW",
        "naïve café résumé über straße",
        "ok",
        "!!",
    ]
    corpus = DATA / "corpus"
    if corpus.is_dir():
        for path in sorted(corpus.glob("*.jsonl")):
            with path.open(encoding="utf-8") as fh:
                for n, line in enumerate(fh):
                    if n % step == 0:
                        out.append(normalize(json.loads(line)["text"][:8000]).text)
    return [t[:2000] for t in out if script_language(t) is None]


def test_batch_labels_are_classify_labels() -> None:
    """The chunk scoring's sure labels (and the close calls it hands back) equal
    py3langid's one-text `classify` on every text, and most texts are decided in the batch."""
    ident = _latin_identifier()
    texts = _statistical_sample(step=8)
    want = [str(ident.classify(t)[0]) for t in texts]
    got = []
    for k in range(0, len(texts), 500):
        got += ident.classify_many(texts[k : k + 500])
    assert got == want
    encoded = [ident._encode(t) for t in texts[:2000]]
    sure = ident._fast.certain_labels(ident._fast.walk_many(encoded), encoded)
    if len(texts) > 1000:  # the corpus is there: the batch must decide nearly all of them
        assert (sure >= 0).mean() > 0.95
    for k, t in zip(sure.tolist(), texts[:2000], strict=True):
        if k >= 0:
            assert ident.nb_classes[k] == ident.classify(t)[0]


def test_texts_without_features_are_left_to_classify() -> None:
    ident = _latin_identifier()
    encoded = [b"", b"\x00", b"Selamat pagi semua, apa kabar?"]
    sure = ident._fast.certain_labels(ident._fast.walk_many(encoded), encoded)
    assert sure[0] == -1 and sure[2] >= 0
    assert ident.classify_many(["", "Selamat pagi semua, apa kabar?"]) == [
        ident.classify("")[0],
        ident.classify("Selamat pagi semua, apa kabar?")[0],
    ]


def test_float32_error_bound_holds_on_corpus_texts() -> None:
    """py3langid's float32 scores stay within `_float32_error` of the exact scores (the
    bound `certain_labels` relies on), with a wide margin in practice."""
    ident = _latin_identifier()
    fast = ident._fast
    table = fast._table().astype(np.float64)
    pc = ident.nb_pc.astype(np.float64)
    texts = _statistical_sample(step=8)[:3000]
    walked = fast.walk_many([ident._encode(t) for t in texts])
    worst = 0.0
    for feats in walked:
        if len(feats) == 0:
            continue
        ids, counts = np.unique(feats, return_counts=True)
        logc = np.log1p(counts.astype(np.float64))
        exact = logc @ table[ids] + pc
        bound = _float32_error(np.array([len(ids)]))[0] * (logc @ np.abs(table[ids]) + abs(pc))
        got = fast.score(feats).astype(np.float64)  # py3langid's own float32 product
        worst = max(worst, float(np.max(np.abs(got - exact) / bound)))
    assert 0.0 < worst < 1.0


def test_chunk_script_counts_equal_one_text_counts() -> None:
    """`script_languages` (every non-ASCII text counted at once) answers as `script_language`
    does, text by text: written texts in every script and corpus texts."""
    texts = [t for group in SHORT_TEXTS.values() for t in group] + ASCII_TEXTS
    texts += [
        "สมัครงาน customer service ที่กัมพูชา",
        "Kanji 漢字 with かな",
        "漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字か",  # Kana share below a tenth: Chinese
        "ok 🙂",
        "½ ² ³",
        "đi",
        "Việt",
        "\ud800 lone surrogate đơn",
        "ก" + "a" * 10,  # one Thai letter among many Latin ones
        "日本" + "x" * 3000,
    ]
    texts += _statistical_sample(step=5) + [
        t for t in (normalize(x).text for x in _corpus_non_ascii(step=5))
    ]
    assert script_languages(texts) == [script_language(t) for t in texts]


def _corpus_non_ascii(step: int) -> list[str]:
    corpus = DATA / "corpus"
    out: list[str] = []
    if corpus.is_dir():
        for path in sorted(corpus.glob("*.jsonl")):
            with path.open(encoding="utf-8") as fh:
                for n, line in enumerate(fh):
                    text = json.loads(line)["text"][:8000]
                    if n % step == 0 and not text.isascii():
                        out.append(text)
    return out


@given(st.lists(st.text(max_size=40), max_size=8))
def test_chunk_script_counts_equal_one_text_counts_on_any_text(texts: list[str]) -> None:
    assert script_languages(texts) == [script_language(t) for t in texts]


def test_one_text_table_path_equals_the_regex_path() -> None:
    """`script_language` on a non-ASCII text (table look-ups) answers as the regex path does:
    written texts in every script, edge cases and every corpus text that is not ASCII."""
    texts = [t for group in SHORT_TEXTS.values() for t in group] + [
        "สมัครงาน customer service ที่กัมพูชา",
        "Kanji 漢字 with かな",
        "漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字か",
        "漢字漢字漢字漢字漢字漢字漢字漢字漢字か",  # Kana share exactly a tenth: Japanese
        "ok 🙂",
        "½ ² ³",
        "đi",
        "Việt",
        "\ud800 lone surrogate đơn",
        "ก" + "a" * 10,
        "กข" + "a" * 10,  # two Thai letters, one fifth of the letters: Thai
        "กข" + "a" * 11,
        "日本" + "x" * 3000,
    ]
    texts += [normalize(x).text for x in _corpus_non_ascii(step=1)]
    texts = [t for t in texts if not t[:2000].isascii()]
    assert len(texts) > 100
    for t in texts:
        assert _table_script_language(t[:2000]) == _script_language(t[:2000]), t[:80]
        assert script_language(t) == _script_language(t[:2000])


@given(st.text(max_size=60).filter(lambda t: not t.isascii()))
def test_one_text_table_path_equals_the_regex_path_on_any_text(text: str) -> None:
    assert _table_script_language(text) == _script_language(text)

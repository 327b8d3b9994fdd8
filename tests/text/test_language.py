"""Language identification on the short texts lurewatch actually sees."""

from __future__ import annotations

import pytest

from lurewatch.text import detect_language

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

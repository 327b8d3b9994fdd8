"""Phone extraction: the labelled fixtures, focused behaviour, and linear time on hostile input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lurewatch import extract
from lurewatch.indicators import phone
from lurewatch.indicators.phone import extract_phones
from tests.indicators.fixtures import FIXTURE_DIR, NUMERIC_PIECES, load_cases, score_cases
from tests.indicators.linear import growth
from tests.indicators.spelling import assert_same_matches

CASES = [c for c in load_cases(FIXTURE_DIR) if c.file == "phone.yaml"]


def test_fixture_precision_and_recall() -> None:
    total = score_cases(CASES)
    assert len(CASES) >= 40
    assert total.precision >= 0.98 and total.recall >= 0.98, "\n".join(total.misses)


def phones(text: str, region: str | None = None) -> list[tuple[str, str, bool]]:
    return [(i.value, i.normalized, i.valid) for i in extract(text, types=["phone"], region=region)]


def test_same_number_written_two_ways_is_one_key() -> None:
    a = extract("โทร ๐๘๑-๒๓๔-๕๖๗๘", types=["phone"])
    b = extract("WhatsApp +66 (0) 81 234 5678", types=["phone"])
    assert a[0].key == b[0].key == ("phone", "+66812345678")


def test_offsets_point_into_the_original_text() -> None:
    text = "call ＋６６ ８１ ２３４ ５６７８ now"
    (ind,) = extract(text, types=["phone"])
    assert text[ind.start : ind.end] == ind.value == "＋６６ ８１ ２３４ ５６７８"
    assert ind.obfuscated


def test_caller_region_beats_language() -> None:
    assert phones("call 0912 345 678", region="VN")[0][1] == "+84912345678"
    assert phones("call 0912 345 678", region="TW")[0][1] == "+886912345678"


def test_plus_prefixed_invalid_number_is_never_dropped() -> None:
    assert phones("new number +66 81 234 567") == [("+66 81 234 567", "+6681234567", False)]


def test_invalid_national_number_needs_a_phone_word() -> None:
    assert phones("ref 081 234 567 ok", region="TH") == []
    assert phones("โทร 081 234 567", region="TH") == [("081 234 567", "+6681234567", False)]


def test_number_type_and_region_fields() -> None:
    (ind,) = extract("お電話は 03-1234-5678 までどうぞ", types=["phone"])
    assert (ind.region, ind.number_type, ind.valid) == ("JP", "fixed_line", True)


def test_country_word_picks_the_region_of_an_english_text() -> None:
    assert phones("Job in Cambodia, call 012 345 678")[0][1] == "+85512345678"


def test_money_and_bank_account_beat_phone_on_the_same_digits() -> None:
    assert phones("押金 ¥13800138000", region="CN") == []
    assert phones("เลขบัญชี กสิกร 081-2-34567-8", region="TH") == []


def test_several_numbers_in_one_spaced_run_are_split() -> None:
    got = phones("โทร 081 234 5678 089 876 5432", region="TH")
    assert [g[1] for g in got] == ["+66812345678", "+66898765432"]


@pytest.mark.parametrize(
    ("unit", "size"),
    [
        ("1 ", 5_000),
        ("+66 8", 5_000),
        ("(((1", 5_000),
        ("12345 ", 5_000),
        ("1-2.3(4)", 5_000),
        ("081 234 5678 x ", 2_000),  # every run goes to phonenumbers: keep it short
    ],
)
def test_hostile_input_is_linear(unit: str, size: int) -> None:
    assert growth(extract_phones, unit, small=size, region="TH") < 25


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(NUMERIC_PIECES), max_size=30), st.sampled_from([None, "TH", "JP"]))
def test_any_mix_of_digits_and_markers_never_raises(pieces: list[str], region: str | None) -> None:
    text = "".join(pieces)
    for ind in extract(text, types=["phone"], region=region):
        assert text[ind.start : ind.end] == ind.value


@pytest.mark.parametrize(
    "text",
    [
        "联系飞机 @jp_kefu_88 或 QQ: 2847561930",
        "加QQ号：1398765432 领取任务",
        "扣扣 2847561930 私聊",
        "qq号码 1508642317",
        "LINE ID: 0891234567 ทักมาเลย",
        "微信号：13912345678",
    ],
)
def test_number_after_a_qq_or_account_id_label_is_not_a_phone(text: str) -> None:
    assert phones(text, region="CN") == []


def test_phone_words_for_chat_apps_still_announce_phones() -> None:
    assert phones("微信13812345678 QQ 2847561930") == [("13812345678", "+8613812345678", True)]
    assert phones("โทร 089-123-4567 หรือ LINE 0891234567", region="TH") == [
        ("089-123-4567", "+66891234567", True),
        ("0891234567", "+66891234567", True),
    ]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123+ a\n", max_size=14))
def test_dial_code_pattern_is_its_plain_spelling(text: str) -> None:
    """The dial-code pattern: "+" or a "00" with no digit before it."""
    assert_same_matches(phone._DIAL_CODE, r"(?:\+|(?<!\d)00) ?(\d{1,3})", text)


def _top_level_alternatives(pattern: str) -> list[str]:
    """`pattern` split at its top-level "|", each without the groups that open it."""
    out, depth, start = [], 0, 0
    for i, c in enumerate(pattern):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    stripped = []
    for alt in out:
        while alt.startswith(("(?:", "(")):
            alt = alt[3:] if alt.startswith("(?:") else alt[1:]
        stripped.append(alt)
    return stripped


def test_chinese_metadata_facts_the_national_precheck_rests_on() -> None:
    """`_could_be_national` leaves to phonenumbers every Chinese string that starts with "1":
    mobile numbers and the carrier codes stripped as trunk prefixes all start with it."""
    import phonenumbers

    meta = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    assert meta is not None and meta.mobile is not None
    for alt in _top_level_alternatives(meta.mobile.national_number_pattern):
        assert alt.startswith("1"), alt
    assert meta.national_prefix_for_parsing is not None
    for alt in _top_level_alternatives(meta.national_prefix_for_parsing):
        assert alt.startswith(("0", "1")), alt
    assert meta.national_prefix == "0"


_PRECHECK_REGIONS = sorted(
    {
        *phone.pc.LANGUAGE_REGION.values(),
        *phone.pc._COUNTRY_WORDS,
        *("US", "GB", "AU", "FI", "CU", "PE", "SI", "KP", "RU", "HU", "AR", "MX", "BR", "IT"),
    }
)
_PREFIXES = [
    "",
    "0",
    "00",
    "1",
    "138",
    "86",
    "011",
    "0011",
    "14110011",
    "119",
    "1910",
    "810",
    "8",
    "9",
]


@settings(max_examples=2500, deadline=None)
@given(
    st.sampled_from(_PRECHECK_REGIONS),
    st.sampled_from(_PREFIXES),
    st.text(alphabet="0123456789", min_size=4, max_size=12),
    st.sampled_from(["", "-", " "]),
)
def test_national_precheck_never_rules_out_what_phonenumbers_accepts(
    region: str, prefix: str, rest: str, sep: str
) -> None:
    """`_could_be_national` is False only where `_national` finds nothing."""
    import phonenumbers

    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    cc = str(meta.country_code) if meta is not None else ""
    for digits in (prefix + rest, cc + rest, (meta.national_prefix or "") + rest if meta else rest):
        raw = digits[:4] + sep + digits[4:] if len(digits) > 4 else digits
        if not phone._could_be_national(digits, region):
            assert phone._national(raw, digits, region) is None, (region, raw)


def test_national_precheck_on_numbers_people_write() -> None:
    cases = [
        ("CN", "13812345678"), ("CN", "01012345678"), ("CN", "8613812345678"),
        ("CN", "5000-8000"), ("CN", "10000-18000"), ("CN", "17951 13812345678"),
        ("CN", "00 44 7911 123456"), ("TH", "0891234567"), ("TH", "891234567"),
        ("ID", "081234567890"), ("AU", "0412 345 678"), ("AU", "14110011 1 212 555 0100"),
        ("US", "011 44 7911 123456"), ("US", "1 212 555 0100"), ("JP", "090-1234-5678"),
    ]  # fmt: skip
    for region, raw in cases:
        digits = "".join(c for c in raw if c.isdigit())
        found = phone._national(raw, digits, region)
        if not phone._could_be_national(digits, region):
            assert found is None, (region, raw)
    assert not phone._could_be_national("50008000", "CN")
    assert phone._could_be_national("13812345678", "CN")


def test_language_is_not_asked_when_no_region_could_read_the_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A national candidate no language or mentioned region could read, with no phone word
    before it, skips the language; the phones found are those found when it is asked."""
    from lurewatch.indicators.base import Context
    from lurewatch.text import normalize
    from tests.indicators.test_fast_paths import _generated

    salary = normalize("招聘客服，月薪5000-8000，包吃住")
    assert list(extract_phones(Context(nt=salary))) == []
    assert not salary.language_known
    texts = (
        [c.text for c in load_cases()]
        + _generated(1500, 11)
        + [
            "招聘客服，月薪5000-8000，包吃住，电话13812345678",
            "月薪5000-8000 联系 2345 6789",
            "Gaji 5000-8000, hubungi 081234567890",
            "Salary 5000-8000 USD, +855 call 2345 6789",
        ]
    )
    shortcut = [list(extract_phones(Context(nt=normalize(t)))) for t in texts]
    monkeypatch.setattr(phone, "_readable", lambda _digits, _mentions: True)
    assert [list(extract_phones(Context(nt=normalize(t)))) for t in texts] == shortcut

"""Normalization: each stage, the offset map back to the original, and hostile input."""

from __future__ import annotations

import time

import pytest

from lurewatch.text import MAX_TEXT_CHARS, TextTooLongError, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain ascii text", "plain ascii text"),
        ("ｆｕｌｌ－ｗｉｄｔｈ ０８１２３４５６７８", "full-width 0812345678"),
        ("Tele\u200bgram", "Telegram"),
        ("bi\u202enance\u202c", "binance"),
        ("𝐁𝐢𝐧𝐚𝐧𝐜𝐞", "Binance"),
        ("Tеlеgram", "Telegram"),  # Cyrillic е inside a Latin word
        ("Привет друг", "Привет друг"),  # genuine Cyrillic text is left alone
        ("โทร ๐๘๑๒๓๔๕๖๗๘", "โทร 0812345678"),  # Thai digits
        ("ទូរស័ព្ទ ០១២៣៤៥៦៧៨", "ទូរស័ព្ទ 012345678"),  # Khmer digits
        ("ဖုန်း ၀၉၁၂၃၄၅၆၇၈", "ဖုန်း 0912345678"),  # Burmese digits
        ("ໂທ ໐໒໐໑໒໓໔໕໖໗", "ໂທ 0201234567"),  # Lao digits
        ("Vie\u0302\u0323t Nam", "Việt Nam"),  # decomposed Vietnamese composes
        ("hxxps://evil[.]example[.]com/x", "https://evil.example.com/x"),
        ("visit binance-vip (dot) com now", "visit binance-vip.com now"),
        ("visit binance-vip dot com now", "visit binance-vip.com now"),
        ("mail hr[at]jobs-th[.]com", "mail hr@jobs-th.com"),
        ("hxxp[:]//a[.]top", "http://a.top"),
        # Bracketed forms alone, with no other edit anchor in the text.
        ("see http[:]//shop.example.com now", "see http://shop.example.com now"),
        ("go to https(://)pay.example.com", "go to https://pay.example.com"),
        ("write hr {AT} jobs-th.com", "write hr@jobs-th.com"),
        ("加我 example。com 谢谢。", "加我 example.com 谢谢。"),
        ("ｅｘａｍｐｌｅ｡ｃｏｍ", "example.com"),
        ("call 08l-234-56O8 now", "call 081-234-5608 now"),
        ("zero eight one two three four five six seven eight", "0812345678"),
        ("nol delapan satu dua tiga empat lima enam tujuh", "081234567"),
        ("  many   spaces\t\tand\r\n\r\n\r\nlines  ", "many spaces and\nlines"),
    ],
)
def test_stages(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    "raw",
    [
        "I saw a dot on the map",  # bare " dot " only before a TLD-like word
        "the cool old pool",  # digit-like letters outside numbers
        "Version 2.0 of the app",
        "Sold 10l of oil and 20l of water",  # litres are not a phone number
        "one two three",  # too few spelled digits
        "Meeting at 10 o'clock",
    ],
)
def test_leaves_ordinary_text_alone(raw: str) -> None:
    assert normalize(raw).text == raw


def test_offsets_point_back_into_original() -> None:
    raw = "Call ＋６６ 8l2\u200b-345-678 or hxxps://bad[.]example(dot)com today"
    nt = normalize(raw)
    phone_at = nt.text.index("+66")
    s, e = nt.span(phone_at, phone_at + len("+66 812-345-678"))
    assert raw[s:e] == "＋６６ 8l2\u200b-345-678"
    assert nt.obfuscated(s, e)
    url_at = nt.text.index("https://")
    s, e = nt.span(url_at, url_at + len("https://bad.example.com"))
    assert raw[s:e] == "hxxps://bad[.]example(dot)com"
    today = nt.text.index("today")
    s, e = nt.span(today, today + 5)
    assert raw[s:e] == "today"
    assert not nt.obfuscated(s, e)


def test_identity_map_when_nothing_changes() -> None:
    nt = normalize("nothing to fold here")
    assert nt.offsets.identity
    assert nt.span(8, 12) == (8, 12)


def test_empty_and_whitespace_only() -> None:
    assert normalize("").text == ""
    nt = normalize(" \t\n ")
    assert nt.text == ""
    assert nt.language == "und"


def test_rejects_non_text_and_oversize() -> None:
    with pytest.raises(TypeError):
        normalize(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TextTooLongError):
        normalize("a" * (MAX_TEXT_CHARS + 1))


def test_binary_garbage_does_not_crash() -> None:
    garbage = bytes(range(256)).decode("latin-1") * 40
    nt = normalize(garbage)
    assert isinstance(nt.text, str)
    s, e = nt.span(0, len(nt.text))
    assert 0 <= s <= e <= len(garbage)


def _elapsed(text: str) -> float:
    t0 = time.process_time()  # CPU time: wall time on a shared machine measures the neighbours
    normalize(text)
    return time.process_time() - t0


@pytest.mark.parametrize(
    "unit",
    [
        "1 ",  # long digit runs
        "O1l",  # digit-like letters
        "one ",  # spelled digits without end
        "[.]",  # refang markers
        "a [dot] ",
        "\u200bа",  # invisibles and homoglyphs
        " \t",
        "๑",
    ],
)
def test_linear_time_on_adversarial_input(unit: str) -> None:
    small = unit * (20_000 // len(unit))
    big = unit * (200_000 // len(unit))
    _elapsed(small)  # warm caches
    t_small = min(_elapsed(small) for _ in range(3))
    t_big = min(_elapsed(big) for _ in range(3))
    # 10x the input may cost at most ~30x the time (generous for noise); quadratic would be 100x.
    assert t_big <= max(30 * t_small, 0.05), (t_small, t_big)


def test_linear_time_on_long_inner_whitespace() -> None:
    # `\s+$` would rescan the run from every position: quadratic.
    small = " \t" * 10_000 + "x"
    big = " \t" * 100_000 + "x"
    _elapsed(small)
    t_small = min(_elapsed(small) for _ in range(3))
    t_big = min(_elapsed(big) for _ in range(3))
    assert t_big <= max(30 * t_small, 0.05), (t_small, t_big)
    assert normalize(big).text == "x"


def test_plain_links_are_not_marked_obfuscated() -> None:
    nt = normalize("see https://example.com/page")
    assert nt.offsets.identity
    assert not nt.obfuscated(0, len(nt.original))


def _odd_texts() -> list[str]:
    """Texts around every stage's trigger, and the whitespace characters one by one."""
    import sys

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    base = [
        "plain", "a.b", "x[.]y", "h**p://x", "hXXp", "a dot com", "a DOT com", "x。y", "x 。y",
        "o o", "one two", "zero, one", "một hai", "KHÔNG MỘT", "0812345678", "08l2345678",
        "1 2 3 4 5 6 7", "1.2.3.4.5.6.7", "Tеlеgram", "ｔｇ", "e\u0301", "a\u200bb", "๕๕",
        "x\ny", "x\n\ny", "x\n \ny", "x  y", "x \ty", "x\r", "€5", "Привет", "中文。",
    ]  # fmt: skip
    out = base + [f"a{s}b" for s in spaces] + [f"a\n{s}\nb" for s in spaces]
    return out + [f"{a} {b}" for a in base for b in base]


def test_unedited_texts_are_left_alone_by_every_stage() -> None:
    """`_unedited` is a superset check: when it says so, no stage edits the text, and the
    short path gives what running every stage gives."""
    from lurewatch.text import _STAGES, _run_stages, _unedited
    from tests.indicators.fixtures import load_cases
    from tests.indicators.test_fast_paths import _generated

    texts = _odd_texts() + [c.text for c in load_cases()] + _generated(3000, 5)
    seen = 0
    for text in texts:
        full = _run_stages(text)
        fast = normalize(text)
        assert (fast.text, fast._obfuscated) == (full.text, full._obfuscated), text
        assert [fast.span(i, i + 1) for i in range(len(fast.text))] == [
            full.span(i, i + 1) for i in range(len(full.text))
        ], text
        if _unedited(text):
            seen += 1
            assert all(stage(text) == [] for stage, _marks in _STAGES), text
    assert 0 < seen < len(texts)


def test_odd_spaces_class_is_every_space_but_blank_and_newline() -> None:
    import sys

    import re2  # type: ignore[import-untyped]

    from lurewatch.text import deobfuscate

    odd = re2.compile(f"[{deobfuscate._ODD_SPACES}]")
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        assert (odd.fullmatch(ch) is not None) == (ch.isspace() and ch not in " \n"), hex(cp)

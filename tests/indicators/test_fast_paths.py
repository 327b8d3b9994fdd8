"""Every shortcut taken for speed gives the same answer as the slow path it skips.

The gates and pre-checks in the extractors (and in normalization) are supersets of what the
full patterns accept; these differential tests run both paths on the fixture texts and on
thousands of generated texts built from the tokens the gates look for, mixed so that markers
land next to, near and far from numbers, inside words and across lines.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest

from lurewatch.indicators import bank, handle_keywords, money, phone, phone_context, web_scan
from lurewatch.indicators import money_units as mu
from lurewatch.indicators.base import Context
from lurewatch.text import deobfuscate, normalize
from tests.indicators.fixtures import load_cases

_TOKENS = [
    *("5", "30", "800", "1,500", "2.000.000", "15", "3-5", "0812345678", "081-234-5678"),
    *("+66 81 234 5678", "09061701461", "6281234567890", "84912345678", "1234567", "2024-05-12"),
    *("$", "US$", "RM", "Rp", "Rp.", "฿", "¥", "￥", "€", "USD", "usd", "eur", "eth", "U", "元"),
    *("baht", "บาท", "đ", "k", "K", "jt", "juta", "triệu", "tr", "万", "千", "ล้าน", "만", "m"),
    *("to", "-", "~", "至", "đến", "hingga", "salary", "gaji", "月薪", "lương", "เงินเดือน"),
    *("call", "Call", "WA", "wa", "WhatsApp", "whats app", "LINE", "line", "line id", "we chat"),
    *("wechat", "微信", "Telegram", "tg", "@jobthai88", "ID:", "tel", "hotel", "otp", "order"),
    *("Thailand", "thai", "Bangkok", "Malaysia", "Cambodia", "ไทย", "泰国", "lao", "laos"),
    *("Bank", "BCA", "KBank", "bank", "rekening", "STK", "เลขบัญชี", "账号", "card", "PIN"),
    *("hello", "the", "job", "Hi", "one", "two", "zero", "oh", "ok", "too", "all", "lo"),
    *("hxxp://", "[.]", "(dot)", " dot ", "(at)", "example", "com", "bit.ly/x", "a.b"),
    *("招聘", "工资", "สมัครงาน", "ติดต่อ", "Tiền", "điện thoại", "việc làm", "Olá", "Merci"),
    *("08l 234 56O8", "O8I2345678", "l0 5", "Hello2O24OOOO", "0 8 1 2 3 4 5 6 O", "5|5|5|5|5|5"),
    *("ไลน์", "电报", "카톡", "V信", "\u212aakao", "whatſapp", "h**p", "(.)", "{@}", "x。y", "ｔｇ"),
]
_SEPARATORS = ["", " ", " ", " ", "  ", ", ", ". ", ": ", "\n", "/", "(", ")"]


def _generated(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 14)):
            parts.append(rng.choice(_TOKENS))
            parts.append(rng.choice(_SEPARATORS))
        out.append("".join(parts))
    return out


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [case.text for case in load_cases()] + _generated(3000, 11)


def _reference_amounts(ctx: Context) -> Iterator[tuple[int, int, str]]:
    """The number-driven loop as it was before the gate and the neighbour-character skips."""
    text = ctx.text
    done = 0
    for num in money._NUMBER.finditer(text):
        if num.start() < done:
            continue
        pre_m = money._PRE_BEFORE.search(text, max(0, num.start() - money._PRE_REACH), num.start())
        m = money._AMOUNT.match(text, pre_m.start() if pre_m else num.start())
        if m is None or m.start("n1") != num.start() or money._LEADING_ZERO.match(num.group()):
            continue
        done = m.end()
        pre, suf, pre2 = m.group("pre"), m.group("suf"), m.group("pre2")
        if suf == "U" and text[m.start("suf") - 1] == " ":
            suf = None
        m1, m2 = m.group("m1"), m.group("m2")
        code = money._currency(ctx, suf) if suf and pre in (None, "$") else None
        code = code or money._currency(ctx, pre) or money._currency(ctx, pre2)
        if code is None:
            code = money._implied(ctx, m2 or m1, m.start())
        if code is None:
            continue
        if m.group("range") is None:
            amount = money._scaled(m.group("n1"), m1)
            if amount is not None:
                yield m.start(), m.end(), f"{money.canonical(amount)} {code}"
            continue
        low_raw, high = money.parse_number(m.group("n1")), money._scaled(m.group("n2"), m2)
        if low_raw is None or high is None:
            continue
        low = low_raw * mu.MULTIPLIERS[m1] if m1 else low_raw
        if m1 is None and m2 is not None and low_raw * mu.MULTIPLIERS[m2] <= high:
            low = low_raw * mu.MULTIPLIERS[m2]
        yield m.start(), m.end("m1") if m1 else m.end("n1"), f"{money.canonical(low)} {code}"
        start2 = m.start("pre2") if pre2 else m.start("n2")
        yield start2, m.end(), f"{money.canonical(high)} {code}"


def test_money_gate_and_skips_match_the_full_loop(texts: list[str]) -> None:
    for text in texts:
        ctx = Context(nt=normalize(text))
        got = [(i.start, i.end, i.normalized) for i in money.extract_money(ctx)]
        want = [(*ctx.nt.span(s, e), norm) for s, e, norm in _reference_amounts(ctx)]
        assert got == want, text


def test_phone_reads_alike_whether_or_not_the_language_is_known(texts: list[str]) -> None:
    for text in texts:
        lazy = list(phone.extract_phones(Context(nt=normalize(text))))
        known = normalize(text)
        _ = known.language  # every region is then tried in the original order
        assert lazy == list(phone.extract_phones(Context(nt=known))), text


def test_bank_gate(texts: list[str]) -> None:
    for text in texts:
        ctx = Context(nt=normalize(text))
        assert list(bank.extract_bank_accounts(ctx)) == list(bank._accounts(ctx)), text


def test_keyword_and_country_gates(texts: list[str]) -> None:
    for text in texts:
        for t in (text, normalize(text).text):  # raw too: it may hold RE2's case-fold oddities
            assert handle_keywords.find_keywords(t) == handle_keywords.scan_keywords(t), t
        t = normalize(text).text
        low = t.lower()
        assert phone_context.country_mentions(t) == phone_context._find_countries(low), t


def test_url_anchors(texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    normalized = [normalize(t).text for t in texts]
    fast = [web_scan.scan.__wrapped__(t) for t in normalized]
    monkeypatch.setattr(web_scan, "_ANCHOR", re.compile(r"[.@]|://"))  # every dot, as before
    assert [web_scan.scan.__wrapped__(t) for t in normalized] == fast


_ITEMS = re.compile(r"[0-9OoIl|]")


def _reference_letters_in_numbers(text: str) -> list[tuple[int, int, str]]:
    """`letters_in_numbers` as it was: every run of the unbounded pattern, no gate."""
    edits = []
    for m in re.finditer(r"[0-9OoIl|](?:[ .\-]?[0-9OoIl|])+", text):
        run = m.group()
        lo, hi = 0, len(run)
        while lo < hi and not run[lo].isdigit():
            lo += 1
        while hi > lo and not run[hi - 1].isdigit():
            hi -= 1
        core = run[lo:hi]
        digits = sum(c.isdigit() for c in core)
        letters = sum(c in deobfuscate._DIGIT_LIKE for c in core)
        if not letters or digits < 6 or letters * 3 > digits:
            continue
        start = m.start() + lo
        if start > 0 and text[start - 1].isalpha():
            continue
        for k, c in enumerate(core):
            if c in deobfuscate._DIGIT_LIKE:
                edits.append((start + k, start + k + 1, deobfuscate._DIGIT_LIKE[c]))
    return edits


def test_normalization_gates(texts: list[str]) -> None:
    old_run = re.compile(r"[0-9OoIl|](?:[ .\-]?[0-9OoIl|])+")
    split = re.compile(r"[\s,\-]+")
    for text in texts:
        full = [(m.start(), m.end()) for m in deobfuscate._REFANG.finditer(text)]
        assert [(s, e) for s, e, _ in deobfuscate.refang(text)] == full, text
        words = [w for w in split.split(text.lower()) if w in deobfuscate._NUMBER_WORDS]
        assert deobfuscate._has_number_words(text) == (len(words) >= 2), text
        if len(words) >= 2:
            assert deobfuscate._TWO_NUMBER_WORDS.found_in(text), text
        # A run is only edited with six digits and a letter in it: seven run characters.
        assert deobfuscate.letters_in_numbers(text) == _reference_letters_in_numbers(text), text
        long_runs = [m.span() for m in old_run.finditer(text) if len(_ITEMS.findall(m[0])) >= 7]
        assert [m.span() for m in deobfuscate._DIGIT_RUN.finditer(text)] == long_runs, text


def test_number_word_separator_class_is_what_str_split_splits_on() -> None:
    import re2  # type: ignore[import-untyped]

    sep = re2.compile(deobfuscate._SEP)
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        assert (sep.fullmatch(ch) is not None) == (ch.isspace() or ch in ",-"), hex(cp)


def test_gates_answer_as_the_public_search(texts: list[str]) -> None:
    from lurewatch.indicators import wallet
    from lurewatch.text.re2_gate import Gate

    gates = [wallet.GATE, handle_keywords.PLATFORM_GATE, money._MARKER_OR_IMPLIED]
    gates.append(Gate("(?i)qq|[0-9]{5}|\\bline\\b"))
    for text in texts:
        for t in (text, normalize(text).text):
            for gate in gates:
                assert gate.found_in(t) == gate.found_in_slow(t), t


def test_wallet_gate_is_the_pattern_it_replaced(texts: list[str]) -> None:
    from lurewatch.indicators import wallet

    old = re.compile(r"[0-9A-Za-z]{25}|0[xX][0-9a-fA-F]{2}|[bBcC]1[0-9A-Za-z]{6}")
    for text in texts:
        t = normalize(text).text
        assert wallet.GATE.found_in(t) == (old.search(t) is not None), t


def test_default_extract_is_the_general_path(texts: list[str]) -> None:
    from lurewatch.indicators import registry
    from lurewatch.models import INDICATOR_TYPES

    for text in texts:
        assert registry.extract(text) == registry.extract(text, types=INDICATOR_TYPES), text


def test_phone_candidates_are_the_long_maximal_runs(texts: list[str]) -> None:
    old = re.compile(r"\d(?:[\d().\-]| (?=[\d(]))*")
    for text in texts:
        t = normalize(text).text
        want = [m.span() for m in old.finditer(t) if m.end() - m.start() >= phone.MIN_DIGITS]
        assert [m.span() for m in phone._CANDIDATE.finditer(t)] == want, t


def test_finders_answer_as_the_public_search(texts: list[str]) -> None:
    """`Finder.first` (compiled matcher, byte offsets turned into characters) gives the
    wrapper's `search` offset on every 24-character window, ASCII or not."""
    finders = [phone_context.PHONE_WORD_AT, phone_context.NOT_PHONE_WORD_AT]
    for text in texts:
        t = normalize(text).text
        for s in range(0, max(len(t) - 8, 1), 7):
            window = t[max(0, s - 24) : s + 8]
            for f in finders:
                assert f.first(window) == f.first_slow(window), window

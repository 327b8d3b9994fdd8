"""Templates: constant text kept, swapped city/salary/name marked as slots with examples."""

from __future__ import annotations

from lurewatch.operations.template import MAX_CHARS, derive_template, tokenize

ADS = {
    "a": "HIRING chat support in Bangkok. Salary {amount} + commission, free flight. "
    "Contact Ms. Joy on Telegram {handle}",
    "b": "HIRING chat support in Phnom Penh. Salary {amount} + commission, free flight. "
    "Contact Ms. Lina on Telegram {handle}",
    "c": "HIRING chat support in Kuala Lumpur. Salary {amount} + commission, free flight. "
    "Contact Ms. Joy on Telegram {handle} now",
}


def test_swapped_city_and_name_become_slots_with_examples() -> None:
    t = derive_template(ADS, mask_examples={"handle": ["joy_hr_th"]})
    assert t is not None
    assert t.text == (
        "HIRING chat support in {var_1}. Salary {amount} + commission, free flight. "
        "Contact Ms. {var_2} on Telegram {handle}"
    )
    slots = {s.name: s for s in t.slots}
    assert set(slots["var_1"].examples) == {"Bangkok", "Phnom Penh", "Kuala Lumpur"}
    assert set(slots["var_2"].examples) == {"Joy", "Lina"}
    assert slots["handle"].kind == "masked" and slots["handle"].examples == ["joy_hr_th"]
    for s in t.slots:  # offsets point at the placeholders
        assert t.text[s.start : s.end] == "{" + s.name + "}"
    assert t.members == ["a", "b", "c"]


def test_unrelated_member_does_not_shape_the_template() -> None:
    texts = {**ADS, "d": "My son went to Myawaddy and cannot come home, please help us"}
    t = derive_template(texts)
    assert t is not None and "d" not in t.members and "Myawaddy" not in t.text


def test_no_template_without_a_shared_text() -> None:
    assert derive_template({"a": "hello there friend", "b": "สวัสดีครับ ยินดีที่ได้รู้จัก"}) is None
    assert derive_template({"a": ADS["a"]}) is None
    assert derive_template({"a": "", "b": ""}) is None


def test_personal_data_never_appears_in_template_or_examples() -> None:
    texts = {
        "a": "My nephew Somchai Jaidee went to work in Myawaddy via agent {phone} and is held",
        "b": "My nephew Anan Boonmee went to work in Myawaddy via agent {phone} and is held",
    }
    t = derive_template(texts, private=["Somchai Jaidee", "Anan"])
    assert t is not None
    blob = t.text + repr([s.examples for s in t.slots])
    assert "Somchai" not in blob and "Anan" not in blob and "[redacted]" in blob


def test_thai_and_chinese_are_aligned_by_character() -> None:
    texts = {
        "a": "รับสมัครพนักงานที่กรุงเทพ เงินเดือน {amount} ติดต่อ {handle}",
        "b": "รับสมัครพนักงานที่พัทยา เงินเดือน {amount} ติดต่อ {handle}",
        "c": "招聘客服，地点曼谷，月薪{amount}，联系{handle}",
    }
    t = derive_template(texts)
    assert t is not None and t.members == ["a", "b"]
    assert t.text.startswith("รับสมัครพนักงานที่{var_1} เงินเดือน")
    assert [tok.text for tok in tokenize("月薪{amount}")] == ["月", "薪", "{amount}"]


def test_hostile_sizes_are_cut() -> None:
    huge = {"a": "x " * 500_000 + "{phone}", "b": "x " * 500_000 + "{phone}"}
    assert len(tokenize(huge["a"])) <= MAX_CHARS
    t = derive_template(huge)
    assert t is not None and len(t.text) <= MAX_CHARS


def test_tokenizer_agrees_with_an_re2_reference() -> None:
    """The hand loop gives the tokens of this RE2 pattern (kept here as the reference) on
    every text of the bundled sample, which spans nine languages."""
    import json
    from pathlib import Path

    import re2  # type: ignore[import-untyped]

    from lurewatch.operations.sample import SAMPLE

    cont = r"\p{Han}\p{Thai}\p{Lao}\p{Myanmar}\p{Khmer}\p{Hiragana}\p{Katakana}"
    ref = re2.compile(rf"\{{[a-z_]{{1,20}}\}}|[{cont}]\p{{M}}*|[^\s\p{{P}}\p{{S}}{cont}]+|\S")
    texts = ["a{phone}b {Not_a_mask} {x} 1,500.00 é́ ຫວຍ", *ADS.values()]
    for line in Path(SAMPLE).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts += [row["text"]] if "text" in row else [m["text"] for m in row["messages"]]
    for text in texts:
        want = [(m.group(), m.start(), m.end()) for m in ref.finditer(text)]
        assert [(t.text, t.start, t.end) for t in tokenize(text)] == want, text

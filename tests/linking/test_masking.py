from __future__ import annotations

import random

import pyarrow as pa  # type: ignore[import-untyped]

from lurewatch.linking import masking
from lurewatch.linking.masking import mask, mask_many


def test_identifiers_amounts_and_numbers_become_typed_slots() -> None:
    text = (
        "Hiring in Phnom Penh, salary 1,500 USD, call +855 12 345 678 or Telegram @kh_hr, "
        "see https://bit.ly/x1 and jobs-kh.com, pay 0x28C6c06298d514Db089934071355E5743bf21d60, "
        "mail hr@jobs.example.org, room 12, เงินเดือน 30000 บาท"
    )
    assert mask(text) == (
        "Hiring in Phnom Penh, salary {amount}, call {phone} or Telegram {handle}, "
        "see {url} and {domain}, pay {wallet}, mail {email}, room {number}, เงินเดือน {amount}"
    )


def test_two_copies_of_one_ad_with_different_slots_mask_alike() -> None:
    a = "Earn $2,000/month! WhatsApp +66 81 234 5678 or @siam_jobs today"
    b = "Earn $3,500/month! WhatsApp +855 97 765 4321 or @kh_jobs_team today"
    assert mask(a) == mask(b) == "Earn {amount}/month! WhatsApp {phone} or {handle} today"


def test_known_spans_are_masked_first_overlaps_merged() -> None:
    text = "add t.me/recruiter now"
    spans = [(4, 18, "url"), (9, 18, "handle")]
    assert mask(text, spans) == "add {url} now"


def test_text_is_cut_at_the_limit_and_white_space_collapsed() -> None:
    assert mask("a  b\n\tc " + "x" * 100, limit=10) == "a b c xx"
    assert mask_many([]) == []


def test_many_texts_come_back_in_their_order() -> None:
    # one DuckDB query masks them all: its rows must come back in input order; each text
    # has its own letters (digits would all mask alike)
    def name(i: int) -> str:
        return "".join(chr(97 + (i // 26**k) % 26) for k in range(3))

    texts = [f"Job for {name(i)}, call +66 92 418 {i:04d} or @{name(i)}_hr" for i in range(9000)]
    out = mask_many(texts)
    assert len(out) == len(texts)
    for i in (0, 1, 4095, 4096, 4097, 8191, 8999):
        assert out[i] == mask(texts[i]) == f"Job for {name(i)}, call {{phone}} or {{handle}}"


def test_white_space_pass_equals_collapsing_every_run() -> None:
    # the collapse skips lone spaces; on any text it must give what `\s+` -> " " gives
    rng = random.Random(7)
    alphabet = [" ", " ", "  ", "\t", "\n", "\r", "\f", "\v", "\u00a0", "\u2028", "\u3000"]
    alphabet += ["\x85", "a", "b", "1", "{x}", "ก", "é", "."]
    texts = ["", " ", "\t", " a ", "a\t b", "a  b", "a \n b"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(40))) for _ in range(3000)]
    cur = masking._cursor()
    try:
        cur.register("ws_input", pa.table({"t": pa.array(texts, pa.string())}))
        rows = cur.execute(
            "SELECT regexp_replace(t, '\\s+', ' ', 'g'), regexp_replace(t, $1, ' ', 'g') "
            "FROM ws_input",
            [masking.WHITE_SPACE],
        ).fetchall()
    finally:
        cur.close()
    assert len(rows) == len(texts)
    assert sum(a != t for (a, _), t in zip(rows, texts, strict=True)) > 1000
    assert all(a == b for a, b in rows)


def test_gated_passes_mask_as_the_plain_chain() -> None:
    # passes skipped by their substring gates against every pass run on every text, on texts
    # assembled from the pieces the gates and patterns look for (and tokens, mixed case)
    rng = random.Random(11)
    pieces = ["://", "www.", "WwW.", "http", "@", "@ab", ".", "/", "a.com/x", "x@y.org", "12"]
    pieces += [" ", "\t", "{url}", "K", "ſ", "T", "Kelvin", "bit.ly", "th", "1,500", "$", "บาท"]
    pieces += ["TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi", "0x28C6c06298d514Db089934071355E5743bf21d60"]
    texts = ["", "www.x.io", "see https://a.b", "mail a@b.co now", "@hr_team", "go.top"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randrange(25))) for _ in range(4000)]
    expr, params = masking._expression()
    gated, gated_params = masking._query("gate_input")
    cur = masking._cursor()
    try:
        cur.register("gate_input", pa.table({"t": pa.array(texts, pa.string())}))
        plain = cur.sql(f"SELECT {expr} AS m FROM gate_input", params=params).fetchall()
        got = cur.sql(gated, params=gated_params).fetchall()
    finally:
        cur.close()
    assert len(got) == len(texts)
    assert sum(m != t for (m,), t in zip(plain, texts, strict=True)) > 2000
    assert got == plain
    assert mask_many(texts) == [m for (m,) in plain]

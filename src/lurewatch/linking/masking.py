"""Slot masking: the variable parts of a report become slot tokens, the rest is its template.

Scam operations reuse one advertisement with the city, salary, recruiter name, phone number and
link swapped. Replacing identifiers, amounts and numbers by typed slots (`{phone}`, `{amount}`,
`{url}`, ...) before shingling makes two copies of the same template look alike however their
slots are filled, and gives `lurewatch.operations` the template text with its slots marked.

Why RE2 inside DuckDB: the patterns run on hostile text, so they must be linear-time (RE2, as
everywhere in lurewatch); and DuckDB's `regexp_replace` is RE2 run vectorised over a whole batch
in C++. Measured on 200k messages of ~170 characters: ~20 µs a message for all nine passes,
against ~43 µs through the google-re2 wrapper with one combined pattern and a scanning loop
(the wrapper's `sub` alone costs ~55 µs a pass). The same function runs inside Spark's Python
workers, so both engines mask identically. RE2 pays per text scanned and per match, so a lone
space is not a white-space match (`WHITE_SPACE`) and a pass is skipped for the texts that lack
a character it needs (its gate in `_SLOTS`): on 50k synthetic reports (~250 characters) all
passes went from 1.37 to 0.78 s CPU, ~16 µs a message, with the same output.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs

_SLOTS: tuple[tuple[str, str, str | None], ...] = (
    (
        "url",
        r"(?i:(?:https?://|www\.)[^\s<>\"'()\[\]]+)",
        r"contains(t, '://') OR regexp_matches(t, '(?i:www\.)')",
    ),
    (
        "url",
        r"(?i:[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,}/[^\s<>\"'()\[\]]*)",
        "contains(t, '/') AND contains(t, '.')",
    ),
    (
        "email",
        r"(?i:[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+)",
        "contains(t, '@') AND contains(t, '.')",
    ),
    ("handle", r"(?i:@[a-z0-9_.]{3,})", "contains(t, '@')"),
    (
        "wallet",
        r"\b(?:0[xX][0-9a-fA-F]{40}|[13T][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[0-9a-z]{20,60})\b",
        None,
    ),
    (
        "domain",
        r"(?i:\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|xyz|top|vip|cc|io|co|me"
        r"|app|site|online|shop|club|asia|biz|live|link|pro)\b)",
        "contains(t, '.')",
    ),
    (
        "amount",
        r"(?i:(?:[$€£¥฿₱₫₩]|\b(?:usdt|usd|thb|php|vnd|idr|rp|rm|myr|rmb|cny|khr|mmk|lak)\b)"
        r"\s?\d[\d,.]*(?:\s?(?:k|m|million|triệu|juta)\b)?"
        r"|\d[\d,.]*\s?(?:k\b|m\b|million\b|triệu|juta|ribu|万|千|元|块|บาท|đ|"
        r"(?:usdt|usd|thb|php|vnd|idr|rm|myr|rmb|cny|khr|mmk|lak|baht|pesos?|dollars?|yuan)\b|"
        r"[$€£¥฿₱₫₩]))",
        None,
    ),
    ("phone", r"\+?\d[\d ().-]{6,}\d", None),
    ("number", r"\d+(?:[.,]\d+)*", None),
)
"""The masking passes in order: (slot, RE2 pattern, gate). The gate, where there is one, is a
condition on the input text without which the pattern cannot match, checked by a cheap
substring search so that texts failing it skip the RE2 scan. Checking the input rather than
the text an earlier pass left is exact: a pass replaces a match by a `{slot}` token, which has
none of these characters and is bounded by braces, so it can neither create nor join up an
occurrence. On synthetic reports ~half the texts have no `@`, four in five no `/`, almost none
a scheme or `www.`."""
INDICATOR_SLOTS: dict[str, str] = {
    "phone": "phone",
    "crypto_wallet": "wallet",
    "url": "url",
    "domain": "domain",
    "email": "email",
    "ip": "ip",
    "handle": "handle",
    "bank_account": "account",
    "iban": "account",
    "money": "amount",
}
"""Slot token for each indicator type, when extraction gave the spans."""


MASK_BATCH_ROWS = 2048
"""Rows per Arrow record batch handed to DuckDB's masking query (its vector size)."""

WHITE_SPACE = r"\s\s+|[\t\n\f\r]"
r"""What the collapse to one space replaces: a run of two or more white space characters, or
one that is not a space (RE2's `\s` is `[\t\n\f\r ]`). The output is that of `\s+`, but a
lone space (most of them) is no longer a match replaced by itself: RE2 pays per match, and on
50k synthetic reports the `\s+` pass cost 0.48 s of the ~1.4 s CPU of all passes, this one
0.07 s."""

_CONN: duckdb.DuckDBPyConnection | None = None
_LOCK = threading.Lock()


def _expression() -> tuple[str, list[str]]:
    """All passes as one nested expression over `t`: the plain form of `_query` (tests)."""
    expr = "t"
    params: list[str] = []
    for name, pattern, _gate in _SLOTS:
        params += [pattern, "{" + name + "}"]
        expr = f"regexp_replace({expr}, ${len(params) - 1}, ${len(params)}, 'g')"
    params.append(WHITE_SPACE)
    expr = f"trim(regexp_replace({expr}, ${len(params)}, ' ', 'g'))"
    return expr, params


def _query(source: str) -> tuple[str, list[str]]:
    """SELECT of the masked `t` of `source` as `m`, the passes with a gate run only where it
    holds. One projection per pass, so a skipped pass hands on its input column rather than
    repeating the expression that made it; the gates are computed once, on `t`."""
    gated = [(i, gate) for i, (_name, _pattern, gate) in enumerate(_SLOTS) if gate is not None]
    gates = ", ".join(f"({gate}) AS g{i}" for i, gate in gated)
    query = f"SELECT t AS m, {gates} FROM {source}"
    flags = ", ".join(f"g{i}" for i, _gate in gated)
    params: list[str] = []
    for i, (name, pattern, gate) in enumerate(_SLOTS):
        params += [pattern, "{" + name + "}"]
        replaced = f"regexp_replace(m, ${len(params) - 1}, ${len(params)}, 'g')"
        if gate is not None:
            replaced = f"CASE WHEN g{i} THEN {replaced} ELSE m END"
        query = f"SELECT {replaced} AS m, {flags} FROM ({query})"
    params.append(WHITE_SPACE)
    return f"SELECT trim(regexp_replace(m, ${len(params)}, ' ', 'g')) AS m FROM ({query})", params


def _cursor() -> duckdb.DuckDBPyConnection:
    global _CONN
    with _LOCK:
        if _CONN is None:
            _CONN = duckdb.connect(config={"threads": 2})
        return _CONN.cursor()


def mask_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, indicator type) span replaced by its slot token.

    Overlapping spans (a `t.me/x` URL that is also a handle) are merged; the first-starting,
    longest span names the slot (a phone rather than the handle written as that phone)."""
    out: list[str] = []
    pos = 0
    # a "WhatsApp +66..." handle is also the phone: the more specific type names the slot
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1], s[2] == "handle")):
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append("{" + INDICATOR_SLOTS.get(kind, "value") + "}")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def mask_many(
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int, str]]] | None = None,
    *,
    limit: int = 20_000,
) -> list[str]:
    """The templates of `texts`: known spans (when given, per text), then any URL, e-mail,
    handle, wallet, domain, amount, phone-like or other number replaced by a slot token, white
    space collapsed. Only the first `limit` characters of each text are read."""
    cut = [t[:limit] for t in texts]
    if spans is not None:
        cut = [
            mask_spans(t, [s for s in sp if s[1] <= len(t)]) if sp else t
            for t, sp in zip(cut, spans, strict=True)
        ]
    if not cut:
        return []
    cur = _cursor()
    try:
        # In record batches of DuckDB's vector size: one 50k-row batch is one scan task, so
        # the second thread sat idle (measured on 50k synthetic reports: 1.6-1.8 s wall as one
        # batch, 0.9 s in batches, same CPU, same output in the same order).
        table = pa.Table.from_batches(
            pa.table({"t": pa.array(cut, pa.string())}).to_batches(max_chunksize=MASK_BATCH_ROWS)
        )
        cur.register("mask_input", table)
        query, params = _query("mask_input")
        out = cur.sql(query, params=params).to_arrow_table()
        return [str(x) for x in out.column("m").to_pylist()]
    finally:
        cur.close()


def mask(text: str, spans: Sequence[tuple[int, int, str]] = (), *, limit: int = 20_000) -> str:
    """`mask_many` for one text."""
    return mask_many([text], [spans], limit=limit)[0]

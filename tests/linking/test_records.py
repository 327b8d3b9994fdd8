"""Input rows to records: the fast JSON path for indicator lists against `json.loads`."""

from __future__ import annotations

import json
import random

import pytest

from lurewatch.linking.records import BadRow, _indicators, _json_list, record_from


def _outcome(fn: object, text: str) -> tuple[str, object]:
    try:
        return "value", fn(text)  # type: ignore[operator]
    except json.JSONDecodeError as exc:
        return "error", (exc.msg, exc.pos)


def test_json_list_reads_as_json_loads_does() -> None:
    rng = random.Random(3)
    pieces = ["[", "]", "[]", '["phone", "+66"]', ",", " ", "\n", '"a', 'b"', "1", "{}", "\\"]
    pieces += ['{"type": "handle"}', "null", "NaN", "\ufeff", '"\\u00e9"', "[[", "]]", "x"]
    texts = ["[]", " []", "[] ", "[]x", "[1] [2]", '[["a","b"]]', "\ufeff[]", "[", "]", ""]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randrange(8))) for _ in range(5000)]
    values = 0
    for text in texts:
        want = _outcome(json.loads, text)
        assert _outcome(_json_list, text) == want, text
        values += want[0] == "value"
    assert values > 300


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        ('[["phone", "+66"], {"type": "handle", "normalized": "hr"}]', "ok"),
        ('[["phone", ""]]', "indicator type and value must be non-empty strings"),
        ('[["phone"]]', "each indicator must be [type, value] or {type, normalized}"),
        ("[1, 2", "indicators is not valid JSON: Expecting ',' delimiter"),
        ('{"a": 1}', "indicators must be a list of [type, value] pairs or objects"),
    ],
)
def test_indicator_cells_give_pairs_or_the_reason(cell: str, want: str) -> None:
    if want == "ok":
        assert _indicators(cell) == (("phone", "+66"), ("handle", "hr"))
        assert _indicators(json.loads(cell)) == _indicators(cell)
        return
    with pytest.raises(BadRow) as err:
        record_from({"id": "x", "text": "t", "indicators": cell}, "1")
    assert str(err.value) == want

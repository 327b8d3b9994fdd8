"""The screen route answers the same wherever it runs the work: on the event loop for short
texts, in the threadpool for long ones (over INLINE_SCREEN_CHARS)."""

from __future__ import annotations

from fastapi.testclient import TestClient

import lurewatch
from lurewatch.api.routes_tools import INLINE_SCREEN_CHARS
from tests.api.conftest import auth

LURE = "Customer service job in Cambodia, USD 2,000, free flight, Telegram @kh_hr_team. "
FILLER = "We met at the market and talked about the weather and the new school term. "


def test_short_and_long_texts_match_screen(app_client: TestClient, keys: dict[str, str]) -> None:
    long = LURE + FILLER * (INLINE_SCREEN_CHARS // len(FILLER) + 5)
    assert len(LURE) <= INLINE_SCREEN_CHARS < len(long)
    for text in (LURE, long):
        r = app_client.post("/api/v1/screen", json={"text": text}, headers=auth(keys["partner"]))
        assert r.status_code == 200
        expected = lurewatch.screen(text).to_record()
        got = r.json()
        assert (got["flagged"], got["category"]) == (expected["flagged"], expected["category"])
        assert got["risk"] == expected["risk"]

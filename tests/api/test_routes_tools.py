"""The screen and lookup routes answer the same wherever they run the work: on the event loop
(short texts; SQLite lookups of indicators seen rarely) or in the threadpool."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import lurewatch
from lurewatch.api import routes_tools
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


def test_lookup_answers_the_same_inline_and_in_the_threadpool(
    app_client: TestClient, keys: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "Casino job in Poipet, WhatsApp +855 96 555 0123, Telegram @poipet_hr"
    r = app_client.post("/api/v1/reports", json={"text": text}, headers=auth(keys["analyst"]))
    assert r.status_code == 201
    url = "/api/v1/indicators/phone/+855965550123"
    inline = app_client.get(url, headers=auth(keys["analyst"]))
    monkeypatch.setattr(routes_tools, "INLINE_LOOKUP_OCCURRENCES", 0)  # every lookup: threadpool
    pooled = app_client.get(url, headers=auth(keys["analyst"]))
    assert inline.status_code == pooled.status_code == 200
    assert inline.json() == pooled.json() and inline.json()["report_count"] == 1
    assert app_client.get(url, headers=auth(keys["other_analyst"])).status_code == 404

"""The public check page through the real app: languages, verdicts with marked red flags, chats
as timelines, identifiers with "seen in N reports" only for logged-in users, and bad input
(script injection, CSRF, oversized bodies and texts, unreadable chats)."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from lurewatch.store.intake import MAX_TEXT_CHARS
from lurewatch.web.public_check import Segment, segments, verdict_level
from tests.web.conftest import csrf, fixture_path, log_in, make_key, store_report

THAI_AD = (
    "รับสมัครแอดมินตอบแชท ทำงานที่ปอยเปต กัมพูชา เงินเดือน 45,000 บาท ไม่ต้องมีประสบการณ์ "
    "บริษัทออกค่าตั๋วเครื่องบินและวีซ่าให้ สนใจทัก Telegram @poipet_admin_hr"
)
EN_AD = (
    "Hiring now: customer service job in Sihanoukville, Cambodia. Salary USD 1,800, free "
    "flight ticket and visa, no experience needed. Message HR on Telegram @sihanouk_cs_jobs"
)
SCRIPT = "<script>alert('pwned')</script>"
HANDLER = '<img src=x onerror="alert(1)">'
SVG = "<svg/onload=alert(2)>"


def post_check(client: TestClient, token: str, **fields: str) -> str:
    r = client.post("/check", data={"csrf_token": token, **fields})
    assert r.status_code == 200, r.text[:500]
    return r.text


def main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


# ------------------------------------------------------------------ languages


def test_language_from_browser_then_query_then_cookie(client: TestClient) -> None:
    thai = client.get("/check", headers={"Accept-Language": "th-TH,th;q=0.9,en;q=0.8"})
    assert '<html lang="th">' in thai.text
    assert "ตรวจข้อความ" in thai.text  # nav in Thai
    fil = client.get("/check", headers={"Accept-Language": "fil-PH, en;q=0.5"})
    assert '<html lang="tl">' in fil.text
    khmer = client.get("/check?lang=km", headers={"Accept-Language": "th"})
    assert '<html lang="km">' in khmer.text
    assert "lw_lang=km" in khmer.headers["set-cookie"]
    again = client.get("/check", headers={"Accept-Language": "th"})
    assert '<html lang="km">' in again.text  # the cookie beats the browser's language
    unknown = client.get("/check?lang=xx", headers={"Accept-Language": "de-DE"})
    assert '<html lang="km">' in unknown.text


def test_every_language_renders_every_public_page(client: TestClient) -> None:
    for lang in ("en", "th", "vi", "id", "tl", "zh", "my", "km"):
        for path in ("/check", "/report", "/awareness"):
            r = client.get(f"{path}?lang={lang}")
            assert r.status_code == 200, (lang, path)
            assert f'<html lang="{lang}">' in r.text
            assert 'name="csrf_token"' in r.text or path == "/awareness"


# ------------------------------------------------------------------ verdicts


def test_thai_lure_ad_is_flagged_with_marked_red_flags(client: TestClient) -> None:
    token = csrf(client, "/check?lang=th")
    html = main(post_check(client, token, text=THAI_AD, kind="auto", country="TH"))
    assert 'id="verdict"' in html
    assert "งานต่างประเทศปลอม" in html  # category trafficking_lure, in Thai
    assert re.search(r"อันตราย|ระวัง", html)  # a warning verdict
    marks = re.findall(r"<mark>(.*?)<sup>", html)
    assert marks and all(m in THAI_AD for m in marks)
    assert "@poipet_admin_hr" in html  # the handle among the identifiers
    assert "เคยพบมาก่อน" not in html  # "seen before" column only for logged-in users


def test_english_ad_lists_flags_advice_and_hotlines(client: TestClient) -> None:
    token = csrf(client)
    html = main(post_check(client, token, text=EN_AD, kind="job_ad", country="PH"))
    assert "Fake job abroad" in html
    assert html.count('<li id="flag-') >= 2
    assert "What to do" in html and "Who can help" in html
    assert 'href="tel:' in html


def test_chat_shows_a_timeline_with_stages_and_the_alert_turn(client: TestClient) -> None:
    token = csrf(client)
    chat = fixture_path("chat_en_whatsapp.txt").read_text("utf-8")
    html = main(post_check(client, token, text=chat, kind="auto"))
    assert "The chat, message by message" in html
    assert html.count('<li class="') >= 9
    assert "We would have warned you at message" in html
    assert 'class="stage"' in html
    assert "Cannot withdraw" in html or "Fake profits" in html or "Money offer" in html


def test_uploaded_chat_asks_who_you_are_then_checks(client: TestClient) -> None:
    token = csrf(client)
    data = fixture_path("chat_two_names.txt").read_bytes()
    r = client.post(
        "/check",
        data={"csrf_token": token, "kind": "auto"},
        files={"chat_file": ("chat.txt", data, "text/plain")},
    )
    assert r.status_code == 200
    assert "Which name in this chat is you?" in r.text
    assert 'value="Somsak"' in r.text and 'value="Lina"' in r.text
    # the chat comes back in the text box, so answering does not need the file again
    html = main(post_check(client, token, text=data.decode(), kind="chat", me="Somsak"))
    assert "The chat, message by message" in html


def test_unreadable_chat_file_is_a_clear_error(client: TestClient) -> None:
    token = csrf(client)
    r = client.post(
        "/check",
        data={"csrf_token": token, "kind": "chat"},
        files={"chat_file": ("chat.txt", b"\xff\xfe\x00\xd8 broken", "text/plain")},
    )
    assert r.status_code == 400
    assert "could not read" in r.text


def test_seen_in_reports_only_for_logged_in_analysts(client: TestClient, web_app: FastAPI) -> None:
    handle = "@seen_twice_hr"
    for n in range(2):
        store_report(web_app, f"Job in Dubai #{n}, free visa, contact Telegram {handle}")
    text = f"Customer service job in Cambodia, free flight, contact Telegram {handle}"
    token = csrf(client)
    anonymous = main(post_check(client, token, text=text))
    assert "Seen before" not in anonymous and "in 2 reports" not in anonymous
    log_in(client, make_key(web_app, "analyst"))
    token = csrf(client)
    logged_in = main(post_check(client, token, text=text))
    assert "Seen before" in logged_in
    assert "in 2 reports" in logged_in


def test_message_about_someone_held_shows_emergency_help_first(client: TestClient) -> None:
    token = csrf(client, "/check?lang=vi")
    text = (
        "Mẹ ơi, con bị giữ ở Campuchia, họ lấy hộ chiếu của con và bắt đóng 5,000 USD tiền chuộc. "
        "Con không thể rời đi. Telegram @kh_compound_boss"
    )
    html = main(post_check(client, token, text=text, country="VN"))
    assert 'id="urgent"' in html
    assert html.index('id="urgent"') < html.index('id="verdict"')
    assert 'href="tel:' in html[: html.index('id="verdict"')]
    plain = main(post_check(client, token, text=EN_AD))
    assert 'id="urgent"' not in plain


def test_empty_text_is_a_clear_error(client: TestClient) -> None:
    token = csrf(client)
    r = client.post("/check", data={"csrf_token": token, "text": "   "})
    assert r.status_code == 400
    assert "Paste a text or choose a file first." in r.text


# ------------------------------------------------------------------ hostile input


def test_script_and_event_handlers_are_escaped_everywhere(client: TestClient) -> None:
    token = csrf(client)
    payload = f"{EN_AD} {SCRIPT} {HANDLER} {SVG}"
    html = post_check(client, token, text=payload, kind="job_ad")
    for raw in (SCRIPT, HANDLER, SVG, "<script>alert", "<img src=x", "<svg/onload"):
        assert raw not in html
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    # a chat whose sender names and texts are payloads
    chat = f"Me: hi\n{SCRIPT}: {HANDLER} deposit 500 USDT on www.gold-bit-vip.com for profit"
    html = post_check(client, token, text=chat, kind="chat")
    assert SCRIPT not in html and HANDLER not in html
    assert "&lt;script&gt;" in html


def test_hostile_paths_and_fields_are_escaped_or_ignored(client: TestClient) -> None:
    r = client.get("/%3Cscript%3Ealert(1)%3C/script%3E?x=%22%3E%3Cb%3E")
    assert r.status_code == 404
    assert "<script>alert(1)" not in r.text and '"><b>' not in r.text
    token = csrf(client)
    r = client.post(
        "/check",
        data={"csrf_token": token, "kind": "job_ad"},
        files={"text": ("t.txt", b"a file where a text belongs", "text/plain")},
    )
    assert r.status_code == 400 and "UploadFile" not in r.text


def test_pages_send_a_strict_content_security_policy(client: TestClient) -> None:
    r = client.get("/check")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in r.text  # the public pages need no script at all


def test_csrf_missing_wrong_or_foreign_token_is_403(client: TestClient, web_app: FastAPI) -> None:
    csrf(client)  # this client has a session
    for data in ({"text": EN_AD}, {"text": EN_AD, "csrf_token": "forged"}):
        r = client.post("/check", data=data)
        assert r.status_code == 403
        assert "expired" in r.text
    with TestClient(web_app) as other:
        foreign = csrf(other)
    r = client.post("/check", data={"text": EN_AD, "csrf_token": foreign})
    assert r.status_code == 403
    fresh = TestClient(web_app)  # no session cookie at all
    assert fresh.post("/check", data={"text": EN_AD, "csrf_token": foreign}).status_code == 403


def test_oversized_body_gets_a_readable_413_page(client: TestClient) -> None:
    token = csrf(client)
    big = b"x" * (2 << 20)
    r = client.post(
        "/check",
        data={"csrf_token": token},
        files={"chat_file": ("big.txt", big, "text/plain")},
    )
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("text/html")
    assert "This is too big. The limit is 1 MB." in r.text
    thai = client.post(
        "/check?lang=th",
        content=b"text=" + b"a" * (2 << 20),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert thai.status_code == 413 and "ใหญ่เกินไป" in thai.text


def test_text_over_the_character_limit_is_refused_whole(client: TestClient) -> None:
    token = csrf(client)
    r = client.post("/check", data={"csrf_token": token, "text": "a" * (MAX_TEXT_CHARS + 1)})
    assert r.status_code == 413
    assert f"{MAX_TEXT_CHARS:,} characters" in r.text


def test_api_errors_stay_problem_json(client: TestClient) -> None:
    r = client.get("/api/v1/no-such-route")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


# ------------------------------------------------------------------ pieces


def test_segments_cover_the_text_once_with_overlapping_flags() -> None:
    text = "free visa and free flight"
    segs = segments(text, [(0, 9, 1), (5, 25, 2), (-3, 2, 3), (20, 99, 4)])
    assert "".join(s.text for s in segs) == text
    assert segs[0] == Segment("free ", (1,))
    assert Segment("visa", (1, 2)) in segs
    assert segs[-1] == Segment("light", (2, 4))
    assert segments("", []) == []


def test_verdict_levels() -> None:
    assert verdict_level(0.95, True) == "high"
    assert verdict_level(0.6, True) == "medium"
    assert verdict_level(0.3, False) == "caution"
    assert verdict_level(0.05, False) == "low"


def test_long_chat_is_checked_beyond_the_single_text_limit(client: TestClient) -> None:
    token = csrf(client)
    lines = [
        f"[03/12/2026, 09:{n % 60:02d}:02] {'Me' if n % 3 == 0 else 'Lina'}: "
        f"hello dear, deposit 500 USDT on www.gold-bit-vip.com for 30% profit, note {n}"
        for n in range(1500)
    ]
    chat = "\n".join(lines)
    assert len(chat) > MAX_TEXT_CHARS
    html = main(post_check(client, token, text=chat))
    assert "1500 messages." in html

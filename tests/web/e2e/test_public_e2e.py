"""The public pages in headless Chromium against the real server: a Thai lure ad, an English
scam chat, a report with emergency guidance, a poster; each page screenshotted and scanned by
axe-core; a 360 px phone screen; keyboard only; page weight and time to interactive."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.conftest import fixture_path
from tests.web.e2e.conftest import (
    LiveServer,
    axe_violations,
    console_errors,
    no_horizontal_scroll,
    shot,
)
from tests.web.test_public_check import THAI_AD

pytestmark = pytest.mark.slow  # one server start with its model warm-up: about a minute on CI

PUBLIC_PAGES = ("/check", "/report", "/awareness", "/awareness/trafficking_lure?in=en")
CHAT = fixture_path("chat_en_whatsapp.txt")
WEIGHT_LIMIT = 200 * 1024
INTERACTIVE_LIMIT_MS = 1000


def check_clean(page: Any, name: str) -> None:
    """Screenshot, no serious/critical axe violation, no console error (CSP included)."""
    shot(page, name)
    assert axe_violations(page) == [], name
    assert console_errors(page) == [], name


def test_thai_lure_ad_in_thai(make_page: Any) -> None:
    page = make_page(locale="th-TH")  # the browser asks for Thai; nothing else chooses it
    page.goto("/check")
    assert page.get_attribute("html", "lang") == "th"
    page.get_by_label("ข้อความที่ต้องการตรวจ").fill(THAI_AD)
    page.select_option("#country", "TH")
    page.get_by_role("button", name="ตรวจเลย").click()
    verdict = page.locator("#verdict")
    verdict.wait_for()
    assert "งานต่างประเทศปลอม" in verdict.inner_text()
    assert page.locator("mark").count() >= 2
    assert page.locator(".flags li").count() >= 2
    check_clean(page, "check-thai-lure-ad")


def test_english_scam_chat_upload(page: Any) -> None:
    page.goto("/check?lang=en")
    page.set_input_files("#chat_file", str(CHAT))
    page.get_by_role("button", name="Check now").click()
    page.locator("#timeline-heading").wait_for()
    turns = page.locator(".timeline > li")
    assert turns.count() == 9
    assert page.locator(".timeline li.alert").count() == 1
    assert "We would have warned you at message" in page.locator("main").inner_text()
    assert (
        "Danger" in page.locator("#verdict").inner_text()
        or "Warning" in page.locator("#verdict").inner_text()
    )
    check_clean(page, "check-english-chat")


def test_urgent_report_shows_help_and_a_reference(page: Any, live_server: LiveServer) -> None:
    page.goto("/report?lang=en")
    page.get_by_label("The job ad, message or what happened").fill(
        "My cousin went to Sihanoukville for a call centre job. Now they took her passport and "
        "she cannot leave. They ask 3,000 USD to release her. Telegram @shv_company_boss"
    )
    page.select_option("#country", "PH")
    page.get_by_label("Your country").select_option("PH")
    page.get_by_label("You may contact me about this report").check()
    page.get_by_label("Phone, e-mail or messaging account").fill("+63 917 555 0142")
    check_clean(page, "report-form")
    page.get_by_role("button", name="Send report").click()
    page.locator("#reference").wait_for()
    urgent = page.locator("#urgent")
    assert urgent.is_visible()
    box_urgent, box_ref = urgent.bounding_box(), page.locator("#reference").bounding_box()
    assert box_urgent and box_ref and box_urgent["y"] < box_ref["y"]  # help comes first
    assert page.locator("#urgent a[href^='tel:']").count() >= 1
    assert len(page.locator("#reference").inner_text()) == 36
    check_clean(page, "report-urgent-confirmation")


def test_poster_print_view(page: Any) -> None:
    page.goto("/awareness?lang=en")
    page.select_option("#category", "pig_butchering")
    page.select_option("#in", "vi")
    page.get_by_role("button", name="Make the poster").click()
    page.wait_for_url("**/awareness/pig_butchering?in=vi*")
    assert page.get_attribute("html", "lang") == "vi"
    assert page.locator(".poster-flags li").count() >= 3
    check_clean(page, "poster-pig-butchering-vi")
    page.emulate_media(media="print")
    assert not page.locator(".poster-tools").is_visible()
    shot(page, "poster-pig-butchering-vi-print")


def test_every_public_page_fits_a_360px_phone(phone_page: Any) -> None:
    for n, path in enumerate(PUBLIC_PAGES):
        phone_page.goto(path + ("&" if "?" in path else "?") + "lang=my")
        assert no_horizontal_scroll(phone_page), path
        shot(phone_page, f"phone-360-{n}-my")
    phone_page.goto("/check?lang=km")
    phone_page.get_by_label("អត្ថបទដែលត្រូវពិនិត្យ").fill(THAI_AD)
    phone_page.locator("button[type=submit]").click()
    phone_page.locator("#verdict").wait_for()
    assert no_horizontal_scroll(phone_page)
    check_clean(phone_page, "phone-360-check-result-km")


def test_keyboard_only_check(page: Any) -> None:
    page.goto("/check?lang=en")
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.className")
    assert skip == "skip-link"
    assert page.locator(".skip-link").is_visible()  # visible when focused
    page.keyboard.press("Enter")
    # from the main content, Tab reaches the text box before any other field
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "text":
            break
    assert page.evaluate("document.activeElement.id") == "text"
    page.keyboard.type("Work from home, like videos and earn 300 USD a day, deposit 50 USDT first")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focused button shows where the keyboard is
    page.keyboard.press("Enter")
    page.locator("#verdict").wait_for()


def test_check_page_weight_and_time_to_interactive(page: Any, live_server: LiveServer) -> None:
    """Transferred bytes (document + every resource) and domInteractive on loopback, for the
    empty form and for a result page."""
    results = {}
    for name, action in (("form", None), ("result", THAI_AD)):
        page.goto("/check?lang=th")
        if action:
            page.fill("#text", action)
            page.locator("button[type=submit]").click()
            page.locator("#verdict").wait_for()
        page.wait_for_load_state("load")
        m = page.evaluate(
            """() => {
              const nav = performance.getEntriesByType('navigation')[0];
              const res = performance.getEntriesByType('resource');
              const bytes = nav.transferSize + res.reduce((a, r) => a + r.transferSize, 0);
              return {bytes, interactive: nav.domInteractive, load: nav.loadEventEnd,
                      resources: res.length};
            }"""
        )
        results[name] = m
        assert m["bytes"] < WEIGHT_LIMIT, m
        assert m["interactive"] < INTERACTIVE_LIMIT_MS, m
    print("check page (loopback):", json.dumps(results))

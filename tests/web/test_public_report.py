"""The public report form: what is stored (and what is not), reference numbers, urgent reports
answered with emergency guidance first, duplicates, chats, and bad input."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from lurewatch.api import Settings, create_app
from lurewatch.store.schema import Occurrence, PersonalDatum, Report
from lurewatch.web import public_report
from lurewatch.web.public_report import HELD_CUE, SOURCE
from tests.store.conftest import db_url, engine  # noqa: F401  (SQLite and PostgreSQL)
from tests.web.conftest import csrf, fixture_path

REF_RE = re.compile(r'id="reference">([0-9a-f-]{36})<')


def submit(client: TestClient, token: str, **fields: str) -> tuple[int, str]:
    r = client.post("/report", data={"csrf_token": token, **fields})
    return r.status_code, r.text


def stored(app: FastAPI, uid: str) -> Report:
    with app.state.sessions() as s:
        report = s.scalar(select(Report).where(Report.uid == uid))
        assert report is not None
        s.expunge(report)
        return report


def personal(app: FastAPI, uid: str) -> list[tuple[str, str, str | None]]:
    with app.state.sessions() as s:
        rows = s.execute(
            select(PersonalDatum.subject, PersonalDatum.field, PersonalDatum.value)
            .join(Report, Report.id == PersonalDatum.report_id)
            .where(Report.uid == uid)
        ).all()
    return sorted((a, b, c) for a, b, c in rows)


def test_report_gets_a_reference_and_is_stored_with_its_identifiers(
    client: TestClient, web_app: FastAPI
) -> None:
    token = csrf(client, "/report")
    text = "Typing job in Bavet, Cambodia, USD 1,500, free visa. WhatsApp +855 96 412 3307 now"
    status, html = submit(
        client, token, text=text, kind="job_ad", country="KH", channel="facebook", who="self"
    )
    assert status == 201
    uid = REF_RE.search(html).group(1)  # type: ignore[union-attr]
    assert 'id="urgent"' not in html
    report = stored(web_app, uid)
    assert report.source == SOURCE and report.country == "KH" and not report.urgent
    assert report.shared and report.reporter_type == "self" and not report.consent_contact
    with web_app.state.sessions() as s:
        n = s.scalar(
            select(func.count()).select_from(Occurrence).where(Occurrence.report_id == report.id)
        )
    assert n and n >= 1  # the phone is indexed
    assert personal(web_app, uid) == []
    assert "We did not keep your name or contact." in html


def test_contact_is_kept_only_with_consent_and_never_indexed(
    client: TestClient, web_app: FastAPI
) -> None:
    token = csrf(client, "/report")
    base = {"text": "Fake crypto app took my 2,000 USDT, support on Telegram @vip_support_desk"}
    _, without = submit(client, token, **base, name="Mali", contact="+66 81 555 0199")
    uid = REF_RE.search(without).group(1)  # type: ignore[union-attr]
    assert personal(web_app, uid) == []
    base["text"] += " (again, from my sister)"
    _, with_consent = submit(
        client, token, **base, name="Mali", contact="+66 81 555 0199", consent="yes"
    )
    uid2 = REF_RE.search(with_consent).group(1)  # type: ignore[union-attr]
    assert personal(web_app, uid2) == [
        ("reporter", "contact", "+66 81 555 0199"),
        ("reporter", "name", "Mali"),
    ]
    assert stored(web_app, uid2).consent_contact
    assert "We may contact you about it." in with_consent
    with web_app.state.sessions() as s:
        values = s.scalars(select(Occurrence.value)).all()
    assert not any("555 0199" in v for v in values)


def test_urgent_report_shows_emergency_guidance_first(client: TestClient, web_app: FastAPI) -> None:
    token = csrf(client, "/report?lang=th")
    text = (
        "ลูกชายไปทำงานที่เมียวดี ตอนนี้ถูกยึดพาสปอร์ต ออกมาไม่ได้ "
        "พวกมันเรียกค่าไถ่ 200,000 บาท ติดต่อผ่าน Telegram @kk_park_boss"
    )
    status, html = submit(client, token, text=text, kind="message", country="TH", victim="Anan")
    assert status == 201
    assert html.index('id="urgent"') < html.index("<h1>")
    assert "ขอความช่วยเหลือตอนนี้" in html  # "get help now" in Thai
    assert 'href="tel:' in html
    uid = REF_RE.search(html).group(1)  # type: ignore[union-attr]
    report = stored(web_app, uid)
    assert report.urgent
    assert personal(web_app, uid) == [("victim", "name", "Anan")]


def test_held_checkbox_makes_the_report_urgent(client: TestClient, web_app: FastAPI) -> None:
    token = csrf(client, "/report")
    text = "My brother went for a job in Dubai through an agent on Facebook @agent_dubai_work"
    status, html = submit(client, token, text=text, held="yes")
    assert status == 201 and 'id="urgent"' in html
    uid = REF_RE.search(html).group(1)  # type: ignore[union-attr]
    report = stored(web_app, uid)
    assert report.urgent and HELD_CUE in report.urgency


def test_same_report_twice_is_a_duplicate_with_the_same_reference(client: TestClient) -> None:
    token = csrf(client, "/report")
    text = "Data entry job in Poipet, 35,000 baht, no experience, Line ID poipet_jobs_th"
    first, second = submit(client, token, text=text), submit(client, token, text=text)
    assert first[0] == 201 and second[0] == 200
    assert "This was already reported." in second[1]
    assert REF_RE.search(first[1]).group(1) == REF_RE.search(second[1]).group(1)  # type: ignore[union-attr]


def test_duplicate_from_another_family_keeps_their_contact_and_missing_person(
    client: TestClient, web_app: FastAPI
) -> None:
    token = csrf(client, "/report")
    text = "Casino admin job in Mong La, 2,000 USD, boss pays flight, Telegram @monglajobs_hr"
    first = submit(client, token, text=text)
    second = submit(
        client, token, text=text, consent="yes", name="Mai", contact="+84 90 123 4567",
        victim="Tuan",
    )  # fmt: skip
    assert first[0] == 201 and second[0] == 200
    uid = REF_RE.search(second[1]).group(1)  # type: ignore[union-attr]
    assert personal(web_app, uid) == [
        ("reporter", "contact", "+84 90 123 4567"),
        ("reporter", "name", "Mai"),
        ("victim", "name", "Tuan"),
    ]
    assert stored(web_app, uid).consent_contact


def test_chat_export_is_stored_as_a_conversation(client: TestClient, web_app: FastAPI) -> None:
    token = csrf(client, "/report")
    chat = fixture_path("chat_en_whatsapp.txt").read_bytes()
    r = client.post(
        "/report",
        data={"csrf_token": token, "kind": "chat", "text": "She asked me to pay a tax first"},
        files={"chat_file": ("WhatsApp Chat.txt", chat, "text/plain")},
    )
    assert r.status_code == 201, r.text[:400]
    uid = REF_RE.search(r.text).group(1)  # type: ignore[union-attr]
    with web_app.state.sessions() as s:
        report = s.scalar(select(Report).where(Report.uid == uid))
        assert report is not None
        items = report.versions[0].items
        kinds = [it.kind for it in items]
        senders = {m["sender"] for it in items for m in (it.messages or [])}
    assert kinds == ["message", "conversation"]
    assert senders == {"me", "Lina"}


def test_empty_report_and_bad_chat_keep_what_was_typed(client: TestClient) -> None:
    token = csrf(client, "/report")
    status, html = submit(client, token, text="  ", name="Keep me")
    assert status == 400 and "Paste a text or choose a chat file first." in html
    assert 'value="Keep me"' in html
    r = client.post(
        "/report",
        data={"csrf_token": token, "text": "a lure ad", "kind": "chat"},
        files={"chat_file": ("c.txt", b"just one line without any chat format", "text/plain")},
    )
    assert r.status_code == 400 and "could not read this chat" in r.text
    assert "a lure ad" in r.text


def test_report_text_is_escaped_on_the_form_again(client: TestClient) -> None:
    token = csrf(client, "/report")
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    status, html = submit(client, token, text=" ", name=payload, contact=payload, victim=payload)
    assert status == 400
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_report_without_csrf_is_refused_and_nothing_is_stored(
    client: TestClient, web_app: FastAPI
) -> None:
    csrf(client, "/report")
    with web_app.state.sessions() as s:
        before = s.scalar(select(func.count()).select_from(Report))
    r = client.post("/report", data={"text": "Job in Myawaddy, free visa, Telegram @no_csrf_hr"})
    assert r.status_code == 403
    r = client.post("/report", data={"text": "Job in Myawaddy", "csrf_token": "x" * 43})
    assert r.status_code == 403
    with web_app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Report)) == before


def test_public_reports_throttled_per_address(client: TestClient, web_app: FastAPI) -> None:
    from lurewatch.api.security import RateLimiter

    saved = getattr(web_app.state, "web_limiter", None)
    web_app.state.web_limiter = RateLimiter(0.001, 2)
    try:
        token = csrf(client, "/report")
        codes = [
            client.post("/report", data={"csrf_token": token, "text": f"t{n}"}).status_code
            for n in range(3)
        ]
    finally:
        web_app.state.web_limiter = saved
    assert codes == [201, 201, 429]


def test_report_is_written_whole_on_both_databases(
    engine: Engine,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SQLite and PostgreSQL: an urgent report with personal data lands whole; a failure
    after staging (here: injected) leaves nothing and answers with the error page."""
    app = create_app(Settings(warm_up=False), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as c:
        token = csrf(c, "/report")
        fields = {
            "csrf_token": token,
            "text": "Agent took my sister to Poipet for a casino job, Line ID poipet_agent_77",
            "held": "yes",
            "victim": "Dara",
        }
        r = c.post("/report", data=fields)
        assert r.status_code == 201
        uid = REF_RE.search(r.text).group(1)  # type: ignore[union-attr]
        report = stored(app, uid)
        assert report.urgent and HELD_CUE in report.urgency
        assert personal(app, uid) == [("victim", "name", "Dara")]

        real = public_report.stage_many

        def failing(*args: object, **kwargs: object) -> object:
            real(*args, **kwargs)  # type: ignore[arg-type]
            raise RuntimeError("disk full")

        monkeypatch.setattr(public_report, "stage_many", failing)
        fields["text"] = "A second report that must not be half written, Telegram @half_written"
        with app.state.sessions() as s:
            before = s.scalar(select(func.count()).select_from(Report))
        r = c.post("/report", data=fields)
        assert r.status_code == 500 and "Nothing was saved" in r.text
        with app.state.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Report)) == before
            assert s.scalar(select(func.count()).select_from(PersonalDatum)) == 1


def test_long_chat_export_is_kept_whole_in_parts(client: TestClient, web_app: FastAPI) -> None:
    token = csrf(client, "/report")
    lines = [
        f"[03/12/2026, 10:{n % 60:02d}:00] {'Me' if n % 4 == 0 else 'Lina'}: message number {n}"
        for n in range(1203)
    ]
    r = client.post(
        "/report",
        data={"csrf_token": token, "kind": "chat"},
        files={"chat_file": ("long.txt", "\n".join(lines).encode(), "text/plain")},
    )
    assert r.status_code == 201, r.text[:300]
    uid = REF_RE.search(r.text).group(1)  # type: ignore[union-attr]
    with web_app.state.sessions() as s:
        report = s.scalar(select(Report).where(Report.uid == uid))
        assert report is not None
        parts = [len(it.messages or []) for it in report.versions[0].items]
    assert parts == [500, 500, 203]

"""Awareness posters: red flags in the poster's language, redacted real examples (only from
shared, non-urgent reports), the HTML print view and the PDF with the right fonts."""

from __future__ import annotations

import re
import zlib

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lurewatch.web.public_awareness import POSTER_CATEGORIES, red_flags, redact
from tests.web.conftest import store_report

LURE = (
    "Urgent hiring: chat support job in Myawaddy. Salary 1,500 USD, free flight and visa, "
    "no experience. Contact Mr. Tan on WhatsApp +66 93 771 2048 or Telegram @myawaddy_hr_tan"
)


def kinds(name: str) -> str:
    return name.upper()


def test_redaction_hides_identifiers_personal_data_and_long_numbers() -> None:
    text = (
        "Send 500 USDT to TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE, call +66 93 771 2048, "
        "visit https://gold-bit-vip.com/login, ask Somchai, account 123-4-56789-0"
    )
    out = redact(text, ["Somchai"], kinds)
    for secret in ("TQn9Y2", "771 2048", "gold-bit-vip", "Somchai", "56789"):
        assert secret not in out
    assert "[CRYPTO_WALLET]" in out and "[PHONE]" in out and "[URL]" in out
    assert "500 USDT" in out  # amounts are not identifiers
    long = redact("word " * 200, [], kinds)
    assert len(long) <= 285 and long.endswith("…")


def test_red_flags_come_in_the_posters_language() -> None:
    thai = red_flags("trafficking_lure", "th")
    assert len(thai) >= 3 and all(re.search("[\u0e00-\u0e7f]", f) for f in thai[:3])
    khmer = red_flags("pig_butchering", "km")
    assert khmer and re.search("[\u1780-\u17ff]", khmer[0])
    assert red_flags("phishing", "en")


def test_poster_uses_only_shared_non_urgent_reports_redacted(
    client: TestClient, web_app: FastAPI
) -> None:
    store_report(web_app, LURE, shared=True, kind="job_ad")
    store_report(
        web_app,
        "Private lure in Poipet, WhatsApp +855 11 222 333, no experience, free visa",
        shared=False,
        kind="job_ad",
    )
    store_report(
        web_app,
        "They took his passport in Myawaddy and he cannot leave, typing job, free visa, "
        "Telegram @urgent_case_hr",
        shared=True,
    )
    html = client.get("/awareness/trafficking_lure?in=en").text
    assert "Real messages people received" in html
    assert "chat support job in Myawaddy" in html
    assert "771 2048" not in html and "@myawaddy_hr_tan" not in html
    assert "Poipet" not in html and "urgent_case_hr" not in html


@pytest.mark.parametrize("lang", ["en", "th", "my", "km", "zh"])
def test_poster_print_view_in_each_script(client: TestClient, lang: str) -> None:
    r = client.get(f"/awareness/pig_butchering?in={lang}&country=TH")
    assert r.status_code == 200
    assert f'<html lang="{lang}">' in r.text
    assert "/awareness/pig_butchering.pdf?in=" + lang in r.text


def test_pdf_is_one_page_with_fonts_for_the_script(client: TestClient) -> None:
    r = client.get("/awareness/trafficking_lure.pdf?in=km&country=KH")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    pdf = r.content
    assert pdf.startswith(b"%PDF-")
    text = pdf + b"".join(_inflated(pdf))
    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z])", text)
    assert len(pages) == 1  # one page, even in Khmer's taller lines
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", text))
    assert any(re.fullmatch(rb"Noto-?Sans-?Khmer(-Bold)?", f) for f in fonts), fonts


def test_poster_hotlines_default_to_the_languages_country(client: TestClient) -> None:
    from lurewatch.advice import advice_for

    vietnam = advice_for("job_scam", "vi", "VN").hotlines
    cambodia = advice_for("job_scam", "vi", "KH").hotlines
    assert vietnam and cambodia
    default = client.get("/awareness/job_scam?in=vi").text
    assert 'class="poster-help"' in default
    assert vietnam[0].name in default
    chosen = client.get("/awareness/job_scam?in=vi&country=KH").text
    assert cambodia[0].name in chosen and vietnam[0].name not in chosen


def test_chooser_redirects_and_unknown_category_is_404(client: TestClient) -> None:
    r = client.get(
        "/awareness/poster?category=job_scam&in=vi&format=pdf&country=VN",
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/awareness/job_scam.pdf?in=vi&country=VN"
    assert client.get("/awareness/not_a_category").status_code == 404
    assert client.get("/awareness/poster?category=<script>").status_code == 404
    page = client.get("/awareness")
    for c in POSTER_CATEGORIES:
        assert f'value="{c}"' in page.text


def _inflated(pdf: bytes) -> list[bytes]:
    """Decompressed FlateDecode streams of a PDF (fonts and page objects may sit in them)."""
    out = []
    for m in re.finditer(rb"stream\r?\n", pdf):
        start = m.end()
        end = pdf.find(b"endstream", start)
        try:
            out.append(zlib.decompress(pdf[start:end]))
        except zlib.error:
            continue
    return out


def _operation(app: FastAPI) -> str:
    """Two private reports of org "hotline" linked into one operation (ORM rows, as a linking
    run writes them)."""
    from sqlalchemy import select

    from lurewatch.operations.tables import Operation, OperationMember
    from lurewatch.store.schema import Report

    uids = [
        store_report(
            app,
            f"Typing job in {city}, USD 1,{n}00, Telegram @op_poster_hr "
            f"or call +66 94 301 77{n}{n}",
            shared=False,
            kind="job_ad",
        )
        for n, city in ((2, "Bavet"), (3, "Poipet"))
    ]
    with app.state.sessions() as s:
        op = Operation(
            uid="op-poster000001",
            size=2,
            categories={"trafficking_lure": 2, "spam": 5},
            template={
                "text": "Typing job in {var_1}, USD {amount}, Telegram {handle} or call {phone}",
                "slots": [],
                "members": uids,
            },
            run=1,
        )
        s.add(op)
        s.flush()
        for uid in uids:
            rid = s.scalar(select(Report.id).where(Report.uid == uid))
            s.add(OperationMember(operation_id=op.id, report_id=rid))
        s.commit()
    return "op-poster000001"


def test_operation_poster_for_analysts_who_may_see_it(client: TestClient, web_app: FastAPI) -> None:
    from tests.web.conftest import log_in, make_key

    op = _operation(web_app)
    anonymous = client.get(f"/awareness/operation/{op}?in=en", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login?")
    log_in(client, make_key(web_app, "analyst", org="police"))
    assert client.get(f"/awareness/operation/{op}?in=en").status_code == 404  # not theirs
    log_in(client, make_key(web_app, "analyst"))
    html = client.get(f"/awareness/operation/{op}?in=en").text
    assert "Fake jobs abroad can trap you" in html  # its main poster category
    assert "seen in 2 reports" in html
    assert "Typing job in …, USD [Amount of money], Telegram [Messaging account]" in html
    assert "[Phone]" in html and "301 77" not in html and "op_poster_hr" not in html
    assert f"/awareness/operation/{op}.pdf?in=en" in html
    pdf = client.get(f"/awareness/operation/{op}.pdf?in=th")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    chooser = client.get("/awareness")
    assert 'name="operation"' in chooser.text
    r = client.get(f"/awareness/poster?operation={op}&in=km", follow_redirects=False)
    assert r.headers["location"] == f"/awareness/operation/{op}?in=km"
    bad = client.get("/awareness/poster?operation=../../etc", follow_redirects=False)
    assert bad.status_code == 404

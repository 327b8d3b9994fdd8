"""Awareness posters: a one-page alert for a scam category (or an operation), in a chosen
language, as an HTML print view and as a PDF - for an NGO worker's village session, a notice
board at a job centre, a message to a parents' group.

A poster holds the red flags of the category (the signal packs' own words in that language,
strongest first), what to do and who to call (the advice catalog and hotlines), and real
examples from reports - redacted: every phone, account, wallet, link and handle is replaced by
its kind, long digit runs are masked, the report's personal data (names, contacts) is masked,
and only shared, non-urgent reports are used (an urgent one is about a person in danger).

PDF is WeasyPrint (HTML + CSS to PDF, no browser). It draws with the system's fonts, so Thai,
Khmer, Myanmar and Chinese need Debian's fonts-noto packages (`scripts/test-deps.d/`). It is
given the poster's HTML and stylesheet directly and a URL fetcher that refuses everything, so a
poster can never make the server fetch a URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any, NoReturn

import re2  # type: ignore[import-untyped]  # google-re2 ships no stubs
from markupsafe import Markup
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

import lurewatch
from lurewatch.advice import Advice, advice_for
from lurewatch.signals.loader import active_packs
from lurewatch.store.access import Viewer
from lurewatch.store.schema import Assessment, Item, PersonalDatum, Report, ReportVersion
from lurewatch.web import i18n
from lurewatch.web.public_check import COUNTRIES
from lurewatch.web.render import env
from lurewatch.web.security import WebError

POSTER_CATEGORIES: tuple[str, ...] = (
    "trafficking_lure",
    "job_scam",
    "pig_butchering",
    "investment",
    "impersonation",
    "phishing",
)
MAX_FLAGS = 7
MAX_EXAMPLES = 3
EXAMPLE_CHARS = 280
CANDIDATES = 40
LONG_DIGITS = re2.compile(r"\d[\d \-.]{4,}\d")
"""Digit runs long enough to be a number someone could call or pay (what extraction missed)."""


@dataclass(frozen=True)
class Poster:
    """Everything a poster shows; `build_poster` fills it for a category, an operation page
    fills it with its own title and examples."""

    lang: str
    category: str
    title: str
    intro: str
    flags: list[str]
    advice: Advice
    examples: list[str] = field(default_factory=list)
    country: str | None = None
    made: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d"))


def red_flags(category: str, lang: str, limit: int = MAX_FLAGS) -> list[str]:
    """The category's red flags in `lang` (the pack's `title_local`), strongest first; English
    packs fill in when a language has fewer."""
    chosen: list[str] = []
    for want in (lang, "en"):
        rules = [
            r
            for p in active_packs()
            if p.language == want
            for r in p.rules
            if r.category == category
        ]
        rules.sort(key=lambda r: -r.weight)
        for r in rules:
            title = r.title_local if want == lang else r.title
            if title not in chosen:
                chosen.append(title)
        if len(chosen) >= 3 or want == lang == "en":
            break
    return chosen[:limit]


def redact(text: str, personal: list[str], kind_name: Any) -> str:
    """`text` with identifiers replaced by `[kind]`, personal data and long numbers masked,
    and cut to `EXAMPLE_CHARS` at a word boundary."""
    found = sorted(lurewatch.extract(text), key=lambda i: i.start)
    out: list[str] = []
    pos = 0
    for ind in found:
        if ind.start < pos or ind.type == "money":
            continue
        out.append(text[pos : ind.start])
        out.append(f"[{kind_name(ind.type)}]")
        pos = ind.end
    out.append(text[pos:])
    redacted = "".join(out)
    for value in sorted({p for p in personal if len(p.strip()) >= 2}, key=len, reverse=True):
        redacted = re2.sub("(?i)" + re2.escape(value.strip()), "▒▒▒", redacted)
    redacted = LONG_DIGITS.sub("▒▒▒", redacted)
    redacted = " ".join(redacted.split())
    if len(redacted) > EXAMPLE_CHARS:
        cut = redacted.rfind(" ", 0, EXAMPLE_CHARS)
        redacted = redacted[: cut if cut > EXAMPLE_CHARS // 2 else EXAMPLE_CHARS] + " …"
    return redacted


def real_examples(request: Request, category: str, lang: str, t: i18n.Translator) -> list[str]:
    """Up to `MAX_EXAMPLES` redacted texts of shared, non-urgent reports of `category`
    (job ads and single messages; the poster's language first)."""
    q = (
        select(Item.text, Assessment.language, Report.id)
        .join(Assessment, Assessment.item_id == Item.id)
        .join(ReportVersion, ReportVersion.id == Item.version_id)
        .join(Report, Report.id == ReportVersion.report_id)
        .where(
            Assessment.category == category,
            Assessment.flagged.is_(True),
            Item.kind.in_(("job_ad", "message")),
            Item.text.is_not(None),
            ReportVersion.version == Report.current_version,
            Report.shared.is_(True),
            Report.urgent.is_(False),
            Report.redacted_at.is_(None),
        )
        .order_by(Assessment.risk.desc(), Report.id.desc())
        .limit(CANDIDATES)
    )
    with request.app.state.sessions() as s:
        rows = s.execute(q).all()
        ids = list({r[2] for r in rows})
        personal: dict[int, list[str]] = {}
        if ids:
            for rid, value in s.execute(
                select(PersonalDatum.report_id, PersonalDatum.value).where(
                    PersonalDatum.report_id.in_(ids)
                )
            ):
                personal.setdefault(rid, []).append(value or "")
    rows.sort(key=lambda r: r[1] != lang)  # stable: the poster's language first
    out: list[str] = []
    for text, _language, rid in rows:
        red = redact(text or "", personal.get(rid, []), lambda k: t("indicator_" + k))
        if red and red not in out:
            out.append(red)
        if len(out) >= MAX_EXAMPLES:
            break
    return out


def build_poster(request: Request, category: str, lang: str, country: str | None) -> Poster:
    if category not in POSTER_CATEGORIES:
        raise WebError(404, "error_not_found")
    t = i18n.Translator(lang)
    return Poster(
        lang=lang,
        category=category,
        title=t("poster_title_" + category),
        intro=t("poster_intro_" + category),
        flags=red_flags(category, lang),
        advice=advice_for(category, lang, country),
        examples=real_examples(request, category, lang, t),
        country=country,
    )


SLOT = re2.compile(r"\{([a-z_]+?)(?:_\d+)?\}")
"""A template placeholder: `{phone}`, `{phone_2}`, `{var_1}`."""
SLOT_KINDS = {"wallet": "crypto_wallet", "account": "bank_account", "amount": "money"}
"""Template slot names (linking.masking.INDICATOR_SLOTS) that differ from indicator types."""


def template_example(template: dict[str, Any] | None, kind_name: Any) -> str | None:
    """An operation's shared template as a poster example: masked slots become `[kind]`, the
    varying ones `…`, and the result is redacted like any example."""
    if not template or not isinstance(template.get("text"), str):
        return None

    def slot(m: Any) -> str:
        base = m.group(1)
        return "…" if base == "var" else f"[{kind_name(base)}]"

    filled = SLOT.sub(slot, template["text"])
    return redact(filled, [], kind_name) or None


def operation_poster(
    request: Request, viewer: Viewer, uid: str, lang: str, country: str | None
) -> Poster:
    """A poster for an operation the viewer may see (the operations' own visibility rules):
    its main category's red flags and advice, and its shared template as the example."""
    from lurewatch.operations.queries import OperationError, detail

    with request.app.state.sessions() as s:
        try:
            op = detail(s, viewer, uid)
        except OperationError as exc:
            raise WebError(403 if exc.status == 403 else 404, "error_not_found") from None
    if "size" not in op:  # merged or retired with nothing visible left
        raise WebError(404, "error_not_found")
    counts = op.get("categories") or {}
    ranked = sorted(
        (c for c in counts if c in POSTER_CATEGORIES), key=lambda c: (-int(counts[c]), c)
    )
    category = ranked[0] if ranked else "trafficking_lure"
    t = i18n.Translator(lang)

    def kind_name(kind: str) -> str:
        key = "indicator_" + SLOT_KINDS.get(kind, kind)
        return t(key) if t.has(key) else "…"

    example = template_example(op.get("template"), kind_name)
    return Poster(
        lang=lang,
        category=category,
        title=t("poster_title_" + category),
        intro=t("poster_intro_" + category) + " " + t("poster_operation_seen", n=op["size"]),
        flags=red_flags(category, lang),
        advice=advice_for(category, lang, country),
        examples=[example] if example else [],
        country=country,
    )


def poster_html(poster: Poster, *, for_pdf: bool, operation: str | None = None) -> str:
    """The poster page in its own language (not the visitor's interface language)."""
    t = i18n.Translator(poster.lang)
    return env.get_template("public/poster.html").render(
        t=t,
        poster=poster,
        pdf_url=(
            f"/awareness/operation/{operation}.pdf"
            if operation
            else f"/awareness/{poster.category}.pdf"
        ),
        for_pdf=for_pdf,
        css=Markup(poster_css()) if for_pdf else "",  # our own stylesheet, not user text
    )


@cache
def poster_css() -> str:
    return resources.files("lurewatch.web").joinpath("static", "css", "poster.css").read_text()


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"posters load nothing from outside: {url[:80]}")


def poster_pdf(poster: Poster) -> bytes:
    """The poster as a one-page A4 PDF."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # ships no type hints

    html = HTML(string=poster_html(poster, for_pdf=True), url_fetcher=_no_fetch)
    pdf: bytes = html.write_pdf()
    return pdf


def poster_response(poster: Poster, fmt: str, operation: str | None = None) -> Response:
    """HTML print view or PDF download of a poster (of a category, or of `operation`)."""
    if fmt == "pdf":
        name = f"lurewatch-{operation or poster.category}-{poster.lang}.pdf"
        return Response(
            poster_pdf(poster),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}"'},
        )
    html = poster_html(poster, for_pdf=False, operation=operation)
    return Response(html, media_type="text/html; charset=utf-8")


LANGUAGE_COUNTRY = {"th": "TH", "vi": "VN", "id": "ID", "tl": "PH", "my": "MM", "km": "KH"}
"""Where a poster in this language is most likely put up, for its hotlines when no country was
chosen (Chinese and English posters are read in too many places to guess)."""


def poster_params(request: Request) -> tuple[str, str | None]:
    """The poster's language (`in`, default: the interface language) and country (default:
    the language's country, see `LANGUAGE_COUNTRY`)."""
    lang = request.query_params.get("in", "")
    if lang not in i18n.LANGUAGES:
        lang = i18n.choose(request)
    country = request.query_params.get("country", "").upper()
    if country in COUNTRIES:
        return lang, country
    return lang, LANGUAGE_COUNTRY.get(lang)

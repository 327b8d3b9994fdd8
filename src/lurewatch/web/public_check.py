"""`/check`: paste a job ad, a message or a whole chat (or upload a chat export) and see the
verdict, the red flags marked in the text, the identifiers, advice and hotlines.

Nothing the visitor pastes is stored here (the page says so): it is screened and shown back.
Logged-in analysts also see, for each identifier, in how many reports (that they may see) it
was seen before. A chat is recognised from its format (WhatsApp, LINE, Telegram JSON, JSON
messages, or `Name: text` lines with a "me"), scored by the conversation tracker, and shown as
a timeline with the stage of each turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Literal

from sqlalchemy import func, select, tuple_
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

import lurewatch
from lurewatch.advice import Advice, advice_for
from lurewatch.conversation import (
    ConversationAssessment,
    ConversationError,
    UnknownParticipantError,
    parse_conversation,
    track,
)
from lurewatch.conversation.chat_text import sniff
from lurewatch.conversation.importers import SELF_NAMES, decode
from lurewatch.models import Indicator
from lurewatch.screening.assessment import Assessment
from lurewatch.store.access import Viewer
from lurewatch.store.intake import MAX_TEXT_CHARS
from lurewatch.store.queries import visible
from lurewatch.store.schema import Indicator as StoredIndicator
from lurewatch.store.schema import Occurrence, Report
from lurewatch.store.triage import triage
from lurewatch.web import i18n
from lurewatch.web.render import render
from lurewatch.web.security import WebError, current_viewer

Kind = Literal["auto", "job_ad", "message", "chat"]
KINDS: tuple[Kind, ...] = ("auto", "job_ad", "message", "chat")
MAX_UPLOAD_BYTES = 1 << 20
MAX_CHAT_CHARS = MAX_UPLOAD_BYTES
"""A chat may be as long as an upload (a long WhatsApp export); a single text is limited to the
store's `MAX_TEXT_CHARS`. Both are read in linear time."""
COUNTRIES: tuple[str, ...] = (
    "TH", "VN", "ID", "PH", "MY", "MM", "KH", "LA", "CN", "TW", "HK", "SG",
    "KR", "JP", "IN", "BD", "LK", "NP", "PK", "KE", "UG", "NG", "ET", "GH",
)  # fmt: skip
"""Countries offered for local hotlines: where lures recruit and where compounds are."""


@dataclass(frozen=True)
class Segment:
    """A stretch of the checked text: plain, or marked as red flag(s) number `flags`."""

    text: str
    flags: tuple[int, ...] = ()


@dataclass
class Flag:
    number: int
    title: str
    quotes: list[str]
    source: str


@dataclass
class CheckInput:
    text: str = ""
    kind: Kind = "auto"
    country: str = ""
    me: str = ""
    participants: list[str] = field(default_factory=list)


def verdict_level(risk: float, flagged: bool) -> str:
    """Four words for a person: high, medium (flagged), caution (some signs), low."""
    if flagged and risk >= 0.8:
        return "high"
    if flagged:
        return "medium"
    if risk >= 0.2:
        return "caution"
    return "low"


def segments(text: str, spans: list[tuple[int, int, int]]) -> list[Segment]:
    """Cut `text` at every span boundary; each piece knows which flags cover it.

    Spans may overlap (two rules on the same words); a piece covered by several lists them
    all. Offsets outside the text are clipped, so a bad span can never raise."""
    n = len(text)
    clean = [(max(0, s), min(n, e), f) for s, e, f in spans if 0 <= s < e]
    cuts = sorted({0, n, *(s for s, _, _ in clean), *(e for _, e, _ in clean)})
    out: list[Segment] = []
    for a, b in pairwise(cuts):
        if a >= b:
            continue
        flags = tuple(sorted({f for s, e, f in clean if s <= a and b <= e}))
        if out and out[-1].flags == flags:
            out[-1] = Segment(out[-1].text + text[a:b], flags)
        else:
            out.append(Segment(text[a:b], flags))
    return out


def flags_of(a: Assessment, lang: str) -> tuple[list[Flag], list[tuple[int, int, int]]]:
    """Numbered red flags (the signal's own-language title when the page is in the text's
    language, else the English one) and their spans in the original text."""
    flags: list[Flag] = []
    spans: list[tuple[int, int, int]] = []
    for n, ev in enumerate(a.signals, 1):
        title = ev.title_local if lang == a.language and ev.title_local else ev.title
        quotes = list(dict.fromkeys(s.text for s in ev.spans if s.text.strip()))[:3]
        flags.append(Flag(n, title, quotes, ev.source))
        spans += [(s.start, s.end, n) for s in ev.spans]
    return flags, spans


def seen_counts(
    request: Request, viewer: Viewer, inds: list[Indicator]
) -> dict[tuple[str, str], int]:
    """In how many reports the viewer may see each identifier was seen (one query)."""
    keys = list({i.key for i in inds if i.type != "money"})
    if not keys:
        return {}
    q = (
        select(
            StoredIndicator.type,
            StoredIndicator.normalized,
            func.count(func.distinct(Occurrence.report_id)),
        )
        .join(Occurrence, Occurrence.indicator_id == StoredIndicator.id)
        .join(Report, Report.id == Occurrence.report_id)
        .where(tuple_(StoredIndicator.type, StoredIndicator.normalized).in_(keys), visible(viewer))
        .group_by(StoredIndicator.type, StoredIndicator.normalized)
    )
    with request.app.state.sessions() as s:
        return {(t, n): c for t, n, c in s.execute(q).all()}


def _looks_like_chat(text: str, kind: Kind, uploaded: bool) -> bool:
    if kind == "chat" or uploaded:
        return True
    if kind != "auto":
        return False
    stripped = text.lstrip()
    if stripped.startswith("{") and '"messages"' in stripped[:5000]:
        return True
    lines = text.splitlines()[:400]
    fmt = sniff(lines)
    if fmt in ("whatsapp", "line"):
        return True
    if fmt == "plain":  # `Name: text` lines are a chat only when one of them is "me"
        names = {ln.split(":", 1)[0].strip().casefold() for ln in lines if ":" in ln}
        return bool(names & SELF_NAMES)
    return False


def text_field(form: FormData, name: str) -> str:
    """A text field of the form ("" when missing, or when a file was sent under its name)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def read_check_form(form: FormData) -> tuple[CheckInput, bool]:
    """The fields of the check form; (input, whether a file was uploaded)."""
    raw_kind = text_field(form, "kind") or "auto"
    kind: Kind = raw_kind if raw_kind in KINDS else "auto"
    country = text_field(form, "country").upper()
    inp = CheckInput(
        text=text_field(form, "text"),
        kind=kind,
        country=country if country in COUNTRIES else "",
        me=text_field(form, "me")[:200],
    )
    upload = form.get("chat_file")
    uploaded = False
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise WebError(413, "error_too_large", mb=MAX_UPLOAD_BYTES >> 20)
        if data.strip():
            try:
                inp.text = decode(data, upload.filename[:100])
            except ConversationError:
                raise WebError(400, "error_bad_file") from None
            uploaded = True
    return inp, uploaded


@dataclass
class TimelineTurn:
    index: int
    mine: bool
    name: str
    text: str
    stage: str | None
    risk: float
    alert: bool
    signals: list[str]


def timeline(
    conv_text: list[tuple[bool, str, str]], ca: ConversationAssessment
) -> list[TimelineTurn]:
    out: list[TimelineTurn] = []
    for (mine, name, text), turn in zip(conv_text, ca.turns, strict=False):
        out.append(
            TimelineTurn(
                index=turn.index + 1,
                mine=mine,
                name=name,
                text=text,
                stage=turn.stage,
                risk=turn.risk,
                alert=turn.alert,
                signals=list(dict.fromkeys(s.title for s in turn.signals)),
            )
        )
    return out


def check_page(request: Request, context: dict[str, Any], status_code: int = 200) -> Response:
    base = {
        "inp": CheckInput(),
        "kinds": KINDS,
        "countries": COUNTRIES,
        "result": None,
        "error": None,
        "urgent_advice": None,
        "max_chars": MAX_TEXT_CHARS,
    }
    base.update(context)
    return render(request, "public/check.html", base, status_code=status_code)


def _advice(category: str, lang: str, country: str, fallback: Advice) -> Advice:
    """Advice in the page's language (the screening gave it in the text's language)."""
    try:
        return advice_for(category, lang, country or None)
    except (KeyError, ValueError):
        return fallback


def check_text(request: Request, inp: CheckInput, lang: str) -> dict[str, Any]:
    kind = inp.kind if inp.kind in ("job_ad", "message") else "auto"
    a = lurewatch.screen(inp.text, kind, region=inp.country or None)
    flags, spans = flags_of(a, lang)
    viewer = current_viewer(request)
    seen = seen_counts(request, viewer, a.indicators) if viewer and viewer.can("lookup") else None
    return {
        "type": "text",
        "risk": a.risk,
        "risk_pct": round(a.risk * 100),
        "flagged": a.flagged,
        "level": verdict_level(a.risk, a.flagged),
        "category": a.category,
        "language": a.language,
        "flags": flags,
        "segments": segments(inp.text, spans),
        "indicators": [i for i in a.indicators],
        "seen": seen,
        "explanation": a.explanation,
        "advice": _advice(a.category, lang, inp.country, a.advice),
    }


def check_chat(inp: CheckInput, lang: str) -> dict[str, Any]:
    conv = parse_conversation(inp.text, me=inp.me or None)
    ca = track(conv, region=inp.country or None)
    turns = [(m.sender == "me", m.name or m.sender, m.text) for m in conv.messages]
    return {
        "type": "chat",
        "risk": ca.risk,
        "risk_pct": round(ca.risk * 100),
        "flagged": ca.flagged,
        "level": verdict_level(ca.risk, ca.flagged),
        "category": ca.category,
        "language": ca.language,
        "timeline": timeline(turns, ca),
        "alert_turn": None if ca.alert_turn is None else ca.alert_turn + 1,
        "stages": ca.stages,
        "explanation": ca.explanation,
        "advice": _advice(ca.category, lang, inp.country, ca.advice),
        "messages": len(conv.messages),
    }


def urgent_advice(text: str, lang: str, country: str) -> Advice | None:
    """Emergency guidance when the text says someone is held (passport taken, cannot leave,
    violence, ransom): a family member pasting a son's message needs that before any verdict."""
    if not triage(text).urgent:
        return None
    return advice_for("trafficking_lure", lang, country or None, urgent=True)


async def check_post(request: Request, form: FormData) -> Response:
    inp, uploaded = await read_check_form(form)
    lang = i18n.choose(request)
    if not inp.text.strip():
        return check_page(request, {"inp": inp, "error": "check_empty"}, 400)
    chat = _looks_like_chat(inp.text, inp.kind, uploaded)
    limit = MAX_CHAT_CHARS if chat else MAX_TEXT_CHARS
    if len(inp.text) > limit:
        raise WebError(413, "error_text_too_long", chars=f"{limit:,}")
    urgent = urgent_advice(inp.text, lang, inp.country)
    if chat:
        try:
            result = check_chat(inp, lang)
        except UnknownParticipantError as exc:
            inp.participants = list(exc.participants)[:20]
            return check_page(request, {"inp": inp, "error": "check_who_are_you"}, 200)
        except ConversationError as exc:
            if inp.kind == "chat" or uploaded:
                return check_page(
                    request, {"inp": inp, "error": "check_bad_chat", "detail": str(exc)[:300]}, 400
                )
            result = check_text(request, inp, lang)
    else:
        result = check_text(request, inp, lang)
    return check_page(request, {"inp": inp, "result": result, "urgent_advice": urgent})

"""`/report`: tell the hotline about a lure or a scam, and get a reference number.

The form takes the text (or a chat export), the country, who is reporting, and - only with
consent - a way to contact the reporter. It goes through the store's intake (`ReportIn`,
`stage_many`): the same validation, triage, screening and indicator indexing as the API, in one
transaction. Names and contacts go to the report's personal data (only an admin of the
receiving organisation may read them; they are never indexed as identifiers).

An urgent report - triage finds someone held (passport taken, cannot leave, violence, ransom),
or the reporter ticks "someone is held now" - answers with emergency guidance first: what to do
now and the emergency and anti-trafficking lines of the country.

Reports go to the organisation named by `LUREWATCH_WEB_REPORT_ORG` (default "public"),
marked shared (`LUREWATCH_WEB_REPORT_SHARED`, default on) so the analysts on this instance see
them; personal data stays with the receiving organisation whatever that setting.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from lurewatch.advice import advice_for
from lurewatch.conversation import ConversationError, UnknownParticipantError, parse_conversation
from lurewatch.conversation.importers import decode
from lurewatch.store.access import Viewer
from lurewatch.store.intake import (
    MAX_ITEMS,
    MAX_MESSAGES,
    MAX_TEXT_CHARS,
    ItemIn,
    Message,
    Person,
    ReportIn,
)
from lurewatch.store.keys import get_or_create_org
from lurewatch.store.repository import IngestResult, stage_many
from lurewatch.store.schema import Report
from lurewatch.web import i18n
from lurewatch.web.public_check import COUNTRIES, MAX_UPLOAD_BYTES
from lurewatch.web.render import render
from lurewatch.web.security import WebError

ENV_ORG = "LUREWATCH_WEB_REPORT_ORG"
ENV_SHARED = "LUREWATCH_WEB_REPORT_SHARED"
SOURCE = "web form"
HELD_CUE = {"kind": "reporter_said_held"}
"""Urgency evidence added when the reporter ticks "someone is held now" (no text span)."""

ReportKind = Literal["job_ad", "message", "chat"]
REPORT_KINDS: tuple[ReportKind, ...] = ("job_ad", "message", "chat")
WHO: tuple[str, ...] = ("self", "family", "ngo", "other")
CHANNELS: tuple[str, ...] = (
    "facebook", "telegram", "whatsapp", "line", "wechat", "zalo", "viber", "tiktok",
    "instagram", "sms", "email", "job_board", "other",
)  # fmt: skip


class ChatTooLongError(ValueError):
    """More messages than one report holds (`MAX_ITEMS` parts of `MAX_MESSAGES`)."""


@dataclass
class ReportForm:
    text: str = ""
    kind: ReportKind = "job_ad"
    country: str = ""
    channel: str = ""
    who: str = "self"
    held: bool = False
    consent: bool = False
    name: str = ""
    contact: str = ""
    victim: str = ""
    me: str = ""
    chat_text: str = ""
    participants: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def _field(form: FormData, name: str, limit: int) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _choice(value: str, allowed: tuple[str, ...], default: str) -> str:
    return value if value in allowed else default


async def read_report_form(form: FormData) -> ReportForm:
    raw_kind = _field(form, "kind", 20)
    kind: ReportKind = raw_kind if raw_kind in REPORT_KINDS else "job_ad"
    text = form.get("text")
    rf = ReportForm(
        text=text if isinstance(text, str) else "",
        kind=kind,
        country=_choice(_field(form, "country", 2).upper(), COUNTRIES, ""),
        channel=_choice(_field(form, "channel", 30), CHANNELS, ""),
        who=_choice(_field(form, "who", 20), WHO, "other"),
        held=form.get("held") == "yes",
        consent=form.get("consent") == "yes",
        name=_field(form, "name", 200),
        contact=_field(form, "contact", 200),
        victim=_field(form, "victim", 200),
        me=_field(form, "me", 200),
    )
    chat = form.get("chat_text")
    rf.chat_text = chat if isinstance(chat, str) else ""
    upload = form.get("chat_file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise WebError(413, "error_too_large", mb=MAX_UPLOAD_BYTES >> 20)
        if data.strip():
            try:
                rf.chat_text = decode(data, upload.filename[:100])
            except ConversationError:
                raise WebError(400, "error_bad_file") from None
    if len(rf.text) > MAX_TEXT_CHARS:
        raise WebError(413, "error_text_too_long", chars=f"{MAX_TEXT_CHARS:,}")
    return rf


def _messages(rf: ReportForm) -> list[list[Message]] | None:
    """The uploaded chat as messages ("me" for the reporter, the display name for others), in
    parts of at most `MAX_MESSAGES` (a store item's limit), so a long export is kept whole;
    UnknownParticipantError when we must ask which name is the reporter."""
    if not rf.chat_text.strip():
        return None
    conv = parse_conversation(rf.chat_text, me=rf.me or None)
    messages = [
        Message(text=m.text, sender="me" if m.sender == "me" else (m.name or "them")[:200])
        for m in conv.messages
    ]
    return [messages[i : i + MAX_MESSAGES] for i in range(0, len(messages), MAX_MESSAGES)]


def build_report(rf: ReportForm) -> ReportIn:
    """The form as a `ReportIn` (ValueError / ValidationError when it is not a report)."""
    messages = _messages(rf)
    text = rf.text if rf.text.strip() else None
    if text is None and messages is None:
        raise ValueError("empty")
    text_kind = "job_ad" if rf.kind == "job_ad" else "message"
    items: list[ItemIn] = []
    if text is not None:
        items.append(ItemIn(kind=text_kind, channel=rf.channel or None, text=text))
    for part in messages or []:
        items.append(ItemIn(kind="conversation", channel=rf.channel or None, messages=part))
    if len(items) > MAX_ITEMS:
        raise ChatTooLongError(len(items))
    reporter = None
    if rf.consent and (rf.name or rf.contact):
        reporter = Person(name=rf.name or None, contact=rf.contact or None)
    return ReportIn(
        items=items,
        country=rf.country or None,
        source=SOURCE,
        reporter_type=rf.who,
        consent_contact=rf.consent and bool(rf.contact),
        shared=os.environ.get(ENV_SHARED, "1").lower() not in ("0", "false", "no"),
        reporter=reporter,
        victims=[Person(name=rf.victim)] if rf.victim else [],
    )


def web_viewer(request: Request) -> Viewer:
    """The organisation public reports are filed under (created on first use)."""
    name = os.environ.get(ENV_ORG, "public")[:200] or "public"
    cached: dict[str, int] = request.app.state.__dict__.setdefault("web_report_orgs", {})
    if name not in cached:
        with request.app.state.sessions() as s:
            org = get_or_create_org(s, name)
            s.commit()
            cached[name] = org.id
    return Viewer(org_id=cached[name], role="reporter")


def store_report(request: Request, rin: ReportIn, held: bool) -> IngestResult:
    """Ingest in one transaction; a ticked "someone is held" marks the report urgent in the
    same transaction (so it is never stored without its urgency). A duplicate still adds its
    reporter's contact and its victims to the report it duplicates (in `stage_many`). A
    concurrent identical submission that wins the race makes this one a duplicate on the
    retry."""
    viewer = web_viewer(request)
    for attempt in range(2):
        with request.app.state.sessions() as s:
            try:
                result = stage_many(s, viewer, [rin])[0]
                report = s.scalar(select(Report).where(Report.uid == result.uid))
                assert report is not None
                if held and not report.urgent:
                    report.urgent = True
                    report.urgency = [*(report.urgency or []), dict(HELD_CUE)]
                result = IngestResult(result.status, result.uid, bool(report.urgent))
                s.commit()
                return result
            except IntegrityError:
                s.rollback()
                if attempt:
                    raise
    raise AssertionError("unreachable")


def report_page(request: Request, rf: ReportForm | None = None, status_code: int = 200) -> Response:
    ctx: dict[str, Any] = {
        "rf": rf or ReportForm(),
        "kinds": REPORT_KINDS,
        "countries": COUNTRIES,
        "channels": CHANNELS,
        "who_options": WHO,
        "max_chars": MAX_TEXT_CHARS,
    }
    return render(request, "public/report.html", ctx, status_code=status_code)


async def report_post(request: Request, form: FormData) -> Response:
    rf = await read_report_form(form)
    try:
        rin = build_report(rf)
    except UnknownParticipantError as exc:
        rf.participants = list(exc.participants)[:20]
        rf.errors["chat"] = "check_who_are_you"
        return report_page(request, rf, 200)
    except ConversationError:
        rf.errors["chat"] = "check_bad_chat"
        return report_page(request, rf, 400)
    except ChatTooLongError:
        rf.errors["chat"] = "report_chat_too_long"
        return report_page(request, rf, 413)
    except ValidationError:  # e.g. one chat message longer than a stored text may be
        rf.errors["chat" if rf.chat_text.strip() else "text"] = (
            "check_bad_chat" if rf.chat_text.strip() else "error_bad_form"
        )
        return report_page(request, rf, 400)
    except ValueError:
        rf.errors["text"] = "report_empty"
        return report_page(request, rf, 400)
    result = store_report(request, rin, rf.held)
    lang = i18n.choose(request)
    urgent_advice = advice_for("trafficking_lure", lang, rf.country or None, urgent=True)
    return render(
        request,
        "public/report_done.html",
        {
            "result": result,
            "urgent": result.urgent,
            "urgent_advice": urgent_advice if result.urgent else None,
            "consent": rin.consent_contact,
        },
        status_code=201 if result.status == "stored" else 200,
    )

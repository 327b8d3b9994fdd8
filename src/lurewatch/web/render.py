"""Rendering pages: one Jinja2 environment (autoescape on, undefined names are errors) and
`render()`, which gives every template the same context.

Every template gets: `request`, `t` (the translator for the chosen language), `lang`,
`languages` (code, own name), `lang_url(code)`, `csrf_field()` (the hidden input every form
carries), `viewer` (the logged-in analyst or None) and `static(path)`.
Autoescaping is on for every template, so text from users (reports, chats, identifiers) is
always escaped; nothing in the templates marks user text `|safe`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from lurewatch.web import i18n
from lurewatch.web.security import CSRF_FIELD, csrf_token, current_viewer

env = Environment(
    loader=PackageLoader("lurewatch.web", "templates"),
    autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def static(path: str) -> str:
    return "/static/" + path.lstrip("/")


env.globals["static"] = static


def lang_url(request: Request, code: str) -> str:
    """This page in another language (GET; a POSTed result page goes back to its form)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + "?" + urlencode([*params, ("lang", code)])


def base_context(request: Request, *, with_session: bool = True) -> dict[str, Any]:
    lang = getattr(request.state, "lang", None) or i18n.choose(request)
    t = i18n.Translator(lang)

    def csrf_field() -> Markup:
        token = csrf_token(request)
        return Markup('<input type="hidden" name="{}" value="{}">').format(
            CSRF_FIELD, escape(token)
        )

    return {
        "request": request,
        "t": t,
        "lang": lang,
        "languages": i18n.language_names(),
        "lang_url": lambda code: lang_url(request, code),
        "csrf_field": csrf_field,
        "viewer": current_viewer(request) if with_session else None,
        "country_name": lambda code: i18n.country_name(code, lang),
    }


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    with_session: bool = True,
) -> HTMLResponse:
    """The page `name` (a path under web/templates) rendered for `request`."""
    ctx = base_context(request, with_session=with_session)
    if context:
        ctx.update(context)
    html = env.get_template(name).render(ctx)
    return HTMLResponse(html, status_code=status_code, headers=headers)

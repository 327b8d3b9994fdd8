"""Interface languages: which one a request gets, and the strings of the pages in it.

The pages speak 8 languages (the people who check an offer or report a lure read Thai,
Vietnamese, Indonesian, Filipino, Chinese, Burmese and Khmer as often as English). The choice is
`?lang=` (remembered in a cookie), else the `lw_lang` cookie, else the browser's
`Accept-Language` (negotiated by Babel), else English.

Strings live in one YAML file per language under `web/locales/` (a flat key -> text map, the
same way the advice catalogs are kept; an area of pages may add `locales/<area>/{lang}.yaml`):
short and plain, written for a frightened reader rather than for a lawyer. A key missing from a
catalog falls back to English, and a test checks that every catalog has every English key with
the same `{placeholders}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from babel.core import Locale, UnknownLocaleError, negotiate_locale
from starlette.requests import Request

LANGUAGES: tuple[str, ...] = ("en", "th", "vi", "id", "tl", "zh", "my", "km")
DEFAULT = "en"
COOKIE = "lw_lang"
ALIASES = {"fil": "tl", "zh-hans": "zh", "zh-cn": "zh", "zh-sg": "zh", "bur": "my", "mya": "my"}
"""Language tags browsers send for our languages under another name (Filipino is `fil`)."""

MAX_HEADER = 1000
"""Accept-Language is read up to this many characters: a hostile header costs nothing."""


def _read(path: Any) -> dict[str, str]:
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path.name} is not a mapping")
    return {str(k): str(v) for k, v in data.items()}


@cache
def catalog(lang: str) -> dict[str, str]:
    """The strings of `lang` (English for an unknown language).

    `locales/{lang}.yaml` holds the shared and public strings; each area of pages may keep
    its own strings in `locales/<area>/{lang}.yaml` (e.g. `locales/analyst/`), merged in. A key
    defined twice is an error, so two areas never silently overwrite each other."""
    if lang not in LANGUAGES:
        lang = DEFAULT
    root = resources.files("lurewatch.web").joinpath("locales")
    merged = _read(root.joinpath(f"{lang}.yaml"))
    for area in sorted(root.iterdir(), key=lambda p: p.name):
        part = area.joinpath(f"{lang}.yaml")
        if not area.is_dir() or not part.is_file():
            continue
        extra = _read(part)
        clash = sorted(set(extra) & set(merged))
        if clash:
            raise ValueError(f"locales/{area.name}/{lang}.yaml redefines {clash[:5]}")
        merged.update(extra)
    return merged


def _canonical(tag: str) -> str | None:
    tag = tag.strip().lower().replace("_", "-")
    if not tag or len(tag) > 35:
        return None
    if tag in ALIASES:
        return ALIASES[tag]
    base = tag.split("-", 1)[0]
    if base in ALIASES:
        return ALIASES[base]
    if tag in LANGUAGES:
        return tag
    return tag if base in LANGUAGES else None


def parse_accept_language(header: str) -> list[str]:
    """Language tags of an Accept-Language header, most preferred first (q=0 dropped).

    Written here: Starlette has no parser for it and Babel negotiates among tags but does not
    read the header; these few lines are the q-value sort."""
    weighted: list[tuple[float, int, str]] = []
    for n, part in enumerate(header[:MAX_HEADER].split(",")):
        tag, _, params = part.partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                continue
        canon = _canonical(tag)
        if canon and 0.0 < q <= 1.0:
            weighted.append((-q, n, canon))
    return [tag for _, _, tag in sorted(weighted)]


def from_accept_language(header: str) -> str:
    """The best of our languages for an Accept-Language header (English when none fits)."""
    preferred = parse_accept_language(header)
    found = negotiate_locale(preferred, list(LANGUAGES), sep="-") if preferred else None
    return found if found in LANGUAGES else DEFAULT


def choose(request: Request) -> str:
    """The interface language for this request: ?lang=, cookie, Accept-Language, English."""
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(COOKIE, "")
    if cookie in LANGUAGES:
        return cookie
    return from_accept_language(request.headers.get("accept-language", ""))


@dataclass(frozen=True)
class Translator:
    """`t("key", n=3)`: the text of `key` in `lang` with its placeholders filled."""

    lang: str

    def __call__(self, key: str, /, **values: Any) -> str:
        text = catalog(self.lang).get(key)
        if text is None:
            text = catalog(DEFAULT).get(key, key)
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in catalog(self.lang) or key in catalog(DEFAULT)

    @property
    def name(self) -> str:
        """The language's own name for itself (for the switcher)."""
        return catalog(self.lang).get("language_name", self.lang)


@cache
def country_name(code: str, lang: str) -> str:
    """A country's name in `lang` (Babel's CLDR data; the code itself if unknown)."""
    try:
        names = Locale.parse(lang).territories
    except (ValueError, UnknownLocaleError):
        return code
    return str(names.get(code.upper(), code))


def language_names() -> list[tuple[str, str]]:
    """(code, own name) of every interface language, in the switcher's order."""
    return [(code, Translator(code).name) for code in LANGUAGES]

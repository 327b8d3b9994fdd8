"""Messaging and social accounts named by a link: `t.me/x`, `wa.me/66...`, `line.me/ti/p/~x`.

The link itself is found once, by the URL scanner (`web_scan`), so links glued to Thai or
Chinese text end in the same place for both families; here we only read host and path.

Representation of invites and opaque codes (decided here, used by the fixtures):
- A user or channel name is the bare id, lower-cased where the platform ignores case
  (Telegram, Instagram, TikTok, X, Facebook names, LINE ids). LINE official accounts keep their
  `@` ("@shop123") because they are a separate namespace from personal ids.
- Group invites and opaque share codes are case-sensitive and name no person; they are kept
  as the canonical link without scheme: `t.me/+AbC` (also for `t.me/joinchat/AbC` and
  `tg://join?invite=AbC`), `chat.whatsapp.com/AbC`, `lin.ee/AbC`, `line.me/ti/g/AbC`,
  `zalo.me/g/abc`, `open.kakao.com/o/AbC`. They can never collide with a name, which has no `/`.
- Phone-based links (`wa.me/<digits>`, `api.whatsapp.com/send?phone=`, `zalo.me/<digits>`) give
  E.164 (see `handle_phone`).
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

from lurewatch.indicators.handle_phone import phone_id


class LinkHandle(NamedTuple):
    platform: str
    normalized: str
    valid: bool


TELEGRAM_NAME = re.compile(r"[A-Za-z](?:[A-Za-z0-9]|_(?!_)){3,30}[A-Za-z0-9]")
_TG_RESERVED = frozenset({"share", "addstickers", "addemoji", "proxy", "socks", "iv", "c", "s"})
_SOCIAL_NAME = re.compile(r"[A-Za-z0-9._]{1,50}")
_SOCIAL_RESERVED = frozenset(
    {
        "share", "sharer", "sharer.php", "login", "watch", "events", "help", "home", "explore",
        "p", "reel", "reels", "tv", "stories", "i", "intent", "search", "hashtag", "policies",
        "privacy", "settings", "messages", "notifications", "video", "tag", "dialog",
    }
)  # fmt: skip


def _segments(path: str) -> list[str]:
    return [unquote(s) for s in urlsplit(path).path.split("/") if s]


def _query(path: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(path).query)


def telegram_name(name: str) -> LinkHandle:
    """A Telegram username: 5-32 of [A-Za-z0-9_], starts with a letter, no `__`, no `_` end."""
    return LinkHandle("telegram", name.lower(), bool(TELEGRAM_NAME.fullmatch(name)))


def _telegram(segs: list[str], path: str) -> LinkHandle | None:
    if not segs:
        return None
    head = segs[0]
    if head.startswith("+") and len(head) > 1:
        return LinkHandle("telegram", f"t.me/{head}", True)
    if head == "joinchat" and len(segs) > 1:
        return LinkHandle("telegram", f"t.me/+{segs[1]}", True)
    if head == "s" and len(segs) > 1:
        head = segs[1]
    elif head.lower() in _TG_RESERVED:
        return None
    return telegram_name(head)


def _whatsapp(host: str, segs: list[str], path: str, region: str | None) -> LinkHandle | None:
    if host == "chat.whatsapp.com":
        return LinkHandle("whatsapp", f"chat.whatsapp.com/{segs[0]}", True) if segs else None
    if host == "wa.me":
        if not segs or segs[0] == "message":
            return None
        number = "+" + segs[0] if segs[0].isdigit() else segs[0]
    else:
        phones = _query(path).get("phone")
        if not segs or segs[0] != "send" or not phones:
            return None
        number = phones[0].strip()
        number = number if number.startswith("+") else "+" + number
    norm, valid = phone_id(number, region)
    return LinkHandle("whatsapp", norm, valid)


def _line(host: str, segs: list[str]) -> LinkHandle | None:
    if host == "lin.ee":
        return LinkHandle("line", f"lin.ee/{segs[0]}", True) if segs else None
    if segs[:1] == ["R"]:
        segs = segs[1:]
    if len(segs) < 3 or segs[0] != "ti":
        return None
    kind, code = segs[1], segs[2]
    if kind == "g" or kind == "g2":
        return LinkHandle("line", f"line.me/ti/{kind}/{code}", True)
    if kind != "p":
        return None
    if code.startswith("~"):
        return LinkHandle("line", code[1:].lower(), len(code) > 1)
    if code.startswith("@"):
        return LinkHandle("line", code.lower(), len(code) > 1)
    return LinkHandle("line", f"line.me/ti/p/{code}", True)


def _social(platform: str, segs: list[str], path: str) -> LinkHandle | None:
    if not segs:
        return None
    head = segs[0]
    if platform == "facebook" and head == "profile.php":
        ids = _query(path).get("id")
        return LinkHandle("facebook", ids[0], ids[0].isdigit()) if ids else None
    if platform == "facebook" and head == "groups" and len(segs) > 1:
        return LinkHandle("facebook", f"groups/{segs[1].lower()}", True)
    if platform == "instagram" and head == "stories" and len(segs) > 1:
        head = segs[1]
    if platform == "tiktok":
        if not head.startswith("@"):
            return None
        head = head[1:]
    if head.lower() in _SOCIAL_RESERVED or not _SOCIAL_NAME.fullmatch(head):
        return None
    return LinkHandle(platform, head.lower(), True)


_SOCIAL_HOSTS = {
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "fb.me": "facebook",
    "instagram.com": "instagram",
    "tiktok.com": "tiktok",
    "x.com": "x",
    "twitter.com": "x",
}


_ACCOUNT_HOSTS = frozenset(
    {
        *("t.me", "telegram.me", "telegram.dog", "wa.me", "chat.whatsapp.com"),
        *("api.whatsapp.com", "web.whatsapp.com", "whatsapp.com", "line.me", "lin.ee"),
        *("zalo.me", "open.kakao.com"),
    }
)
"""Hosts `handle_from_link` reads besides `_SOCIAL_HOSTS` (with or without "www.")."""


def handle_from_link(host: str, path: str, region: str | None) -> LinkHandle | None:
    """The account a link points to, or None for links that name no account."""
    bare = host.removeprefix("www.")
    if bare not in _ACCOUNT_HOSTS and bare.removeprefix("m.") not in _SOCIAL_HOSTS:
        return None  # most links: no path parsing (urlsplit, unquote) for them
    segs = _segments(path)
    if bare in ("t.me", "telegram.me", "telegram.dog"):
        return _telegram(segs, path)
    if bare in ("wa.me", "chat.whatsapp.com", "api.whatsapp.com", "web.whatsapp.com"):
        return _whatsapp(bare, segs, path, region)
    if bare in ("whatsapp.com",):
        return _whatsapp("api.whatsapp.com", segs, path, region)
    if bare in ("line.me", "lin.ee"):
        return _line(bare, segs)
    if bare == "zalo.me" and segs:
        if segs[0] == "g" and len(segs) > 1:
            return LinkHandle("zalo", f"zalo.me/g/{segs[1]}", True)
        if segs[0].isdigit():
            norm, valid = phone_id(segs[0], region or "VN")
            return LinkHandle("zalo", norm, valid)
        return None
    if bare == "open.kakao.com" and len(segs) > 1 and segs[0] == "o":
        return LinkHandle("kakaotalk", f"open.kakao.com/o/{segs[1]}", True)
    platform = _SOCIAL_HOSTS.get(bare.removeprefix("m."))
    if platform is not None:
        return _social(platform, segs, path)
    return None

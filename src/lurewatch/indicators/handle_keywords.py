"""Accounts announced by a platform word: "LINE ID: jobthai88", "微信号 abc_123", "WA 0812...".

The keyword lists cover the 12 languages of the region where the platform is used (English
abbreviations too: WA, TG, VX/WX, IG). English words that are also ordinary words are only
taken with a marker: "line" needs an uppercase LINE or a following "id"/":"/"@", and a value
that follows a keyword with nothing but a space must look like an id (digit, `_`, `.`, `@`, or
a phone number): "Telegram jobthai88" is a handle, "Telegram group" is not.

Value rules per platform (what the platform itself allows):
- WhatsApp, Viber, Zalo: phone numbers only -> E.164 via `handle_phone`.
- Telegram: a username (5-32, starts with a letter) or a phone number.
- LINE: id of 4-20 [a-z0-9._-]; `@` kept for official accounts; digits-only -> phone.
- WeChat: 6-20, starts with a letter, [A-Za-z0-9_-]; or a phone number (a common WeChat id).
- QQ: 5-12 digits, no leading zero.
- KakaoTalk: id of 3-20 [a-z0-9._-], or a phone number.
- Instagram / TikTok / X: `@name`.
All ids are lower-cased (these platforms match ids case-insensitively).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from lurewatch.indicators.handle_links import telegram_name
from lurewatch.indicators.handle_phone import phone_id

_ASCII_KEYWORDS = {
    "telegram": r"telegram|tele|tg",
    "whatsapp": r"whats\s?app|whatsap|watsap|wasap|wa|wsp",
    "line": r"(?-i:LINE)|line(?=[ \t]*(?:id|[:：@]))|id[ \t]*line",
    "wechat": r"we[ \t]?chat|weixin|vx|wx",
    "qq": r"qq",
    "zalo": r"zalo",
    "viber": r"viber",
    "kakaotalk": r"kakao[ \t]?talk|kakao",
    "instagram": r"instagram|insta|ig",
    "tiktok": r"tik[ \t]?tok",
    "x": r"twitter",
}
_NATIVE_KEYWORDS = {
    "telegram": r"เทเลแกรม|เทเล|电报|電報|纸飞机|飞机|飛機|텔레그램|テレグラム|តេឡេក្រាម|ເທເລແກຣມ",
    "whatsapp": (
        r"วอทส์แอพ|วอทสแอพ|วอทส์แอป|วอทแอป|วอทแอพ|瓦次普|왓츠앱|ワッツアップ|វ៉ាត់សាប់|ວັອດແອັບ|ဝက်ဆပ်"
    ),
    "line": r"ไอดีไลน์|ไลน์|ライン|라인|ឡាញ|ໄລນ໌",
    "wechat": r"微信号|微信號|微信|威信|薇信|徽信|[vV]信|위챗|ウィーチャット",
    "qq": r"扣扣",
    "viber": r"ไวเบอร์|ဗိုက်ဘာ|វីប័រ",
    "kakaotalk": r"카카오톡|카톡|카카오|カカオトーク",
    "instagram": r"อินสตาแกรม|ไอจี",
    "tiktok": r"ติ๊กต็อก|抖音",
}


def _group(platform: str) -> str:
    parts = []
    if platform in _ASCII_KEYWORDS:
        parts.append(f"(?<![A-Za-z])(?:{_ASCII_KEYWORDS[platform]})(?![A-Za-z])")
    if platform in _NATIVE_KEYWORDS:
        parts.append(_NATIVE_KEYWORDS[platform])
    return f"(?P<{platform}>{'|'.join(parts)})"


PLATFORMS = tuple(dict.fromkeys([*_ASCII_KEYWORDS, *_NATIVE_KEYWORDS]))
KEYWORD = re.compile("|".join(_group(p) for p in PLATFORMS), re.IGNORECASE)
_MARK = r"(?:id|號|号|账号|帳號|ไอดี|아이디|번호|[:：=＝\-–])"
_VALUE = re.compile(
    rf"[ \t]*(?P<mark>(?:{_MARK}[ \t]*){{0,3}})"
    r"(?P<value>\+?(?:\(\d{1,4}\)[ \-]?)?\d[\d \-.]{5,20}\d|@?[A-Za-z0-9][A-Za-z0-9._\-]{0,40})",
    re.IGNORECASE,
)
_PHONE_LIKE = re.compile(r"\+?\(?\d[\d \-.()]*")
_LINE_ID = re.compile(r"@?[a-z0-9._\-]{4,20}")
_WECHAT_ID = re.compile(r"[a-z][a-z0-9_\-]{5,19}")
_QQ = re.compile(r"[1-9]\d{4,11}")
_KAKAO_ID = re.compile(r"[a-z0-9._\-]{3,20}")
_SOCIAL = re.compile(r"@[a-z0-9._]{1,30}")
_PHONE_ONLY = frozenset({"whatsapp", "viber", "zalo"})
_HOME_REGION = {"zalo": "VN", "wechat": "CN", "qq": "CN", "kakaotalk": "KR"}


class KeywordHandle(NamedTuple):
    start: int
    end: int
    platform: str
    normalized: str
    valid: bool


def _is_phone(value: str) -> bool:
    return bool(_PHONE_LIKE.fullmatch(value)) and sum(c.isdigit() for c in value) >= 7


def _phone(value: str, region: str | None) -> tuple[str, bool]:
    """E.164 of a phone value; when invalid, retry without a trailing digit group that may be
    the next number in the sentence ("+66 81 234 5678 24 hrs")."""
    norm, valid = phone_id(value, region)
    head, sep, _tail = value.rpartition(" ")
    if not valid and sep and sum(c.isdigit() for c in head) >= 7:
        shorter = phone_id(head, region)
        if shorter[1]:
            return shorter
    return norm, valid


def read_value(
    platform: str, value: str, region: str | None, *, marked: bool
) -> tuple[str, bool] | None:
    """(normalized, valid) for `value` given after a `platform` word, or None if no id."""
    if _is_phone(value):
        if platform in ("qq", "instagram", "tiktok", "x"):
            digits = "".join(c for c in value if c.isdigit())
            return (digits, True) if platform == "qq" and _QQ.fullmatch(digits) else None
        return _phone(value, region or _HOME_REGION.get(platform))
    if platform in _PHONE_ONLY:
        return None
    if not marked and not value.startswith("@") and not re.search(r"[\d_.]", value):
        return None
    low = value.lower()
    if platform == "telegram":
        tg = telegram_name(value.removeprefix("@"))
        return tg.normalized, tg.valid
    if platform == "line":
        return (low, True) if _LINE_ID.fullmatch(low) else None
    if platform == "wechat":
        return (low, True) if _WECHAT_ID.fullmatch(low) else None
    if platform == "qq":
        return (value, True) if _QQ.fullmatch(value) else None
    if platform == "kakaotalk":
        return (low, True) if _KAKAO_ID.fullmatch(low.removeprefix("@")) else None
    return (low[1:], True) if _SOCIAL.fullmatch(low) else None


def keyword_handles(text: str, region: str | None) -> Iterator[KeywordHandle]:
    """Handles announced by a platform keyword, with spans of the value only."""
    for m in KEYWORD.finditer(text):
        platform = m.lastgroup
        if platform is None:
            continue
        v = _VALUE.match(text, m.end())
        if v is None:
            continue
        value = v.group("value").rstrip(".- ")
        got = read_value(platform, value, region, marked=bool(v.group("mark").strip()))
        if got is not None:
            start = v.start("value")
            yield KeywordHandle(start, start + len(value), platform, got[0], got[1])

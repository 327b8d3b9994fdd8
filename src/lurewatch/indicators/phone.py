"""Phone numbers: one E.164 key per number however it was written.

Finding is ours, judging is `phonenumbers`'. A linear-time regex picks runs of digits with the
separators people use (spaces, dashes, dots, brackets; normalization has already folded
full-width, native and spelled digits to ASCII), and only those runs go to `phonenumbers`, whose
parsing and validity metadata no hand-written table could match. `PhoneNumberMatcher` was not
used: it needs one region up front and cannot tell us which nearby words decide a reading.

When a number is reported
* valid under its region (explicit `+`/`00` country code; else the caller's region, else in
  turn the region of the text's language, of country codes written elsewhere in the text, and
  of countries/cities named in it): always, `valid: true`;
* written with `+`/`00` but failing validation: always, `valid: false` (never drop a `+`);
* national format, invalid or unresolved: only when a phone word ("call", "WhatsApp", "โทร",
  "电话" ...) precedes it, with `valid: false`. An unresolved number (no region, or several
  regions accept it) keeps its digits as written in `normalized` and has no `region`;
* national format right after a QQ label or a WeChat/LINE *ID* label ("QQ: 2847561930",
  "扣扣 ...", "LINE ID: ...": the handle family reports it with its platform): never;
* national format after an "order / tracking / OTP / ID card" word, shaped like a date,
  a year range or an IP address, or a round number ending in five zeros: never;
* national format with no region hint at all is never guessed (trying the region's 14
  countries mislabels foreign numbers: a Nigerian "080..." is a valid Japanese number): it
  is reported unresolved, after a phone word only.
Money amounts and bank accounts over the same digits win in the registry's overlap policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType

from lurewatch.indicators import phone_context as pc
from lurewatch.indicators.base import Context
from lurewatch.models import Indicator

# One character per step and a space only when a digit or bracket follows: no two ways to match
# the same text, so the scan is linear. Starting on a digit lets `re` skip ahead fast; a leading
# "+", "(" or "(+" is picked up by looking back (see `_lead`). At least MIN_DIGITS characters:
# shorter runs ("2-3", "5000", most numbers) can hold no phone number and are now passed over
# inside `re` instead of one Python loop turn each; a retry inside a short run is shorter still,
# so it finds nothing either, and each retry reads at most MIN_DIGITS characters: still linear.
_CANDIDATE = re.compile(r"\d(?:[\d().\-]| (?=[\d(])){6,}")
CANDIDATE_GATE = r"\d[\d().\- ]{6}"
"""`_CANDIDATE` without its look-ahead (a superset): the `anchors` pass runs this family only
where it occurs."""
_LEAD = re.compile(r"(?:\(?\+ ?|\()$")
_BAD_BEFORE = re.compile(r"[0-9A-Za-z_/=@#$*]")  # "*" opens USSD codes: *900*3704#
_TRAILING = re.compile(r"[^\d]+$")
_AFTER_BAD = re.compile(r"[A-Za-z0-9_%]")
_SEGMENT = re.compile(r"\S+")
_NON_DIGITS = re.compile(r"\D")

Fields = dict[str, object]

MIN_DIGITS = 7
MAX_DIGITS = 15
MAX_SEGMENTS = 6
"""A run longer than this many space-separated groups is read as several numbers."""
MAX_RUN = 160
"""A digit run longer than this (a table, a key, a flood) is no list of phone numbers: skipped,
which also bounds the phonenumbers calls hostile input can cause."""

_TYPE_NAMES: dict[int, str] = {
    v: k.lower() for k, v in vars(PhoneNumberType).items() if k.isupper() and isinstance(v, int)
}


# "+" or a "00" with no digit before it. The look-behind sits after the first "0" (it checks
# the character before that "0"): with both branches opening on a literal, `re` skips to the
# next "+" or "0" in C instead of trying the look-behind at every character (~3x faster on a
# job ad; tests/indicators/test_phone.py compares it with the plain spelling).
_DIAL_CODE = re.compile(r"(?:\+|0(?<!\d0)0) ?(\d{1,3})")


def _dial_code_mentions(text: str) -> list[tuple[int, str]]:
    """(position, region) of the country codes written in the text ("+855 12 ...")."""
    out: list[tuple[int, str]] = []
    for m in _DIAL_CODE.finditer(text, 0, 4000):
        code = m.group(1)
        # Country codes are prefix-free: the first known prefix is the code.
        for k in range(1, len(code) + 1):
            region = phonenumbers.region_code_for_country_code(int(code[:k]))
            if region != "ZZ":
                out.append((m.start(), region))
                break
    return out


class _Regions:
    """Default regions for national-format numbers, worked out once per text and only if needed.

    The caller's region alone when given; otherwise the region of the text's language, then
    the regions of dial codes and country words in the text: those before the number first,
    nearest first ("Singapore hotline 9123 4567, HK desk +852 ..." is a Singapore number).

    The language is only detected when it changes the reading: for Latin-script text that
    takes the n-gram model (~0.5 ms on a busy machine), so each language it could answer is
    tried first, cheaply, and when all of them read the number alike the model is not run.
    """

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._mentions: list[tuple[int, str]] | None = None

    def get(self, at: int, raw: str, digits: str, fallback: bool) -> list[str]:
        """Regions to try, in order, for the national number `raw` at `at`; `fallback` says
        whether the first region is used even when the number is valid in none."""
        if self._ctx.region:
            return [self._ctx.region]
        mentions = self._near(at)
        if not fallback and not self._ctx.nt.language_known and not _readable(digits, mentions):
            # No region the language or the text could name reads the number, and without a
            # fallback reading `_read` then finds nothing in any order: the language (script
            # counts, maybe the n-gram model) is not worth asking. Chinese job ads' salary
            # ranges ("5000-8000") are most such candidates.
            return mentions
        options = list(dict.fromkeys(_lang_region(x) for x in self._ctx.nt.language_options()))
        lang = options[0]
        if len(options) > 1 and _readings_differ(raw, digits, options, mentions, fallback):
            lang = _lang_region(self._ctx.nt.language)
        return _hinted(lang, mentions)

    def _near(self, at: int) -> list[str]:
        if self._mentions is None:
            text = self._ctx.text
            self._mentions = _dial_code_mentions(text) + pc.country_mentions(text)
        ordered = sorted(self._mentions, key=lambda m: (m[0] > at, abs(m[0] - at)))
        return list(dict.fromkeys(cc for _pos, cc in ordered))


def _readings_differ(
    raw: str, digits: str, options: list[str | None], mentions: list[str], fallback: bool
) -> bool:
    """Whether the language regions in `options` read the number differently. Stops at the
    first reading unlike the first one: the rest would not change the answer, and each costs
    a phonenumbers parse on a number's first sight (~40 µs)."""
    first = _outcome(raw, digits, _hinted(options[0], mentions), fallback)
    return any(_outcome(raw, digits, _hinted(o, mentions), fallback) != first for o in options[1:])


_LANGUAGE_REGIONS = tuple(sorted(set(pc.LANGUAGE_REGION.values())))
"""Every region a text's language can name (`_lang_region`, None aside)."""


def _readable(digits: str, mentions: list[str]) -> bool:
    """Whether some region among the language regions and `mentions` may read `digits` as a
    national number (`_could_be_national`)."""
    return any(_could_be_national(digits, r) for r in (*_LANGUAGE_REGIONS, *mentions))


def _lang_region(lang: str) -> str | None:
    return pc.LANGUAGE_REGION.get(lang)


def _hinted(lang: str | None, mentions: list[str]) -> list[str]:
    return ([lang] if lang else []) + [m for m in mentions if m != lang]


def _could_be_national(digits: str, region: str) -> bool:
    """False only when `_national(raw, digits, region)` must be None, without a phonenumbers
    parse (~40-100 µs on a number's first sight; Chinese job ads hold salary ranges such as
    "5000-8000" that are tried as Chinese numbers and never pass).

    `_national_ok` accepts a valid number only when the region has no trunk prefix, or the
    digits start with the trunk prefix, or with the country code of the number read, or (in
    China) when it is a mobile number. The country code read is the region's own, whose
    digits the string then starts with, unless phonenumbers stripped an international prefix
    first, which it does only where the region's `international_prefix` matches at the start
    of the digits: both are tested here. A Chinese mobile number read without those starts
    with "1" (the mobile pattern; trunk prefixes for parsing are "0" or carrier codes
    "1..."), so in China a string starting with "1" is left to phonenumbers too.
    tests/indicators/test_phone.py checks those metadata facts and compares with `_national`.
    """
    rule = _national_rule(region)
    if rule is None:
        return True
    starts, idd = rule
    return digits.startswith(starts) or (idd is not None and idd.match(digits) is not None)


@lru_cache(maxsize=512)
def _national_rule(region: str) -> tuple[tuple[str, ...], re.Pattern[str] | None] | None:
    """What `_could_be_national` asks of a region, read from its metadata once: the starts
    that leave a string to phonenumbers (trunk prefix, country code and, in China, "1") and
    the international prefix pattern; None when the region has no trunk prefix (anything
    may be read)."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if meta is None or not meta.national_prefix:
        return None
    starts = (meta.national_prefix, str(meta.country_code), *(("1",) if region == "CN" else ()))
    idd = re.compile(meta.international_prefix) if meta.international_prefix else None
    return starts, idd


def _outcome(
    raw: str, digits: str, hinted: list[str], fallback: bool
) -> tuple[str, str | None] | None:
    """What `_read` makes of a national number given the regions to try: the region it is
    valid in, or the region it is read under anyway, or nothing."""
    for region in hinted:
        if _could_be_national(digits, region) and _national(raw, digits, region) is not None:
            return "valid", region
    if not fallback:
        return None
    return "reading", hinted[0] if hinted else None


def _parse(text: str, region: str | None) -> PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _national_ok(num: PhoneNumber, digits: str, region: str) -> bool:
    """Valid, and written the way people of `region` write it: with the trunk prefix ("0")
    where the region has one (a bare "20240512" is a date, not a Bangkok line), with the
    country code but no "+", or, in China, as a mobile number (written without the "0")."""
    if not phonenumbers.is_valid_number(num):
        return False
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = meta.national_prefix if meta is not None else None
    if not prefix or digits.startswith(prefix):
        return True
    if digits.startswith(str(num.country_code)):
        return True
    return region == "CN" and phonenumbers.number_type(num) == PhoneNumberType.MOBILE


def _fields(num: PhoneNumber) -> Fields:
    valid = phonenumbers.is_valid_number(num)
    region = phonenumbers.region_code_for_number(num) if valid else None
    if region is None:
        region = phonenumbers.region_code_for_country_code(num.country_code or 0)
        region = None if region == "ZZ" else region
    kind = _TYPE_NAMES.get(phonenumbers.number_type(num), "unknown") if valid else None
    return {
        "normalized": phonenumbers.format_number(num, PhoneNumberFormat.E164),
        "valid": valid,
        "region": region,
        "number_type": kind,
    }


# The three phonenumbers judgements, cached on what they depend on (the run as written and
# the region). phonenumbers costs 50-300 µs per parse and validation; a platform's stream
# repeats the same few numbers across a whole campaign, so the cache pays there, and it is
# bounded so a flood of distinct numbers cannot grow it. Callers must not mutate the dicts.
_CACHE = 8192


@lru_cache(maxsize=_CACHE)
def _international(raw: str, digits: str) -> tuple[Fields, bool] | None:
    """Fields of a number written with "+" or "00" and whether it is valid, or None."""
    num = _parse("+" + digits[2:] if raw.lstrip("(").startswith("00") else raw, None)
    if num is None:
        return None
    return _fields(num), phonenumbers.is_valid_number(num)


@lru_cache(maxsize=_CACHE)
def _national(raw: str, digits: str, region: str) -> Fields | None:
    """Fields of a national-format number valid and written as people of `region` do."""
    num = _parse(raw, region)
    if num is not None and _national_ok(num, digits, region):
        return _fields(num)
    return None


@lru_cache(maxsize=_CACHE)
def _any_reading(raw: str, region: str) -> Fields | None:
    """Fields of whatever phonenumbers reads in `raw` under `region` (valid or not)."""
    num = _parse(raw, region)
    return _fields(num) if num is not None else None


def _read(
    ctx: Context, regions: _Regions, s: int, e: int, strict: bool = False
) -> Indicator | None:
    """Judge normalized-text span [s, e) as one phone number, or None.

    `strict` (used for pieces of a longer run) accepts only valid numbers: a piece cut from a
    run has no claim to being "written as a phone"."""
    raw = ctx.text[s:e]
    digits = _NON_DIGITS.sub("", raw)
    international = raw.lstrip("(").startswith(("+", "00"))
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    if raw.lstrip("(").startswith("00") and len(digits) < MIN_DIGITS + 2:
        return None
    if international:
        read = _international(raw, digits)
        if read is None or (strict and not read[1]):
            return None
        return ctx.indicator("phone", s, e, **read[0])  # type: ignore[arg-type]
    if pc.NOT_A_NUMBER_SHAPE.match(raw) or digits.endswith("00000"):
        return None
    window = pc.before(ctx.text, s)
    if pc.ACCOUNT_ID_LABEL.search(window):
        return None  # "QQ: 2847561930" is a QQ number (a handle), not a phone
    veto_in = pc.veto_window(window)
    veto = pc.NOT_PHONE_WORD_AT.first(veto_in)
    cue = pc.PHONE_WORD_AT.first(window)
    if veto is not None and not (cue is not None and cue > veto + len(window) - len(veto_in)):
        return None
    hinted = regions.get(s, raw, digits, fallback=cue is not None and not strict)
    for region in hinted:
        fields = _national(raw, digits, region) if _could_be_national(digits, region) else None
        if fields is not None:
            return ctx.indicator("phone", s, e, **fields)  # type: ignore[arg-type]
    if cue is None or strict:
        return None
    if hinted:
        fields = _any_reading(raw, hinted[0])
        if fields is not None:
            return ctx.indicator("phone", s, e, **fields)  # type: ignore[arg-type]
    return ctx.indicator("phone", s, e, normalized=digits, valid=False)


def extract_phones(ctx: Context) -> Iterator[Indicator]:
    text = ctx.text
    regions = _Regions(ctx)
    for m in _CANDIDATE.finditer(text):
        s, e = m.start(), m.end()
        lead = _LEAD.search(text, max(0, s - 3), s)
        if lead:
            s = lead.start()
        if s and _BAD_BEFORE.match(text, s - 1):
            continue
        tail = _TRAILING.search(text, s, e)
        if tail:
            e = tail.start()
        if text.count("(", s, e) < text.count(")", s, e) and text[e - 1 : e] == ")":
            e -= 1
        if (e < len(text) and _AFTER_BAD.match(text, e)) or e - s > MAX_RUN:
            continue
        yield from _read_run(ctx, regions, s, e)


def _read_run(ctx: Context, regions: _Regions, s: int, e: int) -> Iterator[Indicator]:
    """Read a candidate run; a run of several numbers is split at spaces, greedily."""
    whole = _read(ctx, regions, s, e)
    if whole is not None:
        yield whole
        return
    raw = ctx.text[s:e]
    segments = [(s + m.start(), s + m.end()) for m in _SEGMENT.finditer(raw)]
    if len(segments) < 2:
        return
    i = 0
    while i < len(segments):
        found = None
        for j in range(min(len(segments), i + MAX_SEGMENTS), i, -1):
            a, b = segments[i][0], segments[j - 1][1]
            if (i, j) == (0, len(segments)):
                continue
            n_digits = sum(map(str.isdigit, ctx.text[a:b]))
            if not MIN_DIGITS <= n_digits <= MAX_DIGITS:
                continue
            found = _read(ctx, regions, a, b, strict=True)
            if found is not None:
                yield found
                i = j
                break
        if found is None:
            i += 1

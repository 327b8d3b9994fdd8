"""Phone-based messaging ids (WhatsApp, Zalo, Viber, and digits given as a LINE/WeChat id).

`phonenumbers` does the parsing; this module only picks the default region for numbers
written without a country code: the caller's region, else the platform's home (Zalo is
Vietnamese), else the region of the text's language (a Thai message giving "WA 0812..." means
a Thai number). Without any region a national number cannot be made E.164: it is reported
with its digits and `valid: false` rather than guessed.
"""

from __future__ import annotations

import phonenumbers

LANGUAGE_REGION = {
    "th": "TH",
    "vi": "VN",
    "id": "ID",
    "ms": "MY",
    "tl": "PH",
    "km": "KH",
    "lo": "LA",
    "my": "MM",
    "ko": "KR",
    "ja": "JP",
    "zh": "CN",
}


def phone_id(written: str, region: str | None) -> tuple[str, bool]:
    """(E.164, True) for a valid number, else (the digits with any leading `+`, False)."""
    digits = "".join(c for c in written if c.isdigit())
    plus = written.lstrip().startswith("+")
    fallback = ("+" if plus else "") + digits
    if not digits or len(digits) > 17:
        return fallback, False
    try:
        num = phonenumbers.parse(fallback, None if plus else region)
    except phonenumbers.NumberParseException:
        return fallback, False
    e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    return e164, bool(phonenumbers.is_valid_number(num))

"""Personal data never leaves: the set of values that must not appear in any export.

Names and contacts of reporters and victims live in `PersonalDatum`; ingest already keeps
contacts out of the indicator index. Exports add two more layers, because a victim's number
can still reach an export another way (written into a lure text, reported as a scam contact
in someone else's report, or sent to us by a partner):

1. every identifier and evidence key whose normalized form is anyone's personal contact is
   withheld (the whole store's personal data, not only the exported reports');
2. a final guard serializes every object about to leave and withholds it when any personal
   value, in any of its written forms, occurs in it. That guard is what the privacy tests
   lean on: it does not depend on how an object was built.

Matching is one RE2 alternation (linear time in the object's size, whatever the number of
values), case-insensitive, on word boundaries so that a short name does not hit inside a
longer word.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import phonenumbers
import re2  # type: ignore[import-untyped]  # google-re2 ships no stubs
from sqlalchemy import select
from sqlalchemy.orm import Session

import lurewatch
from lurewatch.store.privacy import MASK
from lurewatch.store.schema import PersonalDatum

MIN_CHARS = 3
"""Shorter personal values (initials) are not searched for: they would withhold everything."""
MIN_DIGITS = 7
"""Phone-like values are also searched as bare digits when they have at least this many."""
_SEPARATORS = str.maketrans(dict.fromkeys(" \t\n\r.()-/\u00a0"))
"""Deleted (str.translate, in C) before digits are compared: a regex substitution here cost
more than the rest of a 10k-report export."""


def _digits(value: str) -> str | None:
    """The digits of a value written as a number (digits, spaces, + . - ( ) /), else None."""
    if not value or any(not (c.isdigit() or c in " +.-()/") for c in value):
        return None
    return "".join(c for c in value if c.isdigit())


def _forms(value: str) -> set[str]:
    """The ways a personal value can be written: as given, and every identifier in it as
    normalized, plus a phone's national digits."""
    forms = {value.strip().lower()}
    for ind in lurewatch.extract(value):
        if ind.type == "money":
            continue
        forms.add(ind.normalized.lower())
        if ind.type == "phone":
            try:
                num = phonenumbers.parse(ind.normalized)
                forms.add(str(num.national_number))
            except phonenumbers.NumberParseException:
                pass
    return {f for f in forms if len(f) >= MIN_CHARS}


def personal_values(session: Session) -> set[str]:
    """Every personal value in the store (all organisations), in all its forms, lower-cased."""
    out: set[str] = set()
    for (value,) in session.execute(
        select(PersonalDatum.value).where(PersonalDatum.value.is_not(None)).distinct()
    ):
        out |= _forms(str(value))
    return out


class LeakGuard:
    """Finds personal values in text or in a whole object."""

    def __init__(self, values: Iterable[str]) -> None:
        self.values = frozenset(v.lower() for v in values if len(v) >= MIN_CHARS)
        alternation = "|".join(re2.escape(v) for v in sorted(self.values, key=len, reverse=True))
        self._rx: Any = (
            re2.compile(f"(?i)(?:^|\\W)(?:{alternation})(?:\\W|$)") if self.values else None
        )
        self._anywhere: Any = re2.compile(f"(?i)(?:{alternation})") if self.values else None
        # numbers written with other spacing ("81 234 5678"): digits compared with separators
        # removed from the text, on digit boundaries
        digits = sorted(
            {d for v in self.values if (d := _digits(v)) and len(d) >= MIN_DIGITS},
            key=len,
            reverse=True,
        )
        self._digits: Any = (
            re2.compile(f"(?:^|\\D)(?:{'|'.join(digits)})(?:\\D|$)") if digits else None
        )

    def is_personal(self, normalized: str) -> bool:
        return normalized.lower() in self.values

    def found_in(self, text: str) -> bool:
        if self._rx is not None and self._rx.search(text) is not None:
            return True
        return self._digits is not None and self._digits.search(text.translate(_SEPARATORS))

    def leaks(self, obj: Any) -> bool:
        """Does the JSON form of `obj` contain a personal value?"""
        if self._rx is None:
            return False
        return self.found_in(json.dumps(obj, ensure_ascii=False, default=str))

    def scrub(self, text: str) -> str:
        """`text` with every personal value (as written, or as an identifier written another
        way) replaced by the store's redaction mask."""
        if self._rx is None:
            return text
        spans = [
            (ind.start, ind.end)
            for ind in lurewatch.extract(text)
            if ind.normalized.lower() in self.values or ind.value.strip().lower() in self.values
        ]
        for start, end in sorted(spans, reverse=True):
            text = text[:start] + MASK + text[end:]
        return str(self._anywhere.sub(MASK, text))

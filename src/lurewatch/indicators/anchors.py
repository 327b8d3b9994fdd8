"""One Hyperscan pass per message that says which extractor families have anything to look at.

Why: every family used to open with its own yes/no search (a digit, a 25-character run, a
currency marker, a platform word, a bank name, "@"/"://"/host dots ...): eight to ten RE2 or
`re` calls per message, each with a ~1-1.5 µs floor from the Python binding, before any real
work. Hyperscan compiles all those gates into one automaton and reports, in one call, which of
them occur (`HyperscanSet`: compiled ahead of time, cached on disk, linear-time, no
backtracking); families whose gate did not fire are not called at all.

Each piece is the family's own gate pattern, imported from the family module so there is one
definition of it, or a strict superset of the pattern the family searches first (noted
below). A piece firing only lets the family run; the family's own patterns still decide what
it finds, so the output cannot change, only the work. `tests/indicators/test_anchors.py`
compares every bit with the gate it stands for on the fixtures and generated texts.

The same call answers `TEXT_EDIT`: on a raw text that no normalization stage edits (most
messages), the bits are the normalized text's too, and one pass serves both.

Hyperscan reads `\\d` as ASCII digits. Normalized text holds no other decimal digits
(`fold_chars` folds them all), but a text that does (`OTHER_DIGIT`, a piece of this same pass)
is answered with `None`: every family then runs its own gates, as without this pass. So is a
text UTF-8 cannot encode (lone surrogates).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from lurewatch.indicators import bank, handle_keywords, money, phone, wallet, web_ip, web_scan
from lurewatch.indicators.bank_catalog import catalogue
from lurewatch.signals.hyperscan_set import HyperscanError, HyperscanSet
from lurewatch.text import chars, edit_anchor_pieces

# One bit per gate, in this order. TEXT_EDIT is not a family's gate: where a normalization
# stage may edit (`lurewatch.text.edit_anchor_pieces`), so that `extract` on a raw text learns
# in this one pass whether it is already normalized. OTHER_DIGIT: a non-ASCII decimal digit
# (no verdict, see above).
(
    PHONE,
    WALLET,
    WEB,
    IP,
    PLATFORM,
    BANK_RUN,
    BANK_REASON,
    IBAN,
    MONEY_MARKER,
    MONEY_IMPLIED,
    PAY_WORD,
    TEXT_EDIT,
    OTHER_DIGIT,
) = [1 << i for i in range(13)]
FAMILY_BITS = TEXT_EDIT - 1


def _pieces() -> list[tuple[int, str]]:
    """(bit, pattern) of every gate; a bit may have several pieces (any of them sets it)."""
    return [
        (PHONE, phone.CANDIDATE_GATE),
        (WALLET, wallet.GATE.pattern),
        (WEB, web_scan.ANCHOR_GATE),
        (IP, web_ip.V4_GATE.pattern),
        (IP, web_ip.V6_GATE.pattern),
        (PLATFORM, handle_keywords.PLATFORM_GATE.pattern),
        (PLATFORM, handle_keywords.FOLDING_LETTERS),
        (BANK_RUN, bank.RUN_GATE.pattern),
        (BANK_REASON, catalogue().any_reason.pattern),
        (IBAN, bank.IBAN_GATE),
        (MONEY_MARKER, money.MARKER_GATE.pattern),
        (MONEY_IMPLIED, money.IMPLIED_GATE.pattern),
        (PAY_WORD, money.PAY_ANYWHERE.pattern),
        # the pieces `normalize` itself scans for (`_unedited`), so TEXT_EDIT is its answer;
        # a non-ASCII digit among them also sets OTHER_DIGIT, which withholds the verdict
        *((TEXT_EDIT, p) for p in edit_anchor_pieces()),
        (OTHER_DIGIT, chars.suspect_anchors()[1]),
    ]


class _Anchors:
    __slots__ = ("_bits", "_set")

    def __init__(self) -> None:
        pieces = _pieces()
        self._bits = tuple(bit for bit, _ in pieces)
        # Case-sensitive unless a piece says otherwise inline (`(?i)`), as in RE2 and `re`.
        self._set = HyperscanSet([p for _, p in pieces], case_sensitive=True)

    def __call__(self, text: str) -> int | None:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            return None
        bits = 0
        for i in self._set.Match(data):
            bits |= self._bits[i]
        return None if bits & OTHER_DIGIT else bits


def _no_verdict(_text: str) -> int | None:
    return None


@lru_cache(maxsize=1)
def _anchors() -> Callable[[str], int | None]:
    try:
        return _Anchors()
    except HyperscanError:
        # A Hyperscan that cannot build the database here: every family gates itself, as
        # before this pass (slower, same output).
        return _no_verdict


def anchors(text: str) -> int | None:
    """The bits of the gates that occur in `text`, or None (no verdict: every family must run
    its own gates). The family bits are only meaningful on normalized text."""
    return _anchors()(text)

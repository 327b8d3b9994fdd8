"""Limits that blunt enumeration: PSI reveals membership, so guesses must be metered.

A phone number space is small: a partner who offers every number of a 10,000-number block learns
which of them we hold. No PSI protocol prevents that; what a responder can do is make it slow
and visible:
- `min_set`: both sides bring at least this many distinct values, so a session cannot be a
  cheap single-value "do you have X?" probe and a tiny responder set is never answered;
- `max_set`: one session offers at most this many;
- a daily quota of offered values per organisation and type, lower for guessable types
  (phones, bank accounts) than for wallets or e-mails, counted from the stored sessions (so a
  restart does not reset it);
- at most `sessions_per_hour` sessions per organisation; every session is recorded with sizes.
All of them are settable per deployment through environment variables (`from_env`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lurewatch.psi.tables import PsiSession

GUESSABLE = frozenset({"phone", "bank_account"})


class LimitError(ValueError):
    """A session that the limits refuse; `retry_after` is set when waiting would help."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limits:
    min_set: int = 100
    max_set: int = 1_000_000
    daily_items: int = 2_000_000
    daily_items_guessable: int = 300_000
    sessions_per_hour: int = 20
    session_ttl_s: int = 900

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults overridden by `LUREWATCH_PSI_<FIELD>` (e.g. LUREWATCH_PSI_MIN_SET=500)."""
        values = {
            f.name: int(os.environ[f"LUREWATCH_PSI_{f.name.upper()}"])
            for f in fields(cls)
            if f"LUREWATCH_PSI_{f.name.upper()}" in os.environ
        }
        return cls(**values)

    def daily_quota(self, indicator_type: str) -> int:
        return self.daily_items_guessable if indicator_type in GUESSABLE else self.daily_items

    def check_sizes(self, offered: int, held: int) -> None:
        """Refuse sets below the minimum (either side) or above the maximum (offered)."""
        if offered < self.min_set:
            raise LimitError(
                f"the offered set has {offered} distinct values; at least {self.min_set} "
                "are required (small sets would let a session probe single identifiers)"
            )
        if offered > self.max_set:
            raise LimitError(f"the offered set has {offered} values; at most {self.max_set}")
        if held < self.min_set:
            raise LimitError(
                f"this side holds fewer than {self.min_set} identifiers of this type; "
                "it does not take part in matching"
            )

    def check_usage(self, session: Session, org_id: int, indicator_type: str, offered: int) -> None:
        """Refuse when the organisation is over its session rate or its daily quota."""
        now = datetime.now(UTC)
        hour = session.scalar(
            select(func.count())
            .select_from(PsiSession)
            .where(PsiSession.org_id == org_id, PsiSession.created_at > now - timedelta(hours=1))
        )
        if (hour or 0) >= self.sessions_per_hour:
            raise LimitError(
                f"at most {self.sessions_per_hour} matching sessions an hour per organisation",
                retry_after=3600,
            )
        used = session.scalar(
            select(func.coalesce(func.sum(PsiSession.initiator_size), 0)).where(
                PsiSession.org_id == org_id,
                PsiSession.indicator_type == indicator_type,
                PsiSession.created_at > now - timedelta(days=1),
            )
        )
        quota = self.daily_quota(indicator_type)
        if (used or 0) + offered > quota:
            raise LimitError(
                f"offering {offered} more {indicator_type} values would pass the daily quota of "
                f"{quota} for this organisation ({used} used in the last 24 hours)",
                retry_after=3600,
            )

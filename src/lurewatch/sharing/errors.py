"""The errors sharing raises on bad input, with a reason a partner can act on."""

from __future__ import annotations


class SharingError(ValueError):
    """A bundle, event or request that cannot be imported or exported, and why.

    Raised before anything is written (imports are all-or-nothing), so the caller can answer
    with a 4xx or an exit code and the reason.
    """


class NotMemberError(SharingError):
    """The group exists but the caller's organisation is not a member of it.

    A subclass so that callers that only report "refused" keep working, while the API and
    the dashboard can answer it as "forbidden" (403) and an unknown group as not found."""

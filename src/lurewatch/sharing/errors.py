"""The one error sharing raises on bad input, with a reason a partner can act on."""

from __future__ import annotations


class SharingError(ValueError):
    """A bundle, event or request that cannot be imported or exported, and why.

    Raised before anything is written (imports are all-or-nothing), so the caller can answer
    with a 4xx or an exit code and the reason.
    """

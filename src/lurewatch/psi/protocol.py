"""The two roles of Diffie-Hellman private set intersection (semi-honest), transport-free.

Initiator A holds X and secret scalar a; responder B holds Y and secret b; H hashes to
ristretto255 (group.py).

1. A -> B  offer:    a·H(x) for each x in X, in a random order.
2. B -> A  reply:    b·(a·H(x)) for each offered point, in the order received, and
                     b·H(y) for each y in Y, in a random order.
3. A computes a·(b·H(y)); x is in the intersection when b·a·H(x) is among them (ab = ba).
   A -> B  confirm:  a·b·H(y), in B's order, so B learns which of its y are shared.

Each side learns the intersection and the other side's set size, nothing else: under the
decisional Diffie-Hellman assumption b·H(y) for a y that A does not hold looks like a random
group element to A, and A cannot test a guess g (it would need b·H(g)) without running another
session, which the limits meter (limits.py). The transports (files, HTTP) move only what is
above; the secrets and the values never leave their side.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lurewatch.psi import group


class ProtocolError(ValueError):
    """A message that does not fit the protocol state (wrong count, invalid point, duplicate)."""


def _distinct_shuffled(values: Iterable[str]) -> list[str]:
    out = sorted(set(values))
    secrets.SystemRandom().shuffle(out)  # the input order (e.g. by date) must not show
    return out


def _check_distinct(points: Sequence[bytes], what: str) -> None:
    if len(set(points)) != len(points):
        raise ProtocolError(f"the {what} repeats a point")


@dataclass
class Initiator:
    """A's side. `values` are already normalized (normalize.py)."""

    indicator_type: str
    values: list[str]
    parallel: bool = False
    scalar: bytes = field(default_factory=group.new_scalar, repr=False)
    _offer: list[bytes] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.values = _distinct_shuffled(self.values)

    def offer(self) -> list[bytes]:
        """Step 1: a·H(x) for each value, in `values` order."""
        if self._offer is None:
            self._offer = group.hash_and_blind(
                self.scalar, self.indicator_type, self.values, parallel=self.parallel
            )
        return self._offer

    def finish(
        self, doubled: Sequence[bytes], responder_points: Sequence[bytes]
    ) -> tuple[list[str], list[bytes]]:
        """Step 3: (the values both hold, the confirm message for B)."""
        if len(doubled) != len(self.values):
            raise ProtocolError(
                f"the reply has {len(doubled)} double-blinded points for {len(self.values)} offered"
            )
        _check_distinct(responder_points, "responder's set")
        try:
            theirs = group.blind(self.scalar, responder_points, parallel=self.parallel)
        except group.PointError as exc:
            raise ProtocolError(f"responder's set: {exc}") from None
        common = set(theirs)
        shared = [v for v, d in zip(self.values, doubled, strict=True) if d in common]
        return sorted(shared), theirs


@dataclass
class Responder:
    """B's side. `values` are already normalized."""

    indicator_type: str
    values: list[str]
    parallel: bool = False
    scalar: bytes = field(default_factory=group.new_scalar, repr=False)
    _own: list[bytes] | None = field(default=None, repr=False)
    _doubled: set[bytes] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self.values = _distinct_shuffled(self.values)

    def own_points(self) -> list[bytes]:
        """b·H(y) for each y, in `values` order (computed once, before any offer arrives)."""
        if self._own is None:
            self._own = group.hash_and_blind(
                self.scalar, self.indicator_type, self.values, parallel=self.parallel
            )
        return self._own

    def answer(self, offered: Sequence[bytes]) -> list[bytes]:
        """Step 2 for a batch of offered points: b·P each, in order (call once per batch)."""
        try:
            doubled = group.blind(self.scalar, offered, parallel=self.parallel)
        except group.PointError as exc:
            raise ProtocolError(f"offer: {exc}") from None
        before = len(self._doubled)
        self._doubled.update(doubled)
        if len(self._doubled) != before + len(doubled):
            raise ProtocolError("the offer repeats a point")
        return doubled

    def answer_known(self, doubled: Sequence[bytes]) -> None:
        """Restore the double-blinded offer from a saved state (file transport)."""
        self._doubled = set(doubled)

    @property
    def answered(self) -> int:
        return len(self._doubled)

    def confirm(self, confirmed: Sequence[bytes]) -> list[str]:
        """After step 3: the values of B that A holds too, from A's a·b·H(y) in B's order."""
        if len(confirmed) != len(self.values):
            raise ProtocolError(
                f"the confirmation has {len(confirmed)} points for {len(self.values)} sent"
            )
        return sorted(v for v, p in zip(self.values, confirmed, strict=True) if p in self._doubled)

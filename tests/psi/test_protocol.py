"""The PSI protocol: each side learns the intersection, and nothing that names the rest."""

from __future__ import annotations

import hashlib

import pytest
import rbcl  # type: ignore[import-untyped]

from lurewatch.psi import group
from lurewatch.psi.protocol import Initiator, ProtocolError, Responder


def phones(start: int, n: int) -> list[str]:
    return [f"+6681{i:07d}" for i in range(start, start + n)]


def run(
    a_values: list[str], b_values: list[str]
) -> tuple[list[str], list[str], dict[str, list[bytes]]]:
    a, b = Initiator("phone", a_values), Responder("phone", b_values)
    offer = a.offer()
    doubled, own = b.answer(offer), b.own_points()
    shared_a, confirm = a.finish(doubled, own)
    shared_b = b.confirm(confirm)
    return shared_a, shared_b, {"offer": offer, "doubled": doubled, "own": own, "confirm": confirm}


def test_both_sides_learn_exactly_the_intersection() -> None:
    a_values, b_values = phones(0, 300), phones(250, 300)
    shared_a, shared_b, _ = run(a_values + a_values[:10], b_values)  # duplicates count once
    assert shared_a == shared_b == sorted(set(a_values) & set(b_values))
    assert len(shared_a) == 50


def test_disjoint_and_identical_sets() -> None:
    assert run(phones(0, 50), phones(50, 50))[:2] == ([], [])
    assert run(phones(0, 50), phones(0, 50))[0] == sorted(phones(0, 50))


def test_no_message_holds_a_point_that_names_a_non_shared_value() -> None:
    """Everything the initiator can compute about a value it guesses (H(g), a·H(g), the hash
    input) never appears in what the responder sent; the responder's points for values the
    initiator does not hold are b·H(y), which it cannot compute without b."""
    a_values, b_values = phones(0, 120), phones(100, 120)
    a = Initiator("phone", a_values)
    b = Responder("phone", b_values)
    doubled, own = b.answer(a.offer()), b.own_points()
    not_shared = sorted(set(b_values) - set(a_values))
    hashes = group.hash_to_group("phone", not_shared)
    guesses = set(hashes) | set(group.blind(a.scalar, hashes))
    sent = set(doubled) | set(own)
    assert not guesses & sent
    raw = b"".join(sent)
    assert not any(v.encode() in raw for v in b_values)  # no value in the clear either
    # with the responder's secret the same point is recovered: it is the secret that protects it
    assert set(group.blind(b.scalar, hashes)) <= set(own)
    # and a new session blinds the same set to unrelated points (sessions cannot be linked)
    again = Responder("phone", b_values)
    assert not set(again.own_points()) & set(own)


def test_domain_separation_by_type() -> None:
    same = "+66812345678"
    assert group.hash_to_group("phone", [same]) != group.hash_to_group("handle", [same])
    tag = group.domain_tag("phone")
    expected = rbcl.crypto_core_ristretto255_from_hash(
        hashlib.sha512(len(tag).to_bytes(2, "big") + tag + same.encode()).digest()
    )
    assert group.hash_to_group("phone", [same]) == [bytes(expected)]


def test_malformed_messages_are_refused() -> None:
    a, b = Initiator("phone", phones(0, 20)), Responder("phone", phones(0, 20))
    with pytest.raises(ProtocolError, match="not a valid ristretto255"):
        b.answer([b"\xff" * 32])
    with pytest.raises(ProtocolError, match="not a valid ristretto255"):
        b.answer([bytes(32)])  # the identity
    with pytest.raises(ProtocolError, match="32"):
        b.answer([b"\x01" * 31])
    offer = a.offer()
    b.answer(offer[:5])
    with pytest.raises(ProtocolError, match="repeats"):
        b.answer(offer[:1])
    with pytest.raises(ProtocolError, match="double-blinded points"):
        a.finish(b.answer(offer[5:10]), b.own_points())
    with pytest.raises(ProtocolError, match="repeats"):
        a.finish([b"\x00" * 32] * 20, [b.own_points()[0]] * 2)
    with pytest.raises(group.PointError, match="whole number"):
        group.unpack(b"\x00" * 33)


@pytest.mark.slow
def test_parallel_blinding_matches_in_process() -> None:
    values = phones(0, group.PARALLEL_MIN + 10)
    scalar = group.new_scalar()
    assert group.hash_and_blind(scalar, "phone", values, parallel=True) == group.hash_and_blind(
        scalar, "phone", values
    )

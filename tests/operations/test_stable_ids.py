"""Stable operation ids: kept while membership barely changes, else derived from members."""

from __future__ import annotations

from lurewatch.operations.stable_ids import assign_ids, derived_id


def test_derived_ids_depend_only_on_members() -> None:
    assert derived_id(["b", "a"]) == derived_id(["a", "b"]) != derived_id(["a", "c"])
    assert derived_id(["a", "b"]).startswith("op-") and len(derived_id(["a"])) == 15
    first = derived_id(["a", "b"])
    assert derived_id(["a", "b"], taken={first}) != first


def test_id_survives_small_changes_and_growth() -> None:
    prev = {"op-keep": ["r1", "r2", "r3", "r4"], "op-small": ["s1", "s2"]}
    clusters = [
        {"r1", "r2", "r3", "r5"},  # one member swapped: Jaccard 0.6
        {"s1", "s2", "s3", "s4", "s5", "s6"},  # grew threefold around all previous members
        {"x1", "x2"},  # new
    ]
    ids = assign_ids(clusters, prev)
    assert ids[:2] == ["op-keep", "op-small"]
    assert ids[2] == derived_id(["x1", "x2"])


def test_big_change_gets_a_new_id_and_best_match_wins() -> None:
    prev = {"op-a": ["r1", "r2", "r3", "r4", "r5"]}
    # the operation was cut in two: the larger part keeps the id, the other part is new
    ids = assign_ids([{"r1", "r2"}, {"r3", "r4", "r5"}], prev)
    assert ids == [derived_id(["r1", "r2"]), "op-a"]
    # barely overlapping: new id
    assert assign_ids([{"r1", "z1", "z2", "z3"}], prev) == [derived_id(["r1", "z1", "z2", "z3"])]


def test_order_of_clusters_does_not_change_ids() -> None:
    prev = {"op-a": ["r1", "r2"]}
    one = [{"r1", "r2", "r3"}, {"q1", "q2"}]
    ids1 = assign_ids(one, prev)
    ids2 = assign_ids(list(reversed(one)), prev)
    assert ids1 == list(reversed(ids2))


def test_reserved_ids_are_never_reused() -> None:
    retired = derived_id(["a", "b"])
    assert assign_ids([{"a", "b"}], {}, reserved={retired}) != [retired]

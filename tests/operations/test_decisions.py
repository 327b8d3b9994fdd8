"""Split and merge decisions replayed on a new clustering."""

from __future__ import annotations

from lurewatch.operations.decisions import Decision, components, replay


def _members(groups: list) -> list[set[str]]:  # type: ignore[type-arg]
    return sorted((g.members for g in groups), key=min)


def test_split_moves_reports_out_and_cuts_what_they_held_together() -> None:
    groups = [{"a", "b", "c", "d", "e"}]
    pairs = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")]
    # c was the bridge: a-b and d-e fall apart; c alone is no operation
    got = replay(groups, pairs, [Decision("split", ("c",), ("op-x",), id=7)])
    assert _members(got) == [{"a", "b"}, {"d", "e"}]
    assert all(g.decisions == {7} for g in got)
    got = replay(groups, pairs, [Decision("split", ("d", "e"))])
    assert _members(got) == [{"a", "b", "c"}, {"d", "e"}]


def test_merge_joins_groups_and_takes_lone_reports_along() -> None:
    groups = [{"a", "b"}, {"c", "d"}, {"e", "f"}]
    got = replay(
        groups, [], [Decision("merge", ("a", "c", "z"), ("op-1", "op-2"))], {"z", *"abcdef"}
    )
    assert _members(got) == [{"a", "b", "c", "d", "z"}, {"e", "f"}]
    merged = next(g for g in got if "a" in g.members)
    assert merged.prefer == "op-1"


def test_decisions_apply_in_order_and_ignore_deleted_reports() -> None:
    groups = [{"a", "b", "c"}, {"d", "e"}]
    pairs = [("a", "b"), ("b", "c"), ("d", "e")]
    ds = [
        Decision("merge", ("a", "d")),
        Decision("split", ("e", "gone")),  # 'gone' was deleted since
    ]
    got = replay(groups, pairs, ds)
    # the merged group is the analyst's: removing e does not cut it by evidence
    assert _members(got) == [{"a", "b", "c", "d"}]


def test_components() -> None:
    parts = components(["a", "b", "c", "d"], [("a", "b"), ("c", "x")])
    assert sorted(parts, key=min) == [{"a", "b"}, {"c"}, {"d"}]


def test_reports_sharing_a_key_stay_together_when_the_star_centre_leaves() -> None:
    # linking draws a shared key as a star around its first report
    groups = [{"a", "b", "c", "d"}]
    pairs = [("a", "b"), ("a", "c"), ("a", "d")]
    got = replay(groups, pairs, [Decision("split", ("a",))], shared=[{"a", "b", "c", "d"}])
    assert _members(got) == [{"b", "c", "d"}]

"""The extraction bar over ALL labelled fixtures together: precision and recall ≥ 0.98.

Each family's own test checks its file; this one checks the union, including the cross-family
fixtures in `mixed.yaml` (whole realistic messages where every family may appear), and reports
per-type and per-language figures when it fails.
"""

from __future__ import annotations

from collections import defaultdict

from tests.indicators.fixtures import Score, load_cases, score_case

BAR = 0.98


def test_all_fixtures_meet_the_bar() -> None:
    cases = load_cases()
    assert len(cases) >= 300, f"only {len(cases)} fixture cases; the bar needs several hundred"
    total = Score()
    by_lang: dict[str, Score] = defaultdict(Score)
    for case in cases:
        s = score_case(case)
        total.add(s)
        by_lang[case.lang].add(s)
    langs = ", ".join(
        f"{lang}: P={s.precision:.3f} R={s.recall:.3f} (n={s.tp + s.fn})"
        for lang, s in sorted(by_lang.items())
    )
    detail = "\n".join(total.misses[:60])
    assert total.precision >= BAR and total.recall >= BAR, (
        f"P={total.precision:.4f} R={total.recall:.4f} over {len(cases)} cases\n{langs}\n{detail}"
    )

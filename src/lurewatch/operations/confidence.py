"""How sure we are that an operation's reports belong together.

`confidence(members, edges)` is the strength of the operation's weakest necessary link:

1. the strength of a pair of reports is the noisy-OR of the evidence between them,
   `1 - prod(1 - weight)` (indicator weights are rarity weights in [0, 1], template weights
   are estimated Jaccard similarities), so two independent weak clues add up;
2. the strongest way to hold the reports together is the maximum spanning tree over those pair
   strengths; the weakest edge of that tree (its bottleneck) is the confidence: an operation
   held together by a private wallet on every join scores near 1, one that hangs on a single
   shared mid-common phrase scores that phrase's similarity.
3. parts joined only by an analyst's merge are joined at strength 1 (the analyst's judgement),
   so the confidence is the lowest bottleneck of the evidence-connected parts; a group made
   purely by decisions, with no evidence between its reports, is 1.

It is a ranking aid, not a calibrated probability: it answers "which link would I check first".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]  # no stubs installed
from scipy.sparse.csgraph import minimum_spanning_tree  # type: ignore[import-untyped]

from lurewatch.linking.model import Edge


def pair_strengths(edges: Iterable[Edge]) -> dict[tuple[str, str], float]:
    """Noisy-OR of the evidence weights of each pair."""
    miss: dict[tuple[str, str], float] = defaultdict(lambda: 1.0)
    for e in edges:
        a, b = (e.a, e.b) if e.a <= e.b else (e.b, e.a)
        w = min(max(e.weight, 0.0), 1.0)
        miss[(a, b)] *= 1.0 - w
    return {pair: 1.0 - m for pair, m in miss.items()}


def confidence(members: Iterable[str], edges: Iterable[Edge]) -> float:
    """The bottleneck strength of the maximum spanning forest (see the module docstring)."""
    ids = sorted(set(members))
    if len(ids) < 2:
        return 0.0
    index = {rid: i for i, rid in enumerate(ids)}
    strengths = {p: s for p, s in pair_strengths(edges).items() if p[0] in index and p[1] in index}
    if not strengths:
        return 1.0
    rows = [index[a] for a, _ in strengths]
    cols = [index[b] for _, b in strengths]
    # minimum spanning tree on cost 2 - s is the maximum spanning tree on s (costs stay > 0:
    # scipy reads a zero as "no edge")
    cost = np.array([2.0 - s for s in strengths.values()])
    graph = coo_matrix((cost, (rows, cols)), shape=(len(ids), len(ids))).tocsr()
    tree = minimum_spanning_tree(graph).tocoo()
    # the weakest tree edge of every evidence-connected part; decision joins count as 1
    return round(float(2.0 - tree.data.max()), 4) if tree.nnz else 1.0

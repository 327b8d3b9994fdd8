"""The key, edge and component stages as SQL text that DuckDB and Spark SQL both run.

Why one SQL text for two engines: "the same operations on both engines" then holds by
construction. The text keeps to the common subset of the two dialects (joins, GROUP BY,
window functions, UNION ALL, CAST of booleans); weights are integers in thousandths looked up
from tables computed in Python (`df_weight`, `tmpl_weight`), so no floating-point function of
either engine decides a link.

Inputs: `reports(rid, has_sig, s0..)`, `report_keys(rid, ikey, stop, cap)`, `df_weight(df, w)`,
`tmpl_weight(m, w)`. Report ids `rid` are ranks of the sorted report ids, so `a < b` and
minimum labels mean the same for integers and for the ids they stand for.

Quadratic blow-up is avoided everywhere: a strong key links its reports as a star around its
first report (connectivity is all that a strong key needs); a weak key or an LSH bucket is
paired fully only up to `pair_cap` members, beyond that each member is paired with the first
and with its predecessor; weak keys and templates only add weight to such candidate pairs.
"""

from __future__ import annotations

from lurewatch.linking.config import THRESHOLD_MILLI, LinkConfig

T = THRESHOLD_MILLI


def _pairs(table: str, part: list[str], size: str, cap: int) -> str:
    """Candidate pairs (a < b) within the partitions of a ranked table (`rn` by rid)."""
    on = " AND ".join(f"x.{c} = y.{c}" for c in part)
    return (
        f"SELECT x.rid AS a, y.rid AS b FROM {table} x JOIN {table} y "
        f"ON {on} AND x.rid < y.rid WHERE x.{size} <= {cap} "
        f"UNION ALL "
        f"SELECT y.rid AS a, x.rid AS b FROM {table} x JOIN {table} y "
        f"ON {on} AND (y.rn = 1 OR y.rn = x.rn - 1) WHERE x.{size} > {cap} AND x.rn > 1"
    )


def weak_pairs(config: LinkConfig) -> str:
    """Candidate pairs of the weak keys (`weak_ranked`), before DISTINCT."""
    return _pairs("weak_ranked", ["ikey"], "df", config.pair_cap)


LSH_STAGES = ("bucket_ranked", "candidates", "tmpl_scored")
"""The stages an engine may compute natively from the signatures it holds (`lsh.py`) instead
of from the `reports` table: they must produce the same `candidates` and `tmpl_scored`."""


def edge_stages(config: LinkConfig) -> list[tuple[str, str]]:
    """(table name, SELECT) in order; each result is materialised before the next runs."""
    r = config.rows
    vs = [f"v{j}" for j in range(r)]
    bands = " UNION ALL ".join(
        f"SELECT rid, {b} AS band, "
        + ", ".join(f"s{b * r + j} AS v{j}" for j in range(r))
        + " FROM reports WHERE has_sig"
        for b in range(config.bands)
    )
    bucket = ", ".join(["band", *vs])
    equal_bins = " + ".join(f"CAST(ra.s{i} = rb.s{i} AS INT)" for i in range(config.bins))
    return [
        (
            "key_df",
            "SELECT ikey, COUNT(*) AS df, MAX(stop) AS stop, MIN(cap) AS cap "
            "FROM report_keys GROUP BY ikey",
        ),
        (
            "live_keys",
            "SELECT k.rid, k.ikey, d.df, LEAST(w.w, d.cap) AS w FROM report_keys k "
            "JOIN key_df d ON k.ikey = d.ikey JOIN df_weight w ON d.df = w.df "
            "WHERE d.stop IS NULL AND w.w > 0",
        ),
        (
            "strong_edges",
            "SELECT a, b, 'indicator' AS kind, ikey, w FROM ("
            "SELECT rid AS b, ikey, w, MIN(rid) OVER (PARTITION BY ikey) AS a "
            f"FROM live_keys WHERE w >= {T}) s WHERE a < b",
        ),
        (
            "weak_ranked",
            "SELECT rid, ikey, df, ROW_NUMBER() OVER (PARTITION BY ikey ORDER BY rid) AS rn "
            f"FROM live_keys WHERE w < {T}",
        ),
        (
            "bucket_ranked",
            f"SELECT * FROM (SELECT rid, {bucket}, "
            f"ROW_NUMBER() OVER (PARTITION BY {bucket} ORDER BY rid) AS rn, "
            f"COUNT(*) OVER (PARTITION BY {bucket}) AS n FROM ({bands}) bb) q WHERE n >= 2"
            + ("" if config.max_bucket is None else f" AND n <= {int(config.max_bucket)}"),
        ),
        (
            "candidates",
            "SELECT DISTINCT a, b FROM ("
            + weak_pairs(config)
            + " UNION ALL "
            + _pairs("bucket_ranked", ["band", *vs], "n", config.pair_cap)
            + ") c",
        ),
        (
            # Written as a semi-join (EXISTS) so that both engines expand the candidates by
            # a's keys and then probe b's: with two plain joins DuckDB joined the keys with
            # themselves first (every pair of reports sharing a key, both ways: 24.7M rows at
            # 1M reports) and then with the candidates, 9.1-10.6 s CPU against 5.5-6.6 s.
            "cand_keys",
            "SELECT c.a, c.b, ka.ikey, ka.w FROM candidates c "
            "JOIN live_keys ka ON ka.rid = c.a "
            "WHERE EXISTS (SELECT 1 FROM live_keys kb WHERE kb.rid = c.b AND kb.ikey = ka.ikey)",
        ),
        (
            "tmpl_scored",
            "SELECT t.a, t.b, t.m, w.w FROM ("
            f"SELECT c.a, c.b, {equal_bins} AS m FROM candidates c "
            "JOIN reports ra ON ra.rid = c.a JOIN reports rb ON rb.rid = c.b "
            "WHERE ra.has_sig AND rb.has_sig) t JOIN tmpl_weight w ON t.m = w.m",
        ),
        (
            "accepted",
            "SELECT a, b FROM (SELECT a, b, w FROM cand_keys UNION ALL "
            f"SELECT a, b, w FROM tmpl_scored) u GROUP BY a, b HAVING SUM(w) >= {T}",
        ),
        (
            # Only the indicator rows can repeat (a strong key's star edge is also a shared
            # key of an accepted candidate pair); template rows are one per accepted pair, so
            # they skip the de-duplication (1M reports: 2.8 -> 2.3-2.6 s CPU, same rows).
            "edges",
            "SELECT a, b, kind, ikey, w FROM ("
            "SELECT a, b, kind, ikey, w FROM strong_edges UNION "
            "SELECT k.a, k.b, 'indicator' AS kind, k.ikey, k.w FROM cand_keys k "
            "JOIN accepted p ON k.a = p.a AND k.b = p.b) i UNION ALL "
            "SELECT t.a, t.b, 'template' AS kind, 'template' AS ikey, t.m AS w "
            "FROM tmpl_scored t JOIN accepted p ON t.a = p.a AND t.b = p.b",
        ),
        ("pairs", "SELECT DISTINCT a, b FROM edges"),
        (
            "labels_0",
            "SELECT v, v AS l FROM (SELECT a AS v FROM pairs UNION SELECT b AS v FROM pairs) n",
        ),
    ]


def hop(labels: str) -> str:
    """Each node's smallest label among itself and its neighbours."""
    return (
        "SELECT v, MIN(l) AS l FROM ("
        f"SELECT v, l FROM {labels} UNION ALL "
        f"SELECT p.b AS v, x.l FROM pairs p JOIN {labels} x ON x.v = p.a UNION ALL "
        f"SELECT p.a AS v, x.l FROM pairs p JOIN {labels} x ON x.v = p.b) u GROUP BY v"
    )


def jump(hopped: str) -> str:
    """Pointer jumping: the label of one's label (halves the rounds on long chains)."""
    return f"SELECT h1.v, h2.l FROM {hopped} h1 JOIN {hopped} h2 ON h2.v = h1.l"


def changed(new: str, old: str) -> str:
    return f"SELECT COUNT(*) AS c FROM {new} n JOIN {old} o ON n.v = o.v WHERE n.l <> o.l"


def fetch_edges(labels: str) -> str:
    return (
        "SELECT l.l AS comp, e.a, e.b, e.kind, e.ikey, e.w FROM edges e "
        f"JOIN {labels} l ON l.v = e.a ORDER BY comp, e.a, e.b, e.kind, e.ikey"
    )


def fetch_labels(labels: str) -> str:
    return f"SELECT l, v FROM {labels} ORDER BY l, v"


def fetch_key_stats() -> str:
    return "SELECT ikey, df, stop, cap FROM key_df WHERE df >= 2 OR stop IS NOT NULL"

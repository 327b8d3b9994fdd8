"""The data that flows through linking, shared by both engines and by `lurewatch.operations`.

Why a contract module: the DuckDB and Spark engines must produce *identical* clusters from the
same input, and the operations layer (stable ids, templates, analyst decisions, store) must not
care which engine ran. Everything an engine hands back is plain, frozen, sorted data.

Conventions:
- a report is named by a string `report_id` (the store's report `uid`, or the `id` of an input
  line); every tuple of ids is sorted, so equal clusters compare equal;
- an indicator key is `"<type>:<normalized>"` (e.g. `"phone:+66924187730"`), the same key the
  store indexes as `(type, normalized)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, NamedTuple

EdgeKind = Literal["indicator", "template"]


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """One report or message to link: what an input line or a stored report provides.

    `indicators` of None means "extract them from `text`"; a tuple (possibly empty) is taken as
    given (the store already extracted them).
    """

    report_id: str
    text: str
    indicators: tuple[tuple[str, str], ...] | None = None
    country: str | None = None
    language: str | None = None
    category: str | None = None
    risk: float | None = None
    seen_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PreparedReport:
    """A record after the per-record step (extraction, slot masking, MinHash signature)."""

    report_id: str
    indicators: tuple[str, ...]
    """Sorted indicator keys `"<type>:<normalized>"`."""
    masked_text: str
    """The text with identifiers, numbers, amounts and similar variable parts replaced by slot
    tokens such as `{phone}`; the shingles and the template are read from this."""
    signature: Sequence[int]
    """MinHash signature of the masked text's character shingles (empty for very short text).
    Engines give an `array.array("q")`: 64 bins take 576 bytes instead of a tuple of Python
    ints' ~2.6 KB (2 GB saved at 1M reports); compare with `list(...)`, not with a tuple."""
    country: str | None = None
    language: str | None = None
    category: str | None = None
    risk: float | None = None
    seen_at: datetime | None = None


class Edge(NamedTuple):
    """Evidence that two reports belong together; `a < b`.

    A named tuple rather than a frozen dataclass: a run builds ~6 edges per report, and a
    frozen dataclass's `__init__` (five `object.__setattr__` calls) made `stages.clusters_from`
    cost 1.6-1.7 s CPU for the 593k edges of 100k synthetic reports, 0.7 s as tuples. Fields,
    order, equality between edges, hash and immutability are as before; an edge also unpacks
    as `(a, b, kind, key, weight)` (and equals that plain tuple)."""

    a: str
    b: str
    kind: EdgeKind
    key: str
    """For `indicator`: the shared indicator key. For `template`: the LSH evidence, e.g.
    `"template:jaccard=0.83"`."""
    weight: float
    """Strength of this piece of evidence in [0, 1] (rarity-weighted for indicators, estimated
    Jaccard similarity for templates)."""


@dataclass(frozen=True, slots=True)
class Cluster:
    """A connected group of at least two reports, with the edges that connect it."""

    report_ids: tuple[str, ...]
    edges: tuple[Edge, ...]


@dataclass(frozen=True, slots=True)
class KeyStat:
    """How common an indicator key is in the linked data, and what weight it was given."""

    key: str
    reports: int
    weight: float
    stopped: str | None = None
    """Why the key links nothing (stop list, too common, ...), or None."""


@dataclass(slots=True)
class LinkResult:
    """What `lurewatch.linking.link()` returns, whichever engine ran.

    `clusters` are sorted by their first report id; singletons are not clusters.
    """

    clusters: list[Cluster]
    prepared: Mapping[str, PreparedReport]
    """By report id, in id order: a dict, or (DuckDB) a mapping that makes each report's
    object when it is read (`prepare.PreparedReports`); equal either way."""
    key_stats: dict[str, KeyStat] = field(default_factory=dict)
    bad: list[tuple[int, str]] = field(default_factory=list)
    """Input lines that were skipped: (line number, reason)."""
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    """Wall seconds per phase (`read` for `link_files`, `prepare`, `stages`, `assemble`), for
    benchmarks and logs; the DuckDB engine adds `stage:<table>` for each stage inside
    `stages` and `cpu:<phase>`, the CPU seconds of a phase (all threads).
    Added by the engines (H1); not part of what makes two results equal."""

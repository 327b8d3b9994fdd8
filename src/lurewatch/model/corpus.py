"""Load the labelled corpora, normalize them, and de-duplicate across corpora.

Why de-duplicate across corpora: the English sets overlap heavily (Mendeley ham is mostly UCI
ham, much of UCI ham is NUS), and SMS campaigns repeat one template with a new name, number or
link. Without this, cross-validation measures memorisation. Two rows are *duplicates* when
their letters (case-folded, digits and punctuation dropped) are identical; duplicates are
collapsed to one row (and dropped when their risk labels disagree). Rows are *near-duplicates*
when their 5-letter shingle sets are similar (MinHash bands, Jaccard ~0.6 and up); they are kept
but put into one CV group so they never straddle folds.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lurewatch.text import normalize

LABELS = ("benign", "spam", "scam")
KINDS = ("message", "job_ad")
MAX_MODEL_CHARS = 4000
"""The models read at most this many normalized characters of one input (the head of it)."""

SHINGLE = 5
NEAR_DUP_CHARS = 2000
"""Letters of a text (from its start) compared for near-duplicate grouping."""
_MH_P = np.uint64((1 << 31) - 1)
_rng = np.random.default_rng(20240601)
_MH_A = _rng.integers(1, (1 << 31) - 1, size=12, dtype=np.uint64)
_MH_B = _rng.integers(0, (1 << 31) - 1, size=12, dtype=np.uint64)

DATASET_PRIORITY = (
    "uci_sms",
    "mendeley_sms",
    "exais_sms",
    "nus_sms",
    "thai_sms",
    "indonesian_sms",
    "spamhunter_labelled",
    "filipino_sms",
    "spamhunter_reported",
    "orfd_balanced",
    "orfd_sheets",
)
"""Which dataset keeps a duplicated row (raw, labelled-by-hand sets first)."""

_NON_LETTERS = re.compile(r"[\W\d_]+")


class CorpusError(ValueError):
    """A corpus file or row that cannot be used (bad JSON, missing field, unknown label)."""


@dataclass
class Example:
    """One labelled, normalized text. `group` is its de-duplication / CV group."""

    id: str
    dataset: str
    kind: str
    language: str
    text: str
    label: str
    group: int = -1
    sources: list[str] = field(default_factory=list)
    detected: str = "und"
    """Language as `NormalizedText.language` detects it (what the run time sees)."""

    @property
    def risk(self) -> int:
        """1 for fraud-or-spam, 0 for benign: the target of the main head."""
        return int(self.label != "benign")

    @property
    def scam(self) -> int:
        """1 for scam, 0 otherwise: the target of the scam-vs-spam head."""
        return int(self.label == "scam")


def dedup_key(text: str) -> str:
    """Letters only, case-folded: numbers, links' punctuation and spacing do not matter."""
    return _NON_LETTERS.sub("", text.casefold())


def read_rows(path: Path) -> Iterator[dict[str, object]]:
    """Rows of one JSONL file (same schema as the shared corpus), validated."""
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path}:{n}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise CorpusError(f"{path}:{n}: expected a JSON object")
            for key in ("text", "label"):
                if not isinstance(row.get(key), str):
                    raise CorpusError(f"{path}:{n}: field {key!r} missing or not a string")
            if row["label"] not in LABELS:
                raise CorpusError(f"{path}:{n}: label {row['label']!r} not in {LABELS}")
            yield row


def to_example(row: dict[str, object], *, default_dataset: str) -> Example:
    """Normalize one row into an `Example` (text cut to `MAX_MODEL_CHARS`)."""
    nt = normalize(str(row["text"])[: MAX_MODEL_CHARS * 4])
    text = nt.text[:MAX_MODEL_CHARS]
    return Example(
        detected=nt.language,
        id=str(row.get("id", "")),
        dataset=str(row.get("dataset") or default_dataset),
        kind=str(row.get("kind") or "message"),
        language=str(row.get("language") or "und"),
        text=text,
        label=str(row["label"]),
    )


def load_files(paths: Iterable[Path], *, kind: str | None = None) -> list[Example]:
    """Examples from JSONL files, keeping only `kind` when given. Not de-duplicated."""
    out: list[Example] = []
    for path in paths:
        for row in read_rows(path):
            if kind is not None and row.get("kind", "message") != kind:
                continue
            out.append(to_example(row, default_dataset=path.stem))
    return out


def load_corpus(
    data_dir: Path, *, kind: str, datasets: Sequence[str] | None = None
) -> list[Example]:
    """All examples of `kind` under `data_dir/corpus`, optionally only some datasets."""
    files = sorted((data_dir / "corpus").glob("*.jsonl"))
    if not files:
        raise CorpusError(f"no corpus files under {data_dir / 'corpus'}")
    rows = load_files(files, kind=kind)
    if datasets is not None:
        wanted = set(datasets)
        rows = [r for r in rows if r.dataset in wanted]
    return rows


def _priority(ex: Example) -> tuple[int, str]:
    try:
        return (DATASET_PRIORITY.index(ex.dataset), ex.id)
    except ValueError:
        return (len(DATASET_PRIORITY), ex.id)


def deduplicate(examples: Sequence[Example]) -> tuple[list[Example], dict[str, int]]:
    """Collapse exact duplicates, drop label conflicts, assign near-duplicate CV groups.

    Returns the kept examples (in a stable order) and counts of what was removed.
    """
    by_key: dict[str, list[Example]] = {}
    for ex in examples:
        by_key.setdefault(dedup_key(ex.text), []).append(ex)
    kept: list[Example] = []
    stats = {"input": len(examples), "duplicates": 0, "conflicts": 0, "empty": 0}
    for key, members in by_key.items():
        if not key:
            stats["empty"] += len(members)
            continue
        if len({m.risk for m in members}) > 1:
            stats["conflicts"] += len(members)
            continue
        members.sort(key=_priority)
        best = members[0]
        # A scam label from any source beats spam: fraud status is known there.
        if any(m.label == "scam" for m in members):
            best.label = "scam"
        best.sources = sorted({m.dataset for m in members})
        stats["duplicates"] += len(members) - 1
        kept.append(best)
    kept.sort(key=_priority)
    _assign_groups(kept)
    stats["kept"] = len(kept)
    stats["groups"] = len({ex.group for ex in kept})
    return kept, stats


def _signatures(key: str) -> list[str]:
    """MinHash band signatures of a letters-only key (5-letter shingles, 4 bands x 3 rows).

    Two texts whose shingle sets have Jaccard similarity J share at least one band with
    probability 1 - (1 - J^3)^4: ~0.99 at J = 0.8, ~0.4 at J = 0.5, ~0.03 at J = 0.2.
    crc32 is used because Python's own str hash is salted per process (not reproducible).
    """
    if len(key) <= SHINGLE:
        return ["k" + key]
    hashes = np.fromiter(
        (zlib.crc32(key[i : i + SHINGLE].encode()) for i in range(len(key) - SHINGLE + 1)),
        dtype=np.uint64,
    )
    mins = ((hashes[None, :] * _MH_A[:, None] + _MH_B[:, None]) % _MH_P).min(axis=1)
    return [f"{b}:" + ",".join(map(str, mins[b * 3 : b * 3 + 3].tolist())) for b in range(4)]


def _assign_groups(examples: list[Example]) -> None:
    """Union-find over shared MinHash bands: near-duplicates end up in one CV group."""
    parent = list(range(len(examples)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_seen: dict[str, int] = {}
    for i, ex in enumerate(examples):
        for band in _signatures(dedup_key(ex.text)[:NEAR_DUP_CHARS]):
            j = first_seen.setdefault(band, i)
            if j != i:
                parent[find(i)] = find(j)
    roots: dict[int, int] = {}
    for i, ex in enumerate(examples):
        ex.group = roots.setdefault(find(i), len(roots))

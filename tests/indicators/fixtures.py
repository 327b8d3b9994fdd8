"""Load the labelled extraction fixtures and score `extract()` against them.

Fixture files are `tests/fixtures/indicators/*.yaml`, each a list of cases written by us:

    - text: "LINE ID: jobthai88 โทร 081-234-5678"
      region: TH            # optional default region for numbers without a country code
      lang: th              # language of the text, for per-language reporting
      types: [phone]        # optional: only these families are compared for this case
      expect:               # EVERY indicator of the compared families, in any order
        - {type: phone, normalized: "+66812345678", valid: true}
        - {type: handle, normalized: "jobthai88", platform: line}

An expected entry matches a found indicator when `type` and `normalized` are equal and every
other key given in the entry (valid, value, chain, platform, currency, amount, ...) is equal
too. Found indicators with no expected match are false positives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lurewatch import extract
from lurewatch.models import Indicator

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "indicators"


@dataclass
class Case:
    file: str
    index: int
    text: str
    expect: list[dict[str, Any]]
    region: str | None = None
    lang: str = "und"
    types: list[str] | None = None

    @property
    def id(self) -> str:
        return f"{self.file}#{self.index}"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Fold another score (of more cases) into this one."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.misses.extend(other.misses)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_cases(directory: Path = FIXTURE_DIR) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(directory.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for i, item in enumerate(raw):
            cases.append(
                Case(
                    file=path.name,
                    index=i,
                    text=item["text"],
                    expect=list(item.get("expect") or []),
                    region=item.get("region"),
                    lang=item.get("lang", "und"),
                    types=item.get("types"),
                )
            )
    return cases


def _matches(exp: dict[str, Any], ind: Indicator) -> bool:
    got = ind.to_dict()
    for key, want in exp.items():
        have = got.get(key)
        if key == "amount" and have is not None and want is not None:
            if abs(float(have) - float(want)) > 1e-6 * max(1.0, abs(float(want))):
                return False
        elif have != want:
            return False
    return True


def score_case(case: Case, found: list[Indicator] | None = None) -> Score:
    if found is None:
        found = extract(case.text, region=case.region)
    if case.types is not None:
        found = [f for f in found if f.type in case.types]
    score = Score()
    remaining = list(found)
    for exp in case.expect:
        hit = next((f for f in remaining if _matches(exp, f)), None)
        if hit is None:
            score.fn += 1
            score.misses.append(f"{case.id} missed {exp}")
        else:
            score.tp += 1
            remaining.remove(hit)
    for extra in remaining:
        score.fp += 1
        score.misses.append(f"{case.id} unexpected {extra.to_dict()}")
    return score


def score_cases(cases: list[Case], *, extract_listed_types_only: bool = False) -> Score:
    """The summed score of `cases`.

    With `extract_listed_types_only`, extraction itself is asked for just each case's `types`
    (the web and handle tests do this), instead of extracting everything and filtering.
    """
    total = Score()
    for case in cases:
        found = None
        if extract_listed_types_only:
            found = extract(case.text, types=case.types, region=case.region)  # type: ignore[arg-type]
        total.add(score_case(case, found))
    return total


NUMERIC_PIECES = [*"0123456789 ,.-'+()$฿¥円万원kURM\n#*/:", "juta", "บาท", "USD", "IBAN DE89 "]
NUMERIC_PIECES += ["BCA ", "บัญชี ", "call ", "โทร ", "00", "+66 ", "–", "０８１", "๐๘๑"]
"""Pieces that property tests glue into hostile strings for the numeric families."""

"""The pack linter: everything a rule author must get right before a pack ships.

The schema (`schema.py`) already refuses what would break the engine (patterns RE2 cannot
compile, empty matches, over-long patterns, unknown categories/stages, weights out of range).
The linter reports those per file instead of stopping at the first, and adds the checks that
need more than one rule or file: duplicate ids, file name / language / theme agreement, at
least two positive and two negative examples, references, and — by running the real engine
over all packs at once — that every positive example fires its rule and no negative does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import re2  # type: ignore[import-untyped]  # google-re2 ships no stubs

from lurewatch.signals.engine import SignalEngine
from lurewatch.signals.loader import PackError, pack_files, parse_pack, read_pack_data
from lurewatch.signals.schema import THEMES, Pack, Rule
from lurewatch.text import normalize

MIN_EXAMPLES = 2
Severity = Literal["error", "warning"]

# `\b` next to a non-ASCII letter never behaves as intended: RE2's word boundary is ASCII-only.
_NON_ASCII_BOUNDARY = re2.compile(r"\\b[^\x00-\x7f]|[^\x00-\x7f]\\b")


@dataclass(frozen=True)
class Issue:
    severity: Severity
    source: str
    rule: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}" + (f" [{self.rule}]" if self.rule else "")
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class LintReport:
    packs: list[tuple[Path, Pack]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, severity: Severity, source: object, rule: str | None, message: str) -> None:
        self.issues.append(Issue(severity, str(source), rule, message))


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, directories expanded to their `*.yaml` pack files."""
    out: list[Path] = []
    for p in paths:
        out.extend(pack_files(p) if p.is_dir() else [p])
    return out


def load_for_lint(paths: Sequence[Path]) -> LintReport:
    """Parse every file, recording schema errors as issues instead of raising."""
    report = LintReport()
    for path in expand_paths(paths):
        try:
            report.packs.append((path, parse_pack(read_pack_data(path), str(path))))
        except PackError as exc:
            report.add("error", path, None, str(exc).split(": ", 1)[-1])
    return report


def _check_file(report: LintReport, path: Path, pack: Pack) -> None:
    expected = f"{pack.language}_{pack.theme}"
    if pack.pack != expected:
        report.add("error", path, None, f"pack name {pack.pack!r} should be {expected!r}")
    if path.stem != pack.pack:
        report.add("error", path, None, f"file name should be {pack.pack}.yaml")
    if pack.theme not in THEMES:
        report.add("warning", path, None, f"theme {pack.theme!r} is not one of {THEMES}")
    prefix = f"{pack.language}.{pack.theme}."
    for rule in pack.rules:
        if not rule.id.startswith(prefix):
            report.add("error", path, rule.id, f"rule id must start with {prefix!r}")
        _check_rule(report, path, rule)


def _check_rule(report: LintReport, path: Path, rule: Rule) -> None:
    ex = rule.examples
    if len(ex.positive) < MIN_EXAMPLES:
        report.add("error", path, rule.id, f"needs >= {MIN_EXAMPLES} positive examples")
    if len(ex.negative) < MIN_EXAMPLES:
        report.add("error", path, rule.id, f"needs >= {MIN_EXAMPLES} negative examples")
    if set(ex.positive) & set(ex.negative):
        report.add("error", path, rule.id, "an example is both positive and negative")
    if not rule.references:
        report.add("error", path, rule.id, "no references (cite the advisory it comes from)")
    if not rule.description.strip():
        report.add("warning", path, rule.id, "no description")
    patterns = rule.all_patterns()
    if len(set(patterns)) != len(patterns):
        report.add("warning", path, rule.id, "duplicate pattern")
    for p in rule.patterns:
        if _NON_ASCII_BOUNDARY.search(p):
            report.add("error", path, rule.id, f"\\b next to a non-ASCII character in {p!r}")


def _check_examples(report: LintReport) -> None:
    """Run the examples through one engine over ALL packs (exercising the combined set)."""
    try:
        engine = SignalEngine(pack for _, pack in report.packs)
    except Exception as exc:  # the schema should make this unreachable; report, don't crash
        report.add("error", "<all packs>", None, f"engine does not build: {exc}")
        return
    for path, pack in report.packs:
        for rule in pack.rules:
            for text in rule.examples.positive:
                if rule.id not in example_hits(engine, text):
                    report.add("error", path, rule.id, f"positive example does not fire: {text!r}")
            for text in rule.examples.negative:
                if rule.id in example_hits(engine, text):
                    report.add("error", path, rule.id, f"negative example fires: {text!r}")


def example_hits(engine: SignalEngine, text: str) -> set[str]:
    """Ids of the rules `engine` fires on `text` (normalized first, like real input)."""
    return {h.id for h in engine.match(normalize(text))}


def lint(paths: Sequence[Path], *, run_examples: bool = True) -> LintReport:
    """Lint the pack files/directories in `paths` together (duplicates are checked across all)."""
    report = load_for_lint(paths)
    seen: dict[str, Path] = {}
    for path, pack in report.packs:
        _check_file(report, path, pack)
        for rule in pack.rules:
            if rule.id in seen:
                report.add("error", path, rule.id, f"duplicate id (also in {seen[rule.id]})")
            seen.setdefault(rule.id, path)
    if run_examples:
        _check_examples(report)
    return report

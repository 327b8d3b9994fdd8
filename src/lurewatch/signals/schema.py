"""The signal-pack schema: what a pack file may contain, validated when it is loaded.

Packs are data written by many hands in many languages (the Sigma / Presidio idea: rules as
files, not code). Everything that would make the ENGINE misbehave is refused here, at load
time, with a message naming the rule: patterns RE2 cannot compile, patterns that match the
empty string, over-long patterns, unknown categories or stages, weights outside (0, 1].
Quality checks that do not endanger the engine (examples present and passing, references,
duplicate ids across files, file/language agreement) are the linter's job (`lint.py`), so a
user can still load a quick pack of their own without writing examples first.
"""

from __future__ import annotations

from typing import Literal, get_args

import re2  # type: ignore[import-untyped]  # google-re2 ships no stubs
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lurewatch.models import SCAM_CATEGORIES, ScamCategory
from lurewatch.text.literals import fold_literal

Category = ScamCategory | Literal["any"]
"""A rule's category; `any` marks a supporting flag (see scoring.py)."""
CATEGORIES: tuple[str, ...] = (*SCAM_CATEGORIES, "any")

Stage = Literal[
    "opener",
    "rapport",
    "romance",
    "off_platform",
    "pitch",
    "onboarding",
    "fake_profit",
    "withdrawal_block",
    "recovery_scam",
    "task",
    "impersonation",
]
STAGES: tuple[str, ...] = get_args(Stage)

THEMES: tuple[str, ...] = (
    "recruitment",
    "illegal_work",
    "pig_butchering",
    "task_scam",
    "impersonation",
    "phishing",
)
"""The six themes of the built-in packs; user packs may add others (the linter warns)."""

MAX_PATTERN_CHARS = 400
"""Longest pattern or keyword accepted: a longer one is a sign of a rule that should be split."""
MAX_PATTERNS_PER_RULE = 40
MAX_CONTEXT_WINDOW = 1000
RULE_ID_RE = r"^[a-z]{2,3}\.[a-z][a-z0-9_]*\.[a-z0-9][a-z0-9_]*$"
PACK_NAME_RE = r"^[a-z]{2,3}_[a-z][a-z0-9_]*$"


def re2_options() -> re2.Options:
    """The options every rule pattern is compiled with (shared by validation and the engine)."""
    opts = re2.Options()
    opts.case_sensitive = False
    opts.never_capture = True
    return opts


def keyword_pattern(keyword: str) -> str:
    """RE2 pattern for a literal keyword.

    Spaces match any whitespace run, and an ASCII letter/digit at either edge gets a `\\b` so
    "task" does not fire inside "multitasking"; scripts without spaces get no boundary.
    """
    body = r"\s+".join(re2.escape(fold_literal(part)) for part in keyword.split())
    if keyword[:1].isascii() and keyword[:1].isalnum():
        body = r"\b" + body
    if keyword[-1:].isascii() and keyword[-1:].isalnum():
        body = body + r"\b"
    return body


def check_pattern(pattern: str) -> str | None:
    """Why `pattern` is unusable as a rule pattern, or None if it is fine."""
    if not pattern.strip():
        return "empty pattern"
    if len(pattern) > MAX_PATTERN_CHARS:
        return f"pattern has {len(pattern)} characters (limit {MAX_PATTERN_CHARS})"
    try:
        compiled = re2.compile(pattern, re2_options())
    except re2.error as exc:
        return f"RE2 cannot compile {pattern!r}: {exc}"
    if compiled.search("") is not None:
        return f"pattern {pattern!r} matches the empty string"
    return None


class Examples(BaseModel):
    """Regression samples kept next to the rule: run by the test suite and `rules check`."""

    model_config = ConfigDict(extra="forbid")

    positive: list[str] = Field(default_factory=list)
    negative: list[str] = Field(default_factory=list)


class Rule(BaseModel):
    """One red flag: patterns/keywords, what it means, and how much it weighs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=RULE_ID_RE)
    title: str = Field(min_length=1, max_length=200)
    title_local: str = Field(min_length=1, max_length=200)
    description: str = ""
    category: Category
    stage: Stage | None = None
    weight: float = Field(gt=0.0, le=1.0)
    patterns: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    context_window: int = Field(default=80, ge=1, le=MAX_CONTEXT_WINDOW)
    references: list[str] = Field(default_factory=list)
    falsepositives: list[str] = Field(default_factory=list)
    examples: Examples = Field(default_factory=Examples)

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            problem = check_pattern(p)
            if problem:
                raise ValueError(problem)
        return patterns

    @field_validator("keywords", "context")
    @classmethod
    def _literals_sane(cls, words: list[str]) -> list[str]:
        for w in words:
            if not w.strip():
                raise ValueError("empty keyword/context word")
            if len(w) > MAX_PATTERN_CHARS:
                raise ValueError(f"keyword {w[:40]!r}... longer than {MAX_PATTERN_CHARS}")
        return words

    @model_validator(mode="after")
    def _has_something_to_match(self) -> Rule:
        n = len(self.patterns) + len(self.keywords)
        if n == 0:
            raise ValueError(f"rule {self.id} has neither patterns nor keywords")
        if n > MAX_PATTERNS_PER_RULE:
            raise ValueError(f"rule {self.id} has {n} patterns (limit {MAX_PATTERNS_PER_RULE})")
        return self

    def all_patterns(self) -> list[str]:
        """Patterns followed by keywords turned into patterns, in a stable order."""
        return [
            *(fold_literal(p) for p in self.patterns),
            *(keyword_pattern(k) for k in self.keywords),
        ]


class Pack(BaseModel):
    """One file of rules for one language and theme."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pack: str = Field(pattern=PACK_NAME_RE)
    language: str = Field(pattern=r"^[a-z]{2,3}$")
    theme: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    rules: list[Rule] = Field(min_length=1)

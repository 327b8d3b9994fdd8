"""Victim-in-danger triage: is someone in this report held against their will?

Cue phrases live in `triage_cues.yaml` (per language, with examples the tests run). Every
language's cues are searched in every text: a relative writes in their own language about a
place in another country, and language identification on a short, mixed message is a guess.
Matching is one RE2 alternation per cue kind (linear time on hostile input), run on the
normalized text so homoglyphs, zero-width characters and native digits do not hide a cue;
evidence spans are mapped back to the original text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import re2  # type: ignore[import-untyped]  # google-re2 ships no stubs
import yaml

from lurewatch.text import normalize

HELD_KINDS = ("passport_taken", "cannot_leave", "violence", "ransom")
"""Any of these alone makes a report urgent."""
CUE_KINDS = (*HELD_KINDS, "forced_scam")


@dataclass(frozen=True)
class Cue:
    """One piece of evidence: which kind, the words as written, and where."""

    kind: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Triage:
    """`urgent` with its evidence; `possible_victim` when the report says someone was forced
    to scam (recorded so that person is treated as a victim, not a perpetrator)."""

    urgent: bool
    possible_victim: bool
    evidence: list[Cue] = field(default_factory=list)


def _bounded(phrase: str) -> str:
    """Escape a phrase; add ASCII word boundaries where it starts/ends with an ASCII letter."""
    body = re2.escape(phrase)
    left = r"\b" if phrase[:1].isascii() and phrase[:1].isalnum() else ""
    right = r"\b" if phrase[-1:].isascii() and phrase[-1:].isalnum() else ""
    return f"{left}{body}{right}"


@lru_cache(maxsize=1)
def cue_data() -> dict[str, Any]:
    """The parsed cue file (places, and per language cue lists and examples)."""
    raw = resources.files("lurewatch.store").joinpath("triage_cues.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    data = cue_data()
    phrases: dict[str, list[str]] = {k: [] for k in (*CUE_KINDS, "place")}
    phrases["place"] = list(data["places"])
    for cues in data["languages"].values():
        for kind in CUE_KINDS:
            phrases[kind].extend(cues.get(kind, []))
    out: dict[str, Any] = {}
    for kind, words in phrases.items():
        words = sorted(set(words), key=len, reverse=True)
        out[kind] = re2.compile("(?i)(?:" + "|".join(_bounded(w) for w in words) + ")")
    return out


def triage(text: str) -> Triage:
    """Read one report text (all items joined) for danger cues."""
    nt = normalize(text)
    found: list[Cue] = []
    kinds: set[str] = set()
    for kind, rx in _patterns().items():
        for m in rx.finditer(nt.text):
            start, end = nt.span(m.start(), m.end())
            found.append(Cue(kind, text[start:end], start, end))
            kinds.add(kind)
    found.sort(key=lambda c: (c.start, c.kind))
    held = any(k in kinds for k in HELD_KINDS)
    forced = "forced_scam" in kinds
    urgent = held or (forced and "place" in kinds)
    return Triage(urgent=urgent, possible_victim=forced, evidence=found)

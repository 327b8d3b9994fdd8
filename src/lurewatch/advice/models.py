"""Result types of the advice layer.

Kept apart from `lurewatch.models` because advice is presentation data (words for a person),
not evidence: the store and the exporters never key on it, and a UI may ask for it again in
another language without re-screening anything.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Purpose = Literal["emergency", "scams", "trafficking", "abroad"]
"""What a hotline is for: `abroad` means help for people working or stuck abroad (recruitment
agency checks, consular help), which is what a family member of someone lured abroad needs."""

PURPOSES: tuple[Purpose, ...] = ("emergency", "scams", "trafficking", "abroad")


class Hotline(BaseModel):
    """One number or website a person can use, as written in `data/hotlines.yaml`.

    `name` is already in the reader's language when the data has it (English otherwise);
    `source` and `verify_by` travel with the entry so a maintainer or an NGO worker can see
    where it came from and when it must be checked again.
    """

    model_config = ConfigDict(frozen=True)

    country: str
    name: str
    number: str | None = None
    url: str | None = None
    purposes: tuple[Purpose, ...]
    source: str
    verify_by: str


class Advice(BaseModel):
    """What to tell the person, returned with every verdict.

    `language` is the language the summary is written in (English when the asked-for language
    had no text); `fell_back` names every string that had to come from English, so a UI can
    say so and translators can see what is missing. `labels` are the UI strings ("What to do",
    "Hotline", purpose names) in the same language.
    """

    model_config = ConfigDict(frozen=True)

    category: str
    language: str
    summary: str
    steps: tuple[str, ...] = Field(min_length=1)
    hotlines: tuple[Hotline, ...] = ()
    labels: dict[str, str] = Field(default_factory=dict)
    fell_back: tuple[str, ...] = ()
    region: str | None = None

    def as_text(self) -> str:
        """Plain-text rendering for SMS replies, chat bots and the CLI, in `labels`' language."""
        label = self.labels.get
        lines = [self.summary, "", label("what_to_do", "What to do") + ":"]
        lines += [f"{i}. {step}" for i, step in enumerate(self.steps, 1)]
        if self.hotlines:
            lines += ["", label("hotlines", "Who to contact") + ":"]
            for h in self.hotlines:
                where = [f"{label('call', 'Call')} {h.number}" if h.number else ""]
                where.append(f"{label('website', 'Website')} {h.url}" if h.url else "")
                kinds = ", ".join(label(p, p) for p in h.purposes)
                lines.append(f"- {h.name} ({kinds}): " + " / ".join(w for w in where if w))
        if self.fell_back:
            lines += ["", label("partly_english", "Some of this advice is only in English.")]
        return "\n".join(lines)

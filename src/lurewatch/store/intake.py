"""What a submitted report looks like (`ReportIn`) and its content hash.

One model for the API body, a JSONL line and a CSV row, so the three paths accept and reject
the same things. A report carries either `text` (one item) or `messages` (a conversation) or
`items` (several). Names and contacts go in `reporter` / `victims`, never in the operation data.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_TEXT_CHARS = 100_000
MAX_ITEMS = 50
MAX_MESSAGES = 500
ItemKind = Literal["job_ad", "message", "conversation"]


def _without_nul(data: Any) -> Any:
    if isinstance(data, str):
        return data.replace("\x00", "\ufffd") if "\x00" in data else data
    if isinstance(data, dict):
        return {k: _without_nul(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_without_nul(v) for v in data]
    return data


def one_of(*fields: str) -> dict[str, Any]:
    """JSON Schema for "exactly one of these fields, as a non-null value", so the OpenAPI
    document says what the validators enforce."""
    branches = []
    for f in fields:
        others = [{"required": [o], "properties": {o: {"not": {"type": "null"}}}} for o in fields]
        branches.append(
            {
                "required": [f],
                "properties": {f: {"not": {"type": "null"}}},
                "not": {"anyOf": [b for o, b in zip(fields, others, strict=True) if o != f]},
            }
        )
    return {"oneOf": branches}


class Strict(BaseModel):
    """Replaces NUL characters with U+FFFD: PostgreSQL cannot store NUL in text and no real
    message means one, so the stored text marks where it was instead of failing."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        return _without_nul(data)


class Message(Strict):
    """One turn of a conversation."""

    text: str = Field(max_length=MAX_TEXT_CHARS)
    sender: str | None = Field(default=None, max_length=200)
    sent_at: datetime | None = None


class ItemIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra=one_of("text", "messages"))
    kind: ItemKind = "message"
    channel: str | None = Field(default=None, max_length=30)
    text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    messages: list[Message] | None = Field(default=None, max_length=MAX_MESSAGES)

    @model_validator(mode="after")
    def _one_body(self) -> ItemIn:
        if (self.text is None) == (self.messages is None):
            raise ValueError("an item needs exactly one of 'text' or 'messages'")
        if self.messages is not None:
            self.kind = "conversation"
        elif self.kind == "conversation":
            self.kind = "message"  # a single text is a message, whatever it was called
        return self


class Person(Strict):
    """A reporter or victim: personal data, kept apart and redactable."""

    name: str | None = Field(default=None, max_length=200)
    contact: str | None = Field(default=None, max_length=200)


class ReportIn(Strict):
    """A report as submitted. `id` is the submitter's own id (idempotency key)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=one_of("text", "messages", "items"))
    id: str | None = Field(default=None, max_length=200)
    text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    messages: list[Message] | None = Field(default=None, max_length=MAX_MESSAGES)
    items: list[ItemIn] | None = Field(default=None, max_length=MAX_ITEMS)
    kind: ItemKind | None = None
    channel: str | None = Field(default=None, max_length=30)
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")
    language: str | None = Field(default=None, max_length=12)
    source: str | None = Field(default=None, max_length=100)
    reporter_type: str | None = Field(default=None, max_length=40)
    received_at: datetime | None = None
    attachments_text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    consent_contact: bool = False
    shared: bool = False
    reporter: Person | None = None
    victims: list[Person] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _one_body(self) -> ReportIn:
        given = sum(x is not None for x in (self.text, self.messages, self.items))
        if given != 1:
            raise ValueError("a report needs exactly one of 'text', 'messages' or 'items'")
        if self.country:
            self.country = self.country.upper()
        return self

    def item_list(self) -> list[ItemIn]:
        """The report's items, whichever way they were given."""
        if self.items is not None:
            return self.items
        if self.messages is not None:
            return [ItemIn(kind="conversation", channel=self.channel, messages=self.messages)]
        kind = self.kind if self.kind in ("job_ad", "message") else "message"
        return [ItemIn(kind=kind, channel=self.channel, text=self.text)]

    def content_hash(self) -> str:
        """SHA-256 of the content (items and attachments), not of metadata or personal data:
        the same ad forwarded twice with a different `received_at` is the same report."""
        body: dict[str, Any] = {
            "items": [
                {
                    "kind": it.kind,
                    "text": it.text,
                    "messages": [m.text for m in it.messages] if it.messages else None,
                }
                for it in self.item_list()
            ],
            "attachments": self.attachments_text,
        }
        raw = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(raw).hexdigest()

    def full_text(self) -> str:
        """Everything a person wrote in the report, for triage."""
        parts: list[str] = []
        for it in self.item_list():
            if it.text is not None:
                parts.append(it.text)
            for m in it.messages or []:
                parts.append(m.text)
        if self.attachments_text:
            parts.append(self.attachments_text)
        return "\n".join(parts)

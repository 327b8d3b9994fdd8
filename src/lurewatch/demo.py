"""`make demo`: screen a bundled sample of messages we wrote ourselves and print the verdicts.

The sample (`data/samples/messages.jsonl`) mixes recruitment lures, pig-butchering and task-scam
messages, impersonation, a family's report of a relative held in a compound, and genuine
messages, in several of the region's languages, with identifiers written the ways scammers
write them (native digits, spaced digits, defanged links).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from lurewatch.screening import screen


def sample_messages() -> list[dict[str, Any]]:
    """The bundled demo messages."""
    path = resources.files("lurewatch") / "data" / "samples" / "messages.jsonl"
    with path.open("r", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def run_demo(console: Console) -> None:
    """Screen each sample message; print verdict, red flags and identifiers, then a summary."""
    messages = sample_messages()
    summary = Table(title="lurewatch demo: verdicts", header_style="bold")
    for col in ("id", "language", "verdict", "risk", "category", "identifiers"):
        summary.add_column(col)
    for msg in messages:
        text = msg["text"]
        a = screen(text, msg.get("kind", "auto"), region=msg.get("region"))
        colour = "red" if a.flagged else "green"
        console.print(Rule(f"{msg['id']} · {a.kind} · {a.language}"))
        shown = Text(text)
        for ev in a.signals:
            for span in ev.spans:
                shown.stylize("bold black on yellow", span.start, span.end)
        for ind in a.indicators:
            shown.stylize("underline", ind.start, ind.end)
        console.print(shown)
        console.print(
            f"[bold {colour}]{'WARNING' if a.flagged else 'no strong warning signs'}[/] "
            f"risk {a.risk:.2f} · {a.category}"
        )
        for ev in a.signals[:5]:
            console.print(Text(f"  ⚑ {ev.title} ({ev.weight:.2f})"))
        for ind in a.indicators:
            flag = "" if ind.valid else "  [invalid checksum/number]"
            console.print(Text(f"  • {ind.type}: {ind.value} → {ind.normalized}{flag}"))
        summary.add_row(
            msg["id"],
            a.language,
            Text("WARNING" if a.flagged else "ok", style=colour),
            f"{a.risk:.2f}",
            a.category,
            str(len(a.indicators)),
        )
    console.print(Rule())
    console.print(summary)

"""`make demo`: run what lurewatch can do on a bundled sample of messages we wrote ourselves.

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

from lurewatch.indicators import extract
from lurewatch.text import normalize


def sample_messages() -> list[dict[str, Any]]:
    """The bundled demo messages."""
    path = resources.files("lurewatch") / "data" / "samples" / "messages.jsonl"
    with path.open("r", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def run_demo(console: Console) -> None:
    """Print each sample message with its language and the indicators found in it."""
    from lurewatch.cli import print_indicators

    messages = sample_messages()
    total = 0
    for msg in messages:
        nt = normalize(msg["text"])
        found = extract(nt)
        total += len(found)
        console.print(Rule(f"{msg['id']} · {msg.get('kind', 'message')} · language {nt.language}"))
        print_indicators(console, msg["text"], found)
    console.print(Rule())
    console.print(f"{len(messages)} messages, {total} indicators")

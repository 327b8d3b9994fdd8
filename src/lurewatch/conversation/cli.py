"""`lurewatch conversation FILE`: a chat as a timeline — stage and risk per message, the turn
where the warning would have come, and advice for the person in the conversation.

FILE is any format `parse_conversation` reads; a JSONL file with several conversations is
scored line by line into JSONL records (errors as records naming the line, exit 1 if any).
When the export does not say which participant is the user, an interactive terminal asks;
otherwise the command stops with the participants listed and a hint to pass `--me NAME`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from lurewatch.conversation.importers import decode, iter_conversations, parse_conversation
from lurewatch.conversation.models import (
    Conversation,
    ConversationAssessment,
    ConversationError,
    UnknownParticipantError,
)
from lurewatch.conversation.tracker import track

app = typer.Typer(help="Read a chat turn by turn and warn at the earliest scam stage.")
err = Console(stderr=True)
SNIPPET = 70


def _bar(risk: float) -> Text:
    filled = round(risk * 10)
    style = "red" if risk >= 0.5 else "yellow" if risk >= 0.25 else "green"
    return Text("█" * filled + "·" * (10 - filled) + f" {risk:.2f}", style=style)


def print_timeline(console: Console, conv: Conversation, a: ConversationAssessment) -> None:
    """One row per message, the alert row marked, then the verdict, reasons and advice."""
    table = Table(show_edge=False, pad_edge=False)
    for col in ("#", "from", "stage", "risk", "message"):
        table.add_column(col)
    for turn, msg in zip(a.turns, conv.messages, strict=True):
        who = msg.name or turn.sender
        text = msg.text.replace("\n", " ")
        text = text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"
        mark = "⚠ " if turn.index == a.alert_turn else ""
        stage = turn.stage or (", ".join(turn.context) if turn.context else "")
        table.add_row(
            f"{mark}{turn.index + 1}", who, stage, _bar(turn.risk), Text(text),
            style="bold" if turn.index == a.alert_turn else None,
        )  # fmt: skip
    console.print(table)
    verdict = "WARNING" if a.flagged else "no scam pattern"
    colour = "bold red" if a.flagged else "bold green"
    console.print(
        f"[{colour}]{verdict}[/] · risk {a.risk:.2f} · {a.category} · language {a.language}"
    )
    for line in a.explanation:
        console.print(Text(line, style="dim"))
    console.print()
    console.print(Text(a.advice.as_text()))


def _ask_me(exc: UnknownParticipantError) -> str:
    if not sys.stdin.isatty():
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    err.print("Which of these is you?")
    for n, name in enumerate(exc.participants, 1):
        err.print(f"  {n}. {name}")
    choice: int = typer.prompt("number", type=int)
    if not 1 <= choice <= len(exc.participants):
        err.print("[red]error:[/red] no such participant")
        raise typer.Exit(2)
    return exc.participants[choice - 1]


def _is_batch(path: Path) -> bool:
    """A JSONL file with more than one conversation line."""
    try:
        lines = [ln for ln in decode(path.read_bytes(), str(path)).splitlines() if ln.strip()]
    except (OSError, ConversationError):
        return False
    return len(lines) > 1 and all(ln.lstrip().startswith("{") for ln in lines[:2])


def _batch(path: Path, region: str | None) -> None:
    failed = 0
    for item in iter_conversations(path):
        if isinstance(item, ConversationError):
            failed += 1
            rec: dict[str, object] = {"error": str(item)}
        else:
            rec = track(item, region=region).to_record(item.id)
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(1)


@app.command("conversation")
def conversation_cmd(
    file: Annotated[Path, typer.Argument(help="Chat export or JSON/JSONL conversation file.")],
    me: Annotated[
        str | None, typer.Option("--me", help="Your name as it appears in the export.")
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Your country (ISO code), for hotlines.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON record.")] = False,
) -> None:
    """Score a conversation turn by turn and print its timeline (or JSON records)."""
    if not file.is_file():
        err.print(f"[red]error:[/red] {file}: no such file")
        raise typer.Exit(2)
    try:
        if _is_batch(file):
            _batch(file, region)
            return
        try:
            conv = parse_conversation(file, me=me)
        except UnknownParticipantError as exc:
            conv = parse_conversation(file, me=_ask_me(exc))
        a = track(conv, region=region)
    except ConversationError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if as_json:
        sys.stdout.write(json.dumps(a.to_record(conv.id), ensure_ascii=False) + "\n")
    else:
        print_timeline(Console(), conv, a)

"""`lurewatch screen`: one text as a readable verdict, or a file streamed to JSONL.

Batch mode reads through `lurewatch.io.batch` (JSONL `{"id","text","kind"?,"region"?,
"sender_known"?,"channel"?}` or `{"id","messages":[{"from","text","ts"?}]}` for a whole
conversation, CSV with a `text` column, or one text per line), writes one
record per input line in input order — a verdict or an error record — and exits 1 when any
item failed, so a pipeline can tell. Memory stays constant; a progress bar shows on a terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from lurewatch.io.batch import BadRecord, Record, detect_format, read_records, write_jsonl
from lurewatch.screening.assessment import Assessment
from lurewatch.screening.screen import screen
from lurewatch.text import TextTooLongError

err = Console(stderr=True)

_COLOURS = {True: "bold red", False: "bold green"}


def print_assessment(console: Console, text: str, a: Assessment) -> None:
    """Verdict line, the text with red flags highlighted, reasons, identifiers and advice."""
    verdict = "WARNING" if a.flagged else "no strong warning signs"
    console.print(
        f"[{_COLOURS[a.flagged]}]{verdict}[/] · risk {a.risk:.2f} · {a.category} · "
        f"language {a.language} · {a.kind}"
    )
    shown = Text(text)
    for ev in a.signals:
        for span in ev.spans:
            shown.stylize("bold black on yellow", span.start, span.end)
    console.print(shown)
    if a.signals:
        console.print("[bold]Red flags[/bold]")
        for ev in a.signals:
            local = f" — {ev.title_local}" if ev.title_local != ev.title else ""
            console.print(Text(f"  • {ev.title}{local} ({ev.weight:.2f})"))
    if a.indicators:
        console.print("[bold]Identifiers[/bold]")
        for ind in a.indicators:
            console.print(Text(f"  • {ind.type}: {ind.value} → {ind.normalized}"))
    for line in a.explanation:
        console.print(Text(f"[{line}]", style="dim"))
    console.print()
    console.print(Text(a.advice.as_text()))


def _options(rec: Record, region: str | None) -> dict[str, Any]:
    data = rec.data
    known = data.get("sender_known")
    if isinstance(known, str):
        known = known.strip().lower() in {"1", "true", "yes"}
    return {
        "kind": data.get("kind") or "auto",
        "region": data.get("region") or region,
        "channel": data.get("channel"),
        "sender_known": known if isinstance(known, bool) else None,
    }


def _screen_conversation(out: IO[str], rec: Record, region: str | None) -> bool:
    """A JSONL line with `messages` instead of `text` is a whole conversation (issue 4)."""
    from lurewatch.conversation import ConversationError, parse_conversation, track

    try:
        conv = parse_conversation(rec.data)
        record = track(conv, region=rec.data.get("region") or region).to_record(rec.id)
    except (ConversationError, ValueError, TypeError) as exc:
        write_jsonl(out, BadRecord(rec.line, rec.id, str(exc)).to_dict())
        return False
    write_jsonl(out, record)
    return True


def screen_file(path: Path, output: Path | None, region: str | None) -> tuple[int, int]:
    """Screen every record of `path`; returns (screened, failed)."""
    fmt = detect_format(path)
    done = failed = 0
    out: IO[str] = output.open("w", encoding="utf-8") if output else sys.stdout
    size = path.stat().st_size
    show = err.is_terminal
    try:
        with (
            path.open("rb") as stream,
            Progress(
                TextColumn("screening"),
                BarColumn(),
                TextColumn("{task.completed:,.0f}/{task.total:,.0f} bytes"),
                TimeRemainingColumn(),
                console=err,
                disable=not show,
            ) as progress,
        ):
            task = progress.add_task("screen", total=size)
            for n, rec in enumerate(read_records(stream, fmt), 1):
                if isinstance(rec, BadRecord):
                    write_jsonl(out, rec.to_dict())
                    failed += 1
                elif "messages" in rec.data:
                    ok = _screen_conversation(out, rec, region)
                    done += ok
                    failed += not ok
                elif rec.text is None:
                    write_jsonl(
                        out, BadRecord(rec.line, rec.id, "no string field 'text'").to_dict()
                    )
                    failed += 1
                else:
                    try:
                        a = screen(rec.text, **_options(rec, region))
                    except (TextTooLongError, ValueError, TypeError) as exc:
                        write_jsonl(out, BadRecord(rec.line, rec.id, str(exc)).to_dict())
                        failed += 1
                    else:
                        write_jsonl(out, a.to_record(rec.id))
                        done += 1
                if show and n % 64 == 0:
                    progress.update(task, completed=stream.tell())
            progress.update(task, completed=size)
    finally:
        if output:
            out.close()
    return done, failed


def screen_cmd(
    text: Annotated[str | None, typer.Argument(help="Text to screen (omit with --input).")] = None,
    input: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="JSONL ({id,text,kind?}), CSV (text column) or text."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="JSONL output (default: stdout).")
    ] = None,
    kind: Annotated[str, typer.Option(help="message, job_ad or auto.")] = "auto",
    region: Annotated[str | None, typer.Option(help="ISO country: phones, hotlines.")] = None,
    sender_known: Annotated[
        bool | None,
        typer.Option("--sender-known/--sender-unknown", help="Is the sender a saved contact?"),
    ] = None,
    channel: Annotated[str | None, typer.Option(help="sms, whatsapp, job_board, ...")] = None,
) -> None:
    """Is this a recruitment lure or a scam? A verdict with the red flags and advice."""
    if (text is None) == (input is None):
        raise typer.BadParameter("give either TEXT or --input FILE")
    if text is not None:
        if kind not in ("auto", "message", "job_ad"):
            raise typer.BadParameter("--kind must be message, job_ad or auto")
        try:
            a = screen(text, kind, sender_known=sender_known, channel=channel, region=region)
        except TextTooLongError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from None
        print_assessment(Console(), text, a)
        return
    assert input is not None
    if not input.is_file():
        err.print(f"[red]error:[/red] no such file: {input}")
        raise typer.Exit(2)
    done, failed = screen_file(input, output, region)
    err.print(f"{done} item(s) screened, {failed} failed")
    raise typer.Exit(1 if failed else 0)

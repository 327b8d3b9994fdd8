"""The `lurewatch` command line.

Each capability contributes its commands from its own package (a typer sub-app) and is mounted
here, so this module stays a table of contents. Batch commands stream JSONL, report bad lines as
error records, and exit with status 1 when any item failed (0 when all succeeded).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from lurewatch.indicators import extract as extract_indicators
from lurewatch.io.batch import BadRecord, detect_format, read_records, write_jsonl
from lurewatch.models import INDICATOR_TYPES, Indicator, IndicatorType
from lurewatch.text import TextTooLongError

app = typer.Typer(
    name="lurewatch",
    help="Screen, extract, link and share intelligence on scam-compound lures and scams.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


def _parse_types(types: str | None) -> list[IndicatorType] | None:
    if not types:
        return None
    wanted = [t.strip() for t in types.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in INDICATOR_TYPES]
    if unknown:
        raise typer.BadParameter(
            f"unknown type(s) {', '.join(unknown)}; choose from {', '.join(INDICATOR_TYPES)}"
        )
    return wanted  # type: ignore[return-value]


def _fields(ind: Indicator) -> str:
    skip = {"type", "value", "normalized", "start", "end", "valid"}
    return ", ".join(f"{k}={v}" for k, v in ind.to_dict().items() if k not in skip)


def print_indicators(console: Console, text: str, found: list[Indicator]) -> None:
    """The text with indicators highlighted, then one table row per indicator."""
    shown = Text(text)
    for ind in found:
        shown.stylize("bold yellow" if ind.valid else "bold red", ind.start, ind.end)
    console.print(shown)
    if not found:
        console.print("[dim]no indicators found[/dim]")
        return
    table = Table(show_header=True, header_style="bold")
    for col in ("type", "as written", "normalized", "valid", "details"):
        table.add_column(col, overflow="fold")
    for ind in found:
        table.add_row(
            ind.type,
            Text(ind.value),
            Text(ind.normalized),
            "yes" if ind.valid else "[red]NO[/red]",
            Text(_fields(ind)),
        )
    console.print(table)


@app.command("extract")
def extract_cmd(
    text: Annotated[str | None, typer.Argument(help="Text to search (omit with --input).")] = None,
    input: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="JSONL ({id,text}), CSV (text column) or text file."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="JSONL output (default: stdout).")
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="Default country for numbers without a country code.")
    ] = None,
    types: Annotated[
        str | None, typer.Option(help="Comma-separated indicator types (default: all).")
    ] = None,
) -> None:
    """Extract phones, wallets, URLs, handles, accounts and amounts from a text or a file."""
    wanted = _parse_types(types)
    if (text is None) == (input is None):
        raise typer.BadParameter("give either TEXT or --input FILE")
    if text is not None:
        try:
            found = extract_indicators(text, types=wanted, region=region)
        except TextTooLongError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from None
        print_indicators(Console(), text, found)
        return
    assert input is not None
    failed = _extract_file(input, output, wanted, region)
    raise typer.Exit(1 if failed else 0)


def _extract_file(
    path: Path, output: Path | None, wanted: list[IndicatorType] | None, region: str | None
) -> int:
    if not path.is_file():
        err.print(f"[red]error:[/red] no such file: {path}")
        raise typer.Exit(2)
    fmt = detect_format(path)
    done = failed = 0
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        with path.open("rb") as stream:
            for rec in read_records(stream, fmt):
                if isinstance(rec, BadRecord):
                    write_jsonl(out, rec.to_dict())
                    failed += 1
                    continue
                if rec.text is None:
                    write_jsonl(
                        out,
                        BadRecord(
                            rec.line, rec.id, "no string field 'text' in this record"
                        ).to_dict(),
                    )
                    failed += 1
                    continue
                try:
                    found = extract_indicators(
                        rec.text, types=wanted, region=rec.data.get("region") or region
                    )
                except (TextTooLongError, ValueError) as exc:
                    write_jsonl(out, BadRecord(rec.line, rec.id, str(exc)).to_dict())
                    failed += 1
                    continue
                write_jsonl(out, {"id": rec.id, "indicators": [i.to_dict() for i in found]})
                done += 1
    finally:
        if output:
            out.close()
    err.print(f"{done} record(s) processed, {failed} failed")
    return failed


@app.command("demo")
def demo_cmd(
    serve: Annotated[
        bool, typer.Option(help="Serve the dashboard after building the demo store.")
    ] = True,
    port: Annotated[int, typer.Option(help="Port for the dashboard (another if busy).")] = 8000,
) -> None:
    """Screen the bundled messages, build a demo store of linked sample reports, serve the
    dashboard on it."""
    from lurewatch.demo import run_demo

    run_demo(Console(), serve=serve, port=port)


@app.command("train")
def train_cmd(
    data_dir: Annotated[Path, typer.Option(help="Folder holding corpus/ and indicators/.")] = Path(
        "../shared/data"
    ),
    only: Annotated[
        str | None, typer.Option(help="Only 'text' (message/job-ad models) or 'domains'.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for the text models (fixed by default).")] = 0,
) -> None:
    """Rebuild every shipped model (text classifiers, domain risk) and their data cards."""
    from lurewatch.domains import train_domain_model
    from lurewatch.model import cli as model_cli

    if only not in (None, "text", "domains"):
        raise typer.BadParameter("--only must be 'text' or 'domains'")
    if not data_dir.is_dir():
        err.print(f"[red]error:[/red] no data folder at {data_dir}")
        raise typer.Exit(2)
    if only in (None, "text"):
        model_cli.train(data_dir=data_dir, seed=seed)
    if only in (None, "domains"):
        try:
            report = train_domain_model(data_dir / "indicators")
        except FileNotFoundError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        typer.echo(f"domain model: {report.get('metrics', report)}")


def _mount() -> None:
    """Attach the commands each capability contributes from its own package."""
    from lurewatch.conversation import cli as conversation_cli
    from lurewatch.domains import cli as domains_cli
    from lurewatch.model import cli as model_cli
    from lurewatch.operations import cli as operations_cli
    from lurewatch.screening import cli as screening_cli
    from lurewatch.signals import cli as signals_cli
    from lurewatch.store import cli as store_cli

    app.command("screen")(screening_cli.screen_cmd)
    app.command("conversation")(conversation_cli.conversation_cmd)
    store_cli.mount(app)
    operations_cli.mount(app)
    app.command("eval")(model_cli.evaluate)
    app.add_typer(signals_cli.rules_app, name="rules")
    app.command("domains")(domains_cli.domains_cmd)
    app.add_typer(domains_cli.lists_app, name="lists")
    from lurewatch.sharing import cli as sharing_cli

    sharing_cli.mount(app)
    from lurewatch.psi import cli as psi_cli
    from lurewatch.taxii import cli as taxii_cli

    psi_cli.mount(app)  # lurewatch match ...
    taxii_cli.mount(app)  # lurewatch taxii ...


_mount()


def main() -> None:
    """Console-script entry point."""
    app()

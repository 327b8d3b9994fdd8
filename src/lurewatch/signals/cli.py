"""`lurewatch rules check [PATHS...]`: lint signal packs and run their examples.

A typer sub-app so the main CLI can mount it; exits 1 when any error is found, printing one
line per issue (file, rule id, what is wrong) rather than a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lurewatch.signals.lint import lint
from lurewatch.signals.loader import BUILTIN_PACK_DIR

app = typer.Typer(help="Red-flag signal packs.", no_args_is_help=True)
rules_app = typer.Typer(help="Check signal rule packs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("check")
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Pack files or directories (default: the built-in packs)."),
    ] = None,
    examples: Annotated[
        bool, typer.Option("--examples/--no-examples", help="Run every rule's examples.")
    ] = True,
    warnings: Annotated[bool, typer.Option("--warnings/--no-warnings")] = True,
) -> None:
    """Validate packs: schema, RE2 safety, ids, examples, references."""
    targets = paths or [BUILTIN_PACK_DIR]
    missing = [p for p in targets if not p.exists()]
    if missing:
        typer.echo(f"error: no such file or directory: {', '.join(map(str, missing))}", err=True)
        raise typer.Exit(2)
    report = lint(targets, run_examples=examples)
    for issue in report.issues:
        if issue.severity == "error" or warnings:
            typer.echo(str(issue), err=issue.severity == "error")
    n_rules = sum(len(pack.rules) for _, pack in report.packs)
    n_err = len(report.errors)
    n_warn = len(report.issues) - n_err
    typer.echo(f"{len(report.packs)} packs, {n_rules} rules: {n_err} errors, {n_warn} warnings")
    if not report.ok:
        raise typer.Exit(1)

"""`lurewatch domains` and `lurewatch lists update` (mounted by the main CLI as a sub-app).

Batch input is one URL/domain a line or JSONL `{"id", "url"}`; output is JSONL, one
assessment a line, in input order, so an analyst can join results back to their cases.
A bad line yields an `error` record, never a traceback that loses the rest of the batch.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.domains.check import check_domain
from lurewatch.domains.listfiles import ListFormatError
from lurewatch.domains.store import ListStoreError, current_user, update, versions
from lurewatch.store.db import make_engine, session_factory
from lurewatch.store.migrate import upgrade

app = typer.Typer(help="Judge links and domains; manage known-bad lists.", no_args_is_help=True)
lists_app = typer.Typer(help="Known-bad domain lists.", no_args_is_help=True)
app.add_typer(lists_app, name="lists")

MAX_LINE_CHARS = 100_000


def _items(fh: TextIO) -> Iterator[tuple[Any, str | None, str | None]]:
    """(id, url, error) per non-empty input line."""
    for n, line in enumerate(fh, start=1):
        line = line.strip()
        if not line:
            continue
        if len(line) > MAX_LINE_CHARS:
            yield n, None, f"line {n} is {len(line):,} characters long"
        elif line.startswith("{"):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, None, f"line {n}: invalid JSON ({exc.msg})"
                continue
            url = obj.get("url") if isinstance(obj, dict) else None
            rid = obj.get("id", n) if isinstance(obj, dict) else n
            if not isinstance(url, str):
                yield rid, None, f"line {n}: no string 'url' field"
            else:
                yield rid, url, None
        else:
            yield n, line, None


@app.command("domains")
def domains_cmd(
    input: Annotated[Path, typer.Option("--input", "-i", help="File, or - for stdin.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="JSONL out.")] = None,
    only_flagged: Annotated[bool, typer.Option(help="Write flagged domains only.")] = False,
) -> None:
    """Check each URL or domain in INPUT (one a line, or JSONL {"id","url"}); JSONL out."""
    try:
        src: TextIO = (
            sys.stdin if str(input) == "-" else input.open(encoding="utf-8", errors="replace")
        )
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {input}: {exc.strerror}") from exc
    out: TextIO = sys.stdout if output is None else output.open("w", encoding="utf-8")
    total = flagged = 0
    try:
        for rid, url, error in _items(src):
            total += 1
            if url is None:
                out.write(json.dumps({"id": rid, "error": error}) + "\n")
                continue
            a = check_domain(url)
            flagged += a.flagged
            if a.flagged or not only_flagged:
                out.write(json.dumps({"id": rid, **a.model_dump(mode="json")}) + "\n")
    finally:
        if src is not sys.stdin:
            src.close()
        if out is not sys.stdout:
            out.close()
    typer.echo(f"{total} checked, {flagged} flagged", err=True)


def _list_sessions() -> sessionmaker[Session]:
    """Sessions on the configured store, migrated to the newest schema (it holds the lists)."""
    engine = make_engine()
    upgrade(engine)
    return session_factory(engine)


@lists_app.command("update")
def lists_update(
    files: Annotated[list[Path], typer.Argument(help="List files: .txt, .csv or .json.")],
    org: Annotated[
        str | None, typer.Option(help="Organisation (in the store) the lists come from.")
    ] = None,
    by: Annotated[str | None, typer.Option(help="Who imports (default: the OS user).")] = None,
) -> None:
    """Import list files as a new version in the store (earlier versions are kept).

    All files are read first and stored in one transaction: one bad file imports nothing.
    """
    try:
        version = update(_list_sessions(), files, created_by=by or current_user(), org=org)
    except (ListFormatError, ListStoreError, OSError, SQLAlchemyError) as exc:
        typer.echo(f"error: {exc}".splitlines()[0], err=True)
        raise typer.Exit(2) from exc
    for meta in version.manifest["files"]:
        if meta["version"] == version.number:
            typer.echo(f"{meta['name']}: {meta['entries']} entries ({meta['format']})")
    typer.echo(f"lists version {version.number} stored ({len(version.manifest['files'])} lists)")


@lists_app.command("versions")
def lists_versions() -> None:
    """Every list version in the store, oldest first: when, by whom, and the lists in force."""
    try:
        found = versions(_list_sessions())
    except SQLAlchemyError as exc:
        typer.echo(f"error: {exc}".splitlines()[0], err=True)
        raise typer.Exit(2) from exc
    if not found:
        typer.echo("no list versions yet (import with `lurewatch lists update FILE...`)")
    for v in found:
        who = ", ".join(x for x in (v.created_by, v.org) if x) or "unknown"
        lists = ", ".join(
            f"{f['name']} ({f['entries']}{'' if f['version'] == v.number else ', kept'})"
            for f in v.manifest.get("files", [])
        )
        typer.echo(f"{v.number}\t{v.created_at:%Y-%m-%d %H:%M}\t{who}\t{lists}")

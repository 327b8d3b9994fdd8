"""Store and API commands: serve, db upgrade/retention, keys create, reports import, lookup.

The coordinator mounts them with `mount(app)` in lurewatch.cli. Every command uses
`LUREWATCH_DATABASE_URL` when set, else the SQLite file under the user data directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.io.batch import detect_format
from lurewatch.models import INDICATOR_TYPES
from lurewatch.store.access import ROLES, Viewer
from lurewatch.store.db import make_engine, session_factory
from lurewatch.store.migrate import upgrade

db_app = typer.Typer(help="Database schema and retention.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys.", no_args_is_help=True)
reports_app = typer.Typer(help="Reports in the store.", no_args_is_help=True)


def _sessions() -> sessionmaker[Session]:
    engine = make_engine()
    upgrade(engine)
    return session_factory(engine)


def serve_cmd(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the REST API (OpenAPI at /openapi.json) on the configured database."""
    import uvicorn

    upgrade(make_engine())
    uvicorn.run(
        "lurewatch.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the newest revision."""
    engine = make_engine()
    upgrade(engine)
    typer.echo(f"schema up to date at {engine.url.render_as_string(hide_password=True)}")


@db_app.command("retention")
def db_retention() -> None:
    """Delete reports older than their organisation's retention limit."""
    from lurewatch.store.privacy import apply_retention

    with _sessions()() as s:
        for org, n in apply_retention(s).items():
            typer.echo(f"{org}: {n} report(s) deleted")


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}.")],
    org: Annotated[str, typer.Option(help="Organisation name (created if new).")],
    label: Annotated[str | None, typer.Option(help="What the key is for.")] = None,
) -> None:
    """Create an API key and print it once on stdout (only its hash is stored)."""
    from lurewatch.store.keys import create_key

    if role not in ROLES:
        raise typer.BadParameter(f"choose from {', '.join(ROLES)}", param_hint="--role")
    with _sessions()() as s:
        typer.echo(create_key(s, org, role, label))


@keys_app.command("list")
def keys_list(
    org: Annotated[str | None, typer.Option(help="Only this organisation's keys.")] = None,
) -> None:
    """List keys: id, organisation, role, prefix, label, created, revoked (never the secret)."""
    from lurewatch.store.keys import list_keys
    from lurewatch.store.queries import iso

    with _sessions()() as s:
        for k in list_keys(s, org):
            revoked = f"revoked {iso(k.revoked_at)}" if k.revoked_at else "active"
            typer.echo(
                f"{k.id}\t{k.organisation.name}\t{k.role}\t{k.prefix}...\t{k.label or '-'}\t"
                f"created {iso(k.created_at)}\t{revoked}"
            )


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[int, typer.Argument(help="The key's id, from `lurewatch keys list`.")],
) -> None:
    """Revoke a key. Running servers refuse it within LUREWATCH_KEY_CACHE_SECONDS (5 s)."""
    from lurewatch.store.keys import revoke_key

    with _sessions()() as s:
        if not revoke_key(s, key_id):
            typer.echo(f"error: no active key with id {key_id}", err=True)
            raise typer.Exit(1)
    typer.echo(f"key {key_id} revoked")


SAMPLE = Path(__file__).with_name("sample_reports.jsonl")
"""Demo reports written for lurewatch (not from any corpus): several languages, a few
operations sharing a recruiter phone, a Telegram handle, a USDT wallet and a fake exchange."""


@reports_app.command("import")
def reports_import(
    file: Annotated[
        Path, typer.Argument(help="JSONL (.jsonl/.ndjson) or CSV file; 'sample' for the demo set.")
    ],
    org: Annotated[str, typer.Option(help="Organisation that owns the reports.")] = "local",
) -> None:
    """Import reports; print how many were stored, skipped as duplicates, and rejected."""
    from lurewatch.store.bulk import ingest_stream
    from lurewatch.store.keys import get_or_create_org

    if str(file) == "sample":
        file = SAMPLE
    if not file.is_file():
        typer.echo(f"error: no such file: {file}", err=True)
        raise typer.Exit(2)
    fmt = detect_format(file)
    if fmt == "text":
        typer.echo("error: give a .jsonl/.ndjson or .csv file", err=True)
        raise typer.Exit(2)
    with _sessions()() as s:
        org_id = get_or_create_org(s, org).id
        s.commit()
        with file.open("rb") as stream:
            summary = ingest_stream(s, Viewer(org_id, "admin"), stream, fmt)
    typer.echo(
        f"stored {summary.stored}, duplicates {summary.duplicates}, rejected {summary.rejected}"
    )
    for r in summary.reasons:
        typer.echo(f"  line {r['line']}: {r['reason']}", err=True)
    raise typer.Exit(1 if summary.rejected else 0)


def lookup_cmd(
    value: Annotated[str, typer.Argument(help="A phone, wallet, domain, handle, ...")],
    type: Annotated[str | None, typer.Option(help="Indicator type (default: guessed).")] = None,
    org: Annotated[str, typer.Option(help="Organisation whose view to use.")] = "local",
) -> None:
    """Have we seen this before? Reports, first/last seen, countries, co-occurring indicators."""
    import json

    import lurewatch
    from lurewatch.store.keys import get_or_create_org
    from lurewatch.store.queries import lookup

    if type is not None and type not in INDICATOR_TYPES:
        raise typer.BadParameter(f"choose from {', '.join(INDICATOR_TYPES)}", param_hint="--type")
    types = [type] if type else [i.type for i in lurewatch.extract(value)] or list(INDICATOR_TYPES)
    with _sessions()() as s:
        viewer = Viewer(get_or_create_org(s, org).id, "analyst")
        for t in dict.fromkeys(types):
            found = lookup(s, viewer, t, value)
            if found:
                typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
                return
    typer.echo(f"not seen: {value}")
    raise typer.Exit(1)


def mount(app: typer.Typer) -> None:
    """Attach these commands to the main `lurewatch` app."""
    app.command("serve")(serve_cmd)
    app.command("lookup")(lookup_cmd)
    app.add_typer(db_app, name="db")
    app.add_typer(keys_app, name="keys")
    app.add_typer(reports_app, name="reports")

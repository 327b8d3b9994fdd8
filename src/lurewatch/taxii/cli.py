"""`lurewatch taxii ...`: collections, publishing the store into them, pulling from partners.

The server itself runs inside `lurewatch serve` at /taxii2/ (docs/taxii.md).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.taxii import store
from lurewatch.taxii.tables import TaxiiCollection, TaxiiObject

taxii_app = typer.Typer(help="TAXII 2.1: collections, publishing, pulling.", no_args_is_help=True)
err = Console(stderr=True)


def _sessions() -> sessionmaker[Session]:
    from lurewatch.store.db import make_engine, session_factory
    from lurewatch.store.migrate import upgrade

    engine = make_engine()
    upgrade(engine)
    return session_factory(engine)


@taxii_app.command("collections")
def collections_cmd() -> None:
    """List the collections (one per sharing group, plus configured and pulled ones)."""
    with _sessions()() as s:
        store.sync_group_collections(s)
        table = Table("id", "alias", "title", "readers", "writers", "objects")
        counts = dict(
            s.execute(
                select(TaxiiObject.collection_id, func.count()).group_by(TaxiiObject.collection_id)
            ).all()
        )
        for c in s.scalars(select(TaxiiCollection).order_by(TaxiiCollection.title)):
            group = "sharing-group members" if c.group_id is not None else None
            table.add_row(
                c.id,
                c.alias or "",
                c.title,
                group or ", ".join(c.readers) or "admins",
                group or ", ".join(c.writers) or "admins",
                str(counts.get(c.id, 0)),
            )
        Console().print(table)


@taxii_app.command("add-collection")
def add_collection_cmd(
    title: Annotated[str, typer.Option(help="Title shown to clients.")],
    alias: Annotated[str | None, typer.Option(help="Short unique name.")] = None,
    description: Annotated[str | None, typer.Option(help="What it holds.")] = None,
    read: Annotated[
        list[str] | None, typer.Option("--read", help="Organisation that may read ('*': all).")
    ] = None,
    write: Annotated[
        list[str] | None, typer.Option("--write", help="Organisation that may write ('*': all).")
    ] = None,
) -> None:
    """Configure a collection beyond the sharing groups' (admins always read and write)."""
    with _sessions()() as s:
        if alias and store.find_collection(s, alias) is not None:
            err.print(f"[red]error:[/red] a collection with alias {alias!r} exists")
            raise typer.Exit(1)
        coll = store.create_collection(
            s, title, alias=alias, description=description, readers=read or [], writers=write or []
        )
        typer.echo(coll.id)


@taxii_app.command("publish")
def publish_cmd(
    collection: Annotated[
        str | None, typer.Option(help="Collection id or alias (default: every sharing group's).")
    ] = None,
) -> None:
    """Publish what each audience may receive (the sharing exporter decides) into collections."""
    from lurewatch.taxii.federate import publish

    with _sessions()() as s:
        store.sync_group_collections(s)
        if collection:
            found = store.find_collection(s, collection)
            if found is None:
                err.print(f"[red]error:[/red] no collection {collection!r}")
                raise typer.Exit(1)
            targets = [found]
        else:
            targets = list(
                s.scalars(select(TaxiiCollection).where(TaxiiCollection.group_id.is_not(None)))
            )
        for coll in targets:
            exported, added, withdrawn = publish(s, coll)
            typer.echo(
                f"{coll.alias or coll.id}: {exported} object(s) shared, {added} new, "
                f"{withdrawn} withdrawn"
            )


@taxii_app.command("pull")
def pull_cmd(
    url: Annotated[str, typer.Argument(help="The partner's TAXII API root or discovery URL.")],
    collection: Annotated[str, typer.Option(help="Remote collection id or alias.")],
    key: Annotated[
        str, typer.Option(envvar="LUREWATCH_PARTNER_KEY", help="Key (HTTP Basic password).")
    ],
    user: Annotated[str, typer.Option(help="HTTP Basic user name.")] = "lurewatch",
    org: Annotated[
        str | None, typer.Option(help="Organisation the objects are filed under (default: host).")
    ] = None,
) -> None:
    """Pull what is new in a partner's collection into this store (idempotent)."""
    from urllib.parse import urlsplit

    from lurewatch.taxii.federate import PullError, pull

    with _sessions()() as s:
        try:
            result = pull(
                s, url, collection, org=org or urlsplit(url).netloc, user=user, password=key
            )
        except PullError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from None
    imported = result.imported or {}
    typer.echo(
        f"{result.fetched} object(s) fetched, {result.added} new in collection "
        f"{result.collection}; store: {imported.get('new_objects', 0)} new object(s), "
        f"{imported.get('reports', 0)} report(s)"
    )


def mount(app: typer.Typer) -> None:
    """Attach `lurewatch taxii ...` to the main command line."""
    app.add_typer(taxii_app, name="taxii")

"""`lurewatch export`, `lurewatch import` and `lurewatch groups ...`, mounted by `mount(app)`.

All on the store named by LUREWATCH_DATABASE_URL. Exit codes: 0 done, 1 nothing to export,
2 bad input (unreadable file, not STIX or MISP, malformed content: the reason on stderr and
nothing imported). An export is written to a temporary file and renamed, so FILE is either
the whole export or untouched.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from lurewatch.sharing.errors import SharingError

MAX_IMPORT_BYTES = 512 * 1024 * 1024
groups_app = typer.Typer(help="Sharing groups: who receives what.", no_args_is_help=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)  # one unwrapped line, for logs and scripts
    return typer.Exit(code)


def _write_atomic(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _print_plan(summary: dict[str, Any], included: list[Any], withheld: list[Any]) -> None:
    """One line per object that would go and per thing withheld, each with its reason
    (plain lines, so an analyst can grep and diff them)."""
    texts = "included, personal data masked" if summary["include_text"] else "not sent"
    typer.echo(
        f"export to {summary['audience']} at TLP:{summary['tlp'].upper()} (lure texts {texts})"
    )
    for e in included:
        typer.echo(f"  send      {e.type} {e.id}: {e.why}")
    for w in withheld:
        typer.echo(f"  withhold  {w.what}: {w.why}")
    typer.echo(json.dumps(summary, ensure_ascii=False))


def export_cmd(
    format: Annotated[str, typer.Option("--format", "-f", help="stix or misp.")] = "stix",
    group: Annotated[
        str | None, typer.Option(help="Sharing group (default: all partners, TLP:GREEN).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be shared and why; write nothing.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (with --dry-run: the plan as JSON)."),
    ] = None,
    since: Annotated[
        datetime | None, typer.Option(help="Only reports stored (and objects imported) since.")
    ] = None,
) -> None:
    """Export what a sharing group may receive as a STIX 2.1 bundle or MISP events."""
    from lurewatch.store.cli import _sessions

    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)  # times on the command line are UTC
    if format not in ("stix", "misp"):
        raise _fail(f"--format must be stix or misp, not {format!r}")
    if output is None and not dry_run:
        raise _fail("give --output FILE (or --dry-run)")
    with _sessions()() as s:
        try:
            if format == "stix":
                from lurewatch.sharing.stix import bundle_of, plan_export

                plan: Any = plan_export(s, group, since)
                document = bundle_of(plan.objects)
                count = len(plan.objects)
            else:
                from lurewatch.sharing.misp import plan_events

                plan = plan_events(s, group, since)
                document = plan.document()
                count = len(plan.events)
        except SharingError as exc:
            raise _fail(str(exc)) from None
    if dry_run:
        _print_plan(plan.summary(), plan.included, plan.withheld)
        if output is not None:
            _write_atomic(output, plan.to_dict())
        return
    assert output is not None
    _write_atomic(output, document)
    typer.echo(json.dumps(plan.summary(), ensure_ascii=False), err=True)
    typer.echo(f"wrote {count} {'objects' if format == 'stix' else 'events'} to {output}")


def detect_format(document: Any) -> str:
    """ "stix" for a STIX bundle, "misp" for MISP events; SharingError otherwise."""
    if isinstance(document, dict) and document.get("type") == "bundle":
        return "stix"
    if isinstance(document, dict) and ("Event" in document or "response" in document):
        return "misp"
    if isinstance(document, list) and all(
        isinstance(x, dict) and ("Event" in x or "response" in x) for x in document
    ):
        return "misp"
    raise SharingError('neither a STIX 2.1 bundle ("type": "bundle") nor MISP events ("Event")')


def read_document(path: Path) -> tuple[Any, bytes]:
    if not path.is_file():
        raise SharingError(f"no such file: {path}")
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise SharingError(f"{path} is larger than {MAX_IMPORT_BYTES // 2**20} MiB")
    raw = path.read_bytes()
    try:
        return json.loads(raw.decode("utf-8")), raw
    except UnicodeDecodeError as exc:
        raise SharingError(f"{path} is not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise SharingError(f"{path} is not JSON: {exc}") from None


def import_document(session: Any, path: Path, org: str) -> dict[str, Any]:
    """Import a STIX bundle or MISP document file; SharingError (nothing written) if bad."""
    document, raw = read_document(path)
    fmt = detect_format(document)
    if fmt == "stix":
        from lurewatch.sharing.stix_import import import_bundle

        result = import_bundle(session, document, org, source=str(path), raw=raw)
    else:
        from lurewatch.sharing.misp_import import import_events

        result = import_events(session, document, org, source=str(path), raw=raw)
    return result.to_dict()


def import_cmd(
    file: Annotated[Path, typer.Argument(help="STIX 2.1 bundle or MISP event(s), JSON.")],
    org: Annotated[str, typer.Option(help="Organisation the intelligence is for.")] = "local",
) -> None:
    """Import a partner's STIX bundle or MISP events (format detected), all or nothing."""
    from lurewatch.store.cli import _sessions

    with _sessions()() as s:
        try:
            result = import_document(s, file, org)
        except SharingError as exc:
            raise _fail(f"{exc}; nothing imported") from None
    typer.echo(
        f"{result['format']}: {result['objects']} object(s), {result['new_objects']} new, "
        f"{result['duplicates']} already held; {result['reports']} report(s) with "
        f"{result['identifiers']} identifier(s) added"
    )


@groups_app.command("create")
def groups_create(
    name: Annotated[str, typer.Argument(help="Group name.")],
    tlp: Annotated[str, typer.Option(help="TLP 2.0 level of its exports.")] = "amber",
    member: Annotated[
        list[str] | None, typer.Option("--member", "-m", help="Member organisation (repeat).")
    ] = None,
    include_text: Annotated[
        bool, typer.Option("--include-text", help="Send lure texts (personal data masked).")
    ] = False,
    description: Annotated[str | None, typer.Option(help="What the group is for.")] = None,
) -> None:
    """Create a sharing group."""
    from lurewatch.sharing.groups import create_group
    from lurewatch.store.cli import _sessions

    with _sessions()() as s:
        try:
            g = create_group(
                s, name, tlp=tlp, members=member, include_text=include_text, description=description
            )
        except SharingError as exc:
            raise _fail(str(exc)) from None
        typer.echo(f"group {g.name!r}: TLP:{g.tlp.upper()}, {len(g.members)} member(s)")


@groups_app.command("add-member")
def groups_add_member(
    name: Annotated[str, typer.Argument(help="Group name.")],
    orgs: Annotated[list[str], typer.Argument(help="Organisations to add.")],
) -> None:
    """Add member organisations to a group."""
    from lurewatch.sharing.groups import add_members
    from lurewatch.store.cli import _sessions

    with _sessions()() as s:
        try:
            g = add_members(s, name, orgs)
        except SharingError as exc:
            raise _fail(str(exc)) from None
        typer.echo(f"group {g.name!r}: {', '.join(sorted(o.name for o in g.members))}")


@groups_app.command("share")
def groups_share(
    name: Annotated[str, typer.Argument(help="Group name.")],
    reports: Annotated[list[str], typer.Argument(help="Report uids to share with the group.")],
) -> None:
    """Share reports with a group (reports marked shared go to every group anyway)."""
    from lurewatch.sharing.groups import share_report
    from lurewatch.store.cli import _sessions

    with _sessions()() as s:
        try:
            added = sum(share_report(s, name, uid) for uid in reports)
        except SharingError as exc:
            raise _fail(str(exc)) from None
    typer.echo(f"{added} report(s) newly shared with {name!r}")


@groups_app.command("list")
def groups_list() -> None:
    """List sharing groups, their TLP and members."""
    from sqlalchemy import select

    from lurewatch.sharing.tables import SharingGroup
    from lurewatch.store.cli import _sessions

    table = Table("group", "TLP", "texts", "members", show_header=True, header_style="bold")
    with _sessions()() as s:
        for g in s.scalars(select(SharingGroup).order_by(SharingGroup.name)):
            members = ", ".join(sorted(o.name for o in g.members))
            table.add_row(g.name, g.tlp.upper(), "yes" if g.include_text else "no", members)
    Console().print(table)


def mount(app: typer.Typer) -> None:
    """Attach `export`, `import` and `groups` to the main command line."""
    app.command("export")(export_cmd)
    app.command("import")(import_cmd)
    app.add_typer(groups_app, name="groups")

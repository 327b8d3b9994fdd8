"""Commands: `lurewatch link`, `lurewatch operations ...`, `lurewatch campaigns`.

`link --input FILE` is the batch job on a file (screen + extract + link, one operation per
output line); `link` without `--input` links the store (`LUREWATCH_DATABASE_URL`), incrementally
once a full run was made. Bad input lines are reported on stderr with their line numbers, the
job finishes, and the exit status is 1 when any line was bad.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, TextIO

import typer
from sqlalchemy.orm import Session

from lurewatch.io.batch import BadRecord, Record, detect_format, read_records, write_jsonl
from lurewatch.linking.model import LinkRecord

operations_app = typer.Typer(
    help="Operations: linked reports, split and merge.", no_args_is_help=True
)
"""Demo reports written for lurewatch (no corpus texts): several languages, four operations
sharing recruiters, wallets, mule accounts and ad templates, and unrelated reports."""

EngineName = Literal["duckdb", "spark"]


def _echo_err(msg: str) -> None:
    typer.echo(msg, err=True)


@contextmanager
def _out(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    with path.open("w", encoding="utf-8") as fh:
        yield fh


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _opt_str(data: dict[str, Any], key: str, limit: int = 20) -> str | None:
    v = data.get(key)
    return v[:limit] if isinstance(v, str) and v.strip() else None


def records_from(
    path: Path, *, screen: bool = True, region: str | None = None
) -> tuple[list[LinkRecord], list[tuple[int, str]]]:
    """Linking records from a JSONL/CSV/text file, and the bad lines (line, reason).

    With `screen`, each text is screened (`lurewatch.screen`) for its category and risk."""
    import lurewatch
    from lurewatch.text import TextTooLongError

    records: list[LinkRecord] = []
    bad: list[tuple[int, str]] = []
    first_line: dict[str, int] = {}
    with path.open("rb") as stream:
        for rec in read_records(stream, detect_format(path)):
            if isinstance(rec, BadRecord):
                bad.append((rec.line, rec.error))
                continue
            problem = _check(rec, first_line)
            if problem:
                bad.append((rec.line, problem))
                continue
            text = rec.text or ""
            country = _opt_str(rec.data, "country", 2)
            category: str | None = _opt_str(rec.data, "category", 40)
            risk: float | None = None
            language = _opt_str(rec.data, "language", 12)
            if screen:
                try:
                    a = lurewatch.screen(text, region=country or region)
                except (TextTooLongError, ValueError) as exc:
                    bad.append((rec.line, str(exc)))
                    continue
                category, risk = category or a.category, a.risk
                language = language or a.language
            first_line[rec.id] = rec.line
            records.append(
                LinkRecord(
                    report_id=rec.id,
                    text=text,
                    country=country.upper() if country else None,
                    language=language,
                    category=category,
                    risk=risk,
                    seen_at=_when(rec.data.get("received_at") or rec.data.get("seen_at")),
                )
            )
    return records, bad


def _check(rec: Record, first_line: dict[str, int]) -> str | None:
    if rec.text is None:
        return "no 'text' field (a string)"
    if not rec.text.strip():
        return "empty text"
    if rec.id in first_line:
        return f"duplicate id {rec.id!r} (first on line {first_line[rec.id]})"
    return None


def _sessions() -> Any:
    from lurewatch.store.db import make_engine, session_factory
    from lurewatch.store.migrate import upgrade

    engine = make_engine()
    upgrade(engine)
    return session_factory(engine)


def _viewer(s: Session, org: str) -> Any:
    from lurewatch.store.access import Viewer
    from lurewatch.store.keys import get_or_create_org

    org_id = get_or_create_org(s, org).id
    s.commit()
    return Viewer(org_id, "analyst")


def link_cmd(
    input: Annotated[
        Path | None,
        typer.Option(
            "--input", "-i", help="JSONL {id,text,...}, CSV or text; omit to link the store."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Operations JSONL (default stdout).")
    ] = None,
    engine: Annotated[str, typer.Option(help="duckdb (default) or spark.")] = "duckdb",
    full: Annotated[
        bool, typer.Option("--full", help="Store: re-link everything, not only new reports.")
    ] = False,
    screen: Annotated[
        bool, typer.Option("--screen/--no-screen", help="File: screen texts for category and risk.")
    ] = True,
    region: Annotated[str | None, typer.Option(help="Default phone region, e.g. TH.")] = None,
) -> None:
    """Link reports into operations: a file of messages, or the store."""
    if engine not in ("duckdb", "spark"):
        raise typer.BadParameter("choose duckdb or spark", param_hint="--engine")
    eng: EngineName = "spark" if engine == "spark" else "duckdb"
    if input is None:
        _link_store(eng, full, output)
        return
    if not input.is_file():
        _echo_err(f"error: no such file: {input}")
        raise typer.Exit(2)
    from lurewatch.operations.build import build_operations
    from lurewatch.operations.linker import link

    records, bad = records_from(input, screen=screen, region=region)
    result = link(records, eng)
    bad = sorted(bad + list(result.bad))
    views = build_operations(result)
    with _out(output) as out:
        for v in views:
            write_jsonl(out, v.to_dict())
    for line, reason in bad:
        _echo_err(f"line {line}: {reason}")
    _echo_err(f"{len(records)} record(s), {len(views)} operation(s), {len(bad)} bad line(s)")
    raise typer.Exit(1 if bad else 0)


def _link_store(engine: EngineName, full: bool, output: Path | None) -> None:
    from sqlalchemy import select

    from lurewatch.operations.store_link import link_store, memberships
    from lurewatch.operations.tables import Operation

    with _sessions()() as s:
        summary = link_store(s, engine=engine, mode="full" if full else "auto", actor="cli")
        typer.echo(json.dumps(summary.to_dict()), err=output is None)
        if output is None:
            return
        # the store's operator (who holds the database) sees every operation as stored
        with _out(output) as out:
            offset = 0
            while True:
                page = s.scalars(
                    select(Operation)
                    .where(Operation.status == "active")
                    .order_by(Operation.size.desc(), Operation.uid)
                    .offset(offset)
                    .limit(200)
                ).all()
                members = memberships(s, [op.id for op in page])
                for op in page:
                    write_jsonl(out, _stored(op, sorted(members.get(op.uid, []))))
                if len(page) < 200:
                    break
                offset += 200


def _stored(op: Any, report_ids: list[str]) -> dict[str, Any]:
    from lurewatch.operations.build import iso

    return {
        "operation_id": op.uid,
        "size": op.size,
        "report_ids": report_ids,
        "confidence": op.confidence,
        "first_seen": iso(op.first_seen),
        "last_seen": iso(op.last_seen),
        "countries": op.countries,
        "languages": op.languages,
        "categories": op.categories,
        "indicators": op.top_indicators,
        "template": op.template or None,
        "evidence": op.evidence,
        "run": op.run,
    }


@operations_app.command("list")
def list_cmd(
    org: Annotated[str, typer.Option(help="Organisation whose view to use.")] = "local",
    status: Annotated[str, typer.Option(help="active, merged, retired or all.")] = "active",
    limit: Annotated[int, typer.Option(min=1, max=200)] = 50,
) -> None:
    """Operations, largest first: id, size, confidence, countries, top indicators."""
    from lurewatch.operations.queries import list_operations

    with _sessions()() as s:
        total, page = list_operations(s, _viewer(s, org), status=status, limit=limit)
    typer.echo(f"{total} operation(s)")
    for op in page:
        inds = ", ".join(i["key"] for i in op["indicators"][:3])
        countries = ",".join(op.get("countries") or {})
        typer.echo(
            f"{op['operation_id']}  size {op['size']:>4}  conf {op['confidence']:.2f}  "
            f"{countries or '-'}  {inds}"
        )


@operations_app.command("show")
def show_cmd(
    uid: Annotated[str, typer.Argument(help="Operation id, e.g. op-3f9c2a1b7d04.")],
    org: Annotated[str, typer.Option(help="Organisation whose view to use.")] = "local",
) -> None:
    """One operation as JSON: members, evidence, template, countries, timeline, decisions."""
    from lurewatch.operations.queries import OperationError, detail

    with _sessions()() as s:
        try:
            out = detail(s, _viewer(s, org), uid)
        except OperationError as exc:
            _echo_err(f"error: {exc.detail}")
            raise typer.Exit(1) from None
    typer.echo(json.dumps(out, ensure_ascii=False, indent=2))


@operations_app.command("split")
def split_cmd(
    uid: Annotated[str, typer.Argument(help="Operation id.")],
    reports: Annotated[str, typer.Option(help="Comma-separated report uids to move out.")],
    note: Annotated[str | None, typer.Option(help="Why (kept with the decision).")] = None,
    org: Annotated[str, typer.Option(help="Organisation of the analyst.")] = "local",
) -> None:
    """Move reports out of an operation; the decision survives every re-linking."""
    from lurewatch.operations.queries import OperationError, split_operation

    wanted = [r.strip() for r in reports.split(",") if r.strip()]
    with _sessions()() as s:
        try:
            out = split_operation(s, _viewer(s, org), uid, wanted, note=note, actor="cli")
        except OperationError as exc:
            _echo_err(f"error: {exc.detail}")
            raise typer.Exit(1) from None
    typer.echo(json.dumps(out))


@operations_app.command("merge")
def merge_cmd(
    uids: Annotated[list[str], typer.Argument(help="Operation ids; the first one survives.")],
    note: Annotated[str | None, typer.Option(help="Why (kept with the decision).")] = None,
    org: Annotated[str, typer.Option(help="Organisation of the analyst.")] = "local",
) -> None:
    """Merge operations into the first; the decision survives every re-linking."""
    from lurewatch.operations.queries import OperationError, merge_operations

    with _sessions()() as s:
        try:
            out = merge_operations(s, _viewer(s, org), uids, note=note, actor="cli")
        except OperationError as exc:
            _echo_err(f"error: {exc.detail}")
            raise typer.Exit(1) from None
    typer.echo(json.dumps(out))


@operations_app.command("sample")
def sample_cmd(
    org: Annotated[str, typer.Option(help="Organisation that owns the reports.")] = "local",
) -> None:
    """Load the bundled demo reports into the store and link them into operations."""
    from lurewatch.operations.sample import load_sample

    with _sessions()() as s:
        summary, run = load_sample(s, org, actor="cli")
        typer.echo(
            f"stored {summary.stored}, duplicates {summary.duplicates}, rejected {summary.rejected}"
        )
        typer.echo(json.dumps(run.to_dict()))


def campaigns_cmd(
    input: Annotated[Path, typer.Option("--input", "-i", help="Messages: JSONL, CSV or text.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Campaigns JSONL (default stdout).")
    ] = None,
    engine: Annotated[str, typer.Option(help="duckdb (default) or spark.")] = "duckdb",
    region: Annotated[str | None, typer.Option(help="Default phone region, e.g. TH.")] = None,
) -> None:
    """Group near-duplicate messages of a stream into campaigns, ranked by volume and risk."""
    from lurewatch.operations.campaigns import detect_campaigns

    if engine not in ("duckdb", "spark"):
        raise typer.BadParameter("choose duckdb or spark", param_hint="--engine")
    if not input.is_file():
        _echo_err(f"error: no such file: {input}")
        raise typer.Exit(2)
    records, bad = records_from(input, screen=True, region=region)
    campaigns, more_bad = detect_campaigns(
        records, engine="spark" if engine == "spark" else "duckdb"
    )
    bad = sorted(bad + more_bad)
    with _out(output) as out:
        for c in campaigns:
            write_jsonl(out, c.to_dict())
    for line, reason in bad:
        _echo_err(f"line {line}: {reason}")
    _echo_err(f"{len(records)} message(s), {len(campaigns)} campaign(s), {len(bad)} bad line(s)")
    raise typer.Exit(1 if bad else 0)


def mount(app: typer.Typer) -> None:
    """Attach these commands to the main `lurewatch` app."""
    app.command("link")(link_cmd)
    app.add_typer(operations_app, name="operations")
    app.command("campaigns")(campaigns_cmd)

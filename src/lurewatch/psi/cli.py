"""`lurewatch match`: private matching against a partner, over its API or over files.

Over HTTP (`lurewatch match run URL`) the partner's instance answers with its store's
identifiers. Over files, four steps alternate between the two sides:

  A: lurewatch match offer   --type phone --input mine.txt --state a.state --output offer.json
  B: lurewatch match respond --input ours.txt --offer offer.json --state b.state --output reply.json
  A: lurewatch match finish  --state a.state --reply reply.json --confirm confirm.json
  B: lurewatch match confirm --state b.state --confirm confirm.json

`--from-store` takes the set from the local store (LUREWATCH_DATABASE_URL) instead of a file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from lurewatch.psi import files
from lurewatch.psi.limits import LimitError, Limits
from lurewatch.psi.normalize import MATCHABLE_TYPES
from lurewatch.psi.protocol import Initiator, ProtocolError, Responder
from lurewatch.psi.sets import read_file, store_values

match_app = typer.Typer(
    help="Private matching (PSI): find the identifiers a partner holds too, reveal nothing else.",
    no_args_is_help=True,
)
err = Console(stderr=True)

InputOpt = Annotated[
    Path | None, typer.Option("--input", "-i", help="One identifier a line ('#' comments).")
]
StoreOpt = Annotated[
    bool, typer.Option("--from-store", help="Use every identifier of the type in the local store.")
]
RegionOpt = Annotated[
    str | None, typer.Option(help="Country for phone numbers written without a country code.")
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Shared identifiers, one a line (default: stdout)."),
]


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)


def _check_type(indicator_type: str) -> None:
    if indicator_type not in MATCHABLE_TYPES:
        raise typer.BadParameter(f"choose from {', '.join(MATCHABLE_TYPES)}", param_hint="--type")


def load_set(
    indicator_type: str, input: Path | None, from_store: bool, region: str | None
) -> list[str]:
    """This side's normalized set; bad lines are reported on stderr and left out."""
    if (input is None) == (not from_store):
        raise typer.BadParameter("give either --input FILE or --from-store")
    if from_store:
        from lurewatch.store.db import make_engine, session_factory
        from lurewatch.store.migrate import upgrade

        engine = make_engine()
        upgrade(engine)
        with session_factory(engine)() as s:
            return sorted(store_values(s, indicator_type))
    assert input is not None
    if not input.is_file():
        raise _fail(f"no such file: {input}", 2)
    got = read_file(input, indicator_type, region)
    for line, reason in got.errors[:20]:
        err.print(f"{input}:{line}: skipped: {reason}")
    if got.errors:
        err.print(f"{len(got.errors)} line(s) skipped, {len(got.values)} identifier(s) kept")
    return sorted(got.values)


def _write_values(values: list[str], output: Path | None) -> None:
    text = "".join(v + "\n" for v in values)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    err.print(f"{len(values)} identifier(s) in common")


@match_app.command("offer")
def offer_cmd(
    indicator_type: Annotated[str, typer.Option("--type", help="Identifier type.")],
    state: Annotated[Path, typer.Option(help="Where to keep this side's secret (mode 0600).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Offer file for the partner.")],
    input: InputOpt = None,
    from_store: StoreOpt = False,
    region: RegionOpt = None,
) -> None:
    """Step 1 (initiator): blind this side's identifiers into an offer file."""
    _check_type(indicator_type)
    values = load_set(indicator_type, input, from_store, region)
    try:
        Limits.from_env().check_sizes(len(values), len(values))
    except LimitError as exc:
        raise _fail(str(exc)) from None
    side = Initiator(indicator_type, values, parallel=True)
    files.write_private(output, files.offer_message(side))
    files.write_private(state, files.initiator_state(side), secret=True)
    err.print(f"offer of {len(values)} blinded identifier(s) written to {output}")


@match_app.command("respond")
def respond_cmd(
    offer: Annotated[Path, typer.Option(help="The partner's offer file.")],
    state: Annotated[Path, typer.Option(help="Where to keep this side's state (mode 0600).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Reply file for the partner.")],
    input: InputOpt = None,
    from_store: StoreOpt = False,
    region: RegionOpt = None,
) -> None:
    """Step 2 (responder): answer an offer with this side's blinded identifiers."""
    try:
        doc = files.read_message(offer, "offer")
        _check_type(doc["type"])
        values = load_set(doc["type"], input, from_store, region)
        Limits.from_env().check_sizes(int(doc.get("count", 0)), len(values))
        side = Responder(doc["type"], values, parallel=True)
        reply, kept = files.respond(side, doc)
    except (ProtocolError, LimitError) as exc:
        raise _fail(str(exc)) from None
    files.write_private(state, kept, secret=True)
    files.write_private(output, reply)
    err.print(f"reply with {len(values)} blinded identifier(s) written to {output}")


@match_app.command("finish")
def finish_cmd(
    state: Annotated[Path, typer.Option(help="The state file written by 'offer'.")],
    reply: Annotated[Path, typer.Option(help="The partner's reply file.")],
    confirm: Annotated[
        Path | None, typer.Option(help="Write the confirmation for the partner here.")
    ] = None,
    output: OutputOpt = None,
) -> None:
    """Step 3 (initiator): the identifiers both hold, and the partner's confirmation file."""
    try:
        side = files.load_initiator(files.read_message(state, "initiator-state"))
        doc = files.read_message(reply, "reply")
        Limits.from_env().check_sizes(len(side.values), int(doc.get("count", 0)))
        shared, message = files.finish(side, doc)
    except (ProtocolError, LimitError) as exc:
        raise _fail(str(exc)) from None
    if confirm is not None:
        files.write_private(confirm, message)
    _write_values(shared, output)


@match_app.command("confirm")
def confirm_cmd(
    state: Annotated[Path, typer.Option(help="The state file written by 'respond'.")],
    confirm: Annotated[Path, typer.Option(help="The partner's confirmation file.")],
    output: OutputOpt = None,
) -> None:
    """Step 4 (responder): the identifiers both hold."""
    try:
        shared = files.confirm(
            files.read_message(state, "responder-state"), files.read_message(confirm, "confirm")
        )
    except ProtocolError as exc:
        raise _fail(str(exc)) from None
    _write_values(shared, output)


@match_app.command("run")
def run_cmd(
    url: Annotated[str, typer.Argument(help="The partner's lurewatch, e.g. https://host:8000")],
    indicator_type: Annotated[str, typer.Option("--type", help="Identifier type.")],
    key: Annotated[
        str, typer.Option(envvar="LUREWATCH_PARTNER_KEY", help="API key the partner issued.")
    ],
    input: InputOpt = None,
    from_store: StoreOpt = False,
    region: RegionOpt = None,
    output: OutputOpt = None,
) -> None:
    """Match against a partner's instance over its API (both sides learn the intersection)."""
    from lurewatch.psi.client import MatchError, match_remote

    _check_type(indicator_type)
    values = load_set(indicator_type, input, from_store, region)
    try:
        shared = match_remote(url, key, indicator_type, values)
    except (MatchError, ProtocolError) as exc:
        raise _fail(str(exc)) from None
    _write_values(shared, output)


def mount(app: typer.Typer) -> None:
    """Attach `lurewatch match ...` to the main command line."""
    app.add_typer(match_app, name="match")

"""`make demo`: the dashboard on embedded data, after a look at what screening finds.

1. Screens the bundled messages we wrote ourselves (`data/samples/messages.jsonl`: recruitment
   lures, pig-butchering and task-scam messages, impersonation, a family's report of a relative
   held in a compound, and genuine messages, identifiers written the ways scammers write them)
   and prints verdicts, red flags and identifiers.
2. Builds a fresh embedded store (SQLite under the user data directory, `demo/`) from the bundled
   sample reports (`data/samples/reports.jsonl`, 65 reports in nine languages), links them into
   operations, and creates an analyst key to log in with.
3. Serves the web dashboard and the API on it (`--no-serve` stops after step 2).

The store is rebuilt on every run so the demo always starts from the same state, and it is never
the user's own store (`LUREWATCH_DATABASE_URL` is ignored here, on purpose).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from lurewatch.screening import screen


def sample_messages() -> list[dict[str, Any]]:
    """The bundled demo messages."""
    path = resources.files("lurewatch") / "data" / "samples" / "messages.jsonl"
    with path.open("r", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def screen_samples(console: Console) -> None:
    """Screen each sample message; print verdict, red flags and identifiers, then a summary."""
    messages = sample_messages()
    summary = Table(title="lurewatch demo: verdicts", header_style="bold")
    for col in ("id", "language", "verdict", "risk", "category", "identifiers"):
        summary.add_column(col)
    for msg in messages:
        text = msg["text"]
        a = screen(text, msg.get("kind", "auto"), region=msg.get("region"))
        colour = "red" if a.flagged else "green"
        console.print(Rule(f"{msg['id']} · {a.kind} · {a.language}"))
        shown = Text(text)
        for ev in a.signals:
            for span in ev.spans:
                shown.stylize("bold black on yellow", span.start, span.end)
        for ind in a.indicators:
            shown.stylize("underline", ind.start, ind.end)
        console.print(shown)
        console.print(
            f"[bold {colour}]{'WARNING' if a.flagged else 'no strong warning signs'}[/] "
            f"risk {a.risk:.2f} · {a.category}"
        )
        for ev in a.signals[:5]:
            console.print(Text(f"  ⚑ {ev.title} ({ev.weight:.2f})"))
        for ind in a.indicators:
            flag = "" if ind.valid else "  [invalid checksum/number]"
            console.print(Text(f"  • {ind.type}: {ind.value} → {ind.normalized}{flag}"))
        summary.add_row(
            msg["id"],
            a.language,
            Text("WARNING" if a.flagged else "ok", style=colour),
            f"{a.risk:.2f}",
            a.category,
            str(len(a.indicators)),
        )
    console.print(Rule())
    console.print(summary)


@dataclass(frozen=True)
class DemoStore:
    """The embedded store the demo built: where it is, what is in it, and a key to log in."""

    url: str
    reports: int
    operations: list[dict[str, Any]]
    analyst_key: str


def demo_dir() -> Path:
    return Path(platformdirs.user_data_dir("lurewatch", appauthor=False)) / "demo"


def build_demo_store(directory: Path) -> DemoStore:
    """A fresh SQLite store in `directory` holding the sample reports linked into operations."""
    from lurewatch.operations.queries import list_operations
    from lurewatch.operations.sample import load_sample
    from lurewatch.store.access import Viewer
    from lurewatch.store.db import make_engine, session_factory
    from lurewatch.store.keys import create_key, get_or_create_org
    from lurewatch.store.migrate import upgrade

    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    url = f"sqlite:///{directory / 'lurewatch.db'}"
    engine = make_engine(url)
    upgrade(engine)
    try:
        with session_factory(engine)() as s:
            summary, _ = load_sample(s, "demo-ngo", actor="demo", mode="full")
            key = create_key(s, "demo-ngo", "analyst", label="make demo")
            s.commit()
            org_id = get_or_create_org(s, "demo-ngo").id
            _, operations = list_operations(s, Viewer(org_id, "analyst"))
    finally:
        engine.dispose()
    return DemoStore(url, summary.stored, operations, key)


def print_store(console: Console, store: DemoStore) -> None:
    table = Table(title="operations linked from the sample reports", header_style="bold")
    for col in ("operation", "reports", "confidence", "countries", "top indicator"):
        table.add_column(col)
    for op in store.operations:
        top = op.get("indicators") or [{}]
        table.add_row(
            op["operation_id"],
            str(op["size"]),
            f"{op['confidence']:.2f}",
            ", ".join(sorted(op.get("countries") or {})),
            Text(f"{top[0].get('type', '')} {top[0].get('value', '')}"),
        )
    console.print(table)
    console.print(f"{store.reports} sample reports stored in {store.url}")
    if store.operations and store.operations[0].get("template"):
        console.print(Text(f"shared template: {store.operations[0]['template']['text']}"))


def free_port(preferred: int) -> int:
    """`preferred` when it is free on loopback, else any free port."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])


def _announce_when_listening(
    console: Console, port: int, message: str, timeout: float = 300.0
) -> None:
    """Print the URLs once the server accepts connections: printed before, a user who clicks
    at once meets "connection refused" while the models warm up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1.0):
                console.print(message)
                return
        except OSError:
            time.sleep(0.2)


def run_demo(console: Console, *, serve: bool = True, port: int = 8000) -> DemoStore:
    """Screen the sample messages, build the demo store, then serve the dashboard on it."""
    screen_samples(console)
    store = build_demo_store(demo_dir())
    console.print(Rule("the dashboard on embedded data"))
    print_store(console, store)
    if not serve:
        return store
    import uvicorn

    port = free_port(port)
    base = f"http://127.0.0.1:{port}"
    console.print("\nStarting the dashboard (the models warm up first)...")
    announce = (
        f"\n[bold]Dashboard:[/] {base}/check  (public check page: paste a job ad, message or chat)"
        f"\n[bold]Report form:[/] {base}/report"
        f"\n[bold]Analysts:[/] {base}/login  with the key [bold]{store.analyst_key}[/], "
        f"then {base}/analyst/operations"
        f"\n[bold]API:[/] {base}/docs\nCtrl-C stops the server."
    )
    threading.Thread(
        target=_announce_when_listening, args=(console, port, announce), daemon=True
    ).start()
    os.environ["LUREWATCH_DATABASE_URL"] = store.url
    uvicorn.run(
        "lurewatch.api.app:create_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    return store

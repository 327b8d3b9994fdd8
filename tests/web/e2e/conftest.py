"""Browser tests: the real server (uvicorn, as `lurewatch serve` runs it) on a seeded SQLite
store, driven in Debian's Chromium by Playwright.

- Chromium is `/usr/bin/chromium` (installed by `scripts/test-deps.d/chromium.sh`); Playwright
  never downloads a browser. Without it, or without axe-core (`make web-assets`), the browser
  tests are skipped and say why.
- `live_server` (one per session) starts uvicorn in its own process on a free port of
  18400-18449 with `LUREWATCH_DATABASE_URL` pointing at a temp store seeded from
  `tests/web/fixtures/e2e_reports.jsonl`; `live_server.sessions()` writes to the same store and
  `live_server.key(role)` makes API keys (for the analyst pages' login).
- `page` / `phone_page` are fresh browser contexts (no shared cookies or cache) at 1280 and
  360 px; `shot(page, name)` keeps a full-page screenshot in `tests-artifacts/web/`;
  `axe_violations(page)` runs axe-core (from npm) in the page and returns the serious and
  critical violations; `console_errors(page)` collects errors such as CSP violations.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.store.access import Viewer
from lurewatch.store.bulk import ingest_stream
from lurewatch.store.db import make_engine, session_factory
from lurewatch.store.keys import create_key, get_or_create_org
from lurewatch.store.migrate import upgrade

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PORTS = range(18400, 18450)
ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests-artifacts" / "web"
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "e2e_reports.jsonl"
SEED_ORG = "hotline"
STARTUP_S = 300
"""The server warms up (signal packs, models) before answering; a loaded CI machine is slow."""


def free_port() -> int:
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


@dataclass
class LiveServer:
    url: str
    database_url: str
    _sessions: sessionmaker[Session] | None = field(default=None, repr=False)

    def sessions(self) -> sessionmaker[Session]:
        if self._sessions is None:
            self._sessions = session_factory(make_engine(self.database_url))
        return self._sessions

    def key(self, role: str, org: str = SEED_ORG) -> str:
        with self.sessions()() as s:
            return create_key(s, org, role)


def _seed(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with session_factory(engine)() as s:
        org = get_or_create_org(s, SEED_ORG).id
        s.commit()
        with SEED.open("rb") as fh:
            summary = ingest_stream(s, Viewer(org, "admin"), fh, "jsonl")
    assert summary.rejected == 0, summary.reasons
    engine.dispose()


def _wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/check", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"server not ready after {STARTUP_S} s")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing: run scripts/test-deps.sh (make test does)")
    database_url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'store.db'}"
    _seed(database_url)
    port = free_port()
    env = {
        **os.environ,
        "LUREWATCH_DATABASE_URL": database_url,
        "LUREWATCH_WEB_SECRET": "e2e-secret-0123456789-0123456789-0123456789",
        "LUREWATCH_WEB_RATE_PER_SECOND": "1000",
        "LUREWATCH_WEB_RATE_BURST": "1000",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "lurewatch.api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc)
        yield LiveServer(url, database_url)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def browser(live_server: LiveServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _context_page(
    browser: Any, live_server: LiveServer, width: int, height: int, locale: str = "en-US"
) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}, locale=locale
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.lurewatch_errors = errors
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    yield from _context_page(browser, live_server, 1280, 900)


@pytest.fixture
def phone_page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    yield from _context_page(browser, live_server, 360, 740)


@pytest.fixture
def make_page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """`make_page(width, height, locale)`: more pages (e.g. a browser set to Thai), closed at
    the end of the test."""
    opened: list[Iterator[Any]] = []

    def make(width: int = 1280, height: int = 900, locale: str = "en-US") -> Any:
        gen = _context_page(browser, live_server, width, height, locale)
        opened.append(gen)
        return next(gen)

    yield make
    for gen in opened:
        for _ in gen:  # runs the context's cleanup
            pass


def shot(page: Any, name: str) -> Path:
    """A full-page screenshot kept as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts on the current page, one line each.

    axe is evaluated through the DevTools protocol, which the page's CSP (no inline or foreign
    script) does not apply to, so the pages are scanned exactly as served."""
    if not AXE.is_file():
        pytest.skip(f"{AXE} missing: run make web-assets (npm ci)")
    page.evaluate(AXE.read_text("utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    out = []
    for v in result["violations"]:
        if v["impact"] in impacts:
            targets = [json.dumps(n["target"]) for n in v["nodes"][:3]]
            out.append(f"{v['impact']} {v['id']}: {v['help']} at {', '.join(targets)}")
    return out


def console_errors(page: Any) -> list[str]:
    errors: list[str] = page.lurewatch_errors
    return list(errors)


def no_horizontal_scroll(page: Any) -> bool:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    viewport: int = page.evaluate("window.innerWidth")
    return width <= viewport

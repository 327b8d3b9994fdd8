"""Crash safety: SIGKILL the server mid bulk ingest of 10,000 reports, restart, check, re-run.

Every acknowledged report (its bulk request answered 200) must be intact after the kill; no
report may be half-written (a report without its version, items or assessment); re-running the
whole ingest must finish with exactly 10,000 reports.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, func, select

from lurewatch.store.db import session_factory
from lurewatch.store.keys import create_key
from lurewatch.store.schema import Assessment, Item, Report, ReportVersion

N = 10_000
PER_REQUEST = 250
CITIES = ("Bavet", "Poipet", "Myawaddy", "Sihanoukville", "Bokeo", "Mae Sot")


def _line(i: int) -> bytes:
    op = i % 37  # a few dozen "operations" sharing phones and handles
    text = (
        f"Ref {i}: hiring typists for {CITIES[op % len(CITIES)]}, pay {900 + op * 10} USD, "
        f"no experience, visa paid. Telegram @hr_team_{op} "
        f"or WhatsApp +855 96 {op:03d} {i % 9000 + 1000}"
    )
    return json.dumps({"id": f"r{i}", "text": text, "country": "KH"}).encode() + b"\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LUREWATCH_DATABASE_URL": url, "LUREWATCH_RATE_PER_SECOND": "100000"}
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
        start_new_session=True,
    )
    # the app loads the screening models and the domain lists before it listens: ~15 s of CPU,
    # minutes of wall time on a machine shared with other test runs
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


@pytest.fixture
def server_db(engine: Engine, db_url: str) -> Iterator[tuple[str, str]]:
    with session_factory(engine)() as s:
        key = create_key(s, "hotline", "analyst")
    yield db_url, key


def _send(port: int, key: str, start: int, acked: list[int], stop: threading.Event) -> None:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/x-ndjson"}
    with httpx.Client(timeout=120) as client:
        for lo in range(start, N, PER_REQUEST):
            if stop.is_set():
                return
            body = b"".join(_line(i) for i in range(lo, min(lo + PER_REQUEST, N)))
            try:
                r = client.post(
                    f"http://127.0.0.1:{port}/api/v1/reports/bulk", content=body, headers=headers
                )
            except httpx.TransportError:
                return
            if r.status_code != 200:
                return
            acked.extend(range(lo, min(lo + PER_REQUEST, N)))


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_sigkill_mid_bulk_ingest(server_db: tuple[str, str], engine: Engine) -> None:
    url, key = server_db
    port = _free_port()
    proc = _start(url, port)
    acked: list[int] = []
    stop = threading.Event()
    sender = threading.Thread(target=_send, args=(port, key, 0, acked, stop))
    sender.start()
    deadline = time.monotonic() + 300
    while len(acked) < 1000 and time.monotonic() < deadline and sender.is_alive():
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # mid-request: the next chunk is being written
    proc.wait()
    stop.set()
    sender.join()
    assert 1000 <= len(acked) < N

    sessions = session_factory(engine)
    with sessions() as s:
        stored = {r.external_id: r for r in s.scalars(select(Report))}
        for i in acked:
            rep = stored[f"r{i}"]
            assert rep.current_version == 1
            assert len(rep.versions) == 1 and rep.versions[0].items[0].text in _line(i).decode()
        # nothing half-written: every report has a version, an item and an assessment
        assert s.scalar(select(func.count()).select_from(ReportVersion)) == len(stored)
        assert s.scalar(select(func.count()).select_from(Item)) == len(stored)
        assert s.scalar(select(func.count()).select_from(Assessment)) == len(stored)

    proc = _start(url, port)
    try:
        again: list[int] = []
        _send(port, key, 0, again, threading.Event())
        assert len(again) == N
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Report)) == N
        assert s.scalar(select(func.count(func.distinct(Report.external_id)))) == N
        assert s.scalar(select(func.count()).select_from(ReportVersion)) == N


def test_line_generator_is_stable() -> None:
    assert _line(5) == _line(5) and _line(5) != _line(6)

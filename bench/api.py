"""Load test of the REST API on loopback, bounded in time.

Starts `uvicorn lurewatch.api.app:create_app` on a fresh SQLite file, then
1. POST /api/v1/screen with varied texts from `--concurrency` connections for `--duration`
   seconds: requests/s and latency percentiles (bar: >= 300 req/s, p99 < 100 ms);
2. fills the store with `--indicators` indicators (default 1,000,000), `--per-report` to a
   report, then GET /api/v1/indicators/{type}/{value} for random stored ones (bar: p99 < 20 ms).

The load generator is `wrk` (Debian package `wrk`; C, one thread, event loop) driven by a Lua
script that cycles through pre-encoded requests: it costs a few percent of a core at these
rates, where an asyncio+httpx client costs about as much CPU per request as the server does and
takes it from the same two cores. `--client httpx` runs that pure-Python client instead (for a
machine without wrk, or to compare). Both are closed-loop: each connection sends its next
request when the answer arrives. The figures include the CPU seconds used by the server
processes and by the generator (its share of the machine), and the load average.

    uv run --frozen python bench/api.py [--duration 15] [--workers 2] [--concurrency 8]
        [--indicators 1000000] [--client wrk|httpx] [--only screen|lookup]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select

from lurewatch.store.db import make_engine, session_factory
from lurewatch.store.keys import create_key, get_or_create_org
from lurewatch.store.migrate import upgrade
from lurewatch.store.schema import Indicator, Item, Occurrence, Report, ReportVersion

TEXTS = [
    "Hi dear, are you free this weekend? My uncle can teach you gold trading, 30% a week.",
    "URGENT hiring customer service in Bangkok, salary 1500 USD, visa and flight paid, "
    "Telegram @hr_fast_job",
    "Your parcel is on hold, pay the customs fee at hxxps://thai-post-delivery[.]top/pay",
    "Mom, this is my new number, please send 5000 baht to this account, I will explain later",
    "Cần tuyển nhân viên CSKH tại Campuchia, lương 1200 USD, bao ăn ở, liên hệ Zalo 0912345678",
    "招聘客服，月薪八千，包吃包住，无需经验，联系微信 abc12345",
    "Lowongan admin online gaji 15 juta, tiket ditanggung, hubungi WA +62 812 3456 7890",
    "Meeting moved to 3pm tomorrow, see you at the office.",
]
DISTINCT_REQUESTS = 2000
"""Requests the generator cycles through: distinct texts and lookup values, so no layer can
answer from a cache of the last few."""

Request = tuple[str, str, str | None]
"""method, path, JSON body (or None)."""

CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    server_cpu_s: float
    client_cpu_s: float

    def line(self, what: str, note: str) -> str:
        rate = self.requests / self.seconds
        share = self.client_cpu_s / max(self.client_cpu_s + self.server_cpu_s, 1e-9)
        return (
            f"{what}: {rate:.0f} req/s over {self.seconds:.0f}s, p50 {self.p50_ms:.1f} ms, "
            f"p90 {self.p90_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, max {self.max_ms:.0f} ms, "
            f"errors {self.errors}; CPU per request: server "
            f"{self.server_cpu_s / max(self.requests, 1) * 1000:.2f} ms, generator "
            f"{self.client_cpu_s / max(self.requests, 1) * 1000:.2f} ms; generator share of "
            f"the CPU used {share:.0%}; the server got {self.server_cpu_s / self.seconds:.2f} of "
            f"{os.cpu_count()} cores (ceiling at this cost per request with all of them: "
            f"{(os.cpu_count() or 1) / max(self.server_cpu_s / max(self.requests, 1), 1e-9):.0f} "
            f"req/s) ({note})"
        )


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of `pid` and its children (the uvicorn workers), from /proc."""
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / CLK_TCK
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def _serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LUREWATCH_DATABASE_URL": url,
        "LUREWATCH_RATE_PER_SECOND": "1000000",
        "LUREWATCH_RATE_BURST": "1000000",
    }
    cmd = [
        *(sys.executable, "-m", "uvicorn", "lurewatch.api.app:create_app", "--factory"),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
        *("--log-level", "warning", "--no-access-log"),
    ]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    deadline = time.monotonic() + 600  # each worker loads the models and lists first
    ready = 0
    while time.monotonic() < deadline and ready < 3 * workers:
        # several answers in a row, so that every worker has started (each warms up first)
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            ready += 1
        except httpx.TransportError:
            time.sleep(0.2)
    if ready < 3 * workers:
        os.killpg(proc.pid, signal.SIGTERM)
        raise RuntimeError("server did not start")
    return proc


def _stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait()


def _pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


LUA = """
local requests = {}
local n = 0
local i = 0
function init(args)
  local headers = {["Authorization"] = "Bearer %(key)s", ["Content-Type"] = "application/json"}
  for _, r in ipairs(SPEC) do
    n = n + 1
    requests[n] = wrk.format(r[1], r[2], headers, r[3])
  end
  i = math.random(n)
end
function request()
  i = i %% n + 1
  return requests[i]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %%d, "duration_us": %%d, "p50": %%d, "p90": %%d, "p99": %%d, ' ..
    '"max": %%d, "errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def _lua_string(s: str) -> str:
    level = "=" * 3
    assert f"]{level}]" not in s
    return f"[{level}[{s}]{level}]"


def _wrk(base: str, key: str, reqs: Sequence[Request], duration: float, conns: int) -> Run:
    """Drive the server with wrk; latencies are wrk's own (microsecond histogram)."""
    spec = ",\n".join(
        f"{{{_lua_string(m)}, {_lua_string(p)}, {_lua_string(b) if b else 'nil'}}}"
        for m, p, b in reqs
    )
    script = f"SPEC = {{\n{spec}\n}}\n" + LUA % {"key": key}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(
            [
                *("wrk", "-t1", f"-c{conns}", f"-d{duration:.0f}s", "--timeout", "10s"),
                *("-s", fh.name, base),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        os.unlink(fh.name)
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    res = json.loads(line[4:])
    return Run(
        requests=res["requests"],
        seconds=res["duration_us"] / 1e6,
        p50_ms=res["p50"] / 1000,
        p90_ms=res["p90"] / 1000,
        p99_ms=res["p99"] / 1000,
        max_ms=res["max"] / 1000,
        errors=res["errors"],
        server_cpu_s=0.0,
        client_cpu_s=(after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
    )


def _httpx(base: str, key: str, reqs: Sequence[Request], duration: float, conns: int) -> Run:
    """The same closed loop from an asyncio + httpx client in this process."""

    async def go() -> tuple[list[float], int, float]:
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        latencies: list[float] = []
        errors = 0
        limits = httpx.Limits(max_connections=conns, max_keepalive_connections=conns)
        async with httpx.AsyncClient(
            base_url=base, headers=headers, limits=limits, timeout=10
        ) as client:
            start = time.monotonic()
            stop = start + duration

            async def worker(n: int) -> None:
                nonlocal errors
                i = n
                while time.monotonic() < stop:
                    method, path, body = reqs[i % len(reqs)]
                    t0 = time.perf_counter()
                    r = await client.request(method, path, content=body)
                    latencies.append(time.perf_counter() - t0)
                    if r.status_code >= 400:
                        errors += 1
                    i += conns

            await asyncio.gather(*(worker(n) for n in range(conns)))
            return latencies, errors, time.monotonic() - start

    cpu0 = time.process_time()
    lat, errors, seconds = asyncio.run(go())
    return Run(
        requests=len(lat),
        seconds=seconds,
        p50_ms=_pct(lat, 50),
        p90_ms=_pct(lat, 90),
        p99_ms=_pct(lat, 99),
        max_ms=max(lat) * 1000,
        errors=errors,
        server_cpu_s=0.0,
        client_cpu_s=time.process_time() - cpu0,
    )


Driver = Callable[[str, str, Sequence[Request], float, int], Run]


def measure(
    drive: Driver,
    proc: subprocess.Popen[bytes],
    base: str,
    key: str,
    reqs: Sequence[Request],
    duration: float,
    conns: int,
) -> Run:
    """One bounded run, with the server's CPU seconds over it."""
    drive(base, key, reqs, 2.0, 2)  # warm up every worker's connection and caches
    cpu0 = _tree_cpu(proc.pid)
    run = drive(base, key, reqs, duration, conns)
    run.server_cpu_s = _tree_cpu(proc.pid) - cpu0
    return run


def phone_values(n: int) -> list[str]:
    return [f"+6681{i:07d}" for i in range(n)]


def fill(url: str, n: int, per_report: int, batch: int = 20_000) -> list[str]:
    """n phone indicators with one occurrence each, `per_report` per report (a report names a
    handful of identifiers), written with Core bulk INSERTs."""
    engine = make_engine(url)
    values = phone_values(n)
    now = datetime.now(UTC)
    with session_factory(engine)() as s:
        org = get_or_create_org(s, "bench").id
        s.commit()
        for lo in range(0, n, batch):
            chunk = values[lo : lo + batch]
            first = lo // per_report
            reports = range(first, first + (len(chunk) + per_report - 1) // per_report)
            s.execute(
                insert(Report),
                [
                    {
                        "id": r + 1,
                        "uid": f"bench-{r}",
                        "org_id": org,
                        "received_at": now,
                        "created_at": now,
                        "country": "TH",
                        "urgency": [],
                        "consent_store": True,
                        "consent_contact": False,
                        "shared": False,
                        "urgent": False,
                        "possible_victim": False,
                        "current_version": 1,
                    }
                    for r in reports
                ],
            )
            s.execute(
                insert(ReportVersion),
                [
                    {
                        "id": r + 1,
                        "report_id": r + 1,
                        "org_id": org,
                        "version": 1,
                        "content_hash": f"bench-{r}",
                        "text": "bench",
                        "created_at": now,
                    }
                    for r in reports
                ],
            )
            s.execute(
                insert(Item),
                [
                    {
                        "id": r + 1,
                        "version_id": r + 1,
                        "position": 0,
                        "kind": "message",
                        "text": "bench",
                    }
                    for r in reports
                ],
            )
            s.execute(
                insert(Indicator),
                [
                    {"id": lo + j + 1, "type": "phone", "normalized": v, "created_at": now}
                    for j, v in enumerate(chunk)
                ],
            )
            s.execute(
                insert(Occurrence),
                [
                    {
                        "indicator_id": lo + j + 1,
                        "report_id": (lo + j) // per_report + 1,
                        "item_id": (lo + j) // per_report + 1,
                        "org_id": org,
                        "value": v,
                        "valid": True,
                        "seen_at": now,
                        "country": "TH",
                    }
                    for j, v in enumerate(chunk)
                ],
            )
            s.commit()
    engine.dispose()
    return values


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--duration", type=float, default=15.0)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--indicators", type=int, default=1_000_000)
    ap.add_argument("--per-report", type=int, default=10)
    ap.add_argument("--lookup-duration", type=float, default=10.0)
    ap.add_argument("--lookup-concurrency", type=int, default=4)
    ap.add_argument("--client", choices=("wrk", "httpx"), default=None)
    ap.add_argument("--only", choices=("screen", "lookup"), default=None)
    ap.add_argument(
        "--db",
        type=Path,
        default=None,
        help="SQLite file to keep between runs (filled once; default: a temporary one)",
    )
    args = ap.parse_args()
    client = args.client or ("wrk" if shutil.which("wrk") else "httpx")
    drive: Driver = _wrk if client == "wrk" else _httpx
    print(
        f"commit {_commit()}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, "
        f"{os.cpu_count()} CPUs, client {client}, {args.workers} uvicorn worker(s)"
    )

    with tempfile.TemporaryDirectory(prefix="lw-bench-api-") as tmp:
        db = args.db or Path(tmp) / "bench.db"
        url = f"sqlite:///{db}"
        engine = make_engine(url)
        upgrade(engine)
        with session_factory(engine)() as s:
            key = create_key(s, "bench", "analyst")
            stored = s.scalar(select(func.count()).select_from(Indicator)) or 0
        engine.dispose()
        port = _port()
        base = f"http://127.0.0.1:{port}"

        if args.only in (None, "screen"):
            proc = _serve(url, port, args.workers)
            try:
                reqs: list[Request] = [
                    (
                        "POST",
                        "/api/v1/screen",
                        json.dumps({"text": f"{TEXTS[i % len(TEXTS)]} #{i}"}),
                    )
                    for i in range(DISTINCT_REQUESTS)
                ]
                run = measure(drive, proc, base, key, reqs, args.duration, args.concurrency)
                print(run.line("screen", f"concurrency {args.concurrency}"))
            finally:
                _stop(proc)

        if args.only in (None, "lookup"):
            t0 = time.monotonic()
            if stored == 0:
                fill(url, args.indicators, args.per_report)
                print(
                    f"filled {args.indicators:,} indicators + occurrences "
                    f"({args.per_report} per report) in {time.monotonic() - t0:.0f}s"
                )
            elif stored != args.indicators:
                sys.exit(f"{db} holds {stored:,} indicators, not {args.indicators:,}")
            values = phone_values(args.indicators)
            proc = _serve(url, port, args.workers)
            try:
                rnd = random.Random(7)
                lookups: list[Request] = [
                    ("GET", f"/api/v1/indicators/phone/{v}", None)
                    for v in rnd.sample(values, min(DISTINCT_REQUESTS, len(values)))
                ]
                run = measure(
                    drive,
                    proc,
                    base,
                    key,
                    lookups,
                    args.lookup_duration,
                    args.lookup_concurrency,
                )
                print(
                    run.line(
                        "lookup",
                        f"{len(values):,} indicators, concurrency {args.lookup_concurrency}",
                    )
                )
            finally:
                _stop(proc)


if __name__ == "__main__":
    main()

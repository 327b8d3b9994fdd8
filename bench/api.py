"""Load test of the REST API on loopback, bounded in time and count.

Starts `uvicorn lurewatch.api.app:create_app` on a fresh SQLite file, then
1. POST /api/v1/screen with varied texts from `--concurrency` async clients for `--duration`
   seconds: requests/s and latency percentiles (bar: >= 300 req/s, p99 < 100 ms);
2. fills the store with `--indicators` indicators (default 1,000,000) and one occurrence each,
   then GET /api/v1/indicators/{type}/{value} for `--lookups` random ones (bar: p99 < 20 ms).
The generator runs on the same machine, so its CPU use counts against the server's.

    uv run --frozen python bench/api.py [--duration 15] [--workers 2] [--indicators 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import insert

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


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LUREWATCH_DATABASE_URL": url,
        "LUREWATCH_RATE_PER_SECOND": "1000000",
        "LUREWATCH_RATE_BURST": "1000000",
    }
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "lurewatch.api.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000


async def _load(
    base: str, key: str, duration: float, concurrency: int, make: object
) -> tuple[int, list[float], int]:
    headers = {"Authorization": f"Bearer {key}"}
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + duration
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30
    ) as client:

        async def worker(n: int) -> None:
            nonlocal errors
            i = n
            while time.monotonic() < stop:
                method, path, body = make(i)  # type: ignore[operator]
                t0 = time.perf_counter()
                r = await client.request(method, path, json=body)
                latencies.append(time.perf_counter() - t0)
                if r.status_code >= 400 and r.status_code != 404:
                    errors += 1
                i += concurrency

        await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return len(latencies), latencies, errors


def _fill(url: str, n: int, per_report: int = 10, batch: int = 20_000) -> list[str]:
    """n phone indicators with one occurrence each, `per_report` per report (a report names a
    handful of identifiers), written with Core bulk INSERTs."""
    engine = make_engine(url)
    values = [f"+6681{i:07d}" for i in range(n)]
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=float, default=15.0)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--indicators", type=int, default=1_000_000)
    ap.add_argument("--lookup-duration", type=float, default=10.0)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        with session_factory(engine)() as s:
            key = create_key(s, "bench", "analyst")
        engine.dispose()
        port = _port()
        base = f"http://127.0.0.1:{port}"
        proc = _serve(url, port, args.workers)
        try:

            def screen_req(i: int) -> tuple[str, str, dict[str, str]]:
                return "POST", "/api/v1/screen", {"text": f"{TEXTS[i % len(TEXTS)]} #{i}"}

            asyncio.run(_load(base, key, 3.0, 2, screen_req))  # warm up
            n, lat, errors = asyncio.run(
                _load(base, key, args.duration, args.concurrency, screen_req)
            )
            print(
                f"screen: {n / args.duration:.0f} req/s over {args.duration:.0f}s, "
                f"p50 {_pct(lat, 50):.1f} ms, p99 {_pct(lat, 99):.1f} ms, errors {errors} "
                f"(workers {args.workers}, concurrency {args.concurrency})"
            )
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()

        t0 = time.monotonic()
        values = _fill(url, args.indicators)
        print(f"filled {len(values):,} indicators + occurrences in {time.monotonic() - t0:.0f}s")
        proc = _serve(url, port, args.workers)
        try:
            rnd = random.Random(7)

            def lookup_req(i: int) -> tuple[str, str, None]:
                return "GET", f"/api/v1/indicators/phone/{rnd.choice(values)}", None

            n, lat, errors = asyncio.run(_load(base, key, args.lookup_duration, 4, lookup_req))
            print(
                f"lookup: {n / args.lookup_duration:.0f} req/s, p50 {_pct(lat, 50):.1f} ms, "
                f"p99 {_pct(lat, 99):.1f} ms, mean {statistics.mean(lat) * 1000:.1f} ms, "
                f"errors {errors} ({len(values):,} indicators, concurrency 4)"
            )
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()


if __name__ == "__main__":
    main()

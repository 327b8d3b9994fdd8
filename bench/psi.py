"""Private set intersection between two sets of 100,000 phone numbers (bar: under 60 s).

Two runs side by side, in one invocation:
1. in process: both roles in this process, one after the other (the cryptography alone),
   single-core and with `parallel=True` (worker processes for the big batches);
2. over HTTP: `uvicorn lurewatch.api.app:create_app` on loopback holds 100,000 phone numbers in
   its store (Core bulk INSERTs, bench/api.py's `fill`); this process runs `match_remote` with
   100,000 numbers, 10,000 of them in common. This is the real two-party exchange: the server
   blinds its set while the client blinds its offer, so the two roles use the two cores.
Each run checks that both sides found exactly the 10,000 common numbers. Reported: wall time,
the CPU seconds of this process (and its children) and of the server, the load average.

    uv run --frozen python bench/psi.py [--n 100000] [--common 10000] [--port 18390]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api import _serve, _stop, _tree_cpu, fill
from lurewatch.psi.client import match_remote
from lurewatch.psi.protocol import Initiator, Responder
from lurewatch.store import make_engine, session_factory, upgrade
from lurewatch.store.keys import create_key


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def in_process(a: list[str], b: list[str], parallel: bool) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), _cpu()
    ini, res = Initiator("phone", a, parallel=parallel), Responder("phone", b, parallel=parallel)
    doubled, own = res.answer(ini.offer()), res.own_points()
    shared, confirm = ini.finish(doubled, own)
    assert res.confirm(confirm) == shared
    return time.perf_counter() - wall, _cpu() - cpu, len(shared)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--common", type=int, default=10_000)
    ap.add_argument("--port", type=int, default=18390)
    ap.add_argument("--skip-in-process", action="store_true")
    args = ap.parse_args()
    n, common = args.n, args.common
    held = [f"+6681{i:07d}" for i in range(n)]  # what bench/api.py's fill() stores
    mine = [f"+6681{i:07d}" for i in range(n - common, 2 * n - common)]
    print(f"PSI, {n:,} x {n:,} phone numbers, {common:,} in common; load {os.getloadavg()}")
    if not args.skip_in_process:
        for parallel in (False, True):
            wall, cpu, found = in_process(mine, held, parallel)
            assert found == common, found
            print(f"in process, parallel={parallel}: {wall:.1f} s wall, {cpu:.1f} s CPU")
    with tempfile.TemporaryDirectory(prefix="lw-bench-psi-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'responder.db'}"
        engine = make_engine(url)
        upgrade(engine)
        fill(url, n, per_report=5)
        with session_factory(engine)() as s:
            key = create_key(s, "partner-bench", "partner")
        engine.dispose()
        os.environ["LUREWATCH_PSI_DAILY_ITEMS_GUESSABLE"] = str(10 * n)
        proc = _serve(url, args.port, workers=1)
        try:
            for parallel in (False, True):
                server_cpu = _tree_cpu(proc.pid)
                wall, cpu = time.perf_counter(), _cpu()
                shared = match_remote(
                    f"http://127.0.0.1:{args.port}", key, "phone", mine, parallel=parallel
                )
                wall, cpu = time.perf_counter() - wall, _cpu() - cpu
                assert len(shared) == common, len(shared)
                print(
                    f"over HTTP, client parallel={parallel}: {wall:.1f} s wall; client "
                    f"{cpu:.1f} s CPU, server {_tree_cpu(proc.pid) - server_cpu:.1f} s CPU"
                )
        finally:
            _stop(proc)
    print(f"load at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()

"""Cost of matching ALL signal packs on real-length messages (the screening hot path).

Run: `uv run --frozen python -m bench.signals_speed [N]`. Pins one core, takes 2N (default
N=5,000) messages of at least 150 characters, all languages, from the shared corpus (timing
input only; nothing from it goes into rules or fixtures), cut to 150 characters. RE2 builds its
DFA lazily, so the first N messages are the "cold" pass; the other N, never seen before, give
the steady-state cost: the one-pass RE2 set alone, the full `match` (set + spans + result
models), and `score_signals(match(normalize(text)))`. Times are CPU time of this process
(`time.process_time`), so other work sharing the core is not billed to us.
"""

from __future__ import annotations

import random
import sys
import time

from bench.common import corpus_rows, pin_one_core
from lurewatch.signals.engine import default_engine
from lurewatch.signals.scoring import score_signals
from lurewatch.text import normalize


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    note = pin_one_core()
    rows = [r["text"][:150] for r in corpus_rows() if len(r["text"]) >= 150]
    random.Random(7).shuffle(rows)
    warmup, texts = rows[:n], rows[n : 2 * n]
    t0 = time.process_time()
    engine = default_engine()
    build = time.process_time() - t0
    nts = [normalize(t) for t in texts]
    n_patterns = sum(len(r.all_patterns()) for r in engine.rules)

    def per_msg(fn: object) -> float:
        start = time.process_time()
        for nt in nts:
            fn(nt)  # type: ignore[operator]
        return (time.process_time() - start) / len(nts) * 1e6

    start = time.process_time()
    for t in warmup:
        engine.candidate_patterns(normalize(t).text)
    cold = (time.process_time() - start) / len(warmup) * 1e6
    unseen = per_msg(lambda nt: engine.candidate_patterns(nt.text))
    set_only = min(per_msg(lambda nt: engine.candidate_patterns(nt.text)) for _ in range(3))
    full = min(per_msg(engine.match) for _ in range(3))
    start = time.process_time()
    for t in texts:
        score_signals(engine.match(normalize(t)))
    whole = (time.process_time() - start) / len(texts) * 1e6
    avg = sum(len(nt.text) for nt in nts) / len(nts)
    print(f"{len(engine.packs)} packs, {len(engine.rules)} rules, {n_patterns} patterns;")
    print(f"build {build:.2f}s; {len(texts)} messages, {avg:.0f} chars avg; {note}")
    print(f"| step | us/message |\n|---|---|\n| normalize + set, cold (first N) | {cold:.1f} |")
    print(f"| set, unseen text after warm-up | {unseen:.1f} |")
    print(
        f"| set, same text again | {set_only:.1f} |\n| match (set + spans + models) | {full:.1f} |"
    )
    print(f"| normalize + match + score | {whole:.1f} |")


if __name__ == "__main__":
    main()

"""Conversation tracker: the issue's bars on our labelled chats, and the 500-turn speed.

Run: `uv run --frozen python -m bench.conversation`. Pins one core. Part 1 scores every
conversation in tests/fixtures/conversations/labelled.jsonl (written by us) and prints the
share of scams alerted, the share alerted before the first money/deposit request, the turns
of warning, and false alerts on benign chats. Part 2 builds a 500-turn conversation from the
fixtures' messages (both senders, all languages, in order, repeated) and times `track()` in
CPU time of this process, after a warm-up on a different short chat; it also compares the
mean cost of `add()` over the first and the last 50 turns, which is flat if scoring is
incremental.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.common import REPO, pin_one_core
from lurewatch.conversation import ConversationTracker, track
from lurewatch.conversation.evaluate import evaluate, load_labelled

LABELLED = REPO / "tests" / "fixtures" / "conversations" / "labelled.jsonl"
TURNS = 500


def _quality(path: Path) -> None:
    m = evaluate(path)
    s = m.summary()
    leads = [o.lead for o in m.scams if o.lead is not None]
    print(f"conversations {s['conversations']} ({s['scam']} scam, {s['benign']} benign), "
          f"{s['languages']} languages")  # fmt: skip
    print(f"scams alerted                 {s['alerted_share']:.1%}  (bar >= 90%)")
    print(f"alerted before money request  {s['before_money_share']:.1%}  (bar >= 75%) "
          f"of {len(leads)} scams that reached one")  # fmt: skip
    print(f"turns of warning before money median {statistics.median(leads):.0f}, "
          f"min {min(leads)}, max {max(leads)}")  # fmt: skip
    print(f"false alerts on benign        {s['false_alerts']}  (bar 0)")
    for o in m.scams:
        if o.lead is not None and o.lead <= 0:
            print(f"  alert at the money request: {o.id} (turn {o.alert_turn})")


def _speed() -> None:
    pool = [msg for item in load_labelled(LABELLED) for msg in item["messages"]]
    messages = [pool[i % len(pool)] for i in range(TURNS)]
    track(pool[:6])  # warm-up: packs compiled, model loaded
    best = float("inf")
    for _ in range(3):
        t = time.process_time()
        a = track(messages)
        best = min(best, time.process_time() - t)
    print(f"{TURNS}-turn conversation: {best:.3f} s CPU (bar < 1 s), {len(a.turns)} turns, "
          f"alert at {a.alert_turn}")  # fmt: skip
    tr = ConversationTracker()
    costs = []
    for msg in messages:
        t = time.process_time()
        tr.add(msg)
        costs.append(time.process_time() - t)
    first, last = statistics.mean(costs[:50]), statistics.mean(costs[-50:])
    print(f"add(): mean {first * 1e3:.3f} ms over turns 1-50, {last * 1e3:.3f} ms over "
          f"turns {TURNS - 49}-{TURNS} (flat = incremental)")  # fmt: skip


def main() -> None:
    print(pin_one_core())
    _quality(LABELLED)
    _speed()


if __name__ == "__main__":
    main()

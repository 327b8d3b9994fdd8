"""Screening benchmark: the full `screen()` path vs a TF-IDF + LogisticRegression baseline.

    make bench-screen     # or: uv run --frozen python bench/screen.py [--shipped] [--limit N]

One run, one table (issue 3's bar: screen() throughput >= 1.5x the baseline's on one core,
with the accuracy of both on the same held-out split):

1. Data: every message of the shared corpora that the shipped message model trains on
   (`lurewatch.model.train.prepare`: de-duplicated, near-duplicates grouped by MinHash). 20% of
   the GROUPS (seeded) are held out, so no near-duplicate of a held-out text is trained on.
2. Accuracy on the held-out split, flagged vs not (spam and scam both count as positive):
   - baseline: scikit-learn TfidfVectorizer(char_wb, 1-4) + LogisticRegression trained on the
     train split, flagged at P >= 0.5;
   - lurewatch: the text model retrained on the same train split through
     `lurewatch.model.train.train_kind` (its own CV, calibration and thresholds), alone and
     inside the full `screen()` (signals, links, combination). With `--shipped` the shipped
     model is used instead, which saw the held-out texts in training: the table says so.
3. Throughput: both over every text of the shared corpora (messages and job ads, >= 100k
   distinct texts, each seen once; nothing repeated), pinned to one core, in process CPU time,
   taking turns on chunks of 1,000 texts so load from other processes falls on both alike.
   The baseline predicts each chunk as one batch (its fastest way); screen() takes one text at
   a time, as a service does; screen_many() takes the chunk as one batch, as the baseline
   does (a trust-and-safety pipeline's shape), and returns exactly screen()'s Assessments.
   All are warmed up first on texts not timed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from bench.common import SHARED_DATA, corpus_rows, pin_one_core, table
from lurewatch.model.artifacts import shipped_model
from lurewatch.model.classifier import RiskModel
from lurewatch.model.corpus import Example
from lurewatch.model.train import MESSAGE, prepare, train_kind
from lurewatch.screening import screen, screen_many
from lurewatch.text import normalize

SEED = 20260601
HELD_OUT = 0.2
CHUNK = 1000
WARMUP = 3000


def split(examples: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    """Hold out `HELD_OUT` of the near-duplicate groups (seeded)."""
    groups = np.array(sorted({e.group for e in examples}))
    rng = np.random.default_rng(SEED)
    held = set(rng.choice(groups, size=int(len(groups) * HELD_OUT), replace=False).tolist())
    train = [e for e in examples if e.group not in held]
    test = [e for e in examples if e.group in held]
    return train, test


def train_baseline(texts: list[str], y: np.ndarray) -> Pipeline:
    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), min_df=2, sublinear_tf=True),
        LogisticRegression(max_iter=1000, C=10.0),
    ).fit(texts, y)


def retrain_lurewatch(train: list[Example], raw: dict[str, str], folds: int) -> RiskModel:
    """The message model trained by lurewatch's own training code on the train split only."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        with (corpus / "train_split.jsonl").open("w", encoding="utf-8") as fh:
            for e in train:
                row = {"id": e.id, "dataset": e.dataset, "kind": "message"}
                row.update(language=e.language, text=raw[e.id], label=e.label)
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        return train_kind(Path(tmp), MESSAGE, folds=folds, seed=0).model


def prf(y: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    tp = float(np.sum(pred & (y == 1)))
    p = tp / max(float(np.sum(pred)), 1.0)
    r = tp / max(float(np.sum(y == 1)), 1.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def throughput(
    runners: dict[str, Callable[[list[str]], object]], texts: list[str]
) -> dict[str, float]:
    """CPU seconds per text for each runner, taking turns chunk by chunk."""
    for run in runners.values():
        run(texts[:WARMUP])
    timed = texts[WARMUP:]
    secs = dict.fromkeys(runners, 0.0)
    gc.collect()
    for i in range(0, len(timed), CHUNK):
        chunk = timed[i : i + CHUNK]
        for name, run in runners.items():
            t0 = time.process_time()
            run(chunk)
            secs[name] += time.process_time() - t0
    return {name: s / len(timed) for name, s in secs.items()}


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shipped", action="store_true", help="skip retraining (leaky accuracy)")
    ap.add_argument("--folds", type=int, default=3, help="CV folds of the lurewatch retrain")
    ap.add_argument("--limit", type=int, default=0, help="time only this many texts")
    ap.add_argument("--skip-accuracy", action="store_true", help="throughput only")
    args = ap.parse_args(argv)
    pinned = pin_one_core()
    load = os.getloadavg()

    raw = {str(r["id"]): str(r["text"]) for r in corpus_rows(("message",))}
    examples, _stats = prepare(SHARED_DATA, MESSAGE)
    train, test = split(examples)
    y_train = np.array([e.risk for e in train])
    y_test = np.array([e.risk for e in test])
    test_raw = [raw[e.id] for e in test]
    print(f"{len(examples)} de-duplicated messages; train {len(train)}, held out {len(test)}")

    t0 = time.time()
    baseline = train_baseline([raw[e.id] for e in train], y_train)
    print(f"baseline trained in {time.time() - t0:.0f} s")
    if args.shipped:
        model = shipped_model("message")
        note = "SHIPPED model: it was trained on all data, held-out texts included (leaky)"
    else:
        t0 = time.time()
        model = retrain_lurewatch(train, raw, args.folds)
        print(f"lurewatch model retrained on the train split in {time.time() - t0:.0f} s")
        note = f"lurewatch model retrained on the train split ({args.folds}-fold CV inside)"
    models = {"message": model}

    acc: dict[str, tuple[float, float, float]] = {}
    if not args.skip_accuracy:
        acc["baseline"] = prf(y_test, baseline.predict_proba(test_raw)[:, 1] >= 0.5)
        model_only = []
        for t in test_raw:
            nt = normalize(t)
            model_only.append(model.predict_text(nt.text, language=nt.language).flagged)
        acc["model"] = prf(y_test, np.array(model_only))
        # screen_many gives exactly screen()'s Assessments (tests/screening/test_screen_many.py)
        flagged = [a.flagged for a in screen_many(test_raw, models=models)]
        acc["screen"] = acc["screen_many"] = prf(y_test, np.array(flagged))

    texts = [str(r["text"]) for r in corpus_rows()]
    rng = np.random.default_rng(SEED)
    texts = [texts[i] for i in rng.permutation(len(texts))]
    if args.limit:
        texts = texts[: args.limit + WARMUP]

    def run_baseline(chunk: list[str]) -> object:
        return baseline.predict_proba(chunk)

    def run_screen(chunk: list[str]) -> object:
        return [screen(t, models=models) for t in chunk]

    def run_screen_many(chunk: list[str]) -> object:
        return screen_many(chunk, models=models)

    def run_model(chunk: list[str]) -> object:
        out = []
        for t in chunk:
            nt = normalize(t)
            out.append(model.predict_text(nt.text, language=nt.language))
        return out

    runners = {
        "baseline": run_baseline,
        "screen": run_screen,
        "screen_many": run_screen_many,
        "model": run_model,
    }
    per = throughput(runners, texts)
    n_timed = len(texts) - WARMUP
    base_rate = 1.0 / per["baseline"]
    names = {
        "baseline": "sklearn TfidfVectorizer(char_wb 1-4) + LogisticRegression (batch)",
        "screen": "lurewatch screen() (normalize, language, extract, signals, model, links)",
        "screen_many": "lurewatch screen_many() (same Assessments, chunk of 1,000 as one batch)",
        "model": "lurewatch normalize + language + text model only",
    }
    rows = []
    for key in ("baseline", "screen", "screen_many", "model"):
        p, r, f = acc.get(key, (float("nan"),) * 3)
        rate = 1.0 / per[key]
        rows.append(
            [
                names[key],
                f"{rate:,.0f}",
                f"{per[key] * 1e6:.0f}",
                f"{rate / base_rate:.2f}x",
                f"{p:.3f}",
                f"{r:.3f}",
                f"{f:.3f}",
            ]
        )
    print()
    print(
        table(
            ["system", "texts/s (1 core)", "us/text", "vs baseline", "precision", "recall", "F1"],
            rows,
        )
    )
    print()
    print(
        f"Throughput: {n_timed:,} distinct corpus texts each (after {WARMUP:,} warm-up), "
        f"process CPU time, {pinned}, load average at start {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f}. Accuracy: {len(test):,} held-out messages ({int(y_test.sum()):,} "
        f"spam/scam), {int(HELD_OUT * 100)}% of MinHash groups, seed {SEED}. {note}."
    )


if __name__ == "__main__":
    main()

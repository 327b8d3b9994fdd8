from __future__ import annotations

import random

import numpy as np
import pytest

from lurewatch.linking import minhash
from lurewatch.linking.config import LinkConfig
from lurewatch.linking.minhash import band_keys, jaccard, signatures, splitmix64

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


_MASK64 = (1 << 64) - 1


def _mix(h: int) -> int:
    h = ((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    h = ((h ^ (h >> 27)) * 0x94D049BB133111EB) & _MASK64
    return h ^ (h >> 31)


def _reference_signature(text: str, config: LinkConfig) -> list[int] | None:
    """The module docstring's recipe for one text in plain Python integers."""
    k, bins = config.shingle, config.bins
    cps = [ord(c) for c in text.lower()]
    if max(len(cps) - k + 1, 0) < config.min_shingles:
        return None
    shift = 64 - bins.bit_length() + 1
    empty = 1 << 62
    row = [empty] * bins
    for i in range(len(cps) - k + 1):
        h = cps[i]
        for c in cps[i + 1 : i + k]:
            h = (h * 0x100000001B3 + c) & _MASK64
        h = _mix(h)
        b = h >> shift
        row[b] = min(row[b], (h >> (shift - 32)) & 0xFFFFFFFF)
    filled = list(row)
    for b in range(bins):
        if row[b] == empty:
            d = next(d for d in range(1, bins) if row[(b + d) % bins] != empty)
            filled[b] = row[(b + d) % bins] + d * (1 << 32)
    return filled


@pytest.mark.parametrize("chunk", [7, 64, 2048])
def test_batch_signatures_match_the_plain_per_text_recipe(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # lengths around k and min_shingles, non-BMP characters, empty texts: the batch's window
    # bookkeeping (which windows cross into the next text), the chunks' boundaries and the
    # densification of long gaps (short texts leave most bins empty) are what this pins down
    monkeypatch.setattr(minhash, "SIGN_CHUNK", chunk)
    rng = random.Random(11)
    alphabet = "ab cD{}Äß\u0416\u4e2d\U0001f600\n"
    texts = [
        "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 3, 4, 5, 9, 12, 30, 90])))
        for _ in range(120)
    ]
    sig, has = signatures(texts, CONFIG)
    for i, text in enumerate(texts):
        want = _reference_signature(text, CONFIG)
        assert has[i] == (want is not None), text
        if want is not None:
            assert sig[i].tolist() == want, text


def test_splitmix64_leaves_its_input_alone() -> None:
    x = np.arange(5, dtype=np.uint64)
    out = splitmix64(x)
    assert x.tolist() == [0, 1, 2, 3, 4]
    assert out.tolist() == [_mix(v) for v in range(5)]


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

"""Tuning knobs of linking, in one frozen object both engines read.

Why these defaults (measured on the synthetic benchmark, `bench/link.py`, see docs/linking.md):
- 64 one-permutation MinHash bins in 16 bands of 4 rows put the LSH S-curve's midpoint at a
  Jaccard similarity of (1/16)^(1/4) = 0.5, the `template_candidate` floor, so pairs worth
  verifying are found with high probability and dissimilar texts rarely collide;
- an indicator key shared by at most `strong_df` reports links on its own; above that its weight
  falls with the logarithm of its document frequency and reaches 0 at `max_df`, beyond which it
  is "too common" and links nothing (a hotline, a brand, a public exchange address that no stop
  list knows yet);
- a pair is linked when its evidence adds up to 1: one strong key, a near-identical template
  (Jaccard >= `template_strong`), or weaker keys and a similar template together.
  `template_strong` = 0.75 measured best on 100k synthetic reports (pairwise F1 0.933 at 0.70,
  0.962 at 0.75, 0.953 at 0.80: lower merges operations that share stock phrases, higher
  misses reports that carry no identifier).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

THRESHOLD_MILLI = 1000
"""A pair links when its evidence adds up to this (weights are kept in thousandths, integers,
so that sums are exact and both engines compare them identically)."""


@dataclass(frozen=True, slots=True)
class LinkConfig:
    """Parameters of `prepare` and of the key/edge/component stages."""

    shingle: int = 4
    """Characters per shingle of the masked, lower-cased text."""
    bins: int = 64
    """Length of the MinHash signature (one-permutation hashing bins)."""
    bands: int = 16
    """LSH bands; `bins` must be a multiple of it."""
    min_shingles: int = 16
    """Texts with fewer shingles get no signature (a greeting is not a template)."""
    max_text_chars: int = 20_000
    """Only this much of a text is masked and shingled (hostile input stays bounded)."""
    template_candidate: float = 0.5
    """Estimated Jaccard below which a template is no evidence at all."""
    template_strong: float = 0.75
    """Estimated Jaccard at which a template links two reports on its own."""
    strong_df: int = 50
    """A key in at most this many reports has weight 1."""
    max_df: int = 2000
    """A key in more reports than this is too common and links nothing."""
    pair_cap: int = 12
    """Buckets (weak key, LSH band) up to this size are paired fully; larger ones are paired
    star-and-chain (each member with the first and with its predecessor) to stay linear."""
    max_bucket: int | None = None
    """An LSH bucket (equal band values) of more reports than this gives no candidate pairs,
    as a too-common key links nothing: in synthetic data the largest buckets are stock
    phrases shared by many operations. None (the default): every bucket gives pairs. Measured
    on the synthetic benchmark (1M reports, pairwise P / R / F1): None 0.781 / 0.959 / 0.861
    with 24.9M candidate pairs, 50: 0.803 / 0.959 / 0.874 with 14.2M, 12: 0.836 / 0.954 /
    0.891 with 9.0M; 100k reports: F1 0.966 for each. Not the default because a campaign
    posting more than `max_bucket` copies of one ad with nothing else in common would then
    not be linked at all."""
    region: str | None = None
    """Default phone region for extraction when records carry no indicators."""

    def __post_init__(self) -> None:
        if self.bins % self.bands or self.bins & (self.bins - 1) or self.bins > 256:
            raise ValueError("bins must be a power of two <= 256 and a multiple of bands")
        if not 0 < self.template_candidate < self.template_strong <= 1:
            raise ValueError("need 0 < template_candidate < template_strong <= 1")
        if not 2 <= self.strong_df < self.max_df:
            raise ValueError("need 2 <= strong_df < max_df")
        if self.shingle < 1 or self.min_shingles < 1 or self.pair_cap < 2:
            raise ValueError("shingle, min_shingles must be >= 1 and pair_cap >= 2")
        if self.max_bucket is not None and self.max_bucket < 2:
            raise ValueError("max_bucket must be None or >= 2")

    @property
    def rows(self) -> int:
        return self.bins // self.bands

    def key_weight_milli(self, df: int) -> int:
        """Weight (thousandths) of a key found in `df` reports: 1000 up to `strong_df`, falling
        with log(df) to 0 at `max_df`."""
        if df <= self.strong_df:
            return THRESHOLD_MILLI
        if df >= self.max_df:
            return 0
        frac = math.log(df / self.strong_df) / math.log(self.max_df / self.strong_df)
        return int(THRESHOLD_MILLI * (1.0 - frac))

    def template_weight_milli(self, matches: int) -> int:
        """Weight (thousandths) of a template match with `matches` equal bins out of `bins`."""
        j = matches / self.bins
        if j < self.template_candidate:
            return 0
        if j >= self.template_strong:
            return THRESHOLD_MILLI
        span = self.template_strong - self.template_candidate
        return int(THRESHOLD_MILLI * (j - self.template_candidate) / span)

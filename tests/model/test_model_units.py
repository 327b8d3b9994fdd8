"""Unit tests of the model package on small data written here (no shared corpora needed)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from typer.testing import CliRunner

from lurewatch.model.artifacts import ArtifactError, load_model, save_model
from lurewatch.model.classifier import NgramLogit, Platt, RiskModel
from lurewatch.model.cli import app
from lurewatch.model.corpus import Example, dedup_key, deduplicate
from lurewatch.model.evaluate import binary_metrics, choose_threshold
from lurewatch.model.features import HASH_BITS, ngram_buckets, ngram_matrix

RISKY = [
    "URGENT: your bank account is suspended, verify now at hxxp://secure-bank-check[.]top",
    "Congratulations! You won 50000 baht, claim your prize today: bit.ly/claimnow88",
    "Work from home, earn 3000 USDT per week, no experience. Add Telegram @easyjob_mentor",
    "Your parcel is held at customs, pay the 2.99 fee here: post-track-redeliver.info",
    "Final notice: tax refund pending, submit your card details at refund-portal.xyz",
    "Hi dear, I am Anna, my uncle teaches crypto trading, profit 30% daily, join us",
]
BENIGN = [
    "Are we still having dinner at seven? I can pick up the kids after school",
    "Running late, the train is stuck at Bishan, will be there in 20 min",
    "Thanks for the photos from the wedding, grandma loved them",
    "Can you buy milk and eggs on the way home please",
    "Meeting moved to Thursday 3pm, same room as last week",
    "Happy birthday bro! Lunch on me this weekend",
]


def _examples() -> list[Example]:
    out = []
    for i, t in enumerate(RISKY * 3):
        out.append(Example(f"r{i}", "mine", "message", "en", t + f" ref {i}", "scam"))
    for i, t in enumerate(BENIGN * 3):
        out.append(Example(f"b{i}", "mine", "message", "en", t + f" ok {i}", "benign"))
    return out


def test_ngram_buckets_are_the_distinct_padded_lowercase_ngrams() -> None:
    b = ngram_buckets("Ab", 1, 2, 100)
    # " ", "a", "b", " a", "ab", "b ": six distinct n-grams (the two spaces are one)
    assert len(b) == 6 and b.tolist() == sorted(set(b.tolist()))
    assert (b >= 0).all() and (b < 1 << HASH_BITS).all()
    assert ngram_buckets("Ba", 1, 2, 100).tolist() != b.tolist()
    assert ngram_buckets("AB", 1, 2, 100).tolist() == ngram_buckets("ab", 1, 2, 100).tolist()
    assert ngram_buckets("abcdef", 1, 1, 3).tolist() == ngram_buckets("abc", 1, 1, 100).tolist()
    # every n-gram of a text is found again inside a longer text that contains it
    assert set(ngram_buckets("xx phish yy", 2, 4, 100)) >= set(
        ngram_buckets("phish", 3, 3, 100)[1:-1]
    )
    assert len(ngram_buckets("สวัสดีครับ", 1, 4, 100)) > 10


def test_dedup_collapses_copies_drops_conflicts_and_groups_templates() -> None:
    template = "Dear customer your account will be blocked today unless you verify"
    rows = [
        Example("1", "uci_sms", "message", "en", "See you at 7!", "benign"),
        Example("2", "nus_sms", "message", "en", "see you at 8", "benign"),
        Example("3", "uci_sms", "message", "en", "Call me now", "benign"),
        Example("4", "exais_sms", "message", "en", "CALL ME NOW!!", "spam"),
        Example("5", "mendeley_sms", "message", "en", template + " Mr Tan", "scam"),
        Example("6", "mendeley_sms", "message", "en", template + " Ms Lee", "scam"),
    ]
    kept, stats = deduplicate(rows)
    assert [e.id for e in kept] == ["1", "5", "6"]
    assert kept[0].sources == ["nus_sms", "uci_sms"]
    assert stats["duplicates"] == 1 and stats["conflicts"] == 2
    assert kept[1].group == kept[2].group != kept[0].group
    assert dedup_key("A-1 b_2 Ç") == "abç"


def test_fast_scorer_matches_sklearn_on_the_same_features() -> None:
    ex = _examples()
    texts = [e.text for e in ex]
    y = np.array([e.risk for e in ex])
    model = NgramLogit(ngram_range=(1, 3), min_df=1, C=5.0, max_features=10**7).fit(texts, y)
    x = ngram_matrix(texts, 1, 3, 1000, 1)
    ref = LogisticRegression(C=5.0, solver="liblinear", max_iter=1000, random_state=0)
    ref.fit(x, y)
    np.testing.assert_allclose(
        model.decision_function(texts), ref.decision_function(x), rtol=1e-4, atol=1e-4
    )
    assert (model.decision_function(texts) > 0).astype(int).tolist() == y.tolist()


def test_pruning_keeps_the_largest_weights() -> None:
    ex = _examples()
    texts, y = [e.text for e in ex], [e.risk for e in ex]
    small = NgramLogit(min_df=1, max_features=50).fit(texts, y)
    big = NgramLogit(min_df=1, max_features=10**7).fit(texts, y)
    assert len(small.buckets_) == 50
    floor = float(np.abs(small.bucket_weights_).min())
    kept = set(small.buckets_.tolist())
    dropped = [
        abs(float(w))
        for b, w in zip(big.buckets_, big.bucket_weights_, strict=True)
        if b not in kept
    ]
    assert max(dropped) <= floor + 1e-6


def test_threshold_respects_the_benign_fpr_cap() -> None:
    y = np.array([1] * 50 + [0] * 1000)
    rng = np.random.default_rng(0)
    prob = np.concatenate([rng.uniform(0.3, 1.0, 50), rng.uniform(0.0, 0.6, 1000)])
    mask = np.array([False] * 50 + [True] * 1000)
    t = choose_threshold(y, prob, benign_mask=mask, max_fpr=0.005)
    assert binary_metrics(y[mask], prob[mask], t).fpr <= 0.005
    free = choose_threshold(y, prob)
    assert free <= t


def _tiny_model(tmp_path: Path) -> RiskModel:
    ex = _examples()
    texts, y = [e.text for e in ex], np.array([e.risk for e in ex])
    head = NgramLogit(min_df=1).fit(texts, y)
    calib = Platt().fit(head.decision_function(texts), y)
    model = RiskModel("message", head, calib, threshold=0.5, scam_head=head, scam_calibration=calib)
    save_model(model, tmp_path)
    return model


def test_artifacts_round_trip_without_pickle(tmp_path: Path) -> None:
    model = _tiny_model(tmp_path)
    loaded = load_model("message", tmp_path)
    for t in RISKY + BENIGN:
        a, b = model.predict_text(t, with_scam=True), loaded.predict_text(t, with_scam=True)
        assert a.risk == pytest.approx(b.risk, abs=1e-5)
        assert a.scam == pytest.approx(b.scam, abs=1e-5)
    with pytest.raises(ArtifactError):
        load_model("job_ad", tmp_path)
    (tmp_path / "message.npz").write_bytes(b"not a zip")
    with pytest.raises(ArtifactError):
        load_model("message", tmp_path)


def test_eval_cli_prints_breakdowns_and_rejects_bad_input(tmp_path: Path) -> None:
    _tiny_model(tmp_path)
    rows = [
        {
            "id": "x1",
            "dataset": "mine",
            "kind": "message",
            "language": "en",
            "text": t,
            "label": lab,
        }
        for t, lab in [(RISKY[0], "scam"), (RISKY[3], "spam"), (BENIGN[0], "benign")]
    ]
    data = tmp_path / "labelled.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    runner = CliRunner()
    res = runner.invoke(app, ["eval", "--input", str(data), "--models", str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)["message"]["report"]
    assert set(report) == {"overall", "language", "dataset"}
    assert report["overall"]["all"]["tp"] + report["overall"]["all"]["fn"] == 2
    data.write_text('{"text": "hi", "label": "maybe"}\n')
    res = runner.invoke(app, ["eval", "--input", str(data), "--models", str(tmp_path)])
    assert res.exit_code == 2 and "label" in res.output


def test_scoring_time_grows_at_most_linearly(tmp_path: Path) -> None:
    model = _tiny_model(tmp_path)
    head = NgramLogit(min_df=1, max_chars=10**6).fit([e.text for e in _examples()], [1, 0] * 18)

    def timed(n: int) -> float:
        text = ("aaaa" * n)[:n] + "ab" * (n // 4)
        # process CPU time: wall time also counts other engineers' jobs on this shared machine
        t = time.process_time()
        head.decision_one(text)
        model.predict_text(text)
        dedup_key(text)
        return time.process_time() - t

    timed(1000)
    small, large = min(timed(20_000) for _ in range(3)), min(timed(200_000) for _ in range(3))
    assert large < small * 30  # 10x the input, well under quadratic (100x)


def test_extra_feature_hook_is_learned_and_used() -> None:
    ex = _examples()
    texts, y = [e.text for e in ex], [e.risk for e in ex]

    def has_link(nt: object) -> dict[str, float]:
        text = getattr(nt, "text", "")
        return {"link": float(any(m in text for m in (".top", ".ly", ".info", ".xyz")))}

    head = NgramLogit(min_df=1, C=100.0, extra=has_link).fit(texts, y)
    assert head.extra_names_ == ["link"]
    assert head.extra_weights_[0] > 0
    base = head.decision_one("plain words here")
    assert head.decision_one("plain words here", {"link": 1.0}) == pytest.approx(
        base + head.extra_weights_[0]
    )


def test_training_is_deterministic() -> None:
    ex = _examples()
    texts, y = [e.text for e in ex], [e.risk for e in ex]
    a = NgramLogit(min_df=1).fit(texts, y)
    b = NgramLogit(min_df=1).fit(texts, y)
    assert a.buckets_.tolist() == b.buckets_.tolist()
    assert a.bucket_weights_.tobytes() == b.bucket_weights_.tobytes()
    assert a.intercept_ == b.intercept_


BATCH_TEXTS = [
    "",
    "a",
    "Ab",
    "İstanbul ẞ straße",  # lower() changes the length of some characters
    "สวัสดีครับ ยินดีต้อนรับ",
    "高薪招聘客服，月薪2-3万，包机票",
    "x" * 1500,  # cut at max_chars
    *RISKY,
    *BENIGN,
]


@pytest.mark.parametrize(("lo", "hi", "max_chars"), [(1, 4, 1000), (2, 3, 50), (3, 5, 8)])
def test_ngram_bucket_rows_equal_ngram_buckets_per_text(lo: int, hi: int, max_chars: int) -> None:
    from lurewatch.model.features import ngram_bucket_rows

    indptr, indices = ngram_bucket_rows(BATCH_TEXTS, lo, hi, max_chars)
    assert len(indptr) == len(BATCH_TEXTS) + 1
    for i, text in enumerate(BATCH_TEXTS):
        row = indices[indptr[i] : indptr[i + 1]]
        assert row.tolist() == ngram_buckets(text, lo, hi, max_chars).tolist(), text
    empty_ptr, empty = ngram_bucket_rows([], 1, 4, 100)
    assert empty_ptr.tolist() == [0] and len(empty) == 0


def test_predict_many_equals_predict_text_to_the_last_bit() -> None:
    texts = [e.text for e in _examples()]
    y = [1 if e.label == "scam" else 0 for e in _examples()]
    head = NgramLogit(extra=None).fit(texts, y)
    head.extra_names_ = ["signal:score"]
    head.extra_weights_ = [1.7]
    model = RiskModel(
        kind="message",
        risk_head=head,
        risk_calibration=Platt(a=1.3, b=-0.2),
        threshold=0.4,
        scam_head=NgramLogit(ngram_range=(2, 3)).fit(texts, y),
        scam_calibration=Platt(a=0.9, b=0.1),
        language_thresholds={"th": 0.9},
    )
    batch = [*BATCH_TEXTS, *texts]
    extras = [None if i % 3 else {"signal:score": (i % 5) / 5} for i in range(len(batch))]
    languages = ["th" if i % 4 == 0 else "en" for i in range(len(batch))]
    got = model.predict_many(batch, extras, languages)
    want = [
        model.predict_text(t, x, lang) for t, x, lang in zip(batch, extras, languages, strict=True)
    ]
    assert got == want
    assert any(p.flagged for p in got) and not all(p.flagged for p in got)
    assert any(p.scam is not None for p in got)
    assert model.predict_many([]) == []
    with pytest.raises(ValueError, match="same length"):
        model.predict_many(["a", "b"], languages=["en"])

"""The learners behind `NgramLogit`: NB-scaled LR, linear SVM, and their merge into one table."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from lurewatch.model.classifier import NgramLogit
from lurewatch.model.features import ngram_matrix
from lurewatch.model.learners import fit_merged, fit_one, nb_ratio

RISKY = [
    "Your account is LOCKED, verify at secure-verify-login.top within 24h or lose access",
    "Selamat! anda menang hadiah 25jt, hubungi 0812 9911 2233 untuk klaim sekarang",
    "Job offer: data entry from home, 500 USD per day, deposit 50 USD to start, Telegram @hr_amy",
    "FREE 2GB data! Reply YES to 7788 now, 3 dollars per week, cancel anytime",
    "Parcel on hold: pay redelivery fee 1.99 at post-redeliver-track.info today",
]
BENIGN = [
    "I'm at the bus stop, bring the umbrella when you come down",
    "Mum says dinner is at 7, don't be late this time",
    "Nanti sore aku jemput di sekolah ya, tunggu di depan gerbang",
    "Did you finish the report? Boss asked about it this morning",
    "Happy new year to you and the family, see you at the reunion",
]


def _data() -> tuple[list[str], np.ndarray]:
    texts = [t + f" #{i}" for i in range(3) for t in RISKY + BENIGN]
    y = np.array(([1] * len(RISKY) + [0] * len(BENIGN)) * 3)
    return texts, y


def _compact(x: sp.csr_matrix) -> sp.csr_matrix:
    """Only the columns in use: the learners do not care, and 2**20 columns slow the tests."""
    return x[:, np.unique(x.indices)]


def test_nb_ratio_is_positive_for_risky_only_columns() -> None:
    x = sp.csr_matrix(np.array([[1, 0, 1], [1, 0, 1], [0, 1, 1], [0, 1, 1]], dtype=np.float32))
    r = nb_ratio(x, np.array([1, 1, 0, 0]), np.ones(4))
    assert r[0] > 0 > r[1] and abs(r[2]) < 1e-9
    # a down-weighted row counts less
    r_w = nb_ratio(x, np.array([1, 1, 0, 0]), np.array([1.0, 0.0, 1.0, 1.0]))
    assert r_w[0] < r[0]


def test_nblr_weights_score_the_unscaled_matrix_like_sklearn_on_the_scaled_one() -> None:
    texts, y = _data()
    x = _compact(ngram_matrix(texts, 1, 3, 1000, 1))
    w = np.ones(len(y))
    fit = fit_one("nblr", x, y, w, C=5.0, svm_C=1.0, random_state=0)
    r = nb_ratio(x, y, w)
    ref = LogisticRegression(C=5.0, solver="liblinear", max_iter=1000, random_state=0)
    ref.fit(x @ sp.diags(r.astype(np.float32)), y)
    ours = x @ fit.coef + fit.intercept
    theirs = ref.decision_function(x @ sp.diags(r.astype(np.float32)))
    np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-3)


def test_merge_is_the_sum_of_std_scaled_parts() -> None:
    texts, y = _data()
    x = _compact(ngram_matrix(texts, 1, 3, 1000, 1))
    w = np.ones(len(y))
    parts = [fit_one(n, x, y, w, C=5.0, svm_C=0.5, random_state=0) for n in ("nblr", "svm")]
    merged = fit_merged(("nblr", "svm"), x, y, C=5.0, svm_C=0.5)
    expected = sum((x @ p.coef + p.intercept) / np.std(x @ p.coef) for p in parts)
    np.testing.assert_allclose(x @ merged.coef + merged.intercept, expected, rtol=1e-6)
    single = fit_merged(("lr",), x, y, C=5.0)
    lr = fit_one("lr", x, y, w, C=5.0, svm_C=1.0, random_state=0)
    np.testing.assert_array_equal(single.coef, lr.coef)


def test_unknown_learner_is_a_clear_error() -> None:
    texts, y = _data()
    with pytest.raises(ValueError, match="unknown learner"):
        NgramLogit(learners=("boost",), min_df=1).fit(texts, y)


def test_merged_head_separates_and_scores_through_the_fast_path() -> None:
    texts, y = _data()
    head = NgramLogit(ngram_range=(1, 3), min_df=1, learners=("nblr", "svm")).fit(texts, y)
    scores = head.decision_function(texts)
    assert ((scores > 0).astype(int) == y).all()
    x = ngram_matrix(texts, 1, 3, 1000, 1)
    table_scores = np.asarray(x @ head.table_.astype(np.float64)).ravel() + head.intercept_
    np.testing.assert_allclose(scores, table_scores, rtol=1e-4, atol=1e-4)


def test_merged_training_is_deterministic_and_keeps_extra_features_unscaled() -> None:
    texts, y = _data()

    def has_digits(nt: object) -> dict[str, float]:
        return {"digits": float(any(c.isdigit() for c in getattr(nt, "text", "")[:-3]))}

    a = NgramLogit(min_df=1, learners=("nbsvm", "svm"), extra=has_digits).fit(texts, y)
    b = NgramLogit(min_df=1, learners=("nbsvm", "svm"), extra=has_digits).fit(texts, y)
    assert a.bucket_weights_.tobytes() == b.bucket_weights_.tobytes()
    assert a.intercept_ == b.intercept_ and a.extra_weights_ == b.extra_weights_
    # the extra column is not NB-scaled (its weight is the SVMs' own, finite and non-zero)
    assert a.extra_names_ == ["digits"] and a.extra_weights_[0] != 0.0

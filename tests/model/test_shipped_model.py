"""The shipped artifacts load and score messages and job ads written here sensibly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lurewatch.model.artifacts import ARTIFACT_DIR, shipped_model
from lurewatch.model.corpus import deduplicate, load_corpus
from lurewatch.model.train import KindConfig, train_kind
from lurewatch.text import normalize

SCAMS = [
    # English: bank phishing with a defanged link, task scam, prize
    "ALERT: Your BCA account has been BLOCKED. Verify within 24h at hxxps://bca-verify[.]com/id",
    "Congratulations you have WON a $1000 gift card! Claim now at www.prize-claims.net",
    "FREE entry! Text WIN to 80088 to win a brand new iPhone, T&C apply, 18+ only",
    # Thai: online casino "free credit" lure
    "สมัครวันนี้ รับเครดิตฟรี 500 บาท ฝากถอนออโต้ ไม่มีขั้นต่ำ คลิก bit.ly/slot888",
    # Indonesian: prize / pulsa-transfer scam
    "Selamat! Nomor anda mendapatkan hadiah Rp 50jt dari undian. Hub 0812-3456-7890 skrg",
    "Mama lagi di kantor polisi, tolong kirim pulsa 100rb ke nomor ini ya, jangan telpon dulu",
]
BENIGN = [
    "Hey, are we still on for lunch tomorrow? I'll be at the food court around 12.30",
    "ok i reach home already, tell mum i'll call her later",
    "Can you send me the slides from today's meeting when you're free?",
    "พรุ่งนี้เจอกันที่ร้านกาแฟหน้าออฟฟิศนะ บ่ายสองโมง",
    "Besok jadi ke rumah nenek jam berapa? Aku bawa kue ya",
]
FAKE_JOB = (
    "在家兼职打字员 日结 500-800元/天 无需经验 手机即可操作 时间自由 宝妈学生均可 "
    "先交入职培训费198元 加微信 abc123 详聊 名额有限"
)
REAL_JOB = (
    "会计 4000-6000元/月 五险一金_周末双休_带薪年假 本科_3-5年 岗位职责:1.负责公司日常账务处理;"
    "2.编制月度财务报表;3.办理税务申报。任职要求:财务相关专业,持有初级会计证,熟练使用用友软件。"
    "工作地点:上海市浦东新区,公司提供午餐补贴。"
)


@pytest.fixture(scope="module")
def message_model():  # type: ignore[no-untyped-def]
    if not (ARTIFACT_DIR / "message.npz").exists():
        pytest.fail("the message model artifact is not shipped; run `lurewatch model train`")
    return shipped_model("message")


@pytest.mark.parametrize("text", SCAMS)
def test_scams_are_flagged(message_model, text: str) -> None:  # type: ignore[no-untyped-def]
    pred = message_model.predict_text(normalize(text).text)
    assert pred.flagged, (text, pred)


@pytest.mark.parametrize("text", BENIGN)
def test_ordinary_messages_are_not_flagged(message_model, text: str) -> None:  # type: ignore[no-untyped-def]
    pred = message_model.predict_text(normalize(text).text)
    assert not pred.flagged, (text, pred)


def test_scam_head_tells_phishing_from_promotion(message_model) -> None:  # type: ignore[no-untyped-def]
    phish = message_model.predict_text(normalize(SCAMS[0]).text, with_scam=True)
    promo = message_model.predict_text(
        normalize("Weekend SALE: 50% off all shoes at our Orchard store, show this SMS").text,
        with_scam=True,
    )
    assert phish.scam is not None and promo.scam is not None
    assert phish.scam > promo.scam


def test_job_ad_model_ranks_a_fee_charging_ad_above_a_real_one() -> None:
    model = shipped_model("job_ad")
    fake = model.predict_text(normalize(FAKE_JOB).text)
    real = model.predict_text(normalize(REAL_JOB).text)
    assert fake.risk > real.risk
    assert not real.flagged


DATA = Path(os.environ.get("LUREWATCH_DATA", Path(__file__).parents[3] / "shared" / "data"))


@pytest.mark.slow
def test_small_grouped_cv_on_indonesian_sms() -> None:
    if not (DATA / "corpus" / "indonesian_sms.jsonl").exists():
        pytest.skip(f"shared corpora not at {DATA}")
    config = KindConfig(
        kind="message",
        ngram_range=(1, 4),
        max_chars=1000,
        C=10.0,
        weights={d: 0.0 for d in ("uci_sms", "mendeley_sms", "exais_sms", "nus_sms")}
        | {d: 0.0 for d in ("spamhunter_labelled", "spamhunter_reported", "filipino_sms")}
        | {"thai_sms": 0.0},
    )
    rows, _ = deduplicate(load_corpus(DATA, kind="message", datasets=["indonesian_sms"]))
    assert len(rows) > 800
    result = train_kind(DATA, config, folds=3, seed=0, refit=False)
    overall = result.cv_report["risk"]["overall"]["all"]  # type: ignore[index]
    assert overall["f1"] >= 0.9
    assert overall["roc_auc"] >= 0.95

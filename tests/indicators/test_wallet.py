"""Crypto wallet extraction: labelled fixtures, codec unit tests, real scam lists, linear time."""

from __future__ import annotations

import csv
import hashlib
import tempfile
import time
from collections import Counter
from pathlib import Path

import base58
import pytest

from lurewatch import extract
from lurewatch.indicators.base import Context
from lurewatch.indicators.wallet import extract_wallets
from lurewatch.indicators.wallet_classify import classify, solana_pubkey
from lurewatch.indicators.wallet_codecs import decode_segwit, eip55, monero_b58decode
from lurewatch.text import normalize
from tests.indicators.fixtures import FIXTURE_DIR, Case, load_cases, score_cases


def _wallet_cases() -> list[Case]:
    # Load only our file: other families' fixture files may be mid-edit by their owners.
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "wallet.yaml").symlink_to(FIXTURE_DIR / "wallet.yaml")
        return load_cases(Path(tmp))


WALLET_CASES = _wallet_cases()
DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "indicators"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/indicators")


def wallets(text: str) -> list[tuple[str, str, bool]]:
    return [(i.chain or "", i.normalized, i.valid) for i in extract(text, types=["crypto_wallet"])]


def test_fixture_file_covers_the_region() -> None:
    assert (FIXTURE_DIR / "wallet.yaml").is_file()
    langs = {c.lang for c in WALLET_CASES}
    assert langs >= {"en", "zh", "th", "vi", "id", "ms", "tl", "my", "km", "lo", "ko", "ja"}
    assert all(c.types == ["crypto_wallet"] for c in WALLET_CASES)
    assert any(e.get("valid") is False for c in WALLET_CASES for e in c.expect)
    assert sum(1 for c in WALLET_CASES if not c.expect) >= 8  # hard negatives


def test_fixtures_precision_recall() -> None:
    total = score_cases(WALLET_CASES)
    print(f"wallet fixtures: tp={total.tp} fp={total.fp} fn={total.fn}")
    assert total.precision >= 0.98 and total.recall >= 0.98, "\n".join(total.misses)


# --- codecs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "addr",
    [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ],
)
def test_eip55_spec_examples(addr: str) -> None:
    assert eip55(addr[2:].lower()) == addr
    assert eip55(addr[2:].upper()) == addr


def test_bech32m_needs_its_own_constant() -> None:
    taproot = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
    seg = decode_segwit(taproot)
    assert seg is not None and seg.valid and seg.version == 1 and len(seg.program or b"") == 32
    # The same program with a bech32 (BIP-173) checksum is invalid since BIP-350.
    old = decode_segwit("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd")
    assert old is not None and not old.valid
    # ... and a v0 address with a bech32m checksum is invalid too.
    v0m = decode_segwit("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh")
    assert v0m is not None and not v0m.valid


def test_monero_base58_blocks() -> None:
    fund = (
        "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQG"
        "v7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"
    )
    raw = monero_b58decode(fund)
    assert raw is not None and len(raw) == 69 and raw[0] == 18
    assert monero_b58decode("1" * 12) is None  # 1 leftover character is never a block
    assert monero_b58decode("z" * 11) is None  # overflows 8 bytes


def test_classify_distinguishes_chains_by_bytes_not_letters() -> None:
    neo = base58.b58encode_check(bytes([0x17]) + bytes(range(20))).decode()
    assert neo.startswith("A") and classify(neo) is None
    doge_p2sh = base58.b58encode_check(bytes([0x16]) + bytes(range(20))).decode()
    found = classify(doge_p2sh)
    assert found is not None and (found.chain, found.address_format) == ("dogecoin", "p2sh")
    testnet = base58.b58encode_check(bytes([0x6F]) + bytes(range(20))).decode()
    found = classify(testnet)
    assert found is not None and found.chain == "bitcoin_testnet" and found.valid


def test_evm_case_variants_share_one_key() -> None:
    usdt = "0xdAC17F958D2ee523a2206206994597C13D831ec7"
    keys = {i.key for i in extract(f"{usdt} {usdt.lower()} 0x{usdt[2:].upper()}")}
    assert keys == {("crypto_wallet", usdt)}


def test_tx_hash_and_bare_hex_are_not_addresses() -> None:
    assert wallets("tx 0x" + "ab12" * 16) == []
    assert wallets("sha1 " + "ab12cd34ef" * 4) == []
    assert wallets("0x" + "ab12" * 10 + "zz") == []  # hex glued to letters


def test_every_single_character_change_is_caught_on_trc20() -> None:
    addr = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    for pos in range(1, len(addr)):
        swapped = alphabet[(alphabet.index(addr[pos]) + 7) % 58]
        bad = addr[:pos] + swapped + addr[pos + 1 :]
        got = wallets(f"send USDT to {bad}")
        assert got == [("tron", bad, False)], (pos, got)


def test_invalid_checksum_inside_random_url_is_not_reported() -> None:
    bad = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6T"
    assert wallets(f"https://cdn.example.com/img/{bad}.png") == []
    assert wallets(f"https://tronscan.org/#/address/{bad}") == [("tron", bad, False)]


def test_solana_needs_context() -> None:
    key = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
    assert solana_pubkey(key)
    assert wallets(f"promo {key} today") == []
    assert wallets(f"Phantom: {key}") == [("solana", key, True)]
    assert wallets(f"https://solscan.io/account/{key}") == [("solana", key, True)]


def test_offsets_point_at_the_original_text() -> None:
    text = "ví：\u200bＴＲ７ＮＨｑｊｅＫＱｘＧＴＣｉ８ｑ８ＺＹ４ｐＬ８ｏｔＳｚｇｊＬｊ６ｔ。"
    (ind,) = extract(text, types=["crypto_wallet"])
    assert text[ind.start : ind.end] == ind.value
    assert ind.value.startswith("Ｔ") and ind.value.endswith("ｔ")
    assert ind.normalized == "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t" and ind.obfuscated


def test_normalization_of_o_between_digits_does_not_break_base58() -> None:
    # An address starting "123456o7..." is a digit run with an "o" to the normalizer, which
    # reads it as a zero; the extractor must fall back to what was written.
    raw = base58.b58decode("123456o78" + "a" * 25)
    body = raw[:21]
    addr = base58.b58encode(body + hashlib.sha256(hashlib.sha256(body).digest()).digest()[:4])
    addr_s = addr.decode()
    assert addr_s.startswith("123456o78")
    assert normalize(f"BTC {addr_s}").text != f"BTC {addr_s}"  # the trap is really there
    assert wallets(f"BTC {addr_s}") == [("bitcoin", addr_s, True)]


# --- real lists -----------------------------------------------------------------------------

SUPPORTED_COINS = {"ETH", "BTC", "XRP", "LTC", "TRX", "DOGE", "XMR", "USDT", "VET", "BSC", "SOL"}


def _list_rates(path: Path, coin_column: str | None) -> dict[str, tuple[int, float]]:
    tot: Counter[str] = Counter()
    ok: Counter[str] = Counter()
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            addr = row["address"].strip()
            coin = row[coin_column] if coin_column else "ETH"
            tot[coin] += 1
            found = extract(f"wallet address: {addr}", types=["crypto_wallet"])
            if found and found[0].valid and found[0].value == addr:
                ok[coin] += 1
    return {c: (n, ok[c] / n) for c, n in tot.items()}


@pytest.mark.parametrize(
    ("name", "coin_column"),
    [("scamsniffer_addresses.csv", None), ("cryptoscamdb_addresses.csv", "coin")],
)
def test_real_scam_address_lists(name: str, coin_column: str | None) -> None:
    path = DATA / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (shared data not mounted)")
    rates = _list_rates(path, coin_column)
    for coin, (n, rate) in sorted(rates.items(), key=lambda kv: -kv[1][0]):
        print(f"{name} {coin:8} n={n:5} found+valid={rate:.3f}")
    supported = {c: v for c, v in rates.items() if c in SUPPORTED_COINS and v[0] >= 20}
    # Measured misses on cryptoscamdb: ETH 24/4004 (21 entries with 41 hex digits, one with 38,
    # one EIP-55 checksum that fails: reported valid=false), BTC 3/1364 (35 characters, an "O"
    # inside base58, a trailing " (btc)" in the cell). BCH CashAddr, NEO, ADA, DOT, XLM, BNB,
    # ZIL, ZEC, DASH and WAVES are chains we do not extract (not in SUPPORTED_COINS).
    for coin, (_n, rate) in supported.items():
        assert rate >= 0.99, (coin, rate)


# --- hostile input --------------------------------------------------------------------------


def _time_extract(text: str) -> float:
    # Normalization plus this family only: the registry's overlap resolution is another
    # module's concern (and is measured there).
    best = float("inf")
    for _ in range(5):
        t0 = time.process_time()
        list(extract_wallets(Context(nt=normalize(text))))
        best = min(best, time.process_time() - t0)
    return best


@pytest.mark.parametrize(
    "unit",
    [
        "T" * 33 + "! ",  # tron-shaped runs that never decode
        "0x" + "ab " * 30,  # endless hex groups
        "1" * 5 + "o",  # digit runs with letters (normalizer and base58 both look)
        "bc1" + "q" * 50 + " ",  # segwit-shaped
        "A1b2" * 500 + " ",  # long alphanumeric runs
    ],
)
def test_linear_time_on_adversarial_input(unit: str) -> None:
    small = unit * (20_000 // len(unit))
    large = unit * (200_000 // len(unit))
    t_small, t_large = _time_extract(small), _time_extract(large)
    # Linear growth is 10x; the floor and the slack absorb noise from a shared machine,
    # while a quadratic blow-up (100x) still fails.
    assert t_large < 30 * max(t_small, 5e-3), (t_small, t_large)

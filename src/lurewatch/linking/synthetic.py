"""Synthetic report sets with planted operations, for tests and `bench/link.py`.

Why synthetic: no public data set labels which scam reports came from the same compound, and
real reports carry victims' personal data. The generator plants operations the way the issue
describes them and adds the noise that makes linking hard:

- each operation has its own pools of phones, Telegram handles, USDT (TRON) wallets and bank
  accounts, a company name, and 2-3 advertisement templates in its language, each template a
  choice of phrases from the banks below (so two operations in one language may share phrases,
  rarely all of them), with slots for city, salary, recruiter name and contact;
- reports pick a template and fill the slots (swapped cities, salaries, names, contacts),
  sometimes reorder two sentences, and get typos;
- decoys: brands' and popular domains (facebook.com, google.com ...), fresh short links and a
  few "viral" short links shared across operations, hotline numbers, public exchange addresses;
- unrelated singleton reports of assorted words and their own contacts.

All texts and phrase banks are written here; nothing comes from a corpus. Everything is drawn
from one `random.Random(seed)`, so a seed gives the same set every time. About 3 indicator
occurrences per report on average (`stats()` reports the exact figure).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import base58

from lurewatch.linking.model import Cluster, LinkRecord

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

# Phrase banks per language: opener, job, perks, contact, closer. Slots: {company} {city}
# {salary} {name} {contact}. Written for this generator.
_BANKS: dict[str, dict[str, list[str]]] = {
    "en": {
        "opener": [
            "URGENT HIRING!",
            "Job opportunity abroad:",
            "We are recruiting now.",
            "Good news for job seekers!",
            "Hello friend, easy job for you.",
            "New positions open this week:",
        ],
        "job": [
            "Customer service staff needed at {company} in {city},",
            "Typing and data entry team at {company}, {city} office,",
            "Online marketing assistants wanted by {company} ({city}),",
            "Casino host vacancies with {company} in {city},",
            "Chinese-English translators for {company}, based in {city},",
            "Game promoters for {company} at our {city} branch,",
        ],
        "pay": [
            "salary {salary} per month.",
            "earn {salary} every month.",
            "income up to {salary} monthly.",
            "basic pay {salary} plus commission.",
        ],
        "perks": [
            "Free flight, visa and accommodation.",
            "No experience needed, full training provided.",
            "Food and dormitory included, passport arranged by us.",
            "Work 8 hours, bonus every week.",
            "Age 18-35, basic computer skills only.",
            "Travel ticket paid, start immediately.",
        ],
        "contact": [
            "Contact {name} on {contact} for details.",
            "Message our HR {name}: {contact}",
            "Apply now with {name} via {contact}",
            "Send your CV to {name}, {contact}",
        ],
        "closer": ["Limited seats!", "Apply today.", "Don't miss it.", "Only serious applicants."],
    },
    "th": {
        "opener": [
            "ด่วน! รับสมัครงาน",
            "โอกาสทำงานต่างประเทศ",
            "รับสมัครพนักงานจำนวนมาก",
            "งานง่าย รายได้ดี",
        ],
        "job": [
            "ตำแหน่งแอดมินตอบแชท บริษัท {company} ที่{city}",
            "พนักงานคีย์ข้อมูล {company} สาขา{city}",
            "ทีมการตลาดออนไลน์ {company} ประจำ{city}",
            "ล่ามภาษาจีน บริษัท {company} เมือง{city}",
            "พนักงานบริการลูกค้า {company} ใน{city}",
        ],
        "pay": ["เงินเดือน {salary}", "รายได้ {salary} ต่อเดือน", "ค่าจ้าง {salary} บวกค่าคอม"],
        "perks": [
            "ฟรีตั๋วเครื่องบิน วีซ่า ที่พัก",
            "ไม่ต้องมีประสบการณ์ มีสอนงาน",
            "มีอาหารและหอพักให้ ทำพาสปอร์ตให้",
            "ทำงานวันละ 8 ชั่วโมง โบนัสทุกสัปดาห์",
        ],
        "contact": [
            "ติดต่อคุณ{name} ทาง {contact}",
            "สนใจทักแอดมิน{name} {contact}",
            "สมัครได้ที่คุณ{name} {contact}",
        ],
        "closer": ["รับจำนวนจำกัด", "สมัครวันนี้", "ด่วนที่สุด"],
    },
    "vi": {
        "opener": [
            "TUYỂN GẤP!",
            "Cơ hội việc làm nước ngoài",
            "Việc nhẹ lương cao",
            "Thông báo tuyển dụng",
        ],
        "job": [
            "nhân viên chăm sóc khách hàng tại {company}, {city}",
            "nhân viên nhập liệu cho {company} ở {city}",
            "nhân viên marketing online {company} chi nhánh {city}",
            "phiên dịch tiếng Trung cho {company} tại {city}",
            "nhân viên trực chat {company} làm việc ở {city}",
        ],
        "pay": [
            "lương {salary} mỗi tháng",
            "thu nhập {salary}/tháng",
            "lương cứng {salary} cộng thưởng",
        ],
        "perks": [
            "Bao vé máy bay, visa và chỗ ở",
            "Không cần kinh nghiệm, được đào tạo",
            "Bao ăn ở, hỗ trợ làm hộ chiếu",
            "Làm 8 tiếng, thưởng hàng tuần",
        ],
        "contact": [
            "Liên hệ {name} qua {contact}",
            "Nhắn tin cho chị {name}: {contact}",
            "Ứng tuyển với anh {name} {contact}",
        ],
        "closer": ["Số lượng có hạn!", "Đăng ký ngay hôm nay.", "Nhanh tay lên."],
    },
    "id": {
        "opener": [
            "DIBUTUHKAN SEGERA!",
            "Lowongan kerja luar negeri",
            "Kerja mudah gaji besar",
            "Info loker terbaru",
        ],
        "job": [
            "admin customer service di {company}, {city}",
            "operator input data untuk {company} kantor {city}",
            "tim marketing online {company} cabang {city}",
            "penerjemah bahasa Mandarin di {company} {city}",
            "staf layanan chat {company} penempatan {city}",
        ],
        "pay": [
            "gaji {salary} per bulan",
            "penghasilan {salary} tiap bulan",
            "gaji pokok {salary} plus bonus",
        ],
        "perks": [
            "Tiket pesawat, visa dan mess gratis",
            "Tanpa pengalaman, ada pelatihan",
            "Makan dan asrama ditanggung, paspor diurus",
            "Kerja 8 jam, bonus mingguan",
        ],
        "contact": [
            "Hubungi kak {name} di {contact}",
            "Chat admin {name}: {contact}",
            "Daftar lewat {name} {contact}",
        ],
        "closer": ["Kuota terbatas!", "Daftar hari ini.", "Jangan sampai ketinggalan."],
    },
    "zh": {
        "opener": ["急招！", "海外高薪招聘", "轻松工作 高收入", "最新招聘信息"],
        "job": [
            "{company}招聘客服专员，工作地点{city}，",
            "{company}{city}分公司招打字录入员，",
            "{company}招网络推广人员，地点{city}，",
            "{company}招中英翻译，常驻{city}，",
            "{company}在{city}招聘游戏推广员，",
        ],
        "pay": ["月薪{salary}。", "底薪{salary}加提成。", "每月收入{salary}。"],
        "perks": [
            "包机票签证包住宿。",
            "无需经验，有培训。",
            "包吃包住，护照代办。",
            "每天工作8小时，每周奖金。",
        ],
        "contact": ["联系{name}：{contact}", "加{name}咨询 {contact}", "报名请找{name} {contact}"],
        "closer": ["名额有限！", "今天就报名。", "机会难得。"],
    },
}

_CITIES: dict[str, list[str]] = {
    "en": [
        "Phnom Penh",
        "Sihanoukville",
        "Bangkok",
        "Myawaddy",
        "Vientiane",
        "Manila",
        "Bavet",
        "Poipet",
    ],
    "th": ["กรุงเทพ", "แม่สอด", "ปอยเปต", "พนมเปญ", "สีหนุวิลล์", "เวียงจันทน์"],
    "vi": ["Phnom Penh", "Sihanoukville", "Bavet", "Mộc Bài", "Vientiane", "Bangkok"],
    "id": ["Phnom Penh", "Sihanoukville", "Bangkok", "Manila", "Myawaddy", "Poipet"],
    "zh": ["金边", "西港", "妙瓦底", "万象", "马尼拉", "曼谷"],
}
_NAMES: dict[str, list[str]] = {
    "en": ["Anna", "Kevin", "Linda", "Jason", "Mary", "Tony", "Grace", "Leo", "Sophia", "David"],
    "th": ["แอน", "บี", "ต้น", "มิ้นท์", "เจน", "ปอ", "ฝน", "นัท"],
    "vi": ["Lan", "Hùng", "Mai", "Tuấn", "Hương", "Nam", "Linh", "Dũng"],
    "id": ["Rina", "Budi", "Sari", "Andi", "Dewi", "Agus", "Putri", "Joko"],
    "zh": ["小王", "李经理", "张姐", "陈主管", "刘小姐", "阿杰", "小美", "周总"],
}
_SALARY: dict[str, tuple[str, int, int, int]] = {
    "en": ("USD {:,}", 1000, 3000, 100),
    "th": ("{:,} บาท", 25000, 60000, 1000),
    "vi": ("{:,} VND", 20_000_000, 60_000_000, 1_000_000),
    "id": ("Rp {:,}", 10_000_000, 30_000_000, 500_000),
    "zh": ("{:,}元", 8000, 30000, 1000),
}
_COUNTRY_CODES = {
    "KH": "855",
    "MM": "95",
    "LA": "856",
    "TH": "66",
    "VN": "84",
    "ID": "62",
    "PH": "63",
}
_LANG_WEIGHTS = {"en": 4, "th": 2, "vi": 2, "id": 2, "zh": 2}
_DECOY_DOMAINS = [
    "facebook.com", "google.com", "youtube.com", "tiktok.com", "shopee.co.th", "lazada.co.id",
    "instagram.com", "wikipedia.org",
]  # fmt: skip
_EXCHANGES = [
    "TV6MuMXfmLbBqPZvBHdwFsDnQeVfnmiuSi",
    "0x28C6c06298d514Db089934071355E5743bf21d60",
    "0xF977814e90dA44bFA03b6295A0616a897441aceC",
]
_HOTLINES = [("1441", "+661441"), ("1300", "+661300"), ("1155", "+661155")]
_SYLLABLES = [
    "ka", "lo", "mi", "ta", "ren", "shi", "vo", "an", "da", "mu", "pen", "sa", "lin", "hao",
    "tek", "bo", "ra", "zi", "nor", "vel", "qu", "jin", "phu", "sen", "dar", "wei", "kor",
]  # fmt: skip
_COMPANY_SUFFIX = ["Group", "Co., Ltd", "Technology", "International", "Trading", "Holdings"]


@dataclass(frozen=True, slots=True)
class Noise:
    """Rates of each kind of noise (per report unless said otherwise)."""

    singleton_share: float = 0.2
    decoy_domain: float = 0.25
    fresh_short_link: float = 0.12
    viral_short_link: float = 0.02
    viral_pool: int = 40
    hotline: float = 0.04
    exchange: float = 0.04
    typos: float = 0.35
    reorder: float = 0.2
    no_contact: float = 0.08
    """Reports of an operation that carry none of its identifiers (text only)."""


@dataclass(slots=True)
class SyntheticSet:
    records: list[LinkRecord]
    truth: dict[str, str | None]
    """report id -> planted operation id (None: an unrelated singleton)."""

    def stats(self) -> dict[str, float]:
        occ = sum(len(r.indicators or ()) for r in self.records)
        ops = Counter(v for v in self.truth.values() if v is not None)
        return {
            "reports": len(self.records),
            "operations": len(ops),
            "largest_operation": max(ops.values(), default=0),
            "indicator_occurrences": occ,
            "per_report": occ / max(len(self.records), 1),
        }


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts))


def _tron(rng: random.Random) -> str:
    """A TRON address with a valid base58check checksum (random payload)."""
    payload = b"\x41" + rng.randbytes(20)
    check = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    return base58.b58encode(payload + check).decode("ascii")


def _phone(rng: random.Random, cc: str) -> tuple[str, str]:
    """(written form, E.164) of a mobile-looking number."""
    lead = rng.choice("9876") if cc != "66" else rng.choice("689")
    body = lead + "".join(rng.choice("0123456789") for _ in range(7 if cc != "66" else 8))
    written = f"+{cc} {body[:2]} {body[2:5]} {body[5:]}"
    return written, f"+{cc}{body}"


@dataclass(slots=True)
class _Operation:
    oid: str
    lang: str
    company: str
    slogan: str
    """The operation's own wording (real ads are more than stock phrases)."""
    templates: list[list[str]]
    phones: list[tuple[str, str]]
    handles: list[str]
    wallets: list[str]
    banks: list[str]
    domain: str | None


def _operation(rng: random.Random, serial: int, size: int) -> _Operation:
    """An operation; `serial` keeps its handles and domain apart from every other's (phones,
    wallets and accounts are random enough to be unique)."""
    oid = f"op{serial:06d}"
    lang = rng.choices(list(_LANG_WEIGHTS), weights=list(_LANG_WEIGHTS.values()))[0]
    bank = _BANKS[lang]
    company = (
        f"{_word(rng, 2).capitalize()} {_word(rng, 2).capitalize()} {rng.choice(_COMPANY_SUFFIX)}"
    )
    slogan = " ".join(_word(rng, rng.randint(1, 3)) for _ in range(rng.randint(3, 6)))
    templates = []
    for _ in range(rng.choice((2, 2, 3))):
        parts = [
            rng.choice(bank[p]) for p in ("opener", "job", "pay", "perks", "contact", "closer")
        ]
        parts.insert(rng.randint(1, len(parts) - 1), "{slogan}")
        templates.append(parts)
    cc = rng.choice(list(_COUNTRY_CODES.values()))
    return _Operation(
        oid=oid,
        lang=lang,
        company=company,
        slogan=slogan,
        templates=templates,
        phones=[_phone(rng, cc) for _ in range(1 + size // 8)],
        handles=[
            f"{_word(rng, 2)}_{rng.choice(('hr', 'job', 'team', 'vip'))}{rng.randint(1, 999)}"
            for _ in range(1 + size // 10)
        ],
        wallets=[_tron(rng) for _ in range(1 + size // 15)],
        banks=["".join(rng.choice("0123456789") for _ in range(10)) for _ in range(size // 20)],
        domain=_domain(rng, serial) if rng.random() < 0.4 else None,
    )


def _domain(rng: random.Random, serial: int) -> str:
    word = rng.choice(("job", "work", "vip", "hr"))
    return f"{_word(rng, 2)}{serial}-{word}.{rng.choice(('com', 'net', 'top', 'xyz'))}"


def _typos(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        if len(chars) < 10:
            break
        i = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.4:
            chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
        elif op < 0.7:
            del chars[i]
        else:
            chars.insert(i, chars[i])
    return "".join(chars)


def _report(
    rng: random.Random, op: _Operation, noise: Noise, viral: Sequence[str]
) -> tuple[str, list[tuple[str, str]]]:
    template = op.templates[0] if rng.random() < 0.6 else rng.choice(op.templates)
    keys: list[tuple[str, str]] = []
    contacts: list[str] = []
    if rng.random() >= noise.no_contact:
        for _ in range(rng.choice((1, 2, 2, 3, 3))):
            pick = rng.random()
            if pick < 0.45:
                written, e164 = rng.choice(op.phones)
                contacts.append(f"WhatsApp {written}")
                keys += [("phone", e164), ("handle", e164)]
            elif pick < 0.8:
                h = rng.choice(op.handles)
                contacts.append(f"Telegram @{h}")
                keys.append(("handle", h))
            elif pick < 0.92 or not op.banks:
                w = rng.choice(op.wallets)
                contacts.append(f"USDT TRC20 {w}")
                keys.append(("crypto_wallet", w))
            else:
                b = rng.choice(op.banks)
                contacts.append(f"bank BCA {b}")
                keys.append(("bank_account", b))
        if op.domain and rng.random() < 0.5:
            contacts.append(op.domain)
            keys.append(("domain", op.domain))
    contact = ", ".join(contacts) if contacts else "HR"
    fmt, lo, hi, step = _SALARY[op.lang]
    fill = {
        "company": op.company,
        "city": rng.choice(_CITIES[op.lang]),
        "salary": fmt.format(rng.randrange(lo, hi, step)),
        "name": rng.choice(_NAMES[op.lang]),
        "contact": contact,
        "slogan": op.slogan,
    }
    parts = [p.format(**fill) for p in template]
    if rng.random() < noise.reorder:
        i = rng.randrange(len(parts) - 1)
        parts[i], parts[i + 1] = parts[i + 1], parts[i]
    text = " ".join(parts)
    if rng.random() < noise.typos:
        text = _typos(rng, text)
    return _add_noise(rng, text, keys, noise, viral)


def _add_noise(
    rng: random.Random,
    text: str,
    keys: list[tuple[str, str]],
    noise: Noise,
    viral: Sequence[str],
) -> tuple[str, list[tuple[str, str]]]:
    extra: list[str] = []
    if rng.random() < noise.decoy_domain:
        d = rng.choice(_DECOY_DOMAINS)
        extra.append(f"Follow us: {d}")
        keys.append(("domain", d))
    if rng.random() < noise.fresh_short_link:
        code = "".join(rng.choice(_B58) for _ in range(7))
        extra.append(f"bit.ly/{code}")
        keys.append(("url", f"http://bit.ly/{code}"))
    if rng.random() < noise.viral_short_link:
        code = rng.choice(viral)
        extra.append(f"news: bit.ly/{code}")
        keys.append(("url", f"http://bit.ly/{code}"))
    if rng.random() < noise.hotline:
        written, e164 = rng.choice(_HOTLINES)
        extra.append(f"(hotline {written})")
        keys.append(("phone", e164))
    if rng.random() < noise.exchange:
        w = rng.choice(_EXCHANGES)
        extra.append(f"deposit via exchange {w}")
        keys.append(("crypto_wallet", w))
    if extra:
        text = text + " " + " ".join(extra)
    return text, keys


def _singleton(
    rng: random.Random, vocabulary: Sequence[str], noise: Noise, viral: Sequence[str]
) -> tuple[str, list[tuple[str, str]]]:
    words = [rng.choice(vocabulary) for _ in range(rng.randint(12, 30))]
    keys: list[tuple[str, str]] = []
    if rng.random() < 0.7:
        written, e164 = _phone(rng, rng.choice(list(_COUNTRY_CODES.values())))
        words.insert(rng.randrange(len(words)), written)
        keys.append(("phone", e164))
    if rng.random() < 0.4:
        h = f"{_word(rng, 3)}{rng.randint(10, 9999)}"
        words.append(f"@{h}")
        keys.append(("handle", h))
    return _add_noise(rng, " ".join(words), keys, noise, viral)


def _sizes(rng: random.Random, total: int) -> list[int]:
    """Operation sizes: log-normal (median ~8, long tail), at least 2, at most 2% of all."""
    cap = max(2, min(3000, total // 50))
    out: list[int] = []
    left = total
    while left >= 2:
        s = max(2, min(cap, int(math.exp(rng.gauss(2.1, 1.0)))))
        s = min(s, left)
        out.append(s)
        left -= s
    return out


def generate(
    n: int, *, seed: int = 0, noise: Noise | None = None, indicators: bool = True
) -> SyntheticSet:
    """`n` reports with planted operations. `indicators=False` leaves indicators to
    extraction (`LinkRecord.indicators` None), as for raw messages."""
    noise = noise or Noise()
    rng = random.Random(seed)
    vocabulary = [_word(rng, rng.randint(1, 3)) for _ in range(3000)]
    viral = ["".join(rng.choice(_B58) for _ in range(7)) for _ in range(noise.viral_pool)]
    n_single = int(n * noise.singleton_share)
    rows: list[tuple[str, list[tuple[str, str]], str | None, str | None]] = []
    for i, size in enumerate(_sizes(rng, n - n_single)):
        op = _operation(rng, i, size)
        for _ in range(size):
            text, keys = _report(rng, op, noise, viral)
            rows.append((text, keys, op.oid, op.lang))
    while len(rows) < n:
        text, keys = _singleton(rng, vocabulary, noise, viral)
        rows.append((text, keys, None, None))
    rng.shuffle(rows)
    records: list[LinkRecord] = []
    truth: dict[str, str | None] = {}
    for i, (text, keys, oid, lang) in enumerate(rows):
        rid = f"r{i:07d}"
        records.append(
            LinkRecord(
                report_id=rid,
                text=text,
                indicators=tuple(sorted(set(keys))) if indicators else None,
                language=lang,
            )
        )
        truth[rid] = oid
    return SyntheticSet(records, truth)


def _pairs(sizes: Iterable[int]) -> int:
    return sum(s * (s - 1) // 2 for s in sizes)


def pairwise_scores(
    clusters: Sequence[Cluster], truth: Mapping[str, str | None]
) -> tuple[float, float, float]:
    """(precision, recall, F1) over pairs of reports put together, against the planted truth
    (singletons are their own group)."""
    predicted: dict[str, int] = {}
    for i, c in enumerate(clusters):
        for rid in c.report_ids:
            predicted[rid] = i
    cells: Counter[tuple[int, str]] = Counter()
    for rid, pred in predicted.items():
        op = truth.get(rid)
        if op is not None:
            cells[(pred, op)] += 1
    tp = _pairs(cells.values())
    pred_pairs = _pairs(len(c.report_ids) for c in clusters)
    true_pairs = _pairs(Counter(v for v in truth.values() if v is not None).values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1

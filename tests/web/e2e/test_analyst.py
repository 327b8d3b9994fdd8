"""Analyst pages in headless Chromium (Debian's, driven by Playwright; no browser download):
logging in through the form, an operation's network graph (a 5,000-node operation renders in
under 3 s and the page stays responsive), split and merge, export, axe-core with no serious or
critical violations, and the refusals a person sees (a partner opening another organisation's
report, an unknown export format). Screenshots go to tests-artifacts/analyst/.

The server is the real app under uvicorn on loopback (`tests.live.serve`), on a SQLite store
seeded with reports through intake and operations written with the ORM as a linking run would.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from lurewatch.api import Settings, create_app
from lurewatch.operations.tables import Operation, OperationDecision, OperationMember
from lurewatch.store.access import Viewer
from lurewatch.store.intake import ReportIn
from lurewatch.store.keys import create_key, get_or_create_org
from lurewatch.store.repository import ingest
from lurewatch.store.schema import Report
from lurewatch.web.analyst.graph import CACHE
from lurewatch.web.vendor import vendor_file
from tests.live import serve
from tests.web.e2e.conftest import AXE, CHROMIUM, CHROMIUM_ARGS

ARTIFACTS = Path(__file__).resolve().parents[3] / "tests-artifacts" / "analyst"
BIG_REPORTS, BIG_INDICATORS = 3000, 2000
"""The large operation: 3,000 reports and 2,000 shared identifiers, 5,000 nodes."""
RENDER_BUDGET_MS = 3000
RESPONSIVE_MS = 1000
ATTEMPTS = 2
"""No main-thread task may block the page longer than this, and a key typed or a zoom right
after the first frame is handled within it (a person perceives a longer pause as a freeze)."""
T0 = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)

pytestmark = [
    pytest.mark.slow,  # a browser, a seeded store and a 5,000-node operation: about a minute
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.skipif(
        vendor_file("sigma.min.js") is None, reason="npm assets missing: run make web-assets"
    ),
]


@dataclass
class Site:
    base: str
    keys: dict[str, str]
    uids: dict[str, str]
    small: str
    other: str
    big: str
    app: Any


def _seed(app: Any) -> Site:
    sessions = app.state.sessions
    keys: dict[str, str] = {}
    with sessions() as s:
        keys["analyst"] = create_key(s, "hotline", "analyst")
        keys["partner"] = create_key(s, "partner-ngo", "partner")
        hotline = get_or_create_org(s, "hotline").id
        police = get_or_create_org(s, "police").id
        s.commit()
    phone = "+66 92 418 7730"
    texts = {
        "a": (hotline, False, f"Customer service job in Cambodia, USD 2,000, WhatsApp {phone}"),
        "b": (hotline, True, f"Easy job in Sihanoukville, salary 1800 USD, WhatsApp {phone}"),
        "c": (police, False, f"Typing job in Poipet, USD 1,500, visa free, WhatsApp {phone}"),
        "d": (hotline, True, "Casino admin in Myawaddy, 3000 USD, Telegram @kk_hr_office"),
        "e": (hotline, True, "Office work in Myawaddy casino, 3000 USD, Telegram @kk_hr_office"),
    }
    uids: dict[str, str] = {}
    with sessions() as s:
        for n, (org, shared, text) in texts.items():
            rin = ReportIn(
                text=text, country="TH", shared=shared, received_at=T0 + timedelta(days=ord(n))
            )
            uids[n] = ingest(s, Viewer(org, "analyst"), rin).uid

    def edge(a: str, b: str, key: str) -> dict[str, Any]:
        x, y = sorted([uids[a], uids[b]])
        return {"a": x, "b": y, "kind": "indicator", "key": key, "weight": 0.9}

    ph, tg = "phone:+66924187730", "handle:kk_hr_office"
    with sessions() as s:
        ids = dict(s.execute(select(Report.uid, Report.id)).all())
        small = _operation("op-e2e0000small", [edge("a", "b", ph), edge("b", "c", ph)], ph)
        other = _operation("op-e2e0000other", [edge("d", "e", tg)], tg)
        s.add_all([small, other])
        s.flush()
        for op, names in ((small, "abc"), (other, "de")):
            for n in names:
                s.add(OperationMember(operation_id=op.id, report_id=ids[uids[n]]))
        s.commit()
        big = _big_operation(s, hotline)
    return Site("", keys, uids, small.uid, other.uid, big, app)


def _operation(uid: str, evidence: list[dict[str, Any]], key: str) -> Operation:
    kind, value = key.split(":", 1)
    members = {e["a"] for e in evidence} | {e["b"] for e in evidence}
    return Operation(
        uid=uid,
        size=len(members),
        confidence=0.9,
        first_seen=T0,
        last_seen=T0 + timedelta(days=120),
        countries={"TH": len(members)},
        languages={"en": len(members)},
        categories={"trafficking_lure": len(members)},
        top_indicators=[
            {
                "key": key,
                "type": kind,
                "value": value,
                "reports": len(members),
                "weight": 0.9,
                "stopped": None,
            }
        ],
        template={
            "text": "job in {city}, USD {amount}, WhatsApp {phone}",
            "slots": [{"name": "city", "start": 7, "end": 13, "examples": ["Cambodia", "Poipet"]}],
            "members": sorted(members),
        },
        evidence=evidence,
        run=1,
    )


def _big_operation(s: Any, org_id: int) -> str:
    """3,000 reports (bulk rows: the graph needs members, not texts) linked through 2,000
    identifiers, each identifier shared by about three reports: 5,000 nodes."""
    uids = [str(uuid.UUID(int=0xB16 << 96 | i)) for i in range(BIG_REPORTS)]
    countries = ["TH", "KH", "MM", "PH", "VN", "ID", "LA", "MY"]
    s.execute(
        insert(Report),
        [
            {
                "uid": u,
                "org_id": org_id,
                "country": countries[i % len(countries)],
                "language": "en",
                "received_at": T0 + timedelta(hours=7 * i),
                "shared": False,
            }
            for i, u in enumerate(uids)
        ],
    )
    holders: dict[int, list[int]] = {}
    for r in range(BIG_REPORTS):
        for k in (r % BIG_INDICATORS, (r * 7 + 3) % BIG_INDICATORS):
            holders.setdefault(k, []).append(r)
    evidence = []
    for k, rs in sorted(holders.items()):
        rs = sorted(set(rs))
        for x, y in pairwise(rs):
            a, b = sorted([uids[x], uids[y]])
            key = f"phone:+6681{k:07d}"
            evidence.append({"a": a, "b": b, "kind": "indicator", "key": key, "weight": 0.8})
    op = Operation(
        uid="op-e2e00000big",
        size=BIG_REPORTS,
        confidence=0.8,
        first_seen=T0,
        last_seen=T0 + timedelta(hours=7 * BIG_REPORTS),
        countries={c: BIG_REPORTS // len(countries) for c in countries},
        evidence=evidence,
        run=1,
    )
    s.add(op)
    s.flush()
    ids = dict(s.execute(select(Report.uid, Report.id).where(Report.uid.in_(uids))).all())
    s.execute(insert(OperationMember), [{"operation_id": op.id, "report_id": ids[u]} for u in uids])
    s.commit()
    return op.uid


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    db = tmp_path_factory.mktemp("analyst-e2e") / "store.db"
    os.environ.setdefault("LUREWATCH_WEB_SECRET", "e2e-secret-for-the-analyst-tests-0123456789")
    app = create_app(Settings(database_url=f"sqlite:///{db}", rate_per_second=1000))
    site = _seed(app)
    with serve(app) as base:
        site.base = base
        yield site


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


def log_in(page: Any, site: Site, role: str = "analyst", next_path: str = "/analyst") -> None:
    page.goto(f"{site.base}/login?next={next_path}")
    page.get_by_label("API key").fill(site.keys[role])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site.base}{next_path}*")


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def axe_serious(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the current page.

    axe is evaluated through the DevTools protocol: the pages' CSP (script-src 'self') rightly
    refuses an injected inline script tag, and the test must not switch the CSP off."""
    page.evaluate(AXE.read_text("utf-8") + "\n;true")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def wait_graph(page: Any, timeout_ms: int = 30_000) -> float:
    """Milliseconds from navigation start to the graph's first frame (set by graph.js)."""
    page.wait_for_selector("#op-graph[data-rendered-ms]", state="attached", timeout=timeout_ms)
    return float(page.get_attribute("#op-graph", "data-rendered-ms"))


def test_login_queue_report_and_lookup_pages(page: Any, site: Site) -> None:
    page.goto(f"{site.base}/analyst")
    assert "/login" in page.url
    shot(page, "login")
    assert axe_serious(page) == []
    log_in(page, site)
    assert page.get_by_role("heading", name="Report queue").is_visible()
    shot(page, "queue")
    assert axe_serious(page) == []
    page.get_by_role("link", name=site.uids["a"][:8]).click()
    page.wait_for_url(f"**/analyst/reports/{site.uids['a']}")
    assert page.locator("mark.ident").count() >= 1
    shot(page, "report")
    assert axe_serious(page) == []
    page.get_by_role("link", name="seen in 2 reports").first.click()
    page.wait_for_url("**/analyst/lookup?*")
    assert page.get_by_role("heading", name="Seen in 2 reports").is_visible()
    shot(page, "lookup")
    assert axe_serious(page) == []


def test_operation_graph_split_and_merge(page: Any, site: Site) -> None:
    log_in(page, site)
    page.goto(f"{site.base}/analyst/operations")
    shot(page, "operations")
    assert axe_serious(page) == []
    page.get_by_role("link", name=site.small).click()
    wait_graph(page)
    status = page.locator("#op-graph-status").inner_text()
    # a, b and their phone; c is the police's own, unshared report
    assert status.startswith("3 nodes and 2 links drawn"), status
    assert page.locator("#op-graph canvas").count() > 0
    shot(page, "operation")
    assert axe_serious(page) == []
    page.goto(f"{site.base}/analyst/operations/{site.other}")
    page.get_by_label("Operation to merge into this one").select_option(site.small)
    page.get_by_label("Why (kept with the decision)").nth(1).fill("same recruiter network")
    page.get_by_role("button", name="Merge").click()
    page.wait_for_url("**done=merge")
    assert page.get_by_text("Merge recorded").is_visible()
    shot(page, "after-merge")
    page.get_by_label(site.uids["b"][:8], exact=False).check()
    page.get_by_label("Why (kept with the decision)").first.fill("b is a different recruiter")
    page.get_by_role("button", name="Split out the selected reports").click()
    page.wait_for_url("**done=split*")
    assert page.get_by_role("status").filter(has_text="Split recorded").is_visible()
    shot(page, "after-split")
    with site.app.state.sessions() as s:
        kinds = [
            d.kind for d in s.scalars(select(OperationDecision).order_by(OperationDecision.id))
        ]
    assert kinds == ["merge", "split"]


def test_export_downloads_stix_and_refuses_an_unknown_format(page: Any, site: Site) -> None:
    log_in(page, site)
    page.goto(f"{site.base}/analyst/operations/{site.big}")
    page.get_by_label("Format").select_option("stix")
    with page.expect_download() as info:
        page.get_by_role("button", name="Export").click()
    path = info.value.path()
    bundle = json.loads(Path(path).read_text("utf-8"))
    assert bundle["type"] == "bundle"
    assert site.uids["c"] not in json.dumps(bundle)
    page.goto(f"{site.base}/analyst/operations/{site.big}")
    page.evaluate("document.querySelector('#export-format option').value = 'xlsx'")
    page.get_by_role("button", name="Export").click()
    assert page.get_by_text("Unknown export format. Choose one of: stix, misp.").is_visible()
    shot(page, "export-unknown-format")


def test_partner_cannot_open_another_organisations_report(page: Any, site: Site) -> None:
    log_in(page, site, "partner")
    response = page.goto(f"{site.base}/analyst/reports/{site.uids['a']}")
    assert response is not None and response.status == 404
    assert page.get_by_text("No such report among those you can see.").is_visible()
    shot(page, "partner-refused")
    page.goto(f"{site.base}/analyst/reports/{site.uids['b']}")
    assert page.get_by_role("heading", name=f"Report {site.uids['b'][:8]}").is_visible()
    assert page.get_by_role("button", name="Export").count() == 0


@dataclass
class GraphRun:
    rendered_ms: float
    typed_ms: float
    frame_ms: float
    longest_ms: float
    timings: dict[str, int]

    @property
    def ok(self) -> bool:
        return (
            self.rendered_ms < RENDER_BUDGET_MS
            and max(self.typed_ms, self.frame_ms, self.longest_ms) < RESPONSIVE_MS
        )


def measure_big_graph(page: Any, site: Site) -> GraphRun:
    """One cold visit of the 5,000-node operation (layout cache emptied first, so the server's
    layout is inside the measurement, as on a first visit)."""
    CACHE.clear()
    page.add_init_script(
        "window.__long = []; new PerformanceObserver(l => l.getEntries().forEach("
        "e => window.__long.push(e.duration))).observe({entryTypes: ['longtask']});"
    )
    page.goto(f"{site.base}/analyst/operations/{site.big}")
    rendered_ms = wait_graph(page)
    status = page.locator("#op-graph-status").inner_text()
    assert status.startswith("5000 nodes"), status
    # responsive: an input typed into the page right after the first frame is handled at once,
    # and zooming the graph keeps frames coming
    started = time.perf_counter()
    page.get_by_label("Why (kept with the decision)").first.fill("checking responsiveness")
    typed_ms = (time.perf_counter() - started) * 1000
    box = page.locator("#op-graph").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    started = time.perf_counter()
    page.mouse.wheel(0, -400)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    frame_ms = (time.perf_counter() - started) * 1000
    longest = max(page.evaluate("window.__long") or [0])
    timings = json.loads(page.get_attribute("#op-graph", "data-timings") or "{}")
    nav = page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return {first_byte: n.responseStart, html: n.responseEnd,"
        " dom_ready: n.domContentLoadedEventStart}; })()"
    )
    return GraphRun(
        rendered_ms,
        typed_ms,
        frame_ms,
        float(longest),
        {k: round(v) for k, v in {**nav, **timings}.items()},
    )


def test_a_5000_node_operation_renders_under_3_s_and_stays_responsive(
    page: Any, site: Site
) -> None:
    """Up to ATTEMPTS cold visits; the bar holds when one of them meets every limit. A second
    attempt is there for the shared machine's load spikes (other test runs, benchmarks), which
    stretch every step; a page that is slow by itself fails both."""
    log_in(page, site)
    runs: list[GraphRun] = []
    for attempt in range(ATTEMPTS):
        current = page if attempt == 0 else page.context.new_page()
        run = measure_big_graph(current, site)
        runs.append(run)
        print(
            f"\n5000-node graph, cold visit {attempt + 1}: first frame {run.rendered_ms:.0f} ms "
            f"after navigation start (ms since navigation start: {run.timings}), typing "
            f"{run.typed_ms:.0f} ms, zoom frame {run.frame_ms:.0f} ms, longest task "
            f"{run.longest_ms:.0f} ms"
        )
        if run.ok:
            current.locator("#op-graph").screenshot(
                path=str(ARTIFACTS / "operation-5000-nodes.png")
            )
            break
    assert any(r.ok for r in runs), runs

"""Analyst pages through the real app on a real store (SQLite and PostgreSQL): login and roles,
queue order, report detail with highlights and counts, lookup, operations with the graph data,
split/merge recorded as decisions, export, CSRF and escaping.

The store holds two organisations' reports linked into one operation (rows made with the ORM,
as the linking run would write them), so every page is checked for what a partner or another
organisation must not see.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from lurewatch.api import Settings, create_app
from lurewatch.operations.tables import Operation, OperationDecision, OperationMember
from lurewatch.sharing.groups import create_group, share_report
from lurewatch.store import make_engine, upgrade
from lurewatch.store.access import Viewer
from lurewatch.store.intake import ReportIn
from lurewatch.store.keys import create_key, get_or_create_org
from lurewatch.store.repository import ingest
from lurewatch.store.schema import Report
from tests.store.conftest import _pg_database, db_url, engine  # noqa: F401  (shared fixtures)

PHONE = "+66 92 418 7730"
XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class World:
    client: TestClient
    keys: dict[str, str]
    uids: dict[str, str]
    op: str
    op2: str


def _report(text: str, *, shared: bool, country: str, days: int, **kw: object) -> ReportIn:
    return ReportIn(
        text=text,
        country=country,
        shared=shared,
        received_at=T0 + timedelta(days=days),
        **kw,  # type: ignore[arg-type]
    )


def _seed(client: TestClient) -> World:
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    keys: dict[str, str] = {}
    with sessions() as s:
        for role in ("admin", "analyst", "reporter"):
            keys[role] = create_key(s, "hotline", role)
        keys["partner"] = create_key(s, "partner-ngo", "partner")
        keys["police"] = create_key(s, "police", "analyst")
        hotline = get_or_create_org(s, "hotline").id
        police = get_or_create_org(s, "police").id
        s.commit()
    me, them = Viewer(hotline, "analyst"), Viewer(police, "analyst")
    texts = {
        "a": (
            me,
            _report(
                f"Customer service job in Cambodia, USD 2,000, free visa, no experience. "
                f"Contact HR on WhatsApp {PHONE} now {XSS}",
                shared=False,
                country="TH",
                days=0,
            ),
        ),
        "b": (
            me,
            _report(
                f"Easy job in Sihanoukville, salary 1800 USD, flight paid. WhatsApp {PHONE}",
                shared=True,
                country="VN",
                days=2,
            ),
        ),
        "c": (
            them,
            _report(
                f"They took my passport and I cannot leave the compound, call {PHONE}",
                shared=False,
                country="KH",
                days=3,
            ),
        ),
        "d": (
            them,
            _report(
                f"Typing job abroad, USD 1,500 per month, apply on WhatsApp {PHONE}",
                shared=True,
                country="PH",
                days=4,
            ),
        ),
        "e": (
            me,
            _report(
                "Help, my brother is held in a compound in Myawaddy and they beat him",
                shared=False,
                country="MM",
                days=5,
            ),
        ),
        "f": (
            me,
            _report(
                "Brother sent this: work in Myawaddy casino, USD 3000, Telegram @kk_casino_hr",
                shared=False,
                country="MM",
                days=6,
            ),
        ),
    }
    uids: dict[str, str] = {}
    with sessions() as s:
        for name, (viewer, rin) in texts.items():
            uids[name] = ingest(s, viewer, rin).uid
    key = "phone:+66924187730"
    evidence = [
        {"a": uids["a"], "b": uids["b"], "kind": "indicator", "key": key, "weight": 0.9},
        {"a": uids["b"], "b": uids["d"], "kind": "indicator", "key": key, "weight": 0.9},
        {"a": uids["a"], "b": uids["c"], "kind": "indicator", "key": key, "weight": 0.9},
        {
            "a": uids["a"],
            "b": uids["d"],
            "kind": "template",
            "key": "template:j=0.8",
            "weight": 0.8,
        },
    ]
    for e in evidence:
        if e["a"] > e["b"]:
            e["a"], e["b"] = e["b"], e["a"]
    with sessions() as s:
        ids = dict(s.execute(select(Report.uid, Report.id)).all())
        op = Operation(
            uid="op-aaaaaaaaaaaa",
            size=4,
            confidence=0.9,
            first_seen=T0,
            last_seen=T0 + timedelta(days=4),
            countries={"TH": 1, "VN": 1, "KH": 1, "PH": 1},
            languages={"en": 4},
            categories={"trafficking_lure": 4},
            top_indicators=[
                {
                    "key": key,
                    "type": "phone",
                    "value": "+66924187730",
                    "reports": 4,
                    "weight": 0.9,
                    "stopped": None,
                }
            ],
            template={
                "text": "job in {city}, USD {amount}, WhatsApp {phone}",
                "slots": [
                    {"name": "city", "start": 7, "end": 13, "examples": ["Cambodia"]},
                    {"name": "amount", "start": 19, "end": 27, "examples": ["2,000"]},
                ],
                "members": [uids["a"], uids["b"], uids["d"]],
            },
            evidence=evidence,
            run=1,
        )
        ef = sorted([uids["e"], uids["f"]])
        op2 = Operation(
            uid="op-bbbbbbbbbbbb",
            size=2,
            run=1,
            evidence=[
                {"a": ef[0], "b": ef[1], "kind": "template", "key": "template:j=0.7", "weight": 0.7}
            ],
        )
        s.add_all([op, op2])
        s.flush()
        for name in "abcd":
            s.add(OperationMember(operation_id=op.id, report_id=ids[uids[name]]))
        for name in "ef":
            s.add(OperationMember(operation_id=op2.id, report_id=ids[uids[name]]))
        s.commit()
    return World(client, keys, uids, "op-aaaaaaaaaaaa", "op-bbbbbbbbbbbb")


@dataclass
class Seeded:
    app: Any
    keys: dict[str, str]
    uids: dict[str, str]


def _app(engine: Engine) -> Any:  # noqa: F811
    return create_app(Settings(rate_per_second=1000, rate_burst=1000), engine=engine)


def _client(app: Any) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, follow_redirects=False)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """One seeded store per database kind for the tests that only read (fast: seeded once)."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('analyst') / 'store.db'}"])
    else:
        urls = _pg_database()
    for url in urls:
        eng = make_engine(url)
        upgrade(eng)
        app = _app(eng)
        with _client(app) as client:
            w = _seed(client)
        yield Seeded(app, w.keys, w.uids)
        eng.dispose()


@pytest.fixture
def world(seeded: Seeded) -> Iterator[World]:
    """A fresh browser-like client (own cookies) on the module's seeded store."""
    with _client(seeded.app) as client:
        yield World(client, seeded.keys, seeded.uids, "op-aaaaaaaaaaaa", "op-bbbbbbbbbbbb")


@pytest.fixture
def fresh(engine: Engine) -> Iterator[World]:  # noqa: F811
    """A store of its own, for the tests that change operations (split, merge)."""
    with _client(_app(engine)) as client:
        yield _seed(client)


def csrf(client: TestClient, path: str = "/login") -> str:
    html = client.get(path).text
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def log_in(client: TestClient, key: str) -> None:
    r = client.post("/login", data={"api_key": key, "next": "/analyst", "csrf_token": csrf(client)})
    assert r.status_code == 303, r.text[:500]
    assert r.headers["location"] == "/analyst"


# ---------------------------------------------------------------- login and roles


def test_anonymous_is_sent_to_login_with_the_page_to_come_back_to(world: World) -> None:
    r = world.client.get("/analyst/operations")
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=%2Fanalyst%2Foperations"
    assert world.client.get(f"/analyst/operations/{world.op}/graph.json").status_code == 303


def test_login_needs_the_csrf_token(world: World) -> None:
    world.client.get("/login")
    r = world.client.post("/login", data={"api_key": world.keys["analyst"], "next": "/analyst"})
    assert r.status_code == 403
    r = world.client.post(
        "/login", data={"api_key": world.keys["analyst"], "csrf_token": "forged" * 8}
    )
    assert r.status_code == 403
    assert world.client.get("/analyst").status_code == 303


def test_a_reporter_key_cannot_log_in(world: World) -> None:
    token = csrf(world.client)
    r = world.client.post("/login", data={"api_key": world.keys["reporter"], "csrf_token": token})
    assert r.status_code == 401
    assert "reporter key cannot open the analyst pages" in r.text
    assert world.client.get("/analyst").status_code == 303


def test_unknown_key_is_refused_and_next_cannot_leave_the_site(world: World) -> None:
    token = csrf(world.client)
    r = world.client.post("/login", data={"api_key": "lw_nope", "csrf_token": token})
    assert r.status_code == 401
    assert "unknown or revoked" in r.text
    token = csrf(world.client)
    r = world.client.post(
        "/login",
        data={"api_key": world.keys["analyst"], "csrf_token": token, "next": "//evil.example/x"},
    )
    assert r.headers["location"] == "/analyst"


def test_logout_ends_the_session(world: World) -> None:
    log_in(world.client, world.keys["analyst"])
    assert world.client.get("/analyst").status_code == 200
    r = world.client.post("/logout", data={"csrf_token": csrf(world.client, "/analyst")})
    assert r.status_code == 303
    assert world.client.get("/analyst").status_code == 303


# ---------------------------------------------------------------- queue, report, lookup


def test_queue_puts_urgent_first_then_risk_and_escapes_text(world: World) -> None:
    log_in(world.client, world.keys["analyst"])
    html = world.client.get("/analyst").text
    shown = re.findall(r'href="/analyst/reports/([0-9a-f-]+)"', html)
    # hotline sees its own a, b, e and the police's shared d; never the police's unshared c
    assert set(shown) == {world.uids[n] for n in "abdef"}
    assert shown[0] == world.uids["e"]  # urgent: a person held
    risks = [float(x) for x in re.findall(r"<td>(\d+)%</td>", html)]
    assert risks[1:] == sorted(risks[1:], reverse=True)
    assert "<script>" not in html


def test_report_page_highlights_flags_and_counts_identifier_reports(world: World) -> None:
    log_in(world.client, world.keys["analyst"])
    r = world.client.get(f"/analyst/reports/{world.uids['a']}")
    assert r.status_code == 200
    html = r.text
    assert '<mark class=" ident"' in html or 'class="flag ident"' in html or "ident" in html
    assert re.search(r"<mark[^>]*>[^<]*\+66 92 418 7730", html)
    assert re.search(r'<mark class="flag[^"]*"', html), "no red flag marked"
    # a, b, d visible to the hotline analyst; c is the police's own and unshared
    assert "seen in 3 reports" in html
    assert "&lt;script&gt;alert(" in html and "<script>alert(" not in html
    assert "onerror=alert(1)&gt;" in html and "<img src=x" not in html
    assert f"/analyst/operations/{world.op}" in html


def test_partner_sees_shared_reports_only(world: World) -> None:
    log_in(world.client, world.keys["partner"])
    assert world.client.get(f"/analyst/reports/{world.uids['b']}").status_code == 200
    r = world.client.get(f"/analyst/reports/{world.uids['a']}")
    assert r.status_code == 404
    assert "No such report among those you can see" in r.text
    queue = world.client.get("/analyst").text
    assert set(re.findall(r'href="/analyst/reports/([0-9a-f-]+)"', queue)) == {
        world.uids["b"],
        world.uids["d"],
    }
    html = world.client.get(f"/analyst/reports/{world.uids['b']}").text
    assert "seen in 2 reports" in html


def test_lookup_finds_the_phone_within_what_the_viewer_reads(world: World) -> None:
    log_in(world.client, world.keys["analyst"])
    html = world.client.get("/analyst/lookup", params={"value": "0924187730 ", "type": "phone"})
    assert "Seen in" in html.text or "Not seen" in html.text
    html = world.client.get("/analyst/lookup", params={"value": PHONE}).text
    assert "Seen in 3 reports" in html
    assert world.uids["c"][:8] not in html
    none = world.client.get("/analyst/lookup", params={"value": "@nobody_here_at_all"}).text
    assert "Not seen in any report you can read" in none
    long = world.client.get("/analyst/lookup", params={"value": "x" * 600})
    assert long.status_code == 422


# ---------------------------------------------------------------- operations


def test_operations_list_and_detail(world: World) -> None:
    log_in(world.client, world.keys["analyst"])
    listing = world.client.get("/analyst/operations").text
    assert world.op in listing
    html = world.client.get(f"/analyst/operations/{world.op}").text
    assert 'data-graph-url="/analyst/operations/op-aaaaaaaaaaaa/graph.json"' in html
    assert '<mark class="slot" title="slot: city">' in html
    assert f'href="/awareness/operation/{world.op}"' in html
    assert "<meter" in html and "Thailand" in html
    assert 'name="csrf_token"' in html and "Split out the selected reports" in html
    assert world.client.get("/analyst/operations/op-nope00000000").status_code == 404
    assert world.client.get("/analyst/operations/<script>").status_code == 404


def test_graph_json_has_only_visible_reports(world: World) -> None:
    log_in(world.client, world.keys["analyst"])
    g = world.client.get(f"/analyst/operations/{world.op}/graph.json").json()
    ids = {n[0] for n in g["nodes"]}
    assert ids == {f"r:{world.uids[n]}" for n in "abd"} | {"i:phone:+66924187730"}
    kinds = sorted(e[2] for e in g["edges"])
    assert kinds == ["indicator", "indicator", "indicator", "template"]
    assert all(isinstance(n[3], float | int) and isinstance(n[4], float | int) for n in g["nodes"])
    world.client.post("/logout", data={"csrf_token": csrf(world.client, "/analyst")})
    log_in(world.client, world.keys["partner"])
    g = world.client.get(f"/analyst/operations/{world.op}/graph.json").json()
    assert {n[0] for n in g["nodes"]} == {
        f"r:{world.uids['b']}",
        f"r:{world.uids['d']}",
        "i:phone:+66924187730",
    }
    assert json.dumps(g).count(world.uids["a"]) == 0


def test_split_is_recorded_and_needs_csrf_and_the_edit_right(fresh: World) -> None:
    world = fresh
    log_in(world.client, world.keys["analyst"])
    page = f"/analyst/operations/{world.op}"
    url = f"{page}/split"
    assert world.client.post(url, data={"reports": world.uids["b"]}).status_code == 403
    r = world.client.post(
        url,
        data={
            "reports": world.uids["b"],
            "note": "different crew",
            "csrf_token": csrf(world.client, page),
        },
    )
    assert r.status_code == 303, r.text[:300]
    assert r.headers["location"].startswith(f"{page}?done=split")
    with world.client.app.state.sessions() as s:  # type: ignore[attr-defined]
        d = s.scalars(select(OperationDecision)).one()
        assert (d.kind, d.reports, d.note) == ("split", [world.uids["b"]], "different crew")
    assert "Split recorded" in world.client.get(r.headers["location"]).text


def test_merge_is_recorded(fresh: World) -> None:
    world = fresh
    log_in(world.client, world.keys["analyst"])
    page = f"/analyst/operations/{world.op}"
    bad = world.client.post(
        f"{page}/merge", data={"other": "", "csrf_token": csrf(world.client, page)}
    )
    assert bad.status_code == 422
    r = world.client.post(
        f"{page}/merge", data={"other": world.op2, "csrf_token": csrf(world.client, page)}
    )
    assert r.status_code == 303, r.text[:300]
    assert r.headers["location"].endswith("?done=merge")
    with world.client.app.state.sessions() as s:  # type: ignore[attr-defined]
        d = s.scalars(select(OperationDecision)).one()
        assert d.kind == "merge" and d.operations == [world.op, world.op2]
        assert s.scalar(select(Operation.status).where(Operation.uid == world.op2)) != "active"
    assert "Merge recorded" in world.client.get(r.headers["location"]).text


def test_partner_cannot_split_or_export(world: World) -> None:
    log_in(world.client, world.keys["partner"])
    page = f"/analyst/operations/{world.op}"
    html = world.client.get(page).text
    assert "Split out the selected reports" not in html and "Export for a sharing group" not in html
    token = csrf(world.client, page)
    r = world.client.post(f"{page}/split", data={"reports": world.uids["b"], "csrf_token": token})
    assert r.status_code == 403
    r = world.client.post("/analyst/export", data={"format": "stix", "csrf_token": token})
    assert r.status_code == 403


def test_export_refuses_unknown_format_and_downloads_stix(world: World) -> None:
    log_in(world.client, world.keys["analyst"])
    token = csrf(world.client, f"/analyst/operations/{world.op}")
    r = world.client.post("/analyst/export", data={"format": "csv", "csrf_token": token})
    assert r.status_code == 422
    assert "Unknown export format. Choose one of: stix, misp." in r.text
    r = world.client.post("/analyst/export", data={"format": "stix"})
    assert r.status_code == 403
    r = world.client.post(
        "/analyst/export", data={"format": "stix", "group": "no such group", "csrf_token": token}
    )
    assert r.status_code == 422 and "Export refused" in r.text
    r = world.client.post("/analyst/export", data={"format": "stix", "csrf_token": token})
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-disposition"].startswith('attachment; filename="lurewatch-stix-')
    bundle = r.json()
    assert bundle["type"] == "bundle"
    text = json.dumps(bundle)
    assert world.uids["a"] not in text  # not shared: never exported
    assert world.uids["b"] in text  # shared with all partners
    r = world.client.post("/analyst/export", data={"format": "misp", "csrf_token": token})
    assert r.status_code == 200, r.text[:300]
    events = r.json()["response"]
    assert events and all("Event" in e for e in events)
    assert world.uids["a"] not in json.dumps(events)


def test_export_for_a_group_only_by_its_members(world: World) -> None:
    """A report shared with one group only reaches that group's members: the hotline's
    analyst neither sees the police's group in the form nor may export for it."""
    sessions = world.client.app.state.sessions  # type: ignore[attr-defined]
    with sessions() as s:
        create_group(s, "border-taskforce", members=["police"])
        share_report(s, "border-taskforce", world.uids["c"])
    log_in(world.client, world.keys["analyst"])
    page = f"/analyst/operations/{world.op}"
    assert "border-taskforce" not in world.client.get(page).text
    token = csrf(world.client, page)
    r = world.client.post(
        "/analyst/export",
        data={"format": "stix", "group": "border-taskforce", "csrf_token": token},
    )
    assert r.status_code == 403 and world.uids["c"] not in r.text
    world.client.post("/logout", data={"csrf_token": token})
    log_in(world.client, world.keys["police"])
    token = csrf(world.client, "/analyst")
    r = world.client.post(
        "/analyst/export",
        data={"format": "stix", "group": "border-taskforce", "csrf_token": token},
    )
    assert r.status_code == 200 and world.uids["c"] in r.text


def test_pager_links_to_the_pages_around_the_current_one() -> None:
    """The queue and the operations list share one pager partial; each gives its own URLs."""
    from lurewatch.web.render import env

    pager = env.get_template("analyst/_pager.html")
    html = pager.render(page=2, pages=3, page_url=lambda n: f"/analyst/operations?page={n}")
    assert 'href="/analyst/operations?page=1" rel="prev"' in html
    assert 'href="/analyst/operations?page=3" rel="next"' in html and "Page 2 of 3" in html
    first = pager.render(page=1, pages=3, page_url=lambda n: f"/analyst?page={n}&x=<y>")
    assert 'rel="prev"' not in first and "&amp;x=&lt;y&gt;" in first  # URLs are escaped
    assert "pager" not in pager.render(page=1, pages=1, page_url=str)

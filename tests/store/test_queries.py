"""Indicator lookups answer only from the reports the viewer may see (SQLite and PostgreSQL).

The lookup statements are built once per visibility rule and reused with bound parameters, so
these tests run several viewers against the same data in one session: a statement cached for
one role must never answer for another."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from lurewatch.store import ReportIn, Viewer, ingest
from lurewatch.store.queries import lookup

PHONE = "+855 96 700 1234"
WALLET = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"


def _seed(s: Session, orgs: dict[str, int]) -> None:
    hotline, police = Viewer(orgs["hotline"], "analyst"), Viewer(orgs["police"], "analyst")
    ingest(
        s,
        hotline,
        ReportIn(
            text=f"Casino job in Sihanoukville, call the recruiter on {PHONE}",
            country="KH",
            received_at=datetime(2026, 2, 1, tzinfo=UTC),
            shared=True,
        ),
    )
    ingest(
        s,
        hotline,
        ReportIn(
            text=f"They asked my brother to pay USDT to {WALLET}, same agent {PHONE}",
            country="MM",
            received_at=datetime(2026, 4, 1, tzinfo=UTC),
        ),
    )
    ingest(
        s,
        police,
        ReportIn(
            text=f"Seized phone lists the number {PHONE} as 'boss'",
            country="LA",
            received_at=datetime(2026, 6, 1, tzinfo=UTC),
        ),
    )


def test_each_viewer_counts_only_visible_reports(
    sessions: sessionmaker[Session], orgs: dict[str, int]
) -> None:
    hotline, police = orgs["hotline"], orgs["police"]
    with sessions() as s:
        _seed(s, orgs)
        own = lookup(s, Viewer(hotline, "analyst"), "phone", PHONE)
        other = lookup(s, Viewer(police, "analyst"), "phone", PHONE)
        partner = lookup(s, Viewer(police, "partner"), "phone", PHONE)
        reporter = lookup(s, Viewer(hotline, "reporter"), "phone", PHONE)
        again = lookup(s, Viewer(hotline, "admin"), "phone", PHONE)
    assert own is not None and other is not None and partner is not None and again is not None
    assert (own["report_count"], own["countries"]) == (2, ["KH", "MM"])
    assert own["first_seen"].startswith("2026-02-01") and own["last_seen"].startswith("2026-04")
    assert (other["report_count"], other["countries"]) == (2, ["KH", "LA"])
    assert other["last_seen"].startswith("2026-06-01")
    assert (partner["report_count"], partner["countries"]) == (1, ["KH"])
    assert partner["first_seen"] == partner["last_seen"]
    assert reporter is None  # no read right: nothing, not even that the phone exists
    assert again["report_count"] == 2
    assert [r["received_at"][:7] for r in own["reports"]] == ["2026-04", "2026-02"]


def test_co_occurring_indicators_come_from_visible_reports_only(
    sessions: sessionmaker[Session], orgs: dict[str, int]
) -> None:
    with sessions() as s:
        _seed(s, orgs)
        own = lookup(s, Viewer(orgs["hotline"], "analyst"), "phone", PHONE)
        other = lookup(s, Viewer(orgs["police"], "analyst"), "phone", PHONE)
        by_wallet = lookup(s, Viewer(orgs["police"], "partner"), "crypto_wallet", WALLET)
    assert own is not None and other is not None
    assert WALLET in {c["normalized"] for c in own["operations"]["co_occurring"]}
    # the wallet is in the hotline's unshared report: the police must not learn of it
    assert WALLET not in {c["normalized"] for c in other["operations"]["co_occurring"]}
    assert by_wallet is None


def test_unknown_and_written_differently(
    sessions: sessionmaker[Session], orgs: dict[str, int]
) -> None:
    analyst = Viewer(orgs["hotline"], "analyst")
    with sessions() as s:
        _seed(s, orgs)
        assert lookup(s, analyst, "phone", "+855 96 700 9999") is None
        assert lookup(s, analyst, "handle", PHONE) is None
        spaced = lookup(s, analyst, "phone", "+855-96-700-1234")
    assert spaced is not None and spaced["normalized"] == "+855967001234"

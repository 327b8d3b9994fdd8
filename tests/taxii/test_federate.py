"""Federation: a second lurewatch pulls a sharing group's collection from the first and serves
it over its own TAXII server (two servers on loopback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from taxii2client.v21 import Collection
from typer.testing import CliRunner

from lurewatch.cli import app as cli
from lurewatch.sharing.groups import create_group
from lurewatch.sharing.tables import ForeignObject
from lurewatch.store import ReportIn, Viewer, ingest, make_engine, session_factory, upgrade
from lurewatch.store.keys import create_key, get_or_create_org
from lurewatch.store.schema import Report
from lurewatch.taxii import store
from lurewatch.taxii.federate import PullError, publish, pull
from lurewatch.taxii.tables import TaxiiObject, TaxiiPull
from tests.live import serve
from tests.taxii.conftest import make_app
from tests.taxii.objects import domain

LURES = [
    "Customer service job in Sihanoukville, USD 1,800 a month, free visa and flight. "
    "Contact HR on Telegram @kh_jobs_desk or WhatsApp +855 12 345 678",
    "Easy typing job abroad, no experience needed, salary 45,000 baht. "
    "Line: thai_work_abroad, call +66 92 418 7730",
    "USDT task platform: deposit to TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE and earn 30% daily",
]


def _count(s: Session, model: type, *where: object) -> int:
    return s.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def _fill_source(app: FastAPI) -> tuple[str, str]:
    """Reports shared with group 'mekong' (member: police); its collection, published."""
    with app.state.sessions() as s:
        org = get_or_create_org(s, "hotline")
        s.commit()
        for text in LURES:
            ingest(s, Viewer(org.id, "analyst"), ReportIn(text=text, shared=True))
        create_group(s, "mekong", tlp="green", members=["police"])
        key = create_key(s, "police", "partner")
        store.sync_group_collections(s)
        coll = store.find_collection(s, "group-mekong")
        assert coll is not None
        exported, added, withdrawn = publish(s, coll)
        assert exported > 0 and added == exported and withdrawn == 0
        assert publish(s, coll) == (exported, 0, 0)  # unchanged store: nothing new
        return coll.id, key


def test_publish_withdraws_what_is_no_longer_shared(app: FastAPI) -> None:
    cid, _ = _fill_source(app)
    with app.state.sessions() as s:
        coll = store.find_collection(s, cid)
        assert coll is not None
        partner = store.check_envelope({"objects": [domain(77)]})
        store.add_objects(s, coll, partner)  # a partner's object in the same collection
        s.commit()
        before = _count(s, TaxiiObject, TaxiiObject.collection_id == cid)
        report = s.scalars(select(Report).order_by(Report.id)).first()
        assert report is not None
        report.shared = False  # consent to share withdrawn for one report
        s.commit()
        exported, added, withdrawn = publish(s, coll)
        assert withdrawn > 0 and added == 0
        published = set(
            s.scalars(
                select(TaxiiObject.object_id).where(
                    TaxiiObject.collection_id == cid, TaxiiObject.origin == "published"
                )
            )
        )
        assert len(published) == exported
        assert _count(s, TaxiiObject, TaxiiObject.collection_id == cid) == before - withdrawn
        assert _count(s, TaxiiObject, TaxiiObject.object_id == domain(77)["id"]) == 1


@pytest.mark.slow
def test_second_instance_pulls_and_re_pull_is_idempotent(
    app: FastAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid, key = _fill_source(app)
    with app.state.sessions() as s:
        published = _count(s, TaxiiObject, TaxiiObject.collection_id == cid)
    b_url = f"sqlite:///{tmp_path / 'second.db'}"
    b_engine = make_engine(b_url)
    upgrade(b_engine)
    b = session_factory(b_engine)
    with serve(app) as url:
        root = f"{url}/taxii2/lurewatch/"
        with b() as s:
            first = pull(s, root, "group-mekong", org="hotline-kh", user="police", password=key)
        assert first.fetched == published and first.added == published
        assert first.imported is not None and first.imported["new_objects"] > 0
        with b() as s:
            mirrored = _count(s, TaxiiObject, TaxiiObject.collection_id == first.collection)
            foreign = _count(s, ForeignObject)
            reports = _count(s, Report)
        assert mirrored == published and foreign > 0 and reports > 0
        # re-pull through the command line: nothing new is fetched, nothing changes
        monkeypatch.setenv("LUREWATCH_DATABASE_URL", b_url)
        out = CliRunner().invoke(
            cli,
            [
                "taxii",
                "pull",
                root,
                "--collection",
                cid,
                "--key",
                key,
                "--user",
                "police",
                "--org",
                "hotline-kh",
            ],
        )
        assert out.exit_code == 0, out.output
        assert out.output.startswith("0 object(s) fetched")
        # forgetting the pull state and pulling everything again changes nothing either
        with b() as s:
            s.execute(delete(TaxiiPull))
            s.commit()
            again = pull(s, url + "/taxii2/", cid, org="hotline-kh", user="police", password=key)
        assert again.fetched == published and again.added == 0
        with b() as s:
            assert _count(s, TaxiiObject) == mirrored
            assert _count(s, ForeignObject) == foreign
            assert _count(s, Report) == reports
        # B serves what it pulled over its own TAXII server (its admins read the mirror)
        b_app = make_app(b_engine)
        with b() as s:
            b_admin = create_key(s, "hotline-th", "admin")
        with serve(b_app) as b_server:
            mirror = Collection(
                f"{b_server}/taxii2/lurewatch/collections/{first.collection}/",
                user="hotline-th",
                password=b_admin,
            )
            served = {o["id"] for o in mirror.get_objects(version="all")["objects"]}
        with app.state.sessions() as s:
            assert served == set(s.scalars(select(TaxiiObject.object_id)))
        # a key of an organisation outside the group cannot pull
        with app.state.sessions() as s:
            outsider = create_key(s, "ngo", "partner")
        with b() as s, pytest.raises(PullError, match="no collection"):
            pull(s, root, cid, org="x", password=outsider)

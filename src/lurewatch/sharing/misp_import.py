"""MISP import: events into the store, all or nothing.

Accepts what MISP hands out: one event (`{"Event": {...}}`), a REST search answer
(`{"response": [{"Event": ...}, ...]}`), or a list of either. Each event is loaded with
pymisp's `MISPEvent` (which rejects unknown attribute types and events without `info`) before
anything is written; the first bad event stops the import with its index and the reason.
Then, in one transaction: each event is kept verbatim (pymisp's canonical form) in
`foreign_objects` with its producer and TLP, and becomes a lurewatch report of the importing
organisation indexing the identifiers in its attributes and objects. The same event (same
uuid and timestamp) imported again adds nothing.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Final

from pymisp import MISPEvent
from sqlalchemy import select
from sqlalchemy.orm import Session

from lurewatch.sharing.errors import SharingError
from lurewatch.sharing.ingest import (
    MAX_OBJECTS,
    ImportResult,
    NativeReport,
    close_import,
    open_import,
    parse_time,
    resolve_org,
    store_counted,
)
from lurewatch.sharing.markings import strictest
from lurewatch.sharing.observables import HANDLE_PLATFORMS
from lurewatch.sharing.tables import ForeignObject
from lurewatch.store.schema import Organisation

ATTRIBUTE_TYPES: Final = {
    "phone-number": "phone",
    "whois-registrant-phone": "phone",
    "btc": "crypto_wallet",
    "xmr": "crypto_wallet",
    "dash": "crypto_wallet",
    "iban": "iban",
    "bank-account-nr": "bank_account",
    "url": "url",
    "domain": "domain",
    "hostname": "domain",
    "email": "email",
    "email-src": "email",
    "email-dst": "email",
    "ip-src": "ip",
    "ip-dst": "ip",
}
TLP_TAGS: Final = {
    "tlp:clear": "clear",
    "tlp:white": "clear",
    "tlp:green": "green",
    "tlp:amber": "amber",
    "tlp:amber+strict": "amber+strict",
    "tlp:red": "red",
}


def events_of(document: Any) -> list[dict[str, Any]]:
    """The event dicts in a MISP document, in order."""
    items = document if isinstance(document, list) else [document]
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("response"), list):
            out += events_of(item["response"])
        elif isinstance(item, dict) and isinstance(item.get("Event"), dict):
            out.append(item["Event"])
        else:
            raise SharingError(
                'not a MISP document: expected {"Event": ...}, {"response": [...]} or a list'
            )
    return out


def _identifiers(ev: MISPEvent) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for a in ev.attributes:
        kind = ATTRIBUTE_TYPES.get(a.type)
        if kind and a.value:
            out.append((kind, str(a.value)))
    for o in ev.objects:
        rel = {a.object_relation: a for a in o.attributes}
        for a in o.attributes:
            kind = ATTRIBUTE_TYPES.get(a.type)
            if kind and a.value:
                out.append((kind, str(a.value)))
        if o.name == "coin-address" and "address-crypto" in rel:
            out.append(("crypto_wallet", str(rel["address-crypto"].value)))
        if o.name == "telegram-account" and "username" in rel:
            out.append(("handle", str(rel["username"].value).lstrip("@")))
        if o.name == "user-account" and "username" in rel:
            platform = str(getattr(rel.get("account-type"), "value", "")).lower()
            if platform in HANDLE_PLATFORMS:
                out.append(("handle", str(rel["username"].value).lstrip("@")))
    return out


def _tlp(ev: MISPEvent) -> str | None:
    names = [str(t.name).lower() for t in ev.tags]
    return strictest([TLP_TAGS[n] for n in names if n in TLP_TAGS])


def load_events(document: Any) -> list[MISPEvent]:
    """Every event of `document` loaded by pymisp; SharingError naming the first bad one."""
    raw = events_of(document)
    if sum(len(e.get("Attribute") or []) for e in raw) > MAX_OBJECTS:
        raise SharingError(f"more than {MAX_OBJECTS} attributes in one import")
    events: list[MISPEvent] = []
    for i, body in enumerate(raw):
        ev = MISPEvent()
        try:
            ev.load(copy.deepcopy({"Event": body}))  # pymisp consumes the dict
        except Exception as exc:  # pymisp raises several error classes
            raise SharingError(f"event {i} ({body.get('uuid', 'no uuid')}): {exc}") from None
        if not getattr(ev, "uuid", None):
            raise SharingError(f"event {i}: no uuid")
        events.append(ev)
    return events


def import_events(
    session: Session,
    document: Any,
    org: Organisation | int | str,
    *,
    source: str | None = None,
    raw: bytes | None = None,
) -> ImportResult:
    """Import the MISP events in `document` for `org` in one transaction."""
    events = load_events(document)
    try:
        result = _write(session, events, org, source, raw or json.dumps(document).encode())
        session.commit()
    except Exception:
        session.rollback()
        raise
    return result


def _write(
    session: Session,
    events: list[MISPEvent],
    org_ref: Organisation | int | str,
    source: str | None,
    raw: bytes,
) -> ImportResult:
    org = resolve_org(session, org_ref)
    record, result = open_import(session, "misp", org, source, raw, len(events))
    natives: list[NativeReport] = []
    bodies: list[tuple[MISPEvent, dict[str, Any], str, str]] = []
    for ev in events:
        body: dict[str, Any] = json.loads(ev.to_json())
        producer = str(getattr(getattr(ev, "Orgc", None), "name", "") or "a MISP partner")
        version = str(body.get("timestamp", ""))
        bodies.append((ev, body, producer, version))
        natives.append(
            NativeReport(
                external_id=f"misp:{ev.uuid}",
                source=f"misp: {producer}",
                text=str(ev.info),
                received_at=parse_time(str(getattr(ev, "date", "") or "")),
                identifiers=_identifiers(ev),
            )
        )
    rows = store_counted(session, org, natives, result)
    for ev, body, producer, version in bodies:
        exists = session.scalar(
            select(ForeignObject.id).where(
                ForeignObject.format == "misp",
                ForeignObject.object_id == str(ev.uuid),
                ForeignObject.version == version,
            )
        )
        if exists is not None:
            result.duplicates += 1
            continue
        row = rows.get(f"misp:{ev.uuid}")
        session.add(
            ForeignObject(
                format="misp",
                object_id=str(ev.uuid),
                object_type="misp-event",
                version=version,
                producer=producer[:200],
                tlp=_tlp(ev),
                org_id=org.id,
                import_id=record.id,
                report_id=row.id if row is not None else None,
                body=body,
            )
        )
        result.new_objects += 1
    return close_import(session, org, record, result)

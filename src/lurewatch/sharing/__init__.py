"""Sharing with partner organisations: STIX 2.1 and MISP export and import, sharing groups,
TLP 2.0 markings and redaction of personal data. See docs/sharing.md.

Entry points (stable; the TAXII server calls the STIX ones):

- `lurewatch.sharing.stix.export_objects(session, audience=None, since=None) -> list[dict]`:
  the STIX 2.1 objects (plain dicts) an audience may receive. `audience` is a sharing group
  name, a `SharingGroup` row, or None for "all partners"; `since` keeps reports stored and
  objects imported at or after that time. Deterministic ids and timestamps: an unchanged store
  exports identical objects.
- `lurewatch.sharing.stix.plan_export(...) -> ExportPlan`: the same objects plus why each goes
  and what is withheld and why (the dry run).
- `lurewatch.sharing.stix.export_bundle(...) -> dict` / `bundle_of(objects) -> dict`.
- `lurewatch.sharing.stix.import_bundle(session, bundle: dict, org, *, source=None)
  -> ImportResult`: all-or-nothing (one transaction, committed on success); raises
  `SharingError` with the reason on malformed input and leaves the store unchanged. `org` is
  an `Organisation`, its id or its name (created if new).
- `lurewatch.sharing.misp.export_events(...)`, `lurewatch.sharing.misp_import.import_events(...)`:
  the same for MISP.
- `lurewatch.sharing.tables.SharingGroup` (+ members, `ReportShare`): the groups, one TAXII
  collection each.
"""

from lurewatch.sharing.errors import SharingError

__all__ = ["SharingError"]

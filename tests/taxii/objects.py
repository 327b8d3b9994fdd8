"""STIX 2.1 objects written for these tests (no corpus text)."""

from __future__ import annotations

import uuid
from typing import Any


def indicator(
    n: int, *, modified: str = "2026-11-01T00:00:00.000Z", oid: str | None = None
) -> dict[str, Any]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": oid or f"indicator--{uuid.uuid4()}",
        "created": "2026-11-01T00:00:00.000Z",
        "modified": modified,
        "name": f"Recruiter domain {n}",
        "pattern": f"[domain-name:value = 'jobs-{n}.example']",
        "pattern_type": "stix",
        "valid_from": "2026-11-01T00:00:00Z",
    }


def domain(n: int) -> dict[str, Any]:
    """A cyber-observable: no created/modified, content-derived id."""
    return {
        "type": "domain-name",
        "spec_version": "2.1",
        "id": f"domain-name--{uuid.uuid5(uuid.NAMESPACE_DNS, f'jobs-{n}.example')}",
        "value": f"jobs-{n}.example",
    }

"""The initiator's side over HTTP: `lurewatch match run URL` against a partner's instance.

httpx (already the project's HTTP client) carries the exchange that routes.py describes; the
cryptography is protocol.py's. The partner's blinding of its own set runs while this side
blinds its offer, so the two sides' work overlaps.
"""

from __future__ import annotations

from typing import Any

import httpx

from lurewatch.psi import group
from lurewatch.psi.protocol import Initiator

OCTETS = "application/octet-stream"


class MatchError(RuntimeError):
    """The partner refused or failed the exchange; the message says why."""


def _check(r: httpx.Response) -> httpx.Response:
    if r.is_success:
        return r
    detail = r.text[:500]
    try:
        body: Any = r.json()
        detail = str(body.get("detail", detail))
    except ValueError:
        pass
    raise MatchError(f"{r.request.method} {r.request.url.path}: {r.status_code} {detail}")


def match_remote(
    url: str,
    key: str,
    indicator_type: str,
    values: list[str],
    *,
    timeout: float = 600.0,
    parallel: bool = True,
    transport: httpx.BaseTransport | None = None,
) -> list[str]:
    """The values of `values` (normalized) that the partner at `url` holds too."""
    side = Initiator(indicator_type, values, parallel=parallel)
    base = url.rstrip("/") + "/api/v1/psi"
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base, headers=headers, timeout=timeout, transport=transport) as c:
        opened = _check(
            c.post(
                "/sessions",
                json={"protocol": group.PROTOCOL, "type": indicator_type, "size": len(side.values)},
            )
        ).json()
        sid, chunk = opened["session"], int(opened["chunk_points"])
        offer = side.offer()
        doubled: list[bytes] = []
        for i in range(0, len(offer), chunk):
            r = _check(
                c.post(
                    f"/sessions/{sid}/offer",
                    params={"offset": i},
                    content=group.pack(offer[i : i + chunk]),
                    headers={"Content-Type": OCTETS},
                )
            )
            doubled.extend(group.unpack(r.content))
        theirs = group.unpack(_check(c.get(f"/sessions/{sid}/points")).content)
        shared, confirm = side.finish(doubled, theirs)
        for i in range(0, len(confirm), chunk):
            _check(
                c.post(
                    f"/sessions/{sid}/confirm",
                    params={"offset": i},
                    content=group.pack(confirm[i : i + chunk]),
                    headers={"Content-Type": OCTETS},
                )
            )
    return shared

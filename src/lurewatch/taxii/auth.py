"""Who is calling a TAXII endpoint: the same API keys as the REST API, in the forms TAXII
clients can be configured with.

- `Authorization: Bearer <key>` (the REST API's form; `Token <key>` too, which is
  taxii2-client's `TokenAuth`);
- HTTP Basic with the key as the password (any user name, e.g. the organisation's): the one
  form every TAXII client and threat-intelligence platform can be configured with (OpenCTI's
  and MISP's TAXII feeds, taxii2-client's `user=`/`password=`).
Keys are checked and rate-limited exactly as on the REST API (store.keys, api.security).
"""

from __future__ import annotations

import base64
import binascii

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from lurewatch.store.access import Viewer
from lurewatch.store.keys import authenticate
from lurewatch.taxii.media import TaxiiError

CHALLENGE = {"WWW-Authenticate": 'Basic realm="lurewatch TAXII", Bearer'}


def _secret(header: str) -> str | None:
    scheme, _, rest = header.partition(" ")
    scheme, rest = scheme.lower(), rest.strip()
    if scheme in ("bearer", "token"):
        return rest or None
    if scheme == "basic":
        try:
            user, _, password = base64.b64decode(rest, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return password or user or None
    return None


def sessions(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.parent.sessions
    return factory


def viewer(request: Request) -> Viewer:
    """The caller's viewer; TAXII 401/429 errors otherwise (rights are checked per collection)."""
    secret = _secret(request.headers.get("authorization", ""))
    if secret is None:
        raise TaxiiError(
            401,
            "Not authenticated",
            "Send the API key as HTTP Basic password or as 'Authorization: Bearer <key>'.",
            headers=CHALLENGE,
        )
    with sessions(request)() as s:
        found = authenticate(s, secret)
    if found is None:
        raise TaxiiError(401, "Not authenticated", "Unknown or revoked API key.", headers=CHALLENGE)
    assert found.key_id is not None
    wait = request.app.state.parent.limiter.take(found.key_id)
    if wait > 0:
        raise TaxiiError(
            429,
            "Too many requests",
            "Rate limit for this key reached.",
            headers={"Retry-After": str(int(wait) + 1)},
        )
    if found.role == "reporter":
        raise TaxiiError(403, "Forbidden", "Reporter keys do not have TAXII access.")
    return found

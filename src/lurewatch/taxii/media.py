"""TAXII 2.1 wire details: the media type, Accept negotiation, timestamps and error objects.

TAXII clients branch on the media type and on the error object (section 3.6.1 of the OASIS
TAXII 2.1 specification), not on RFC 9457 problems, so the TAXII endpoints answer with their own
error shape; the rest of the API keeps problem+json.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Any

from fastapi.responses import JSONResponse

TAXII_MEDIA = "application/taxii+json;version=2.1"
STIX_MEDIA = "application/stix+json;version=2.1"
MAX_CONTENT_LENGTH = 1 << 20
"""Bytes of a POST body: the API's body limit (api/app.py Settings.max_body_bytes default)."""


class TaxiiError(Exception):
    """Raise from a TAXII endpoint to answer with a TAXII error object."""

    def __init__(
        self,
        status: int,
        title: str,
        description: str | None = None,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(title)
        self.status, self.title, self.description = status, title, description
        self.details, self.headers = details, headers


def error_response(exc: TaxiiError) -> JSONResponse:
    body: dict[str, Any] = {"title": exc.title, "http_status": str(exc.status)}
    if exc.description:
        body["description"] = exc.description
    if exc.details:
        body["details"] = exc.details
    return JSONResponse(body, status_code=exc.status, media_type=TAXII_MEDIA, headers=exc.headers)


def taxii_json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=TAXII_MEDIA, headers=headers)


def _media_ok(item: str) -> bool:
    parts = [p.strip().lower() for p in item.split(";")]
    kind, params = parts[0], [p.replace(" ", "") for p in parts[1:] if not p.startswith("q=")]
    if kind in ("*/*", "application/*"):
        return True
    if kind != "application/taxii+json":
        return False
    versions = [p.split("=", 1)[1] for p in params if p.startswith("version=")]
    return not versions or versions == ["2.1"]


def check_accept(accept: str | None) -> None:
    """406 unless the client accepts TAXII 2.1 JSON (no Accept header means anything)."""
    if not accept:
        return
    if not any(_media_ok(item) for item in accept.split(",")):
        raise TaxiiError(
            406,
            "Not acceptable",
            f"This server answers with {TAXII_MEDIA}; the request accepts only {accept[:200]}.",
        )


def check_content_type(content_type: str | None) -> None:
    """415 unless a POST body is declared as TAXII 2.1 JSON."""
    if not content_type or not _media_ok(content_type) or content_type.startswith("*"):
        raise TaxiiError(
            415,
            "Unsupported media type",
            f"Send the envelope as {TAXII_MEDIA}, not {(content_type or 'no Content-Type')[:200]}.",
        )


def aware(dt: datetime) -> datetime:
    """SQLite hands back naive datetimes for what was stored as UTC."""
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def stamp(dt: datetime) -> str:
    """A STIX/TAXII timestamp with microsecond precision: 2026-11-21T23:10:00.123456Z."""
    dt = aware(dt).astimezone(UTC)
    return f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond:06d}Z"


def parse_stamp(value: str, what: str) -> datetime:
    """A timestamp from a query or an object; TaxiiError 400 naming `what` when malformed."""
    text = value.strip()
    if not text.endswith(("Z", "z")) or "T" not in text.upper():
        raise TaxiiError(
            400,
            "Bad timestamp",
            f"{what} must be an RFC 3339 UTC timestamp "
            f"ending in Z, e.g. 2026-11-21T23:10:00.000Z; got {value[:60]!r}.",
        )
    head, _, frac = text[:-1].partition(".")
    if frac and not frac.isdigit():
        raise TaxiiError(400, "Bad timestamp", f"{what}: bad fractional seconds in {value[:60]!r}.")
    try:
        dt = datetime.fromisoformat(head.upper() + "+00:00")
    except ValueError:
        raise TaxiiError(400, "Bad timestamp", f"{what}: {value[:60]!r} is not a date.") from None
    return dt.replace(microsecond=int((frac + "000000")[:6]) if frac else 0)


def encode_cursor(date_added: datetime, row_id: int) -> str:
    raw = f"{stamp(date_added)}|{row_id}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, int]:
    """The (date_added, row id) a `next` token stands for; 400 when it is not ours."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        when, _, row = raw.partition("|")
        return parse_stamp(when, "next"), int(row)
    except (binascii.Error, UnicodeDecodeError, ValueError, TaxiiError):
        raise TaxiiError(400, "Bad next", "The 'next' value is not one this server gave.") from None

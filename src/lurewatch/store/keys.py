"""Organisations and API keys. Keys are shown once and stored as SHA-256 hashes.

A key is 32 random bytes (urlsafe base64) behind a `lw_` prefix; a fast hash is right here
(unlike passwords) because the secret has 256 bits of entropy, and it keeps each request's
check to one indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lurewatch.store.access import ROLES, Role, Viewer, audit
from lurewatch.store.schema import ApiKey, Organisation

KEY_PREFIX = "lw_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def get_or_create_org(
    session: Session, name: str, retention_days: int | None = None
) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name, retention_days=retention_days)
        session.add(org)
        session.flush()
    elif retention_days is not None:
        org.retention_days = retention_days
    return org


def create_key(session: Session, org_name: str, role: str, label: str | None = None) -> str:
    """Create a key for `role` in organisation `org_name` (created if new); return the secret."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
    org = get_or_create_org(session, org_name)
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        org_id=org.id, role=role, prefix=secret[:10], key_hash=hash_key(secret), label=label
    )
    session.add(row)
    session.flush()
    audit(session, "key.create", org_id=org.id, target=str(row.id), detail={"role": role})
    session.commit()
    return secret


def authenticate(session: Session, secret: str) -> Viewer | None:
    """The viewer a key stands for, or None for unknown or revoked keys."""
    return authenticate_hash(session, hash_key(secret))


def authenticate_hash(session: Session, digest: str) -> Viewer | None:
    """`authenticate` for a key already hashed with `hash_key` (one indexed lookup)."""
    row = session.execute(
        select(ApiKey.id, ApiKey.org_id, ApiKey.role).where(
            ApiKey.key_hash == digest, ApiKey.revoked_at.is_(None)
        )
    ).one_or_none()
    if row is None:
        return None
    role: Role = row.role
    return Viewer(org_id=row.org_id, role=role, key_id=row.id)


def revoke_key(session: Session, key_id: int) -> bool:
    """Revoke key `key_id` (audited); False when there is no such key or it was revoked before.

    Servers that remembered the key (api.security.KeyCache) refuse it once their TTL is over."""
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = datetime.now(UTC)
    audit(session, "key.revoke", org_id=row.org_id, target=str(row.id))
    session.commit()
    return True


def list_keys(session: Session, org_name: str | None = None) -> list[ApiKey]:
    """Every key (of one organisation when `org_name` is given), oldest first."""
    stmt = select(ApiKey).order_by(ApiKey.id)
    if org_name is not None:
        stmt = stmt.join(Organisation).where(Organisation.name == org_name)
    return list(session.scalars(stmt))

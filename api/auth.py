"""API keys: made once, shown once, stored hashed, each with a role.

Roles: intake (create and read reviews), reviewer (create, read and override: the reviewer page
lets a reviewer upload a chart as well as decide on it), admin (keys, and all).
Keys are long random strings, so a plain SHA-256 suffices to store them (no password stretching
is needed for 190 bits of entropy); comparison is constant-time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db import ApiKey, now

Role = Literal["intake", "reviewer", "admin"]
ROLES: tuple[Role, ...] = ("intake", "reviewer", "admin")
Permission = Literal["create", "read", "read_all", "override", "keys", "webhooks"]
PERMISSIONS: dict[str, set[str]] = {
    # Tenancy: an intake channel reads only the reviews it created ("read"); reviewers and admins
    # read every review ("read_all"). Another channel's review is a 404, as if it did not exist.
    "intake": {"create", "read"},
    # Reviewers upload charts from the reviewer page themselves, so they may create reviews too.
    "reviewer": {"create", "read", "read_all", "override"},
    "admin": {"create", "read", "read_all", "override", "keys", "webhooks"},
}
KEY_PREFIX = "crk"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_key(session: Session, role: Role, label: str = "",
               expires_days: float | None = None) -> tuple[ApiKey, str]:
    """A new key row and the plaintext key, which is never stored and never shown again; with
    `expires_days`, a key that stops working that many days from now."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if expires_days is not None and expires_days <= 0:
        raise ValueError("expires_days must be more than 0")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    plaintext = f"{KEY_PREFIX}_{prefix}_{secret}"
    expires_at = now() + dt.timedelta(days=expires_days) if expires_days is not None else None
    row = ApiKey(prefix=prefix, key_hash=_hash(plaintext), role=role, label=label, expires_at=expires_at)
    session.add(row)
    session.flush()
    return row, plaintext


def verify_key(session: Session, plaintext: str) -> ApiKey | None:
    """The live key row for a presented key, or None."""
    parts = plaintext.strip().split("_", 2)
    # A NUL is never part of a key, and PostgreSQL answers a NUL in a parameter with an error.
    if len(parts) != 3 or parts[0] != KEY_PREFIX or "\x00" in plaintext:
        return None
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if row is None or not usable(row):
        return None
    return row if hmac.compare_digest(row.key_hash, _hash(plaintext.strip())) else None


def usable(key: ApiKey) -> bool:
    """Neither revoked nor past its expiry."""
    return key.revoked_at is None and (key.expires_at is None or key.expires_at > now())


def allowed(role: str, permission: Permission) -> bool:
    return permission in PERMISSIONS.get(role, set())


def list_keys(session: Session) -> list[ApiKey]:
    """Every key, newest first (never the keys themselves: only their ids, roles and labels)."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at.desc())))


def revoke_key(session: Session, key_id: str) -> ApiKey | None:
    """Revoke a key by id; None when there is no such key. Revoking twice keeps the first time."""
    row = session.get(ApiKey, key_id) if key_id and "\x00" not in key_id else None
    if row is not None and row.revoked_at is None:
        row.revoked_at = now()
    return row

"""Dependencies, as Annotated aliases: the database session and the caller's key and role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api.auth import Permission, allowed, usable, verify_key
from api.db import ApiKey, Database, PageSession

# The reviewer page's session entry: the signed-in key's id (set by POST /session in api/routes/page.py).
SESSION_KEY_ID = "key_id"
# ... and the server-side session it belongs to (api.db.PageSession), which sign-out revokes.
SESSION_ID = "sid"
bearer = HTTPBearer(auto_error=False, description="An API key: Authorization: Bearer crk_...")


def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_session(db: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    with db.session() as session:
        yield session


DatabaseDep = Annotated[Database, Depends(get_database)]
# scope="function": the session commits before the response is sent, so a client that reads right
# after a write (the reviewer page, after recording an override) sees it; FastAPI's default for
# yield dependencies ("request") commits only after the response has gone out.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def current_key(
    request: Request,
    db: DatabaseDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiKey:
    """The caller's key: from the Bearer header, or the reviewer page's signed session.

    Looked up in a session of its own, closed before the route runs: a request that then waits
    (GET /v1/reviews/{id}?wait=) holds no database connection while it waits."""
    with db.session() as session:
        return _lookup_key(request, session, credentials)


def _lookup_key(request: Request, session: Session,
                credentials: HTTPAuthorizationCredentials | None) -> ApiKey:
    key: ApiKey | None
    throttle = getattr(request.app.state, "auth_throttle", None)
    client = request.client.host if request.client else "unknown"
    if credentials and throttle is not None and (wait := throttle.retry_after(client)) is not None:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                            f"too many failed authentications from this address; retry in {wait} s",
                            headers={"Retry-After": str(wait)})
    if credentials:
        key = verify_key(session, credentials.credentials)
        if key is None and throttle is not None:
            throttle.failed(client)
    elif key_id := _session_key_id(request):
        # The reviewer page's session (api/routes/page.py) holds the key's id, never the key, and
        # the id of its server-side session; both are looked up on every request, so signing out
        # or revoking the key ends the session, whatever the cookie says.
        key = session.get(ApiKey, key_id)
        session_id = request.session.get(SESSION_ID)
        live = session.get(PageSession, session_id) if isinstance(session_id, str) and session_id else None
        if key is not None and (not usable(key) or live is None or live.revoked_at is not None
                                or live.key_id != key.id):
            key = None
    else:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "send an API key: Authorization: Bearer KEY",
                            headers={"WWW-Authenticate": "Bearer"})
    if key is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "the API key is not valid or was revoked",
                            headers={"WWW-Authenticate": "Bearer"})
    return key


def _session_key_id(request: Request) -> str | None:
    """The key id in the page's signed session cookie, if SessionMiddleware runs and one is there."""
    if "session" not in request.scope:
        return None
    key_id = request.session.get(SESSION_KEY_ID)
    return key_id if isinstance(key_id, str) and key_id else None


CurrentKey = Annotated[ApiKey, Depends(current_key)]


def require(permission: Permission) -> Callable[[ApiKey], ApiKey]:
    def check(key: CurrentKey) -> ApiKey:
        if not allowed(key.role, permission):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"a {key.role} key may not {permission}")
        return key

    return check


CanCreate = Annotated[ApiKey, Depends(require("create"))]
CanRead = Annotated[ApiKey, Depends(require("read"))]
CanOverride = Annotated[ApiKey, Depends(require("override"))]
CanManageKeys = Annotated[ApiKey, Depends(require("keys"))]
CanManageWebhooks = Annotated[ApiKey, Depends(require("webhooks"))]

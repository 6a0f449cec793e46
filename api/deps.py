"""Dependencies, as Annotated aliases: the database session and the caller's key and role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api.auth import Permission, allowed, verify_key
from api.db import ApiKey, Database

bearer = HTTPBearer(auto_error=False, description="An API key: Authorization: Bearer crk_...")


def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_session(db: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    with db.session() as session:
        yield session


DatabaseDep = Annotated[Database, Depends(get_database)]
SessionDep = Annotated[Session, Depends(get_session)]


def current_key(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiKey:
    """The caller's key: from the Bearer header, or the reviewer page's signed session."""
    presented = credentials.credentials if credentials else request.session.get("api_key") \
        if "session" in request.scope else None
    if not presented:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "send an API key: Authorization: Bearer KEY",
                            headers={"WWW-Authenticate": "Bearer"})
    key = verify_key(session, presented)
    if key is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "the API key is not valid or was revoked",
                            headers={"WWW-Authenticate": "Bearer"})
    return key


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

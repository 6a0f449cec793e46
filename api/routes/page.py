"""The reviewer page: its HTML shell at /, and sign-in by session (POST, GET and DELETE /session).

The page itself is static (api/static); every piece of data it shows comes from the same /v1 JSON
API the intake system calls, authenticated by the signed session cookie that POST /session sets.
The session holds the signed-in key's *id*, never the key: api.deps.current_key looks the id up on
every request, so revoking a key also ends the sessions made from it.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from api.auth import PERMISSIONS, verify_key
from api.db import ApiKey, AuditEvent, PageSession, now
from api.deps import SESSION_ID, SESSION_KEY_ID, CurrentKey, SessionDep

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
# The shell loads only its own scripts and styles; its Content-Security-Policy, like every
# route's, comes from api/security.py. The shell itself is revalidated on every load.
PAGE_HEADERS = {"Cache-Control": "no-cache"}

router = APIRouter(tags=["page"])


class SessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=200, description="An API key, as issued (crk_...)")


class SessionOut(BaseModel):
    key_id: str
    role: str
    label: str
    permissions: list[str] = Field(description="What this key may do: create, read, override, keys")


def _session_out(key: ApiKey) -> SessionOut:
    return SessionOut(key_id=key.id, role=key.role, label=key.label,
                      permissions=sorted(PERMISSIONS.get(key.role, set())))


@router.get("/", include_in_schema=False)
def page() -> FileResponse:
    """The page's HTML shell; it asks GET /session whether to show sign-in or the reviews."""
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html", headers=PAGE_HEADERS)


@router.post("/session", response_model=SessionOut, summary="Sign the page in with an API key",
             responses={401: {"description": "the key is not valid or was revoked"}})
def sign_in(body: SessionIn, request: Request, session: SessionDep) -> SessionOut:
    key = verify_key(session, body.key)
    if key is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "the API key is not valid or was revoked")
    request.session.clear()
    page_session = PageSession(id=secrets.token_urlsafe(32), key_id=key.id)
    session.add(page_session)
    request.session[SESSION_KEY_ID] = key.id
    request.session[SESSION_ID] = page_session.id
    session.add(AuditEvent(actor=key.id, action="signed_in", detail={"via": "page"}))
    return _session_out(key)


@router.get("/session", response_model=SessionOut, summary="Who the page is signed in as",
            responses={401: {"description": "not signed in"}})
def whoami(key: CurrentKey) -> SessionOut:
    return _session_out(key)


@router.delete("/session", status_code=status.HTTP_204_NO_CONTENT, summary="Sign the page out")
def sign_out(request: Request, session: SessionDep) -> Response:
    """Ends the session on the server too: the same cookie, replayed later, signs nobody in."""
    session_id = request.session.get(SESSION_ID)
    if isinstance(session_id, str) and (row := session.get(PageSession, session_id)) is not None:
        row.revoked_at = row.revoked_at or now()
    request.session.clear()
    return Response(status_code=status.HTTP_204_NO_CONTENT)

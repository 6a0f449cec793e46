"""The guideline's criteria tree, health and readiness, and API keys (admin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.auth import create_key, list_keys, revoke_key
from api.db import AuditEvent
from api.deps import CanManageKeys, CanRead, SessionDep
from api.problems import CatalogueEntry, Problem, catalogue
from api.schemas import KeyIn, KeyOut, KeySummary
from api.service import NotFound
from chart_review.review import default_guideline
from rules.guideline import Node

router = APIRouter()
# What a keyed operation can answer besides success (FastAPI adds 422 where there is input).
KEYED_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": Problem} for code in (401, 403)}


def _tree(node: Node) -> dict[str, Any]:
    return {"id": node.id, "text": node.text, "logic": node.logic, "needs": node.needs,
            "children": [_tree(child) for child in node.children]}


@router.get("/v1/guideline", tags=["guideline"], responses=KEYED_ERRORS,
            summary="The guideline's criteria tree and code table")
def guideline(key: CanRead) -> dict[str, Any]:
    g = default_guideline()
    return {
        "id": g.id, "version": g.version, "title": g.title,
        "criteria": [_tree(g.indications), _tree(g.exclusions)],
        "codes": {code: spec.model_dump() for code, spec in g.codes.items()},
    }


@router.get("/v1/errors", tags=["errors"], summary="The error catalogue: every stable code a problem can carry")
def errors() -> list[CatalogueEntry]:
    return catalogue()


@router.get("/health", tags=["health"], summary="The process is up")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready", tags=["health"], summary="The database answers and the worker runs",
            responses={503: {"description": "not ready"}})
def ready(request: Request) -> JSONResponse:
    worker = request.app.state.worker
    # An API-only process (CHART_REVIEW_WORKERS=0) has no worker to check: worker processes do it.
    checks = {"database": False, "worker": worker.alive() if worker.threads > 0 else True}
    try:
        with request.app.state.db.session() as session:
            session.execute(text("SELECT 1"))
        checks["database"] = True
    except Exception:  # readiness reports failure; it must not raise
        pass
    ok = all(checks.values())
    return JSONResponse({"status": "ready" if ok else "not ready", **checks},
                        status_code=status.HTTP_200_OK if ok else status.HTTP_503_SERVICE_UNAVAILABLE)


@router.post("/v1/keys", tags=["keys"], response_model=KeyOut, status_code=status.HTTP_201_CREATED,
             responses=KEYED_ERRORS,
             summary="Create an API key (admin); the key is shown only in this response")
def new_key(body: KeyIn, key: CanManageKeys, session: SessionDep) -> KeyOut:
    row, plaintext = create_key(session, body.role, body.label, body.expires_days)
    session.add(AuditEvent(actor=key.id, action="key_created", detail={"key_id": row.id, "role": row.role}))
    return KeyOut(id=row.id, role=row.role, label=row.label, expires_at=row.expires_at, key=plaintext)


@router.get("/v1/keys", tags=["keys"], response_model=list[KeySummary], responses=KEYED_ERRORS,
            summary="List API keys (admin): ids, roles, labels, when made, revoked and expiring; never the keys")
def keys(key: CanManageKeys, session: SessionDep) -> list[KeySummary]:
    return [KeySummary(id=k.id, role=k.role, label=k.label, created_at=k.created_at, revoked_at=k.revoked_at,
                       expires_at=k.expires_at) for k in list_keys(session)]


@router.delete("/v1/keys/{key_id}", tags=["keys"], status_code=status.HTTP_204_NO_CONTENT,
               responses={**KEYED_ERRORS, 404: {"model": Problem, "description": "no such key"}},
               summary="Revoke an API key (admin); its page sessions end with it")
def revoke(key_id: str, key: CanManageKeys, session: SessionDep) -> Response:
    row = revoke_key(session, key_id)
    if row is None:
        raise NotFound(f"no key {key_id}")
    session.add(AuditEvent(actor=key.id, action="key_revoked", detail={"key_id": row.id}))
    return Response(status_code=status.HTTP_204_NO_CONTENT)

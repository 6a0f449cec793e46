"""/v1/webhooks (admin): register receivers of signed decision events, list them, delete them,
and read each one's delivery log. api/webhooks.py signs and sends."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request, Response, status
from sqlalchemy import select

from api.db import AuditEvent, Webhook, WebhookDelivery, now
from api.deps import CanManageWebhooks, SessionDep
from api.problems import Problem
from api.schemas import DeliveryAttempt, DeliveryOut, WebhookIn, WebhookOut, WebhookSummary
from api.service import NotFound
from api.webhooks import EVENTS, new_secret
from chart_review.errors import ChartReviewError, E

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": Problem} for code in (401, 403)}
MISSING: dict[int | str, dict[str, Any]] = {**ERRORS, 404: {"model": Problem, "description": "no such webhook"}}


def _checked_url(url: str, production: bool) -> str:
    parts = urlsplit(url.strip())
    allowed = ("https",) if production else ("http", "https")
    if parts.scheme not in allowed or not parts.hostname:
        wanted = "an https:// URL (production)" if production else "an http:// or https:// URL"
        raise ChartReviewError(E.REQUEST_INVALID, source="url", problem=f"must be {wanted} with a host")
    if parts.username or parts.password:
        raise ChartReviewError(E.REQUEST_INVALID, source="url",
                               problem="must not carry credentials; deliveries are signed instead")
    return url.strip()


def _summary(hook: Webhook) -> WebhookSummary:
    return WebhookSummary(id=hook.id, url=hook.url, description=hook.description, events=list(EVENTS),
                          created_at=hook.created_at, disabled_at=hook.disabled_at)


def _hook(session: SessionDep, webhook_id: str) -> Webhook:
    hook = session.get(Webhook, webhook_id)
    if hook is None:
        raise NotFound(f"no webhook {webhook_id}")
    return hook


@router.post("", response_model=WebhookOut, status_code=status.HTTP_201_CREATED, responses=ERRORS,
             summary="Register a receiver of review.decided and review.failed events (admin); "
                     "its signing secret is shown only in this response")
def create(body: WebhookIn, request: Request, key: CanManageWebhooks, session: SessionDep) -> WebhookOut:
    production = request.app.state.settings.environment == "production"
    hook = Webhook(url=_checked_url(body.url, production), description=body.description.strip(),
                   secret=new_secret(), created_by=key.id)
    session.add(hook)
    session.flush()
    session.add(AuditEvent(actor=key.id, action="webhook_created", detail={"webhook_id": hook.id}))
    return WebhookOut(**_summary(hook).model_dump(), secret=hook.secret)


@router.get("", response_model=list[WebhookSummary], responses=ERRORS,
            summary="List webhooks (admin), deleted ones included; never their secrets")
def listing(key: CanManageWebhooks, session: SessionDep) -> list[WebhookSummary]:
    hooks = session.scalars(select(Webhook).order_by(Webhook.created_at)).all()
    return [_summary(hook) for hook in hooks]


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT, responses=MISSING,
               summary="Delete a webhook (admin): nothing more is sent to it; its delivery log stays")
def delete(webhook_id: str, key: CanManageWebhooks, session: SessionDep) -> Response:
    hook = _hook(session, webhook_id)
    if hook.disabled_at is None:
        hook.disabled_at = now()
        session.add(AuditEvent(actor=key.id, action="webhook_deleted", detail={"webhook_id": hook.id}))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{webhook_id}/deliveries", response_model=list[DeliveryOut], responses=MISSING,
            summary="A webhook's delivery log (admin), newest first: each event, its status and every attempt")
def deliveries(webhook_id: str, key: CanManageWebhooks, session: SessionDep,
               limit: int = Query(50, ge=1, le=500)) -> list[DeliveryOut]:
    _hook(session, webhook_id)
    rows = session.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
                           .order_by(WebhookDelivery.created_at.desc()).limit(limit)).all()
    return [DeliveryOut(id=d.id, review_id=d.review_id, event=d.event, status=d.status,
                        attempts=d.attempts, created_at=d.created_at,
                        next_attempt_at=d.next_attempt_at if d.status == "pending" else None,
                        delivered_at=d.delivered_at, log=[DeliveryAttempt(**entry) for entry in d.log])
            for d in rows]

"""Signed webhooks: tell an intake system when a review is decided or fails.

Signing follows Standard Webhooks (standardwebhooks.com), through its reference library: each POST
carries `webhook-id`, `webhook-timestamp` and `webhook-signature` (`v1,` and the base64 HMAC-SHA256
of `id.timestamp.body` under the receiver's `whsec_` secret), so any Standard Webhooks verifier
checks it. The body is thin: the review's id, outcome and the intake system's own reference,
never chart text or patient identity; the receiver reads the rest with its key (polling stays).

Deliveries are written in the transaction that stores the decision (an outbox), then sent by one
thread. A receiver that does not answer 2xx is retried with exponential backoff; every attempt is
logged on the delivery, which `GET /v1/webhooks/{id}/deliveries` lists.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from standardwebhooks import Webhook as Signer

from api.db import Database, Review, Webhook, WebhookDelivery, new_id, now

log = logging.getLogger("chart_review.webhooks")
EVENTS = ("review.decided", "review.failed")


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def event_body(delivery_id: str, event: str, review: Review) -> str:
    data = {"review_id": review.id, "status": review.status, "determination": review.determination,
            "disposition": review.disposition, "reference": review.reference,
            "href": f"/v1/reviews/{review.id}",
            # The same decision as Da Vinci PAS: the final ClaimResponse with its QuestionnaireResponse
            # (a pointer, as a FHIR id-only notification carries, never chart text).
            "fhir_href": f"/fhir/ClaimResponse/cr-{review.id}"}
    return json.dumps({"id": delivery_id, "type": event, "timestamp": now().isoformat(), "data": data},
                      separators=(",", ":"))


def enqueue(session: Session, review: Review, event: str) -> None:
    """A delivery for every enabled receiver, in the caller's transaction."""
    for hook in session.scalars(select(Webhook).where(Webhook.disabled_at.is_(None))).all():
        delivery_id = new_id()
        session.add(WebhookDelivery(id=delivery_id, webhook_id=hook.id, review_id=review.id, event=event,
                                    body=event_body(delivery_id, event, review), log=[]))


def signed_headers(secret: str, delivery_id: str, body: str, at: dt.datetime | None = None) -> dict[str, str]:
    at = at or now()
    return {"content-type": "application/json", "user-agent": "chart-review-webhooks",
            "webhook-id": delivery_id, "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": Signer(secret).sign(delivery_id, at, body)}


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 8
    # The wait after the first failure; doubled after each, up to `longest`.
    first_wait: float = 30.0
    longest: float = 3600.0
    timeout: float = 10.0

    def wait(self, failures: int) -> float:
        return min(self.first_wait * 2 ** (failures - 1), self.longest)


class WebhookSender:
    """One thread that sends due deliveries, oldest first."""

    def __init__(self, db: Database, policy: RetryPolicy | None = None) -> None:
        self.db = db
        self.policy = policy or RetryPolicy()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="webhook-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def notify(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        with httpx.Client(timeout=self.policy.timeout, follow_redirects=False) as client:
            while not self._stop.is_set():
                if not self.send_due(client):
                    self._wake.wait(min(1.0, self.policy.first_wait))
                    self._wake.clear()

    def send_due(self, client: httpx.Client) -> int:
        """Send every delivery now due; how many were tried."""
        with self.db.session() as session:
            due = session.scalars(
                select(WebhookDelivery.id).where(WebhookDelivery.status == "pending",
                                                 WebhookDelivery.next_attempt_at <= now())
                .order_by(WebhookDelivery.next_attempt_at).limit(50)).all()
        for delivery_id in due:
            if self._stop.is_set():
                break
            self._send(client, delivery_id)
        return len(due)

    def _claim(self, delivery_id: str) -> bool:
        """Take a due delivery for this process: its next attempt moves past the time a send can
        take, so another API process passes over it (and takes it back if this one dies)."""
        with self.db.session() as session:
            at = now()
            claimed = session.execute(
                update(WebhookDelivery).where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending",
                                              WebhookDelivery.next_attempt_at <= at)
                .values(next_attempt_at=at + dt.timedelta(seconds=3 * self.policy.timeout + 30)))
            return bool(claimed.rowcount)  # type: ignore[attr-defined]

    def _send(self, client: httpx.Client, delivery_id: str) -> None:
        if not self._claim(delivery_id):
            return
        with self.db.session() as session:
            delivery = session.get(WebhookDelivery, delivery_id)
            hook = session.get(Webhook, delivery.webhook_id) if delivery else None
            if delivery is None or hook is None or delivery.status != "pending":
                return
            if hook.disabled_at is not None:
                delivery.status = "failed"
                delivery.log = [*delivery.log, {"at": now().isoformat(), "error": "the webhook was deleted"}]
                return
            started = time.monotonic()
            entry: dict[str, object] = {"at": now().isoformat()}
            try:
                response = client.post(hook.url, content=delivery.body.encode(),
                                       headers=signed_headers(hook.secret, delivery.id, delivery.body))
                entry["status_code"] = response.status_code
                ok = 200 <= response.status_code < 300
            except httpx.HTTPError as exc:
                # The kind of failure only: a message may echo the receiver's URL or reply.
                entry["error"] = type(exc).__name__
                ok = False
            entry["seconds"] = round(time.monotonic() - started, 3)
            delivery.attempts += 1
            delivery.log = [*delivery.log, entry]
            if ok:
                delivery.status, delivery.delivered_at = "delivered", now()
            elif delivery.attempts >= self.policy.attempts:
                delivery.status = "failed"
            else:
                delivery.next_attempt_at = now() + dt.timedelta(seconds=self.policy.wait(delivery.attempts))
            log.info("webhook delivery %s attempt %d: %s", delivery.id, delivery.attempts,
                     entry.get("status_code", entry.get("error")))

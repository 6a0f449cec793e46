"""Webhooks: a real receiver on loopback gets each decision signed (Standard Webhooks, checked by
the reference library's verifier), a failed delivery is retried with backoff, and every attempt
is in the delivery log. Admin only; the secret is shown once."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from standardwebhooks import Webhook as Verifier
from standardwebhooks import WebhookVerificationError

from api.main import create_app
from tests.api.conftest import (
    BACKENDS,
    SMALL_NOTE,
    SMALL_REQUEST,
    assert_error,
    bearer,
    make_settings,
    new_key,
    wait_for,
)


class Receiver:
    """An HTTP server on 127.0.0.1 that answers each POST with the next status in `answers`
    (then 204), and keeps what it was sent."""

    def __init__(self, answers: list[int]) -> None:
        self.answers = list(answers)
        self.received: list[tuple[dict[str, str], bytes, int]] = []
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                code = receiver.answers.pop(0) if receiver.answers else 204
                self.send_response(code)
                self.send_header("content-length", "0")
                self.end_headers()
                with receiver.arrived:
                    receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body, code))
                    receiver.arrived.notify_all()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/chart-review"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wait(self, count: int, seconds: float = 30.0) -> list[tuple[dict[str, str], bytes, int]]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.received) >= count, seconds), self.received
            return list(self.received)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver([500])  # the first delivery fails; its retry succeeds
    found.thread.start()
    yield found
    found.server.shutdown()
    found.server.server_close()


@pytest.fixture
def fast_app(database_url: str) -> FastAPI:
    # Retries after 0.2 s, 0.4 s, ... so the test sees the backoff without waiting minutes.
    return create_app(make_settings(database_url, webhook_first_wait_seconds=0.2, webhook_attempts=3))


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_webhook_decision_is_signed_retried_and_logged(fast_app: FastAPI, receiver: Receiver) -> None:
    with TestClient(fast_app) as client:
        admin = bearer(new_key(fast_app.state.db, "admin", "integration admin"))
        intake = bearer(new_key(fast_app.state.db, "intake", "intake"))
        made = client.post("/v1/webhooks", headers=admin,
                           json={"url": receiver.url, "description": "claims intake"})
        assert made.status_code == 201, made.text
        hook = made.json()
        assert hook["secret"].startswith("whsec_")
        assert hook["events"] == ["review.decided", "review.failed"]

        body = {"request": {**SMALL_REQUEST, "reference": "PA-77120"},
                "documents": [{"name": "oncology_note.txt", "text": SMALL_NOTE}]}
        created = client.post("/v1/reviews", json=body, headers=intake).json()
        review = wait_for(client, intake, created["id"])

        (first_headers, first_body, first_code), (headers, sent, code) = receiver.wait(2)
        assert (first_code, code) == (500, 204)
        assert first_body == sent and first_headers["webhook-id"] == headers["webhook-id"]
        event = Verifier(hook["secret"]).verify(sent, headers)
        assert event["type"] == "review.decided" and event["id"] == headers["webhook-id"]
        assert event["data"] == {"review_id": review["id"], "status": "done",
                                 "determination": review["determination"],
                                 "disposition": review["disposition"], "reference": "PA-77120",
                                 "href": f"/v1/reviews/{review['id']}",
                                 "fhir_href": f"/fhir/ClaimResponse/cr-{review['id']}"}
        assert "metastatic" not in sent.decode().lower(), "no chart text in an event"
        with pytest.raises(WebhookVerificationError):
            Verifier("whsec_" + "A" * 43).verify(sent, headers)
        with pytest.raises(WebhookVerificationError):
            Verifier(hook["secret"]).verify(sent.replace(b"done", b"gone"), headers)

        # The receiver has the second attempt before the sender records its answer: the log is
        # read until the delivery is no longer pending (CI on PostgreSQL saw it a moment early).
        for _ in range(100):
            log = client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=admin)
            assert log.status_code == 200, log.text
            deliveries = log.json()
            if deliveries and deliveries[0]["status"] != "pending":
                break
            time.sleep(0.05)
        assert len(deliveries) == 1
        delivery = deliveries[0]
        assert delivery["id"] == headers["webhook-id"] and delivery["review_id"] == review["id"]
        assert (delivery["status"], delivery["attempts"]) == ("delivered", 2)
        assert [a["status_code"] for a in delivery["log"]] == [500, 204]
        assert delivery["next_attempt_at"] is None and delivery["delivered_at"]

        listed = client.get("/v1/webhooks", headers=admin).json()
        assert [h["id"] for h in listed] == [hook["id"]]
        assert "secret" not in listed[0], "the secret is shown only once"


def test_webhook_receiver_that_never_answers_is_given_up_after_the_last_attempt(
        fast_app: FastAPI, receiver: Receiver) -> None:
    receiver.answers = [503, 503, 503]
    with TestClient(fast_app) as client:
        admin = bearer(new_key(fast_app.state.db, "admin"))
        intake = bearer(new_key(fast_app.state.db, "intake"))
        hook = client.post("/v1/webhooks", headers=admin, json={"url": receiver.url}).json()
        body = {"request": {"procedure_codes": ["95990"], "service_date": "2025-09-09"},
                "documents": [{"name": "note.txt", "text": "Refill visit."}]}
        created = client.post("/v1/reviews", json=body, headers=intake).json()
        wait_for(client, intake, created["id"])
        receiver.wait(3)
        for _ in range(100):
            delivery = client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=admin).json()[0]
            if delivery["status"] != "pending":
                break
            threading.Event().wait(0.1)
        assert (delivery["status"], delivery["attempts"]) == ("failed", 3)
        assert [a["status_code"] for a in delivery["log"]] == [503, 503, 503]
        # Backoff: at least 0.2 s before the first retry, at least 0.4 s before the second.
        times = [dt.datetime.fromisoformat(a["at"]) for a in delivery["log"]]
        gaps = [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(times)]
        assert gaps[0] >= 0.2 and gaps[1] >= 0.4, gaps


def test_webhook_deleted_gets_nothing_more(client: TestClient, admin: dict[str, str], submit: Any,
                                           receiver: Receiver) -> None:
    hook = client.post("/v1/webhooks", headers=admin, json={"url": receiver.url}).json()
    assert client.delete(f"/v1/webhooks/{hook['id']}", headers=admin).status_code == 204
    assert client.delete(f"/v1/webhooks/{hook['id']}", headers=admin).status_code == 204
    submit()
    assert client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=admin).json() == []
    assert client.get("/v1/webhooks", headers=admin).json()[0]["disabled_at"]
    assert receiver.received == []


@pytest.mark.parametrize(("url", "says"), [
    ("ftp://example.org/hook", "http"),
    ("not a url", "http"),
    ("https://", "host"),
    ("https://user:pw@example.org/hook", "credentials"),
])
def test_webhook_bad_url_is_refused(client: TestClient, admin: dict[str, str], url: str, says: str) -> None:
    assert_error(client.post("/v1/webhooks", headers=admin, json={"url": url}), 422, "E011", says=says)


def test_webhook_production_requires_https(database_url: str) -> None:
    app = create_app(make_settings(database_url, environment="production", secret_key="x" * 40))
    with TestClient(app) as client:
        admin = bearer(new_key(app.state.db, "admin"))
        assert_error(client.post("/v1/webhooks", headers=admin, json={"url": "http://127.0.0.1:9/h"}),
                     422, "E011", says="https")
        assert client.post("/v1/webhooks", headers=admin, json={"url": "https://intake.example/h"}).status_code == 201


@pytest.mark.parametrize("role", ["intake", "reviewer"])
def test_webhook_admin_only(client: TestClient, keys: dict[str, str], role: str) -> None:
    headers = bearer(keys[role])
    assert_error(client.post("/v1/webhooks", headers=headers, json={"url": "http://127.0.0.1:9/h"}), 403)
    assert_error(client.get("/v1/webhooks", headers=headers), 403)


def test_webhook_unknown(client: TestClient, admin: dict[str, str]) -> None:
    assert_error(client.get("/v1/webhooks/nope/deliveries", headers=admin), 404, says="no webhook")
    assert_error(client.delete("/v1/webhooks/nope", headers=admin), 404, says="no webhook")
    assert json.loads(client.get("/v1/webhooks", headers=admin).text) == []

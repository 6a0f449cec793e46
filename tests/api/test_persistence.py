"""Persistence, on SQLite and on PostgreSQL: a restart loses nothing, a crash mid-review leaves no
half-written review, and work a crash interrupted is resumed, or failed with the reason."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.auth import create_key
from api.db import Database, Review, StoredDocument, now, upgrade
from api.main import create_app
from api.worker import MAX_ATTEMPTS
from tests.api.conftest import BACKENDS, SMALL_NOTE, SMALL_REQUEST, bearer, make_settings, new_key, wait_for
from tests.pdf_factory import typed_pdf

pytestmark = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)


class Crash(BaseException):
    """Stands for the process dying: nothing in the worker catches it."""


def snapshot(client: TestClient, headers: dict[str, str], review_id: str) -> dict[str, Any]:
    """Everything the API says about one review."""
    review = client.get(f"/v1/reviews/{review_id}", headers=headers).json()
    documents = [client.get(f"/v1/reviews/{review_id}/documents/{d['id']}", headers=headers).json()
                 for d in review["documents"]]
    audit = client.get(f"/v1/reviews/{review_id}/audit", headers=headers).json()
    listing = client.get("/v1/reviews", headers=headers).json()
    return {"review": review, "documents": documents, "audit": audit, "listing": listing}


def test_persistence_restart_keeps_everything(database_url: str) -> None:
    app = create_app(make_settings(database_url))
    with TestClient(app) as client:
        intake, reviewer = new_key(app.state.db, "intake"), new_key(app.state.db, "reviewer")
        files = [("files", ("oncology_note.txt", SMALL_NOTE.encode(), "text/plain")),
                 ("files", ("trial.pdf", typed_pdf(["Intrathecal morphine trial gave 70% pain relief today.",
                                                    "Second page of the trial note, signed by the physician."]),
                            "application/pdf"))]
        created = client.post("/v1/reviews/upload", data={"request": json.dumps(SMALL_REQUEST)}, files=files,
                              headers={**bearer(intake), "Idempotency-Key": "restart-1"})
        assert created.status_code == 202, created.text
        review = wait_for(client, bearer(intake), created.json()["id"])
        assert review["status"] == "done", review
        leaf = review["decision"]["criteria"][0]["id"]
        override = client.post(f"/v1/reviews/{review['id']}/overrides", headers=bearer(reviewer),
                               json={"criterion_id": leaf, "status": "unknown", "reason": "Letter is unsigned."})
        assert override.status_code == 201, override.text
        before = snapshot(client, bearer(intake), review["id"])
    assert [e["action"] for e in before["audit"]] == ["created", "decided", "override"]
    assert before["documents"][1]["page_starts"][1] > 0

    # A new process on the same database: the same keys, review, documents, overrides and audit trail.
    app = create_app(make_settings(database_url))
    with TestClient(app) as client:
        assert snapshot(client, bearer(intake), review["id"]) == before
        replay = client.post("/v1/reviews/upload", data={"request": json.dumps(SMALL_REQUEST)}, files=files,
                             headers={**bearer(intake), "Idempotency-Key": "restart-1"})
        assert replay.status_code == 200 and replay.json()["id"] == review["id"]
        again = client.post(f"/v1/reviews/{review['id']}/overrides", headers=bearer(reviewer),
                            json={"criterion_id": leaf, "status": "met", "reason": "Signed copy received."})
        assert again.json()["status_before"] == "unknown", "the override chain continues after a restart"


def test_persistence_crash_mid_review_is_all_or_nothing(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(make_settings(database_url), start_worker=False)
    with TestClient(app) as client:
        intake = bearer(new_key(app.state.db, "intake"))
        body = {"request": SMALL_REQUEST, "documents": [{"name": "a.txt", "text": SMALL_NOTE},
                                                        {"name": "b.txt", "text": "Pain clinic note.\n"}]}
        review_id = client.post("/v1/reviews", json=body, headers=intake).json()["id"]
        worker = app.state.worker
        assert worker._next() == review_id

        # The process dies while the outcome is being written: documents' text set, decision set,
        # status set, then the audit event... and no commit.
        def die(*args: Any, **kwargs: Any) -> Any:
            raise Crash

        monkeypatch.setattr("api.worker.AuditEvent", die)
        with pytest.raises(Crash):
            worker.process(review_id)
        monkeypatch.undo()
        worker._held.clear()  # a dead process runs no shutdown: nothing puts its review back

        half = client.get(f"/v1/reviews/{review_id}", headers=intake).json()
        assert half["status"] == "processing"
        assert half["decision"] is None and half["determination"] is None and half["error"] is None
        assert all(d["sha256"] is None and d["pages"] is None for d in half["documents"])
        for document in half["documents"]:
            response = client.get(f"/v1/reviews/{review_id}/documents/{document['id']}", headers=intake)
            assert response.status_code == 404, "no document text was written"
        assert [e["action"] for e in client.get(f"/v1/reviews/{review_id}/audit", headers=intake).json()] == [
            "created"]

    # The next process takes the interrupted review back once the dead worker's lease has run out,
    # and does it from its stored uploads.
    dead = worker.name
    app = create_app(make_settings(database_url, lease_seconds=1.0))
    with TestClient(app) as client:
        done = wait_for(client, intake, review_id)
        assert done["status"] == "done" and done["decision"] is not None
        assert [d["name"] for d in done["decision"]["documents"]] == ["a.txt", "b.txt"]
        events = client.get(f"/v1/reviews/{review_id}/audit", headers=intake).json()
        assert [e["action"] for e in events] == ["created", "taken_back", "decided"]
        assert events[1]["detail"] == {"worker": app.state.worker.name, "attempt": 2, "from": dead}
        with app.state.db.session() as session:
            row = session.get(Review, review_id)
            assert row is not None and row.attempts == 2 and row.claimed_by is None
            assert row.last_failure == f"attempt 1 stopped: its worker ({dead}) stopped renewing the lease"


def stuck_review(db: Database, created_by: str, attempts: int) -> str:
    """A review a crash left in `processing`, inserted as the worker would have left it."""
    with db.session() as session:
        review = Review(request=SMALL_REQUEST, created_by=created_by, status="processing", attempts=attempts,
                        started_at=now())
        review.documents = [StoredDocument(position=0, name="note.txt", raw=SMALL_NOTE.encode())]
        session.add(review)
        session.flush()
        return review.id


def test_persistence_recovery_resumes_or_fails_with_the_reason(database_url: str) -> None:
    """Reviews left `processing` with no lease (a dead worker's, or from before leases) are taken back."""
    upgrade(database_url)
    db = Database(database_url)
    with db.session() as session:
        key, plaintext = create_key(session, "intake")
        key_id = key.id
    resumable = stuck_review(db, key_id, attempts=1)
    hopeless = stuck_review(db, key_id, attempts=MAX_ATTEMPTS)
    db.engine.dispose()

    app = create_app(make_settings(database_url))
    with TestClient(app) as client:
        headers = bearer(plaintext)
        resumed = wait_for(client, headers, resumable)
        assert resumed["status"] == "done" and resumed["decision"] is not None
        assert resumed["documents"][0]["pages"] == 1
        text = client.get(f"/v1/reviews/{resumable}/documents/{resumed['documents'][0]['id']}", headers=headers)
        assert text.json()["text"] == SMALL_NOTE

        failed = client.get(f"/v1/reviews/{hopeless}", headers=headers).json()
        assert failed["status"] == "failed" and failed["decision"] is None
        assert failed["error"] == f"processing was interrupted {MAX_ATTEMPTS} times; submit it again"

        audit = {rid: client.get(f"/v1/reviews/{rid}/audit", headers=headers).json() for rid in (resumable, hopeless)}
        assert [(e["action"], e["actor"]) for e in audit[resumable]] == [("taken_back", "system"),
                                                                         ("decided", "system")]
        assert audit[resumable][0]["detail"]["attempt"] == 2
        assert [(e["action"], e["detail"]) for e in audit[hopeless]] == [
            ("failed", {"error": f"processing was interrupted {MAX_ATTEMPTS} times; submit it again"})]
        with app.state.db.session() as session:
            statuses = {row.id: row.status for row in session.execute(select(Review.id, Review.status))}
        assert statuses == {resumable: "done", hopeless: "failed"}

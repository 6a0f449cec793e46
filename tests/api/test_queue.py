"""Issue 13: the review queue's claims with leases (api/queue.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api.auth import create_key
from api.db import AuditEvent, Database, Review, StoredDocument, now, upgrade
from api.main import create_app
from api.queue import MAX_ATTEMPTS, Queue
from tests.api.conftest import BACKENDS, SMALL_NOTE, SMALL_REQUEST, bearer, make_settings, wait_for

pytestmark = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    upgrade(database_url)
    database = Database(database_url)
    yield database
    database.engine.dispose()


def queued(db: Database, count: int = 1, **values: object) -> list[str]:
    ids = []
    with db.session() as session:
        key, _ = create_key(session, "intake")
        for i in range(count):
            review = Review(request=SMALL_REQUEST, created_by=key.id, created_at=now() + dt.timedelta(microseconds=i),
                            **values)
            review.documents = [StoredDocument(position=0, name="note.txt", raw=SMALL_NOTE.encode())]
            session.add(review)
            session.flush()
            ids.append(review.id)
    return ids


def row(db: Database, review_id: str) -> Review:
    with db.session() as session:
        review = session.get(Review, review_id)
        assert review is not None
        return review


def test_queue_claims_oldest_first_and_never_twice(db: Database) -> None:
    first, second = queued(db, 2)
    queue = Queue(db, lease_seconds=30)
    a, b = queue.claim("host:1:a"), queue.claim("host:2:b")
    assert a is not None and b is not None
    assert (a.review_id, b.review_id) == (first, second) and a.attempt == b.attempt == 1
    assert queue.claim("host:3:c") is None, "live leases are not taken"
    held = row(db, first)
    assert held.status == "processing" and held.claimed_by == "host:1:a"
    assert held.lease_until is not None and held.lease_until > now() + dt.timedelta(seconds=25)


def test_queue_takes_back_an_expired_lease_and_fences_the_old_holder(db: Database) -> None:
    (review_id,) = queued(db)
    queue = Queue(db, lease_seconds=30)
    assert queue.claim("host:1:dead") is not None
    assert queue.renew([review_id], "host:1:dead") == set(), "the holder renews its lease"
    with db.session() as session:  # the holder stops renewing, and its lease runs out
        session.execute(update(Review).values(lease_until=now() - dt.timedelta(seconds=1)))
    claim = queue.claim("host:2:live")
    assert claim is not None and claim.review_id == review_id and claim.attempt == 2
    assert claim.taken_from == "host:1:dead"
    assert row(db, review_id).last_failure == "attempt 1 stopped: its worker (host:1:dead) stopped renewing the lease"

    # The old holder comes back to life: it can neither renew nor write an outcome.
    assert queue.renew([review_id], "host:1:dead") == {review_id}
    with db.session() as session:
        assert queue.finish(session, review_id, "host:1:dead", "done") is None
    with db.session() as session:
        finished = queue.finish(session, review_id, "host:2:live", "done")
        assert finished is not None and finished.status == "done" and finished.claimed_by is None
    with db.session() as session:
        actions = [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.review_id == review_id))]
    assert actions == ["taken_back"]


def test_queue_fails_a_review_interrupted_too_often(db: Database) -> None:
    (review_id,) = queued(db, status="processing", attempts=MAX_ATTEMPTS, claimed_by="host:9:gone")
    assert Queue(db).claim("host:1:a") is None
    failed = row(db, review_id)
    assert failed.status == "failed" and failed.claimed_by is None
    assert failed.error == f"processing was interrupted {MAX_ATTEMPTS} times; submit it again"


def test_queue_release_puts_work_back_without_an_attempt(db: Database) -> None:
    (review_id,) = queued(db)
    queue = Queue(db)
    assert queue.claim("host:1:a") is not None
    assert queue.release([review_id], "host:2:other") == 0, "only the holder releases"
    assert queue.release([review_id], "host:1:a") == 1
    back = row(db, review_id)
    assert (back.status, back.claimed_by, back.attempts) == ("queued", None, 0)


def test_queue_concurrent_claims_never_share_a_review(db: Database) -> None:
    ids = set(queued(db, 60))
    claims: list[str] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        queue = Queue(db)
        while (claim := queue.claim(name)) is not None:
            with lock:
                claims.append(claim.review_id)

    threads = [threading.Thread(target=work, args=(f"host:{i}:t",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert Counter(claims).most_common(1)[0][1] == 1, "a review was claimed twice"
    assert set(claims) == ids


def test_queue_a_starting_process_leaves_live_work_alone(database_url: str, db: Database) -> None:
    """A restarted process takes new work, and never another process's review whose lease is live."""
    (busy,) = queued(db, status="processing", attempts=1, claimed_by="other-host:77:abc",
                     lease_until=now() + dt.timedelta(seconds=60))
    with db.session() as session:
        _, plaintext = create_key(session, "intake")
    app = create_app(make_settings(database_url))
    with TestClient(app) as client:
        body = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
        fresh = client.post("/v1/reviews", json=body, headers=bearer(plaintext)).json()["id"]
        assert wait_for(client, bearer(plaintext), fresh)["status"] == "done"
        time.sleep(0.5)
        still = row(db, busy)
        assert (still.status, still.claimed_by, still.attempts) == ("processing", "other-host:77:abc", 1)

"""The review queue, kept in the reviews table: claims with leases, renewal, fenced completion.

Any number of worker processes, on any machine that reaches the database, take reviews from it.
A worker claims a review with a lease (`claimed_by`, `lease_until`) and renews it while it works;
only a review whose lease has run out is taken back, so nothing a live process holds is ever
requeued by another's start. The outcome is written only while the writer still holds the claim
(a fenced update), so a worker that lost its lease cannot decide a review a second time.

PostgreSQL claims with `SELECT ... FOR UPDATE SKIP LOCKED` (concurrent workers pass over each
other's rows instead of queueing behind them); SQLite, the embedded default, with a conditional
update. New work and finished reviews are announced on PostgreSQL by NOTIFY, in the transaction
that makes them (api/listen.py hears them); the payload is a review id, never chart text.

Why not procrastinate or PgQueuer: both are PostgreSQL-only, and the embedded default is SQLite,
so the tables would have needed a second queue anyway; the review row already carries the state
a job row would (status, attempts, error), and its decision is written in the claim's transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import and_, or_, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from api.db import SYSTEM_ACTOR, AuditEvent, Database, Review, now
from api.webhooks import enqueue

CHANNEL = "chart_review_reviews"
MAX_ATTEMPTS = 3


def worker_name() -> str:
    """Who holds a claim: host, process id, and a random tag (a restarted process is someone new)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


def announce(session: Session, event: Literal["queued", "finished"], review_id: str) -> None:
    """Tell every process listening (PostgreSQL), when the caller's transaction commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, :payload)"),
                        {"channel": CHANNEL, "payload": f"{event} {review_id}"})


@dataclass(frozen=True)
class Claim:
    review_id: str
    attempt: int
    # Set when the review was taken back from a worker whose lease ran out.
    taken_from: str | None = None


class Queue:
    """Claims, renewals and fenced writes on the reviews table, for one worker process."""

    def __init__(self, db: Database, lease_seconds: float = 30.0, max_attempts: int = MAX_ATTEMPTS) -> None:
        self.db = db
        self.lease = dt.timedelta(seconds=lease_seconds)
        self.max_attempts = max_attempts

    def _claimable(self, at: dt.datetime) -> ColumnElement[bool]:
        expired = and_(Review.status == "processing",
                       or_(Review.lease_until.is_(None), Review.lease_until < at))
        return or_(Review.status == "queued", expired)

    def claim(self, worker: str) -> Claim | None:
        """The oldest queued review, or one whose lease ran out, now leased to `worker`."""
        while True:
            with self.db.session() as session:
                at = now()
                row = session.execute(
                    select(Review.id, Review.status, Review.attempts, Review.claimed_by)
                    .where(self._claimable(at)).order_by(Review.created_at).limit(1)
                    .with_for_update(skip_locked=True)).first()
                if row is None:
                    return None
                review_id, status, attempts, holder = row
                taken_back = status == "processing"
                if taken_back and attempts >= self.max_attempts:
                    self._give_up(session, review_id, attempts, at)
                    continue  # and look for the next one
                values: dict[str, object] = {"status": "processing", "claimed_by": worker,
                                             "lease_until": at + self.lease, "started_at": at,
                                             "attempts": attempts + 1}
                if taken_back:
                    values["last_failure"] = (f"attempt {attempts} stopped: its worker ({holder or 'unknown'}) "
                                              "stopped renewing the lease")
                claimed = session.execute(update(Review).where(Review.id == review_id, self._claimable(at))
                                          .values(**values))
                if not claimed.rowcount:  # type: ignore[attr-defined]
                    continue  # SQLite: another process took it between our read and our update
                if taken_back:  # an ordinary claim is implied by the decision; this one is news
                    session.add(AuditEvent(review_id=review_id, actor=SYSTEM_ACTOR, action="taken_back",
                                           detail={"worker": worker, "attempt": attempts + 1, "from": holder}))
                return Claim(review_id, attempts + 1, holder if taken_back else None)

    def _give_up(self, session: Session, review_id: str, attempts: int, at: dt.datetime) -> None:
        review = session.get(Review, review_id)
        assert review is not None
        review.status, review.claimed_by, review.lease_until = "failed", None, None
        review.error = f"processing was interrupted {attempts} times; submit it again"
        session.add(AuditEvent(review_id=review_id, actor=SYSTEM_ACTOR, action="failed",
                               detail={"error": review.error}))
        enqueue(session, review, "review.failed")
        announce(session, "finished", review_id)

    def renew(self, review_ids: list[str], worker: str) -> set[str]:
        """Extend `worker`'s leases on `review_ids`; returns the ids it no longer holds."""
        if not review_ids:
            return set()
        with self.db.session() as session:
            held = set(session.scalars(
                select(Review.id).where(Review.id.in_(review_ids), Review.claimed_by == worker,
                                        Review.status == "processing")).all())
            if held:
                session.execute(update(Review).where(Review.id.in_(held), Review.claimed_by == worker,
                                                     Review.status == "processing")
                                .values(lease_until=now() + self.lease))
        return set(review_ids) - held

    def finish(self, session: Session, review_id: str, worker: str, status: Literal["done", "failed"]) -> Review | None:
        """Mark the review finished if `worker` still holds it (in the caller's transaction, which
        then writes the outcome); None when the claim was lost, and nothing may be written."""
        finished = session.execute(
            update(Review).where(Review.id == review_id, Review.claimed_by == worker, Review.status == "processing")
            .values(status=status, claimed_by=None, lease_until=None))
        if not finished.rowcount:  # type: ignore[attr-defined]
            return None
        announce(session, "finished", review_id)
        return session.get(Review, review_id)

    def release(self, review_ids: list[str], worker: str) -> int:
        """Put `worker`'s unfinished reviews back in the queue (a graceful stop): no lease to wait out."""
        if not review_ids:
            return 0
        with self.db.session() as session:
            released = session.execute(
                update(Review).where(Review.id.in_(review_ids), Review.claimed_by == worker,
                                     Review.status == "processing")
                .values(status="queued", claimed_by=None, lease_until=None, attempts=Review.attempts - 1))
            for review_id in review_ids:
                announce(session, "queued", review_id)
            return int(released.rowcount)  # type: ignore[attr-defined]

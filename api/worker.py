"""Process queued reviews off the request path: ingestion (OCR included), extraction, decision.

A review moves queued -> processing -> done | failed. Workers take reviews through the queue
(api/queue.py): a claim with a lease, renewed by a heartbeat while the review is worked, and an
outcome written with the final status in one transaction, and only while the claim is still
held. A crash leaves the review `processing` until its lease runs out; then any worker takes it
back, and after repeated interruptions it is failed with the reason. Nothing at start-up touches
another process's work.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import update

from api.db import SYSTEM_ACTOR, AuditEvent, Database, Review, StoredDocument
from api.queue import MAX_ATTEMPTS, Queue, worker_name
from api.webhooks import WebhookSender, enqueue
from chart_review.contract import ReviewRequest
from chart_review.errors import ChartReviewError, E
from chart_review.review import default_guideline, review_documents
from extractors.documents import Document
from extractors.ingest import Limits, read_bytes

log = logging.getLogger("chart_review.worker")
__all__ = ["MAX_ATTEMPTS", "ReviewWorker", "wake"]


class ReviewWorker:
    """Worker threads that take queued reviews from the database, oldest first."""

    def __init__(self, db: Database, threads: int = 1, limits: Limits | None = None,
                 after: Callable[[], None] | None = None, lease_seconds: float = 30.0,
                 poll_seconds: float = 1.0) -> None:
        self.db = db
        # Called after each review is finished (the webhook sender's wake-up).
        self.after = after
        self.threads = threads
        self.limits = limits or Limits()
        self.queue = Queue(db, lease_seconds)
        self.name = worker_name()
        # With no wake-up from another process (SQLite), look for work this often.
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        # Requests waiting for a decision watch `finished`: every finished review bumps it.
        self.progress = threading.Condition()
        self.finished = 0
        self._held: set[str] = set()
        self._held_lock = threading.Lock()
        self._pool: list[threading.Thread] = []

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        if self.threads < 1:
            return  # an API-only process: worker processes (`chart-review worker`) do the reviews
        for i in range(self.threads):
            thread = threading.Thread(target=self._run, name=f"review-worker-{i}", daemon=True)
            thread.start()
            self._pool.append(thread)
        heartbeat = threading.Thread(target=self._heartbeat, name="review-lease-heartbeat", daemon=True)
        heartbeat.start()
        self._pool.append(heartbeat)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop taking work; reviews still unfinished after `timeout` go back to the queue."""
        self._stop.set()
        self._wake.set()
        deadline = time.monotonic() + timeout
        for thread in self._pool:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._pool.clear()
        with self._held_lock:
            held = list(self._held)
        if held and (released := self.queue.release(held, self.name)):
            log.info("stopping: %d unfinished review(s) put back in the queue", released)

    def alive(self) -> bool:
        return bool(self._pool) and all(t.is_alive() for t in self._pool)

    def notify(self) -> None:
        self._wake.set()

    def decision_landed(self) -> None:
        """A review was finished, by this process or another: wake the requests waiting for decisions."""
        with self.progress:
            self.finished += 1
            self.progress.notify_all()

    def _heartbeat(self) -> None:
        """Renew this process's leases a few times per lease, so a long review keeps its claim."""
        every = self.queue.lease.total_seconds() / 3
        while not self._stop.wait(every):
            with self._held_lock:
                held = list(self._held)
            try:
                for lost in self.queue.renew(held, self.name):
                    log.warning("review %s: its lease was lost; its outcome will not be written", lost)
            except Exception as exc:  # the database is away: try again at the next beat
                log.warning("lease renewal failed (%s); retrying", type(exc).__name__)

    # -- work ---------------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                review_id = self._next()
            except Exception as exc:  # the database is away: wait, then look again
                log.warning("claiming a review failed (%s); retrying", type(exc).__name__)
                review_id = None
            if review_id is None:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()
                continue
            try:
                self.process(review_id)
            finally:
                with self._held_lock:
                    self._held.discard(review_id)

    def _next(self) -> str | None:
        """Claim the oldest queued review (or one whose lease ran out) for this worker."""
        claim = self.queue.claim(self.name)
        if claim is None:
            return None
        with self._held_lock:
            self._held.add(claim.review_id)
        return claim.review_id

    def process(self, review_id: str) -> None:
        """Do one claimed review and write its outcome in one transaction."""
        started = dt.datetime.now(dt.UTC)
        try:
            with self.db.session() as session:
                review = session.get(Review, review_id)
                if review is None:
                    return
                request = ReviewRequest.model_validate(review.request)
                stored = list(review.documents)
                # One deadline for the whole review: each file's reading gets what is left of it,
                # and no file is started, nor the chart extracted, once it has passed.
                deadline = time.monotonic() + self.limits.parse_seconds
                documents = [self._document(doc, deadline) for doc in stored]
            self._check(deadline)
            decision = review_documents(documents, request, default_guideline())
            with self.db.session() as session:
                review = self.queue.finish(session, review_id, self.name, "done")
                if review is None:
                    log.warning("review %s: the claim was lost; another worker has it", review_id)
                    return
                for row, document in zip(review.documents, documents, strict=True):
                    row.text, row.sha256 = document.text, document.sha256
                    row.page_starts, row.ocr_pages = document.page_starts, document.ocr_pages
                review.decision = decision.model_dump(mode="json")
                review.determination = decision.determination.value
                review.disposition = decision.disposition.value if decision.disposition else None
                review.error = None
                session.add(AuditEvent(review_id=review_id, actor=SYSTEM_ACTOR, action="decided",
                                       detail={"determination": review.determination, "worker": self.name}))
                enqueue(session, review, "review.decided")
        except ChartReviewError as exc:
            self._fail(review_id, str(exc))
        except Exception as exc:  # our bug: record it without chart text, keep serving
            # Where it failed (the frames' code lines), never the exception's message: messages
            # quote their input (a pydantic error shows the value), and the input is chart text.
            log.error("review %s failed: %s\n%s", review_id, type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)).rstrip())
            self._fail(review_id, f"internal error ({type(exc).__name__}); the review can be submitted again")
        self.decision_landed()
        if self.after is not None:
            self.after()
        seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
        log.info("review %s processed in %.2f s", review_id, seconds)

    def _document(self, row: StoredDocument, deadline: float) -> Document:
        self._check(deadline)
        return read_bytes(row.name, row.raw, replace(self.limits, parse_seconds=deadline - time.monotonic()),
                          self._reporter(row.review_id))

    def _reporter(self, review_id: str) -> Callable[[str, int, int, str], None]:
        """Record each page read on the review, at most twice a second, so the page can show a
        long scan's "page k of n"; the last page always."""
        last = [0.0]

        def report(name: str, page: int, pages: int, method: str) -> None:
            now_ = time.monotonic()
            if page < pages and now_ - last[0] < 0.5:
                return
            last[0] = now_
            with self.db.session() as session:
                session.execute(update(Review).where(Review.id == review_id).values(
                    reading={"document": name, "page": page, "pages": pages, "method": method}))
        return report

    def _check(self, deadline: float) -> None:
        if time.monotonic() >= deadline:
            raise ChartReviewError(E.REVIEW_TOO_LONG, source="review", limit=self.limits.parse_seconds)

    def _fail(self, review_id: str, message: str) -> None:
        with self.db.session() as session:
            review = self.queue.finish(session, review_id, self.name, "failed")
            if review is not None:
                review.error = message
                session.add(AuditEvent(review_id=review_id, actor=SYSTEM_ACTOR, action="failed",
                                       detail={"error": message}))
                enqueue(session, review, "review.failed")


def wake(worker: ReviewWorker, webhooks: WebhookSender | None = None) -> Callable[[str, str], None]:
    """What a queue notification does in this process: new work wakes the worker threads; a
    decision (from any process) wakes waiting requests and the webhook sender."""
    def on_event(event: str, _review_id: str) -> None:
        if event == "queued":
            worker.notify()
        elif event == "finished":
            worker.decision_landed()
            if webhooks is not None:
                webhooks.notify()
    return on_event

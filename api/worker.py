"""Process queued reviews off the request path: ingestion (OCR included), extraction, decision.

A review moves queued -> processing -> done | failed, and its decision is written in the same
transaction as its final status, so a crash never leaves half a review. On start, reviews a
crash left in `processing` go back to the queue (their uploads are stored), or are marked
failed with the reason after repeated interruptions.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import select, update

from api.db import SYSTEM_ACTOR, AuditEvent, Database, Review, StoredDocument, now
from api.webhooks import enqueue
from chart_review.contract import ReviewRequest
from chart_review.errors import ChartReviewError, E
from chart_review.review import default_guideline, review_documents
from extractors.documents import Document
from extractors.ingest import Limits, read_bytes

log = logging.getLogger("chart_review.worker")
MAX_ATTEMPTS = 3


class ReviewWorker:
    """Worker threads that take queued reviews from the database, oldest first."""

    def __init__(self, db: Database, threads: int = 1, limits: Limits | None = None,
                 after: Callable[[], None] | None = None) -> None:
        self.db = db
        # Called after each review is finished (the webhook sender's wake-up).
        self.after = after
        self.threads = threads
        self.limits = limits or Limits()
        self._wake = threading.Event()
        self._stop = threading.Event()
        # Requests waiting for a decision watch `finished`: every finished review bumps it.
        self.progress = threading.Condition()
        self.finished = 0
        self._claim = threading.Lock()
        self._pool: list[threading.Thread] = []

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self.recover()
        for i in range(self.threads):
            thread = threading.Thread(target=self._run, name=f"review-worker-{i}", daemon=True)
            thread.start()
            self._pool.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._pool:
            thread.join(timeout)
        self._pool.clear()

    def alive(self) -> bool:
        return bool(self._pool) and all(t.is_alive() for t in self._pool)

    def notify(self) -> None:
        self._wake.set()

    def recover(self) -> None:
        """Requeue reviews a crash interrupted; give up on ones interrupted too often."""
        with self.db.session() as session:
            stuck = session.scalars(select(Review).where(Review.status == "processing")).all()
            for review in stuck:
                if review.attempts >= MAX_ATTEMPTS:
                    review.status = "failed"
                    review.error = f"processing was interrupted {review.attempts} times; submit it again"
                    enqueue(session, review, "review.failed")
                else:
                    review.status = "queued"
                session.add(AuditEvent(review_id=review.id, actor=SYSTEM_ACTOR, action="recovered",
                                       detail={"status": review.status, "attempts": review.attempts}))

    # -- work ---------------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            review_id = self._next()
            if review_id is None:
                self._wake.wait(1.0)
                self._wake.clear()
                continue
            self.process(review_id)

    def _next(self) -> str | None:
        """Claim the oldest queued review (a conditional update, so two workers never share one)."""
        with self._claim, self.db.session() as session:
            candidate = session.scalar(
                select(Review.id).where(Review.status == "queued").order_by(Review.created_at).limit(1))
            if candidate is None:
                return None
            claimed = session.execute(
                update(Review).where(Review.id == candidate, Review.status == "queued")
                .values(status="processing", started_at=now(), attempts=Review.attempts + 1))
            return candidate if claimed.rowcount else None  # type: ignore[attr-defined]

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
                review = session.get(Review, review_id)
                if review is None:
                    return
                for row, document in zip(review.documents, documents, strict=True):
                    row.text, row.sha256 = document.text, document.sha256
                    row.page_starts, row.ocr_pages = document.page_starts, document.ocr_pages
                review.decision = decision.model_dump(mode="json")
                review.determination = decision.determination.value
                review.disposition = decision.disposition.value if decision.disposition else None
                review.status, review.error = "done", None
                session.add(AuditEvent(review_id=review_id, actor=SYSTEM_ACTOR, action="decided",
                                       detail={"determination": review.determination}))
                enqueue(session, review, "review.decided")
        except ChartReviewError as exc:
            self._fail(review_id, str(exc))
        except Exception as exc:  # our bug: record it without chart text, keep serving
            # Where it failed (the frames' code lines), never the exception's message: messages
            # quote their input (a pydantic error shows the value), and the input is chart text.
            log.error("review %s failed: %s\n%s", review_id, type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)).rstrip())
            self._fail(review_id, f"internal error ({type(exc).__name__}); the review can be submitted again")
        with self.progress:
            self.finished += 1
            self.progress.notify_all()
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
            review = session.get(Review, review_id)
            if review is not None:
                review.status, review.error = "failed", message
                session.add(AuditEvent(review_id=review_id, actor=SYSTEM_ACTOR, action="failed",
                                       detail={"error": message}))
                enqueue(session, review, "review.failed")

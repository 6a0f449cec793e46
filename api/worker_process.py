"""`chart-review worker`: review workers in processes of their own.

Run any number, on any machine that reaches the database, beside API processes started with
`CHART_REVIEW_WORKERS=0`. Each process builds the pipeline once and works one review at a time
per thread (extraction holds the interpreter lock, so processes, not threads, add throughput).
SIGTERM or Ctrl-C stops it gracefully: no new claims, the reviews in hand are finished within the
grace period, and any still unfinished go back to the queue.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from types import FrameType

log = logging.getLogger("chart_review.worker")


def run(processes: int = 1, threads: int = 1, grace: float = 60.0) -> int:
    """Run `processes` worker processes (this one, when 1) until stopped; exit status 0."""
    if processes <= 1:
        return _one(threads, grace)
    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_one, args=(threads, grace), name=f"review-worker-{i}")
                for i in range(processes)]
    for child in children:
        child.start()
    stopping = threading.Event()

    def forward(signum: int, _frame: FrameType | None) -> None:
        stopping.set()
        for child in children:
            if child.is_alive() and child.pid is not None:
                child.terminate()  # SIGTERM: each child stops gracefully

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    for child in children:
        child.join()
    return 0


def _one(threads: int, grace: float) -> int:
    from api.db import Database, upgrade
    from api.listen import Listener, poll_seconds
    from api.settings import get_settings
    from api.worker import ReviewWorker, wake
    from chart_review.review import default_guideline
    from extractors.ingest.isolated import remove_orphaned_scratch

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    upgrade(settings.database_url)
    remove_orphaned_scratch()
    default_guideline()  # build the rules once, before the first claim
    db = Database(settings.database_url)
    worker = ReviewWorker(db, threads=max(threads, 1), limits=settings.limits(), lease_seconds=settings.lease_seconds,
                          poll_seconds=poll_seconds(settings.database_url))
    listener = Listener(settings.database_url, wake(worker))
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    listener.start()
    worker.start()
    log.info("worker %s started: %d thread(s), lease %g s, %s", worker.name, worker.threads,
             settings.lease_seconds, "woken by NOTIFY" if listener.active else "polling")
    stop.wait()
    log.info("worker %s stopping (grace %g s)", worker.name, grace)
    listener.stop()
    worker.stop(timeout=grace)
    db.engine.dispose()
    return 0

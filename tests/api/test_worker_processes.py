"""Issue 13, for real: worker processes and API processes on one PostgreSQL (the one .ci/run starts).

Two `chart-review worker` processes and two API processes (CHART_REVIEW_WORKERS=0) share the
database: 200 reviews submitted at once through both APIs are each decided exactly once; a worker
killed with SIGKILL mid-review leaves it to another once its lease runs out; a worker restarted
meanwhile leaves the other's live work alone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from api.auth import create_key
from api.db import ApiKey, AuditEvent, Database, Review, StoredDocument, now, upgrade
from tests.api.conftest import SMALL_NOTE, SMALL_REQUEST, postgres_url
from tests.pdf_factory import scanned_pdf
from tests.web.conftest import free_port

LEASE_SECONDS = 3


@dataclass
class Cluster:
    url: str
    root: Path
    env: dict[str, str]
    db: Database
    key: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, *command: str, **env: str) -> subprocess.Popen[bytes]:
        log = (self.root / f"process-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen([sys.executable, "-m", "chart_review.cli", *command], cwd=self.root,
                                   env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def api(self) -> str:
        port = free_port()
        process = self.start("serve", "--port", str(port), "--log-level", "warning", CHART_REVIEW_WORKERS="0")
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, self.logs()
            try:
                if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                    return base
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        pytest.fail(f"the API was not ready in 60 s:\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-2000:] for p in sorted(self.root.glob("process-*.log")))

    def submit(self, base: str, documents: list[tuple[str, bytes, str]] | None = None) -> str:
        files = [("files", doc) for doc in documents or [("note.txt", SMALL_NOTE.encode(), "text/plain")]]
        response = httpx.post(f"{base}/v1/reviews/upload", data={"request": json.dumps(SMALL_REQUEST)}, files=files,
                              headers={"Authorization": f"Bearer {self.key}"}, timeout=60)
        assert response.status_code == 202, response.text
        review_id: str = response.json()["id"]
        return review_id

    def reviews(self) -> dict[str, Review]:
        with self.db.session() as session:
            return {r.id: r for r in session.scalars(select(Review)).all()}

    def decided(self) -> Counter[str]:
        with self.db.session() as session:
            return Counter(session.scalars(select(AuditEvent.review_id).where(AuditEvent.action == "decided")).all())

    def wait(self, condition: Any, seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(f"{what} did not happen in {seconds:g} s:\n{self.logs()}")
            time.sleep(0.2)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    url = postgres_url()
    upgrade(url)
    db = Database(url)
    with db.session() as session:
        _, key = create_key(session, "intake", "cluster test")
    env = {**os.environ, "CHART_REVIEW_DATABASE_URL": url, "CHART_REVIEW_SECRET_KEY": secrets.token_urlsafe(32),
           "CHART_REVIEW_LEASE_SECONDS": str(LEASE_SECONDS), "CHART_REVIEW_DATA_DIR": str(tmp_path),
           "CHART_REVIEW_MAX_WAIT_SECONDS": "30"}
    found = Cluster(url=url, root=tmp_path, env=env, db=db, key=key)
    try:
        yield found
    finally:
        for process in found.processes:
            if process.poll() is None:
                process.kill()
            process.wait(30)
        db.engine.dispose()


def test_workers_two_workers_two_apis_decide_200_reviews_once_each(cluster: Cluster) -> None:
    workers = [cluster.start("worker"), cluster.start("worker")]
    apis = [cluster.api(), cluster.api()]
    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(lambda i: cluster.submit(apis[i % 2]), range(200)))
    assert len(set(ids)) == 200

    # A client waiting on one API process is answered when the decision lands, whoever wrote it.
    waited = httpx.get(f"{apis[1]}/v1/reviews/{ids[-1]}", params={"wait": 30},
                       headers={"Authorization": f"Bearer {cluster.key}"}, timeout=40).json()
    assert waited["status"] == "done", waited
    cluster.wait(lambda: all(r.status == "done" for r in cluster.reviews().values()), 240, "all 200 decided")
    decided = cluster.decided()
    assert set(decided) == set(ids) and max(decided.values()) == 1, "a review was decided twice"
    with cluster.db.session() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "decided")).all()
        by = Counter(e.detail["worker"] for e in events)
    assert len(by) == 2 and min(by.values()) >= 20, f"both worker processes take work: {by}"
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(90) == 0, cluster.logs()


def test_workers_sigkill_mid_review_is_finished_by_another_once(cluster: Cluster) -> None:
    """A worker killed with SIGKILL while reading a slow review (twelve scanned pages to OCR) leaves
    it to another worker once its lease runs out; the review is decided once, on attempt 2."""
    first = cluster.start("worker")
    api = cluster.api()
    slow = cluster.submit(api, [("scan.pdf", scanned_pdf([SMALL_NOTE] * 12), "application/pdf")])
    cluster.wait(lambda: cluster.reviews()[slow].status == "processing", 60, "the first worker's claim")
    first.send_signal(signal.SIGKILL)  # mid-review: the claim is seen within 0.2 s, the OCR takes seconds
    first.wait(30)
    holder = cluster.reviews()[slow].claimed_by
    assert cluster.reviews()[slow].status == "processing" and holder is not None

    cluster.start("worker")
    cluster.wait(lambda: cluster.reviews()[slow].status == "done", 180, "the taken-back review")
    taken = cluster.reviews()[slow]
    assert taken.attempts == 2 and taken.last_failure is not None and holder in taken.last_failure
    with cluster.db.session() as session:
        actions = [e.action for e in session.scalars(
            select(AuditEvent).where(AuditEvent.review_id == slow).order_by(AuditEvent.created_at))]
    assert actions == ["created", "taken_back", "decided"]
    assert cluster.decided()[slow] == 1


def test_workers_a_restarted_worker_leaves_live_work_alone(cluster: Cluster) -> None:
    """A review another process holds under a live lease is left alone by a worker that starts,
    stops and starts again, while that worker decides new work."""
    with cluster.db.session() as session:
        key = session.scalars(select(ApiKey)).first()
        assert key is not None
        held = Review(request=SMALL_REQUEST, created_by=key.id, status="processing", attempts=1,
                      claimed_by="other-host:4242:abcdef", lease_until=now() + dt.timedelta(seconds=120))
        held.documents = [StoredDocument(position=0, name="note.txt", raw=SMALL_NOTE.encode())]
        session.add(held)
        session.flush()
        held_id = held.id
    api = cluster.api()
    worker = cluster.start("worker")
    first = cluster.submit(api)
    cluster.wait(lambda: cluster.reviews()[first].status == "done", 90, "the first new review")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(90) == 0
    cluster.start("worker")
    second = cluster.submit(api)
    cluster.wait(lambda: cluster.reviews()[second].status == "done", 90, "the second new review")
    time.sleep(LEASE_SECONDS + 1)  # longer than this cluster's lease: nothing but expiry frees a claim
    still = cluster.reviews()[held_id]
    assert (still.status, still.claimed_by, still.attempts) == ("processing", "other-host:4242:abcdef", 1)

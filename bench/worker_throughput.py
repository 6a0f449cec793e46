"""Service throughput with 1 and 2 worker processes on PostgreSQL (issue 13), in one run.

    eval "$(bash scripts/postgres-test.sh)"     # a local PostgreSQL (root), or set the URL yourself
    .venv/bin/python bench/worker_throughput.py --reviews 200 --workers 1,2

For each worker count, on a freshly emptied database: one API process (CHART_REVIEW_WORKERS=0)
and that many `chart-review worker` processes start; the reviews (the fixture cases' charts,
round robin) are submitted through the API at once, and the figure is decided reviews per second
from the first submission to the last decision. The ratio is against the first count's rate.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench._common import emit  # noqa: E402

POSTGRES_ENV = "CHART_REVIEW_TEST_POSTGRES_URL"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cases() -> list[dict[str, Any]]:
    found = []
    for case in sorted((REPO / "fixtures" / "cases").glob("*/request.json")):
        folder = case.parent / "documents"
        docs = [{"name": p.name, "text": p.read_text(encoding="utf-8")} for p in sorted(folder.glob("*.txt"))]
        if docs:
            found.append({"request": json.loads(case.read_text(encoding="utf-8")), "documents": docs})
    return found


def run(url: str, workers: int, reviews: int, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    from sqlalchemy import text

    from api.auth import create_key
    from api.db import Base, Database, Review, upgrade

    emptied = Database(url)  # the service's tables dropped: each count starts from nothing
    with emptied.engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    emptied.engine.dispose()
    upgrade(url)
    db = Database(url)
    with db.session() as session:
        _, key = create_key(session, "intake", "bench")
    tmp = tempfile.mkdtemp()
    env = {**os.environ, "CHART_REVIEW_DATABASE_URL": url, "CHART_REVIEW_SECRET_KEY": secrets.token_urlsafe(32),
           "CHART_REVIEW_DATA_DIR": tmp}
    port = free_port()
    quiet = subprocess.DEVNULL
    api = subprocess.Popen([sys.executable, "-m", "chart_review.cli", "serve", "--port", str(port), "--log-level",
                            "warning"], env={**env, "CHART_REVIEW_WORKERS": "0"}, cwd=tmp, stdout=quiet, stderr=quiet)
    pool = [subprocess.Popen([sys.executable, "-m", "chart_review.cli", "worker"], env=env, cwd=tmp,
                             stdout=quiet, stderr=quiet) for _ in range(workers)]
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        time.sleep(4.0)  # the workers build their pipelines before the clock starts
        headers = {"Authorization": f"Bearer {key}"}
        started = time.monotonic()
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client, ThreadPoolExecutor(8) as submit:
            statuses = list(submit.map(lambda i: client.post("/v1/reviews", json=bodies[i % len(bodies)]).status_code,
                                       range(reviews)))
        assert all(code == 202 for code in statuses), statuses
        while True:
            with db.session() as session:
                left = session.query(Review).filter(Review.status.in_(("queued", "processing"))).count()
            if not left:
                break
            time.sleep(0.1)
        seconds = time.monotonic() - started
    finally:
        for process in [api, *pool]:
            process.terminate()
        for process in [api, *pool]:
            process.wait(60)
        db.engine.dispose()
    return {"workers": workers, "reviews": reviews, "seconds": round(seconds, 2),
            "reviews_per_second": round(reviews / seconds, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=200)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        raise SystemExit(f"set {POSTGRES_ENV} (scripts/postgres-test.sh prints it)")
    bodies = cases()
    runs = [run(url, int(n), args.reviews, bodies) for n in args.workers.split(",")]
    for one in runs:
        one["speedup"] = round(one["reviews_per_second"] / runs[0]["reviews_per_second"], 2)
        print(f"{one['workers']} worker process(es): {one['reviews_per_second']}/s ({one['speedup']}x)",
              file=sys.stderr)
    emit({"cores": os.cpu_count(), "runs": runs}, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The real server: uvicorn on loopback in a subprocess, a key made by the CLI, a review over HTTP."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import SMALL_NOTE, SMALL_REQUEST

SECRET_PHRASE = "Philomena Vandersloot"
STARTUP_SECONDS = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli() -> list[str]:
    """The installed `chart-review` script beside this interpreter, or the module."""
    script = shutil.which("chart-review", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "chart_review.cli"]


@pytest.fixture
def server_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHART_REVIEW_")}
    env["CHART_REVIEW_DATABASE_URL"] = f"sqlite:///{tmp_path / 'server.db'}"
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture
def server(tmp_path: Path, server_env: dict[str, str]) -> Iterator[tuple[str, Path]]:
    """A running server's base URL and its log file; stopped (SIGINT, then kill) afterwards."""
    port = free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path, env=server_env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, f"the server exited: {log_path.read_text()}"
            try:
                if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"no /ready within {STARTUP_SECONDS} s: {log_path.read_text()}"
            time.sleep(0.2)
        yield base, log_path
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def test_server_review_over_http(server: tuple[str, Path], server_env: dict[str, str], tmp_path: Path) -> None:
    base, log_path = server
    made = subprocess.run([*cli(), "keys", "create", "--role", "intake"], env=server_env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    headers = {"Authorization": f"Bearer {key}"}

    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        assert http.get("/health").json() == {"status": "ok"}
        assert "/v1/reviews" in http.get("/openapi.json").json()["paths"]
        note = f"Patient {SECRET_PHRASE}.\n{SMALL_NOTE}"
        created = http.post("/v1/reviews", json={"request": SMALL_REQUEST,
                                                 "documents": [{"name": "note.txt", "text": note}]})
        assert created.status_code == 202, created.text
        assert created.headers["location"] == f"/v1/reviews/{created.json()['id']}"

        deadline = time.monotonic() + 60
        while True:
            review = http.get(created.headers["location"], params={"wait": 10}).json()
            if review["status"] in ("done", "failed"):
                break
            assert time.monotonic() < deadline, f"still {review['status']} after 60 s"
        assert review["status"] == "done", review
        assert review["decision"]["determination"] == review["determination"]

        listing = http.get("/v1/reviews").json()
        assert [item["id"] for item in listing["items"]] == [review["id"]]
        unauthorized = httpx.get(f"{base}/v1/reviews", timeout=10)
        assert unauthorized.status_code == 401 and unauthorized.json()["code"] == "HTTP401"

    log = log_path.read_text(encoding="utf-8", errors="replace")
    assert "POST /v1/reviews" in log, "uvicorn's access log is on"
    assert SECRET_PHRASE not in log and key not in log

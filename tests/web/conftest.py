"""Fixtures for the reviewer page's browser test: the real service (uvicorn in a subprocess on a
free port, a fresh SQLite file), API keys made straight in its database, and Debian's Chromium
driven by Playwright.

The browser is /usr/bin/chromium from Debian's `chromium` package (scripts/system-deps.sh installs
it); Playwright's own browser download is never used. Without it the test skips, except in CI
(CI=true), where a missing browser is a broken set-up and fails.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.auth import Role, create_key
from api.db import Database, upgrade

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and nothing that reaches the network or a shared profile: the machine may be offline.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1440, "height": 1000}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def need(condition: bool, reason: str) -> None:
    """Skip with the reason when a prerequisite is missing; in CI, fail instead."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the browser test must run in CI; run scripts/system-deps.sh as root)")
    pytest.skip(reason)


@dataclass
class Server:
    url: str
    database_url: str
    log: Path

    def key(self, role: Role, label: str = "") -> str:
        """A new plaintext API key of `role`, made in the server's database."""
        db = Database(self.database_url)
        try:
            with db.session() as session:
                _, plaintext = create_key(session, role, label)
        finally:
            db.engine.dispose()
        return plaintext

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`chart-review serve`'s app under uvicorn, on 127.0.0.1 and a free port, on a fresh database."""
    yield from start_server(tmp_path_factory)


def start_server(tmp_path_factory: pytest.TempPathFactory, extra_env: dict[str, str] | None = None
                 ) -> Iterator[Server]:
    """The service in its own process, with `extra_env` added to its environment."""
    root = tmp_path_factory.mktemp("server")
    database_url = f"sqlite:///{root / 'chart-review.db'}"
    upgrade(database_url)
    port = free_port()
    log = root / "server.log"
    env = {**os.environ, "CHART_REVIEW_DATABASE_URL": database_url,
           "CHART_REVIEW_SECRET_KEY": secrets.token_urlsafe(32), "CHART_REVIEW_ENVIRONMENT": "development",
           "CHART_REVIEW_MAX_WAIT_SECONDS": "15", **(extra_env or {})}
    with log.open("wb") as out:
        # cwd is the temporary directory, so no stray .env file is read.
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning"],
            cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(url=f"http://127.0.0.1:{port}", database_url=database_url, log=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n{server.log_tail()}")
            try:
                if httpx.get(f"{server.url}/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server was not ready in 60 s:\n{server.log_tail()}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium context on a new, empty profile directory."""
    need(CHROMIUM.is_file(), f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-deps.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "the playwright package is missing: pip install -e '.[dev]'")
        raise
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport=VIEWPORT, locale="en-US", timezone_id="UTC")
        try:
            yield context
        finally:
            context.close()

"""Fixtures for the service tests: settings on a fresh database, the app, a TestClient that ran
the lifespan (migrations, worker), API keys of every role, and a helper that submits a small
text chart and waits for its decision.

The database is a SQLite file under tmp_path. Tests that take `database_url` through
`@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)` also run on PostgreSQL when
CHART_REVIEW_TEST_POSTGRES_URL names one (scripts/postgres-test.sh makes it), and skip there
with the reason otherwise. Every such test starts by dropping the service's tables in that
database: point it at a database kept for tests.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from api.auth import Role, create_key
from api.db import Base, Database
from api.main import create_app
from api.settings import Settings

POSTGRES_ENV = "CHART_REVIEW_TEST_POSTGRES_URL"
BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="postgresql")]

# A small chart the extractor reads in a fraction of a second, for a permanent cancer-pain pump.
SMALL_REQUEST: dict[str, Any] = {"procedure_codes": ["62362", "E0783"], "request_type": "permanent",
                                 "service_date": "2025-10-01"}
SMALL_NOTE = (
    "Oncology follow-up 2025-09-20.\n"
    "Assessment: metastatic non-small cell lung cancer with osseous metastases to the thoracic spine.\n"
    "Life expectancy is estimated at 6 to 12 months.\n"
    "Intrathecal morphine trial on 2025-09-10 gave 70% pain relief.\n"
)
# An outside-guideline request (a refill): decided without the extractor.
OUTSIDE_REQUEST: dict[str, Any] = {"procedure_codes": ["95990"], "service_date": "2025-09-09"}


def reset_postgres(url: str) -> None:
    """Drop every table the service made, so each test starts from an empty database."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            Base.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()


def postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (scripts/postgres-test.sh sets up a local server "
                    "and prints it); .ci/run always sets it")
    # Set but unreachable is a broken set-up, not a reason to skip: let the error fail the test.
    reset_postgres(url)
    return url


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    backend = getattr(request, "param", "sqlite")
    if backend == "postgresql":
        return postgres_url()
    return f"sqlite:///{tmp_path / 'chart-review.db'}"


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """Settings for a test: no .env file, short waits, everything else the service's defaults."""
    values: dict[str, Any] = {"database_url": database_url, "max_wait_seconds": 30.0}
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    # Entered, so the lifespan migrates the database and starts the worker (and stops it after).
    with TestClient(app) as client:
        yield client


def new_key(db: Database, role: Role, label: str = "") -> str:
    with db.session() as session:
        _, plaintext = create_key(session, role, label)
    return plaintext


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def keys(client: TestClient, app: FastAPI) -> dict[str, str]:
    """A plaintext key of each role (the client fixture has migrated the database)."""
    return {role: new_key(app.state.db, role, f"test {role}") for role in ("intake", "reviewer", "admin")}


@pytest.fixture
def intake(keys: dict[str, str]) -> dict[str, str]:
    return bearer(keys["intake"])


@pytest.fixture
def reviewer(keys: dict[str, str]) -> dict[str, str]:
    return bearer(keys["reviewer"])


@pytest.fixture
def admin(keys: dict[str, str]) -> dict[str, str]:
    return bearer(keys["admin"])


def wait_for(client: TestClient, headers: dict[str, str], review_id: str, seconds: float = 60.0) -> dict[str, Any]:
    """The review once done or failed; fails the test past `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(f"/v1/reviews/{review_id}", params={"wait": 10}, headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] in ("done", "failed"):
            return body
        assert time.monotonic() < deadline, f"review {review_id} still {body['status']} after {seconds} s"


class Submit(Protocol):
    def __call__(self, documents: list[dict[str, str]] | None = None, request: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None, wait: bool = True) -> dict[str, Any]: ...


@pytest.fixture
def submit(client: TestClient, intake: dict[str, str]) -> Submit:
    """POST /v1/reviews with a small text chart (or the documents given); the review once decided."""

    def run(documents: list[dict[str, str]] | None = None, request: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None, wait: bool = True) -> dict[str, Any]:
        headers = headers or intake
        body = {"request": request or SMALL_REQUEST,
                "documents": documents or [{"name": "oncology_note.txt", "text": SMALL_NOTE}]}
        response = client.post("/v1/reviews", json=body, headers=headers)
        assert response.status_code == 202, response.text
        created: dict[str, Any] = response.json()
        return wait_for(client, headers, created["id"]) if wait else created

    return run


def assert_error(response: Any, status: int, code: str | None = None, says: str | None = None) -> dict[str, Any]:
    """A 4xx sent as an RFC 9457 problem (application/problem+json) with a stable code and a detail
    that says `says`, carrying the response's request id; returned as {code, message, errors}."""
    assert response.status_code == status, f"{response.status_code} {response.text}"
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "code", "errors", "request_id"}, body
    assert body["status"] == status and body["type"] == f"urn:chart-review:error:{body['code']}", body
    assert isinstance(body["code"], str) and body["code"], body
    assert isinstance(body["detail"], str) and body["detail"], body
    assert body["request_id"] and body["request_id"] == response.headers.get("x-request-id"), body
    if code is not None:
        assert body["code"] == code, body
    if says is not None:
        assert says.lower() in body["detail"].lower(), body
    return {"code": body["code"], "message": body["detail"], "errors": body["errors"]}


@dataclass
class Idle:
    """An app whose worker is not started: reviews stay queued until a test moves them."""

    app: FastAPI
    client: TestClient
    keys: dict[str, str]


@pytest.fixture
def idle(database_url: str) -> Iterator[Idle]:
    app = create_app(make_settings(database_url, max_wait_seconds=1.0), start_worker=False)
    with TestClient(app) as client:
        keys = {role: new_key(app.state.db, role) for role in ("intake", "reviewer", "admin")}
        yield Idle(app, client, keys)

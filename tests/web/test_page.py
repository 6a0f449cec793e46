"""The reviewer page without a browser: the shell and its assets, and session sign-in (the session
holds the key's id, never the key; revoking the key or signing out ends it; Bearer is unchanged).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.auth import allowed, create_key
from api.db import ApiKey
from api.main import create_app
from api.settings import Settings

STATIC = Path(__file__).resolve().parents[2] / "api" / "static"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'page.db'}",  # type: ignore[call-arg]
                        secret_key="test-page-secret")
    return create_app(settings, start_worker=False)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def make_key(app: FastAPI, role: str) -> tuple[str, str]:
    with app.state.db.session() as session:
        row, plaintext = create_key(session, role)  # type: ignore[arg-type]
        return row.id, plaintext


def session_payload(client: TestClient) -> dict[str, object]:
    """The signed session cookie's content (itsdangerous: base64 JSON, then timestamp and signature)."""
    value = client.cookies["chart_review_session"]
    data = value.split(".")[0]
    payload: dict[str, object] = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    return payload


def test_page_shell_needs_no_key_and_loads_only_its_own_assets(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', response.text):
        assert client.get(asset).status_code == 200, asset
    script = client.get("/static/app.js").headers["content-type"]
    assert script.startswith(("text/javascript", "application/javascript")), script


@pytest.mark.parametrize("path", sorted(STATIC.iterdir()), ids=lambda p: p.name)
def test_page_assets_reach_nothing_outside_the_service(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE), path.name
    assert "<script>" not in text and " style=" not in text, "inline script or style breaks the CSP"


def test_page_session_holds_the_key_id_not_the_key(app: FastAPI, client: TestClient) -> None:
    key_id, key = make_key(app, "reviewer")
    assert client.get("/session").status_code == 401
    assert client.get("/v1/reviews").status_code == 401

    wrong = client.post("/session", json={"key": key[:-2] + "xx"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "HTTP401"

    signed_in = client.post("/session", json={"key": key})
    assert signed_in.status_code == 200
    assert signed_in.json() == {"key_id": key_id, "role": "reviewer", "label": "",
                                "permissions": ["create", "override", "read", "read_all"]}
    cookie = signed_in.headers["set-cookie"].lower()
    assert "samesite=strict" in cookie and "httponly" in cookie
    payload = session_payload(client)
    assert payload["key_id"] == key_id and set(payload) == {"key_id", "sid"}  # ids only, never the key
    assert key not in client.cookies["chart_review_session"]

    assert client.get("/session").json()["role"] == "reviewer"
    assert client.get("/v1/reviews").status_code == 200
    assert client.get("/v1/guideline").status_code == 200

    assert client.delete("/session").status_code == 204
    assert client.get("/v1/reviews").status_code == 401


def test_page_session_ends_when_its_key_is_revoked(app: FastAPI, client: TestClient) -> None:
    key_id, key = make_key(app, "reviewer")
    assert client.post("/session", json={"key": key}).status_code == 200
    with app.state.db.session() as session:
        row = session.get(ApiKey, key_id)
        assert row is not None
        row.revoked_at = dt.datetime.now(dt.UTC)
    assert client.get("/v1/reviews").status_code == 401
    assert client.get("/session").status_code == 401


def test_page_session_leaves_bearer_keys_as_they_were(app: FastAPI, client: TestClient) -> None:
    _, reviewer = make_key(app, "reviewer")
    _, intake = make_key(app, "intake")
    assert client.post("/session", json={"key": reviewer}).status_code == 200
    # A Bearer key, when sent, is the caller, session or not; a bad one is refused.
    assert client.get("/session", headers={"Authorization": f"Bearer {intake}"}).json()["role"] == "intake"
    bad = client.get("/v1/reviews", headers={"Authorization": "Bearer crk_nope_nope"})
    assert bad.status_code == 401


def test_page_reviewers_may_create_reviews() -> None:
    # The page's upload is the reviewer's own: reviewers create, read and override (api/auth.py).
    assert allowed("reviewer", "create") and allowed("reviewer", "override")
    assert not allowed("reviewer", "keys")

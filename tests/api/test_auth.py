"""Bearer API keys: 401 without a valid key (with WWW-Authenticate), 403 for a role that may not,
and POST /v1/keys for admins only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db import ApiKey, AuditEvent, now
from tests.api.conftest import SMALL_NOTE, SMALL_REQUEST, Idle, Submit, assert_error, bearer, make_settings

JSON_BODY = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
OVERRIDE = {"criterion_id": "{leaf}", "status": "unknown", "reason": "Checked against the letter."}


def leaf_of(review: dict[str, Any]) -> str:
    node = review["decision"]["criteria"][0]
    while node["children"]:
        node = node["children"][0]
    return str(node["id"])


def call(client: TestClient, operation: str, headers: dict[str, str], review: dict[str, Any] | None) -> Any:
    """One operation of the API, on an existing review when it needs one."""
    rid = review["id"] if review else "0" * 32
    doc = review["documents"][0]["id"] if review else "0" * 32
    match operation:
        case "create":
            return client.post("/v1/reviews", json=JSON_BODY, headers=headers)
        case "upload":
            return client.post("/v1/reviews/upload", data={"request": json.dumps(SMALL_REQUEST)},
                               files=[("files", ("note.txt", SMALL_NOTE.encode(), "text/plain"))], headers=headers)
        case "list":
            return client.get("/v1/reviews", headers=headers)
        case "get":
            return client.get(f"/v1/reviews/{rid}", headers=headers)
        case "document":
            return client.get(f"/v1/reviews/{rid}/documents/{doc}", headers=headers)
        case "audit":
            return client.get(f"/v1/reviews/{rid}/audit", headers=headers)
        case "guideline":
            return client.get("/v1/guideline", headers=headers)
        case "override":
            body = {**OVERRIDE, "criterion_id": leaf_of(review) if review else "cancer_pain"}
            return client.post(f"/v1/reviews/{rid}/overrides", json=body, headers=headers)
        case "keys":
            return client.post("/v1/keys", json={"role": "intake", "label": "made in a test"}, headers=headers)
    raise AssertionError(operation)


OPERATIONS = ["create", "upload", "list", "get", "document", "audit", "guideline", "override", "keys"]
SUCCESS = {"create": 202, "upload": 202, "list": 200, "get": 200, "document": 200, "audit": 200, "guideline": 200,
           "override": 201, "keys": 201}
ALLOWED = {
    "intake": {"create", "upload", "list", "get", "document", "audit", "guideline"},
    # The issue had reviewers read and override only; api/auth.py now lets them create too, since
    # the reviewer page lets a reviewer upload a chart. The table follows api/auth.py.
    "reviewer": {"create", "upload", "list", "get", "document", "audit", "guideline", "override"},
    "admin": set(OPERATIONS),
}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_auth_no_key_is_401_with_www_authenticate(client: TestClient, operation: str) -> None:
    response = call(client, operation, {}, None)
    assert_error(response, 401, "HTTP401", says="Authorization: Bearer")
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("authorization", [
    "Bearer nonsense",
    "Bearer crk_",
    "Bearer crk_000000000000_not-the-secret",
    "Bearer crk_{prefix}_wrong-secret",
    "Bearer {key}x",
    "bearer {other}",
])
def test_auth_bad_key_is_401(client: TestClient, keys: dict[str, str], authorization: str) -> None:
    prefix = keys["admin"].split("_")[1]
    value = authorization.format(prefix=prefix, key=keys["admin"], other=keys["admin"][:-1])
    response = client.get("/v1/reviews", headers={"Authorization": value})
    assert_error(response, 401, "HTTP401", says="not valid")
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("authorization", ["Basic dXNlcjpwYXNz", "Token abc", "Bearer", ""])
def test_auth_other_schemes_are_401(client: TestClient, authorization: str) -> None:
    response = client.get("/v1/reviews", headers={"Authorization": authorization})
    assert_error(response, 401, "HTTP401")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_auth_revoked_key_is_401(client: TestClient, app: FastAPI, keys: dict[str, str]) -> None:
    assert client.get("/v1/reviews", headers=bearer(keys["intake"])).status_code == 200
    with app.state.db.session() as session:
        row = session.scalar(select(ApiKey).where(ApiKey.prefix == keys["intake"].split("_")[1]))
        assert row is not None
        row.revoked_at = now()
    assert_error(client.get("/v1/reviews", headers=bearer(keys["intake"])), 401, says="revoked")


@pytest.mark.parametrize("role", ["intake", "reviewer", "admin"])
def test_auth_roles_allow_and_forbid(client: TestClient, keys: dict[str, str], submit: Submit, role: str) -> None:
    review = submit()
    assert review["status"] == "done"
    headers = bearer(keys[role])
    for operation in OPERATIONS:
        response = call(client, operation, headers, review)
        if operation in ALLOWED[role]:
            assert response.status_code == SUCCESS[operation], f"{role} {operation}: {response.text}"
        else:
            assert_error(response, 403, "HTTP403", says=f"a {role} key may not")
            assert "WWW-Authenticate" not in response.headers


def test_auth_forbidden_comes_before_validation(client: TestClient, keys: dict[str, str]) -> None:
    """A role that may not do something learns that, not what is wrong with its body."""
    intake = bearer(keys["intake"])
    assert_error(client.post("/v1/keys", json={"role": "superuser"}, headers=intake), 403, "HTTP403")
    response = client.post(f"/v1/reviews/{'0' * 32}/overrides", json={"status": "maybe"}, headers=intake)
    assert_error(response, 403, "HTTP403")


def test_auth_keys_endpoint_makes_working_hashed_keys(client: TestClient, app: FastAPI, admin: dict[str, str],
                                                      submit: Submit) -> None:
    made = {}
    for role in ("intake", "reviewer", "admin"):
        response = client.post("/v1/keys", json={"role": role, "label": f"{role} for the tests"}, headers=admin)
        assert response.status_code == 201, response.text
        body = response.json()
        assert (body["role"], body["label"]) == (role, f"{role} for the tests")
        assert body["key"].startswith("crk_")
        made[role] = body

    # Each new key works with its own role's permissions.
    review = submit(headers=bearer(made["intake"]["key"]))
    assert review["status"] == "done"
    assert client.get(f"/v1/reviews/{review['id']}", headers=bearer(made["reviewer"]["key"])).status_code == 200
    assert_error(call(client, "override", bearer(made["intake"]["key"]), review), 403)
    assert_error(call(client, "keys", bearer(made["reviewer"]["key"]), review), 403)
    assert call(client, "override", bearer(made["reviewer"]["key"]), review).status_code == 201
    assert client.post("/v1/keys", json={"role": "intake"}, headers=bearer(made["admin"]["key"])).status_code == 201

    with app.state.db.session() as session:
        rows = {row.id: row for row in session.scalars(select(ApiKey))}
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "key_created")).all()
    for body in made.values():
        row = rows[body["id"]]
        # Stored hashed: the plaintext, and its secret part, appear nowhere in the row.
        secret = body["key"].split("_", 2)[2]
        stored = " ".join(str(v) for v in (row.prefix, row.key_hash, row.role, row.label))
        assert body["key"] not in stored and secret not in stored
        assert len(row.key_hash) == 64
    assert {e.detail["key_id"] for e in events} >= {b["id"] for b in made.values()}
    assert all("key" not in e.detail for e in events)


@pytest.mark.parametrize(("body", "says"), [
    ({"role": "superuser"}, "role"),
    ({}, "role"),
    ({"role": "intake", "label": "x" * 201}, "label"),
    ({"role": "intake", "scopes": ["all"]}, "scopes"),
])
def test_auth_keys_endpoint_validates(client: TestClient, admin: dict[str, str], body: dict[str, Any],
                                      says: str) -> None:
    assert_error(client.post("/v1/keys", json=body, headers=admin), 422, "E011", says=says)


def test_auth_health_and_ready_need_no_key(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": True, "worker": True}


def test_auth_ready_is_503_without_a_worker(idle: Idle) -> None:
    response = idle.client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "not ready", "database": True, "worker": False}


def test_auth_cors_is_off_by_default(client: TestClient, intake: dict[str, str]) -> None:
    preflight = client.options("/v1/reviews", headers={"Origin": "https://evil.example",
                                                       "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    simple = client.get("/v1/reviews", headers={**intake, "Origin": "https://evil.example"})
    assert simple.status_code == 200 and "access-control-allow-origin" not in simple.headers


def test_auth_cors_allows_only_the_configured_origins(database_url: str) -> None:
    from api.main import create_app

    app = create_app(make_settings(database_url, cors_origins=["https://intake.example"]), start_worker=False)
    with TestClient(app) as client:
        allowed = client.options("/v1/reviews", headers={"Origin": "https://intake.example",
                                                         "Access-Control-Request-Method": "POST"})
        assert allowed.headers["access-control-allow-origin"] == "https://intake.example"
        other = client.options("/v1/reviews", headers={"Origin": "https://evil.example",
                                                       "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in other.headers

"""The OpenAPI document: every endpoint the issue names is in it, and schemathesis, given valid
keys, finds no 500, no undocumented status and no response off its schema (bounded examples)."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import BaseSchema, Case
from schemathesis.core.parameters import ParameterLocation

from api.main import create_app
from tests.api.conftest import BACKENDS, bearer, make_settings, new_key, wait_for

EXPECTED = {
    ("post", "/v1/reviews"), ("post", "/v1/reviews/upload"), ("get", "/v1/reviews"),
    ("get", "/v1/reviews/{review_id}"), ("get", "/v1/reviews/{review_id}/documents/{document_id}"),
    ("post", "/v1/reviews/{review_id}/overrides"), ("get", "/v1/reviews/{review_id}/audit"),
    ("get", "/v1/guideline"), ("post", "/v1/keys"), ("get", "/health"), ("get", "/ready"),
    ("get", "/v1/reviews/{review_id}/request-for-information"), ("post", "/v1/reviews/{review_id}/determination"),
    ("get", "/v1/errors"), ("get", "/v1/reviews/summaries"),
    ("post", "/v1/webhooks"), ("get", "/v1/webhooks"), ("delete", "/v1/webhooks/{webhook_id}"),
    ("get", "/v1/webhooks/{webhook_id}/deliveries"),
    ("post", "/v1/reviews/{review_id}/documents"), ("post", "/v1/reviews/{review_id}/uploads"),
    ("get", "/v1/reviews/{review_id}/determination-summary"),
}
# Examples an operation gets, and the most one may take (a PDF probe is a subprocess): the
# whole file runs in well under a minute on both databases. SCHEMATHESIS_EXAMPLES=500 runs a
# deeper search by hand (about 15 minutes).
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "30"))
DEADLINE = dt.timedelta(seconds=5)


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    operations = {(method, path) for path, item in document["paths"].items() for method in item}
    assert EXPECTED <= operations, EXPECTED - operations
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    get_review = document["paths"]["/v1/reviews/{review_id}"]["get"]
    assert {p["name"] for p in get_review["parameters"]} == {"review_id", "wait"}
    upload = document["paths"]["/v1/reviews/upload"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
    for path, method in (("/v1/reviews", "post"), ("/v1/reviews/{review_id}/overrides", "post")):
        errors = document["paths"][path][method]["responses"]
        assert {"401", "403", "404", "422"} <= set(errors)
        assert errors["422"]["content"]["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
    # The request is typed: the contract's fields, not a free-form object.
    create = document["components"]["schemas"]["CreateReview"]["properties"]["request"]
    assert create == {"$ref": "#/components/schemas/ReviewRequest"}
    request = document["components"]["schemas"]["ReviewRequest"]
    assert {"procedure_codes", "request_type", "patient", "reference"} <= set(request["properties"])
    assert request["additionalProperties"] is False


class Fuzzed:
    """One app for one operation's examples: keys of each role and one decided review."""

    def __init__(self, app: FastAPI, client: TestClient) -> None:
        self.app, self.client = app, client
        self.keys = {role: new_key(app.state.db, role) for role in ("intake", "reviewer", "admin")}
        body = {"request": {"procedure_codes": ["62362"], "request_type": "trial", "service_date": "2025-10-01"},
                "documents": [{"name": "note.txt", "text": "Metastatic lung cancer. Life expectancy 6 months.\n"}]}
        created = client.post("/v1/reviews", json=body, headers=bearer(self.keys["intake"]))
        self.review = wait_for(client, bearer(self.keys["intake"]), created.json()["id"])
        assert self.review["status"] == "done"

    def headers(self, case: Case) -> dict[str, str]:
        """An intake key; the reviewer's for overrides, the admin's for keys, so each gets past 403."""
        if case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER) and \
                "authorization" not in {name.lower() for name in case.headers or {}}:
            return {}  # the case drops the required Authorization header on purpose: send none
        path = case.operation.path
        admin = path == "/v1/keys" or path.startswith("/v1/webhooks")
        role = "reviewer" if path.endswith("/overrides") else "admin" if admin else "intake"
        return bearer(self.keys[role])


@pytest.fixture
def fuzzed(database_url: str) -> Iterator[Fuzzed]:
    # Short waits: a generated ?wait= must not hold an example for a minute.
    # A generated webhook URL is tried once and briefly.
    app = create_app(make_settings(database_url, max_wait_seconds=0.2, webhook_timeout_seconds=0.5,
                                   webhook_attempts=1))
    with TestClient(app) as client:
        yield Fuzzed(app, client)


# The document does not depend on settings or data: read it from an app that never connects.
# (schemathesis.pytest.from_fixture would load it per test, but reads pytest's private
# `Node._nodeid`, which pytest 9 no longer has.)
CONFIG = schemathesis.Config.from_dict({"checks": {
    # Its probes (the request again without the key, and with a wrong one) go out through
    # schemathesis's own transport, not this TestClient; test_auth.py sends those for every operation.
    "ignored_auth": {"enabled": False},
    # Valid by the schema is not always acceptable: codes must be in the guideline's table, a JSON
    # document must be named .txt and hold text, the upload's `request` must be JSON. The service
    # answers those with a documented 4xx that says what to fix (test_errors.py); schema-violating
    # requests must still be refused (negative_data_rejection stays on).
    "positive_data_acceptance": {"enabled": False},
}})
schema: BaseSchema = schemathesis.openapi.from_dict(
    create_app(make_settings("sqlite://"), start_worker=False).openapi(), config=CONFIG)


def part(value: Any) -> Any:
    """A multipart part in requests' shape, with its content as httpx takes it (text or bytes)."""
    if not isinstance(value, tuple):
        return value
    filename, content, *rest = value
    if not isinstance(content, str | bytes):
        content = str(content)  # as requests (urllib3) sends a number
    return (filename, content, *rest)


def send(client: TestClient, case: Case, headers: dict[str, str]) -> Any:
    """The case as schemathesis would send it, through the TestClient (whose lifespan already ran)."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
    request: dict[str, Any] = {"headers": kwargs.get("headers"), "params": kwargs.get("params") or None}
    if "json" in kwargs:
        request["json"] = kwargs["json"]
    data = kwargs.get("data")
    if isinstance(data, bytes | str):
        request["content"] = data
    elif data:
        request["data"] = data
    if kwargs.get("files"):
        request["files"] = [(field, part(value)) for field, value in kwargs["files"]]
    client.cookies.clear()
    for name, value in (kwargs.get("cookies") or {}).items():
        client.cookies.set(name, value)
    response = client.request(kwargs["method"], kwargs["url"], **request)
    response.request.read()  # a multipart body is streamed; schemathesis reads what was sent
    return response


@schema.parametrize()
@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
@settings(max_examples=EXAMPLES, deadline=DEADLINE, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_openapi_schemathesis(case: Case, fuzzed: Fuzzed) -> None:
    # Half the generated review ids are swapped for a real one, so the 200 paths are exercised too.
    if case.path_parameters and "review_id" in case.path_parameters and not (
            case.meta and case.meta.generation.mode.is_negative) and len(str(case.path_parameters)) % 2:
        case.path_parameters["review_id"] = fuzzed.review["id"]
        if "document_id" in case.path_parameters:
            case.path_parameters["document_id"] = fuzzed.review["documents"][0]["id"]
    response = send(fuzzed.client, case, fuzzed.headers(case))
    assert response.status_code < 500, f"{case.operation.verbose_name}: {response.status_code} {response.text}"
    case.validate_response(response)
    if response.status_code >= 400 and response.headers.get("content-type") == "application/fhir+json":
        # The FHIR routes answer a bad Bundle or an unknown id with an OperationOutcome.
        assert case.path.startswith("/fhir/"), response.text
        assert response.json()["resourceType"] == "OperationOutcome"
    elif response.status_code >= 400:
        assert response.headers.get("content-type") == "application/problem+json", response.text
        body = response.json()
        assert isinstance(body.get("code"), str) and isinstance(body.get("detail"), str), body
        assert body["status"] == response.status_code and body["request_id"] == response.headers["x-request-id"]


def test_openapi_docs_are_served_by_the_app(client: TestClient) -> None:
    """/docs loads Swagger UI from the app's own files (a clone works offline, and the CSP
    allows it): no CDN, no inline script."""
    page = client.get("/docs")
    assert page.status_code == 200 and "cdn" not in page.text.lower()
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    assert scripts and all(src.startswith("/") for src in scripts)
    assert "<script>" not in page.text
    for src in scripts:
        assert client.get(src).status_code == 200, src
    assert client.get("/redoc").status_code == 404

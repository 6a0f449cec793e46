"""Issue 12 item 8: the same security headers on every route, no caching of chart text, and an
Origin check on cookie-authenticated writes (CSRF)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import SMALL_NOTE, SMALL_REQUEST, assert_error

BODY = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
OTHER_ORIGIN = "http://127.0.0.1:8666"


@pytest.mark.parametrize("path", ["/", "/static/index.html", "/health", "/v1/reviews", "/session", "/nothing-here"])
def test_every_route_has_the_page_s_protections(client: TestClient, path: str) -> None:
    """/static/index.html served the signed-in app without a CSP and could be framed."""
    response = client.get(path)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_v1_responses_are_never_stored(client: TestClient, intake: dict[str, str]) -> None:
    created = client.post("/v1/reviews", json=BODY, headers=intake)
    assert created.headers["cache-control"] == "no-store"
    assert client.get(f"/v1/reviews/{created.json()['id']}", headers=intake).headers["cache-control"] == "no-store"
    assert client.get("/v1/reviews", headers=intake).headers["cache-control"] == "no-store"


def _signed_in(client: TestClient, reviewer: dict[str, str]) -> None:
    key = reviewer["Authorization"].removeprefix("Bearer ")
    assert client.post("/session", json={"key": key}).status_code == 200


def test_cookie_write_from_another_origin_is_refused(client: TestClient, reviewer: dict[str, str]) -> None:
    """A page on another port of the same host created a review as the signed-in reviewer."""
    _signed_in(client, reviewer)
    refused = client.post("/v1/reviews", json=BODY, headers={"Origin": OTHER_ORIGIN})
    assert_error(refused, 403, says="another origin")
    by_referer = client.post("/v1/reviews", json=BODY, headers={"Referer": OTHER_ORIGIN + "/attack.html"})
    assert by_referer.status_code == 403
    assert client.post("/v1/reviews", json=BODY, headers={"Origin": "null"}).status_code == 403
    # The page's own origin, and a client that names none (not a browser), may write.
    assert client.post("/v1/reviews", json=BODY, headers={"Origin": "http://testserver"}).status_code == 202
    assert client.post("/v1/reviews", json=BODY).status_code == 202


def test_bearer_write_is_not_a_cookie_ride(client: TestClient, intake: dict[str, str]) -> None:
    assert client.post("/v1/reviews", json=BODY, headers={**intake, "Origin": OTHER_ORIGIN}).status_code == 202


def test_sign_in_from_another_origin_is_refused(client: TestClient, reviewer: dict[str, str]) -> None:
    key = reviewer["Authorization"].removeprefix("Bearer ")
    assert client.post("/session", json={"key": key}, headers={"Origin": OTHER_ORIGIN}).status_code == 403


def test_sign_out_ends_the_session_on_the_server(client: TestClient, reviewer: dict[str, str]) -> None:
    """Issue 12 item 7: a cookie replayed after sign-out signed its holder in for 8 hours."""
    _signed_in(client, reviewer)
    cookie = client.cookies.get("chart_review_session")
    assert cookie and client.get("/session").status_code == 200
    assert client.delete("/session").status_code == 204
    client.cookies.set("chart_review_session", cookie)  # the old cookie, replayed
    assert client.get("/session").status_code == 401
    assert client.get("/v1/reviews").status_code == 401

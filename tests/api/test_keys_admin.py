"""Issue 12 item 7: keys can be listed and revoked without SQL, by the admin API and the CLI."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from chart_review.cli import main
from tests.api.conftest import assert_error, bearer


def test_admin_lists_and_revokes_keys(client: TestClient, keys: dict[str, str]) -> None:
    listed = client.get("/v1/keys", headers=bearer(keys["admin"]))
    assert listed.status_code == 200
    rows = listed.json()
    assert {row["role"] for row in rows} >= {"intake", "reviewer", "admin"}
    assert all(set(row) == {"id", "role", "label", "created_at", "revoked_at", "expires_at"} for row in rows)  # no key
    intake_id = next(row["id"] for row in rows if row["role"] == "intake")
    assert client.get("/v1/reviews", headers=bearer(keys["intake"])).status_code == 200
    assert client.delete(f"/v1/keys/{intake_id}", headers=bearer(keys["admin"])).status_code == 204
    assert_error(client.get("/v1/reviews", headers=bearer(keys["intake"])), 401, says="revoked")
    again = client.get("/v1/keys", headers=bearer(keys["admin"])).json()
    assert next(row for row in again if row["id"] == intake_id)["revoked_at"] is not None


def test_keys_admin_is_admin_only_and_unknown_is_404(client: TestClient, keys: dict[str, str]) -> None:
    assert client.get("/v1/keys", headers=bearer(keys["reviewer"])).status_code == 403
    assert client.delete("/v1/keys/nope", headers=bearer(keys["intake"])).status_code == 403
    assert_error(client.delete("/v1/keys/0123456789abcdef0123456789abcdef", headers=bearer(keys["admin"])), 404)


def test_cli_keys_list_and_revoke(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "create", "--role", "intake", "--label", "fax intake"]) == 0
    key = capsys.readouterr().out.strip()
    assert main(["keys", "list"]) == 0
    listing = capsys.readouterr().out
    assert "fax intake" in listing and key not in listing
    key_id = listing.splitlines()[1].split()[0]
    assert main(["keys", "revoke", key_id]) == 0
    assert "revoked" in capsys.readouterr().err
    assert main(["keys", "list"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[3] != "-"  # the revoked column is filled
    assert main(["keys", "revoke", "no-such-key"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no key no-such-key" in err[0]


def test_failed_authentication_is_throttled(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 12 item 7: 300 wrong keys in 0.7 s were all answered. Past the limit, 429."""
    from api.main import create_app
    from tests.api.conftest import make_settings, new_key

    app = create_app(make_settings(database_url, data_dir=tmp_path, auth_failures_allowed=5))
    with TestClient(app) as client:
        good = new_key(app.state.db, "intake")
        bad = good[:-3] + "xyz"
        for _ in range(5):
            assert client.get("/v1/reviews", headers=bearer(bad)).status_code == 401
        throttled = client.get("/v1/reviews", headers=bearer(bad))
        assert_error(throttled, 429, says="too many failed")
        assert int(throttled.headers["Retry-After"]) >= 1
        # While throttled, even the right key waits: guessing costs time.
        assert client.get("/v1/reviews", headers=bearer(good)).status_code == 429


def test_keys_expire(client: TestClient, keys: dict[str, str]) -> None:
    """Issue 12 item 7: a key may be made to expire; past its expiry it authenticates nothing."""
    import datetime as dt

    from api.db import ApiKey

    made = client.post("/v1/keys", json={"role": "intake", "label": "temp", "expires_days": 30},
                       headers=bearer(keys["admin"]))
    assert made.status_code == 201, made.text
    expires = dt.datetime.fromisoformat(made.json()["expires_at"])
    assert dt.timedelta(days=29) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=30)
    temp = bearer(made.json()["key"])
    assert client.get("/v1/reviews", headers=temp).status_code == 200
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.session() as session:
        session.get(ApiKey, made.json()["id"]).expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert_error(client.get("/v1/reviews", headers=temp), 401, says="not valid")
    listed = client.get("/v1/keys", headers=bearer(keys["admin"])).json()
    assert next(row for row in listed if row["id"] == made.json()["id"])["expires_at"] is not None
    assert_error(client.post("/v1/keys", json={"role": "intake", "expires_days": 0}, headers=bearer(keys["admin"])),
                 422, says="expires_days")


def test_cli_keys_create_expiring(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "create", "--role", "intake", "--expires-days", "7"]) == 0
    assert "expiring" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main(["keys", "create", "--role", "intake", "--expires-days", "0"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "0 and 3650 days" in err and len(err.splitlines()) == 1

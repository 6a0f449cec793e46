"""Settings refuse known secrets and generate a private one when none is set (issue 12)."""

from __future__ import annotations

import base64
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from sqlalchemy import select

from api.auth import verify_key
from api.db import PageSession
from api.main import create_app
from api.settings import Settings
from tests.api.conftest import make_settings, new_key


@pytest.mark.parametrize("secret", ["dev-secret-change-me", "change-me", "secret", ""])
def test_settings_refuse_published_secrets(secret: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="placeholder"):
        Settings(_env_file=None, data_dir=tmp_path, secret_key=secret)  # type: ignore[call-arg]


def test_settings_production_needs_a_secret(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="production"):
        Settings(_env_file=None, data_dir=tmp_path, environment="production")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="at least 32"):
        Settings(_env_file=None, data_dir=tmp_path, environment="production",  # type: ignore[call-arg]
                 secret_key="short-but-not-a-placeholder")


def test_settings_generate_a_private_secret_once(tmp_path: Path) -> None:
    first = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    secret = first.session_secret()
    path = tmp_path / "session-secret"
    assert len(secret) >= 48
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # The next start reads it back; another data directory gets its own.
    assert Settings(_env_file=None, data_dir=tmp_path).session_secret() == secret  # type: ignore[call-arg]
    assert Settings(_env_file=None, data_dir=tmp_path / "other").session_secret() != secret  # type: ignore[call-arg]


def test_settings_database_defaults_into_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'chart-review.db'}"


def _cookie(secret: str, key_id: str, session_id: str = "") -> str:
    payload = base64.b64encode(json.dumps({"key_id": key_id, "sid": session_id}).encode())
    return TimestampSigner(secret).sign(payload).decode()


def test_settings_forged_cookie_with_the_old_default_is_refused(database_url: str, tmp_path: Path) -> None:
    """A cookie signed with the once-default secret for an admin key's id signs nobody in; the
    same cookie signed with the service's own secret does (so the test can fail)."""
    settings = make_settings(database_url, data_dir=tmp_path)
    app = create_app(settings)
    with TestClient(app) as client:
        admin = new_key(app.state.db, "admin")
        with app.state.db.session() as session:
            key_id = verify_key(session, admin).id  # type: ignore[union-attr]
        # A live server-side session for the key (as a sign-in makes), so only the secret differs.
        assert client.post("/session", json={"key": admin}).status_code == 200
        with app.state.db.session() as session:
            session_id = session.scalars(select(PageSession.id).where(PageSession.key_id == key_id)).one()
        client.cookies.clear()
        client.cookies.set("chart_review_session", _cookie("dev-secret-change-me", key_id, session_id))
        assert client.get("/session").status_code == 401
        client.cookies.set("chart_review_session", _cookie(settings.session_secret(), key_id, session_id))
        assert client.get("/session").status_code == 200


def test_settings_serve_refuses_to_start_in_production_without_a_secret(tmp_path: Path) -> None:
    env = {"CHART_REVIEW_ENVIRONMENT": "production", "CHART_REVIEW_DATA_DIR": str(tmp_path),
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "chart_review.cli", "serve", "--port", "1"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "CHART_REVIEW_SECRET_KEY" in lines[0]

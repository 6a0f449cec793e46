"""The service's commands: `chart-review keys create` and `chart-review serve`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.auth import verify_key
from api.db import Database
from api.settings import get_settings
from chart_review.cli import main


def run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.fixture
def database_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """CHART_REVIEW_DATABASE_URL pointing at tmp_path, with the cached settings re-read."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CHART_REVIEW_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.mark.parametrize("role", ["intake", "reviewer", "admin"])
def test_cli_keys_create_prints_one_key(database_env: str, capsys: pytest.CaptureFixture[str], role: str) -> None:
    assert run(["keys", "create", "--role", role, "--label", "night intake"]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and out.endswith("\n"), repr(out)
    key = out.strip()
    assert re.fullmatch(r"crk_[0-9a-f]{12}_[A-Za-z0-9_-]{32}", key), key
    assert "shown only now" in err and key not in err

    db = Database(database_env)
    try:
        with db.session() as session:
            row = verify_key(session, key)
            assert row is not None and (row.role, row.label) == (role, "night intake")
            assert key not in row.key_hash
    finally:
        db.engine.dispose()


def test_cli_keys_create_makes_distinct_keys(database_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["keys", "create", "--role", "intake"]) == 0
    assert run(["keys", "create", "--role", "intake"]) == 0
    first, second = capsys.readouterr().out.split()
    assert first != second


@pytest.mark.parametrize("argv", [["keys", "create"], ["keys", "create", "--role", "root"], ["keys"]])
def test_cli_keys_create_bad_usage(database_env: str, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert run(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("chart-review: ") and err.count("\n") == 1


def test_cli_serve_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--host" in out and "--port" in out and "--log-level" in out


def test_cli_serve_runs_uvicorn_on_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: calls.append((args, kwargs)))
    assert run(["serve", "--port", "8123", "--log-level", "warning"]) == 0
    assert calls == [(("api.main:app",), {"host": "127.0.0.1", "port": 8123, "log_level": "warning"})]

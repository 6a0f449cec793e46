"""Service settings, from the environment (prefix CHART_REVIEW_) or a .env file."""

from __future__ import annotations

import logging
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from chart_review.errors import ChartReviewError, E
from extractors.ingest.limits import Limits

log = logging.getLogger("chart_review.api")

# Secrets anyone can read in this repository or its history: never accepted, in any environment.
PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev-secret-change-me"}
MIN_PRODUCTION_SECRET = 32
SECRET_FILE = "session-secret"


def default_data_dir() -> Path:
    """Where the service keeps its data when nothing says otherwise: the user's data directory
    (XDG), so that every command finds the same database from any working directory."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "chart-review"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHART_REVIEW_", env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = "development"
    # One data directory for the SQLite database and the generated session secret, resolved once.
    data_dir: Path = Field(default_factory=default_data_dir)
    # The embedded default (empty): a SQLite file in data_dir, so `make run` needs no server.
    # PostgreSQL in production: postgresql+psycopg://user:pass@host/db
    database_url: str = ""
    # Signs reviewer sessions on the web page. Unset in development: a random secret is made at
    # first start and kept in data_dir (mode 0600). Production refuses to start without one.
    secret_key: SecretStr | None = None
    # How long a reviewer page sign-in lasts (the signed session cookie's max age): one shift.
    session_seconds: int = 8 * 3600
    cors_origins: list[str] = []
    max_upload_bytes: int = 60 * 1024 * 1024
    max_files: int = 20
    # Failed authentications one client address may make in auth_window_seconds before it is
    # answered 429 (api/throttle.py).
    auth_failures_allowed: int = 20
    auth_window_seconds: float = 60.0
    # Review worker threads in this API process: 1 for the embedded default (`make run`), 0 for an
    # API-only process beside worker processes (`chart-review worker`).
    workers: int = Field(default=1, ge=0, le=64)
    # A worker's claim on a review lasts this long unless renewed (a third of it between
    # renewals); a process that dies leaves its review to be taken back once it runs out.
    lease_seconds: float = Field(default=30.0, ge=1.0, le=3600.0)
    # How long GET /v1/reviews/{id}?wait= may hold a request open.
    max_wait_seconds: float = 60.0
    # One deadline for the whole review: each file is read within what is left of it, none is
    # started, nor the chart extracted, after it; the review is then failed with E026.
    review_seconds: float = 1800.0
    # Webhook deliveries (api/webhooks.py): attempts before giving up, the wait after the first
    # failure (doubled after each, up to an hour), and how long a receiver has to answer.
    webhook_attempts: int = Field(default=8, ge=1, le=50)
    webhook_first_wait_seconds: float = Field(default=30.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    @model_validator(mode="after")
    def _resolve(self) -> Settings:
        self.data_dir = self.data_dir.expanduser().resolve()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'chart-review.db'}"
        given = self.secret_key.get_secret_value() if self.secret_key is not None else None
        if given is not None and given.strip().lower() in PLACEHOLDER_SECRETS:
            raise ValueError("CHART_REVIEW_SECRET_KEY is a published placeholder; set a random secret "
                             "(python3 -c 'import secrets; print(secrets.token_urlsafe(48))') or unset it")
        if self.environment == "production" and (given is None or len(given) < MIN_PRODUCTION_SECRET):
            raise ValueError(f"CHART_REVIEW_SECRET_KEY must be set to a random secret of at least "
                             f"{MIN_PRODUCTION_SECRET} characters in production")
        return self

    def limits(self) -> Limits:
        """What one upload may cost (the API's checks and the workers' reading); the whole
        review's deadline is each file's parse limit, less what the earlier files used."""
        return Limits(max_pdf_bytes=self.max_upload_bytes, max_image_bytes=self.max_upload_bytes,
                      parse_seconds=self.review_seconds)

    def session_secret(self) -> str:
        """The configured secret, or the one generated for this data directory at first start."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        return generated_secret(self.data_dir)


def generated_secret(data_dir: Path) -> str:
    """Read data_dir's session secret, making it (random, mode 0600) the first time."""
    path = data_dir / SECRET_FILE
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        # O_EXCL: two processes starting at once both end up with the one that was written first.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    log.warning("no CHART_REVIEW_SECRET_KEY set: generated a random session secret in %s "
                "(set one for several hosts or production)", path)
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The environment's settings; a bad or missing setting is a ChartReviewError naming it,
    so that a command refuses to start with one line rather than a traceback."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        problem = first["msg"].removeprefix("Value error, ")
        raise ChartReviewError(E.SETTINGS_INVALID,
                               problem=f"CHART_REVIEW_{place.upper()}: {problem}" if place else problem) from None

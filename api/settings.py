"""Service settings, from the environment (prefix CHART_REVIEW_) or a .env file."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev-secret-change-me"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHART_REVIEW_", env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = "development"
    # The embedded default: a SQLite file, so `make run` needs no server. PostgreSQL in
    # production: postgresql+psycopg://user:pass@host/db
    database_url: str = "sqlite:///var/chart-review.db"
    # Signs reviewer sessions on the web page; must be set to a real secret in production.
    secret_key: str = "dev-secret-change-me"
    # How long a reviewer page sign-in lasts (the signed session cookie's max age): one shift.
    session_seconds: int = 8 * 3600
    cors_origins: list[str] = []
    max_upload_bytes: int = 60 * 1024 * 1024
    max_files: int = 20
    workers: int = 1
    # How long GET /v1/reviews/{id}?wait= may hold a request open.
    max_wait_seconds: float = 60.0
    # A review processing longer than this is marked failed.
    review_seconds: float = 1800.0

    @model_validator(mode="after")
    def _no_placeholder_secrets(self) -> Settings:
        if self.environment == "production" and self.secret_key in PLACEHOLDER_SECRETS:
            raise ValueError("CHART_REVIEW_SECRET_KEY must be set to a real secret in production")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

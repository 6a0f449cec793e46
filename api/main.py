"""The ASGI app: `api.main:app`. Reviews API for the intake system; the reviewer page later.

The database is migrated and the review worker started when the app starts (lifespan), so
`chart-review serve` on a fresh machine needs nothing but a writable ./var for SQLite.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from api.db import Database, upgrade
from api.routes import meta, reviews
from api.service import Conflict, NotFound
from api.settings import Settings, get_settings
from api.worker import ReviewWorker
from chart_review.errors import ChartReviewError
from extractors.ingest import Limits

log = logging.getLogger("chart_review.api")


def _error(status_code: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status_code)


class BodyLimit:
    """Refuse a request body larger than the limit before reading it (413), by Content-Length."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope.get("headers") or []).get(b"content-length")
            if length is not None and length.isdigit() and int(length) > self.limit:
                response = _error(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "E023",
                                  f"the request is {int(length)} bytes; the limit is {self.limit}")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None, start_worker: bool = True) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        upgrade(settings.database_url)
        if start_worker:
            app.state.worker.start()
        yield
        app.state.worker.stop()
        app.state.db.engine.dispose()

    app = FastAPI(
        title="chart-review",
        version="0.1.0",
        description="Reviews medical-necessity requests against the Intrathecal Pain Pumps guideline; "
                    "every criterion is pinned to chart text. Authenticate with `Authorization: Bearer KEY`.",
        lifespan=lifespan,
    )
    db = Database(settings.database_url)
    limits = Limits(max_pdf_bytes=settings.max_upload_bytes, max_image_bytes=settings.max_upload_bytes,
                    parse_seconds=settings.review_seconds)
    app.state.settings, app.state.db, app.state.limits = settings, db, limits
    app.state.worker = ReviewWorker(db, threads=settings.workers, limits=limits,
                                    review_seconds=settings.review_seconds)

    @app.exception_handler(ChartReviewError)
    async def chart_review_error(request: Request, exc: ChartReviewError) -> JSONResponse:
        return _error(exc.http_status if exc.http_status < 500 else 422, exc.error.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        place = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "request"
        return _error(status.HTTP_422_UNPROCESSABLE_ENTITY, "E011", f"{place}: {first.get('msg')}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = _error(exc.status_code, f"HTTP{exc.status_code}", str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return _error(status.HTTP_404_NOT_FOUND, "HTTP404", str(exc))

    @app.exception_handler(Conflict)
    async def conflict(request: Request, exc: Conflict) -> JSONResponse:
        return _error(status.HTTP_409_CONFLICT, "HTTP409", str(exc))

    app.include_router(reviews.router)
    app.include_router(meta.router)
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes * 2)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"],
                           allow_headers=["Authorization", "Content-Type", "Idempotency-Key"])
    return app


app = create_app()

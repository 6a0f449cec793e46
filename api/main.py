"""The ASGI app: `api.main:app`. Reviews API for the intake system, and the reviewer page at /.

The database is migrated and the review worker started when the app starts (lifespan), so
`chart-review serve` on a fresh machine needs nothing but a writable ./var for SQLite.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.db import Database, upgrade
from api.listen import Listener, poll_seconds
from api.problems import FieldError, Problem, RequestId, openapi_problem_content, problem, request_id_of
from api.routes import docs, fhir, meta, page, reviews, webhooks
from api.security import SecurityHeaders
from api.service import Conflict, NotFound
from api.settings import Settings, get_settings
from api.throttle import FailedAuthThrottle
from api.webhooks import RetryPolicy, WebhookSender
from api.worker import ReviewWorker, wake
from chart_review.contract import ReviewRequest
from chart_review.errors import ChartReviewError
from extractors.ingest.isolated import remove_orphaned_scratch

log = logging.getLogger("chart_review.api")


def _error(request: Request, status_code: int, code: str, message: str,
           errors: list[FieldError] | None = None) -> JSONResponse:
    return problem(status_code, code, message, errors=errors, request_id=request_id_of(request.scope))


class BodyLimit:
    """Refuse a request body larger than the limit (413): at once by Content-Length, and by
    counting the bytes as they stream, so a chunked body without a length is stopped at the limit
    instead of being read whole first."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            response = problem(status.HTTP_413_CONTENT_TOO_LARGE, "E023",
                               f"the request is {int(length)} bytes; the limit is {self.limit}",
                               request_id=request_id_of(scope))
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                # Raised inside the body read: FastAPI passes an HTTPException through, and the
                # handler below answers it in the error format.
                raise StarletteHTTPException(status.HTTP_413_CONTENT_TOO_LARGE, TOO_LARGE.format(self.limit))
            return message

        await self.app(scope, counted, send)


TOO_LARGE = "the request is over the {}-byte limit"
BODY_NOT_DECODED = "There was an error parsing the body"


def _allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method the OpenAPI document gives the path (HEAD with GET), for a 405's Allow.

    A literal path (/v1/reviews/upload) is its own resource, not an id of /v1/reviews/{review_id}.
    """
    paths = app.openapi()["paths"]
    methods: set[str] = {method.upper() for method in paths.get(path, {})}
    for template, item in paths.items() if not methods else ():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            methods.update(method.upper() for method in item)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def _document_our_errors(app: FastAPI) -> None:
    """Make the OpenAPI document say what every 4xx is: a Problem as application/problem+json, as
    the handlers below send, not FastAPI's default {"detail": [...]}, which this app never answers;
    and what a review's request holds (the contract's ReviewRequest), not a free-form object."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = FastAPI.openapi(app)
        for item in document["paths"].values():
            for operation in item.values():
                for code, response in operation.get("responses", {}).items():
                    # The FHIR routes answer their own 4xx as OperationOutcomes (api/routes/fhir.py).
                    if response.pop("x-operation-outcome", False):
                        continue
                    if code.startswith("4"):
                        response["content"] = openapi_problem_content()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for name, model_class in (("Problem", Problem), ("ReviewRequest", ReviewRequest)):
            model = model_class.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(model.pop("$defs", {}), **{name: model})
        # The request is kept as sent (a dict) and checked against the guideline's codes when the
        # review is created; the document still says exactly what it must hold.
        if "CreateReview" in schemas:
            schemas["CreateReview"]["properties"]["request"] = {"$ref": "#/components/schemas/ReviewRequest"}
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None, start_worker: bool = True) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        upgrade(settings.database_url)
        if (removed := remove_orphaned_scratch()) > 0:
            log.info("removed %d parse directories left by a stopped process", removed)
        if start_worker:
            app.state.listener.start()
            app.state.worker.start()
            app.state.webhooks.start()
        yield
        app.state.listener.stop()
        app.state.worker.stop()
        app.state.webhooks.stop()
        app.state.db.engine.dispose()

    app = FastAPI(
        title="chart-review",
        version="0.1.0",
        description="Reviews medical-necessity requests against the Intrathecal Pain Pumps guideline; "
                    "every criterion is pinned to chart text. Authenticate with `Authorization: Bearer KEY`.",
        lifespan=lifespan,
        # /docs is ours (api/routes/docs.py): Swagger UI from local files, not a CDN.
        docs_url=None,
        redoc_url=None,
        # The multipart parser counts files as it reads them (a 21st file stops the upload there,
        # not after every part is spooled); parts are spooled to disk past 1 MB by Starlette.
        form_limits={"max_files": settings.max_files, "max_fields": 10},
    )
    db = Database(settings.database_url)
    limits = settings.limits()
    app.state.settings, app.state.db, app.state.limits = settings, db, limits
    app.state.auth_throttle = FailedAuthThrottle(settings.auth_failures_allowed, settings.auth_window_seconds)
    # settings.review_seconds bounds the whole review (api/worker.py): each file's reading (OCR)
    # gets what is left of it, through limits.parse_seconds.
    app.state.webhooks = WebhookSender(db, RetryPolicy(attempts=settings.webhook_attempts,
                                                       first_wait=settings.webhook_first_wait_seconds,
                                                       timeout=settings.webhook_timeout_seconds))
    app.state.worker = ReviewWorker(db, threads=settings.workers, limits=limits, after=app.state.webhooks.notify,
                                    lease_seconds=settings.lease_seconds,
                                    poll_seconds=poll_seconds(settings.database_url))
    app.state.listener = Listener(settings.database_url, wake(app.state.worker, app.state.webhooks))

    @app.exception_handler(ChartReviewError)
    async def chart_review_error(request: Request, exc: ChartReviewError) -> JSONResponse:
        errors = [FieldError(field=place, message=text) for place, text in exc.problems]
        return _error(request, exc.http_status if exc.http_status < 500 else 422, exc.error.code, exc.message,
                      errors)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        found = [dict(e) for e in exc.errors()] or [{"loc": (), "msg": "invalid request"}]
        if found[0].get("type") == "json_invalid":  # its loc is a character offset, not a field
            reason = (found[0].get("ctx") or {}).get("error", "JSON decode error")
            detail = f"body: not valid JSON ({reason})"
            return _error(request, status.HTTP_422_UNPROCESSABLE_ENTITY, "E011", detail,
                          [FieldError(field="body", message=detail)])
        errors = [FieldError(field=".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body",
                             message=str(e.get("msg"))) for e in found]
        return _error(request, status.HTTP_422_UNPROCESSABLE_ENTITY, "E011",
                      f"{errors[0].field}: {errors[0].message}"
                      + (f" (and {len(errors) - 1} more: see errors)" if len(errors) > 1 else ""), errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == BODY_NOT_DECODED:
            # FastAPI's answer to a body it cannot decode (not UTF-8, say): the same 422 as bad
            # JSON, which every operation with a body documents, saying what to send instead.
            return _error(request, status.HTTP_422_UNPROCESSABLE_ENTITY, "E011",
                          "body: not valid JSON (send UTF-8 JSON)")
        if exc.status_code == 413:
            return _error(request, exc.status_code, "E023", str(exc.detail))
        if exc.status_code == 400 and str(exc.detail).startswith("Too many files"):
            # Starlette's multipart parser stops at form_limits' max_files while it streams.
            return _error(request, status.HTTP_422_UNPROCESSABLE_ENTITY, "E024",
                          f"request: too many documents; at most {request.app.state.settings.max_files} a review")
        response = _error(request, exc.status_code, f"HTTP{exc.status_code}", str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        if exc.status_code == 405 and (methods := _allowed_methods(request.app, request.url.path)):
            # Starlette names only the first route's methods; a path can have several (GET and POST).
            response.headers["Allow"] = ", ".join(methods)
        return response

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return _error(request, status.HTTP_404_NOT_FOUND, "HTTP404", str(exc))

    @app.exception_handler(Conflict)
    async def conflict(request: Request, exc: Conflict) -> JSONResponse:
        return _error(request, status.HTTP_409_CONFLICT, "HTTP409", str(exc))

    _document_our_errors(app)
    app.include_router(reviews.router)
    app.include_router(meta.router)
    app.include_router(webhooks.router)
    app.include_router(fhir.router)
    # The reviewer page (api/routes/page.py, api/static): its shell at /, its assets at /static, and
    # a signed session cookie holding the signed-in key's id. SameSite=strict keeps other sites from
    # riding on it; https_only is off so the page works on http://127.0.0.1 (serve it behind TLS).
    app.include_router(page.router)
    app.mount("/static", StaticFiles(directory=page.STATIC_DIR), name="static")
    app.include_router(docs.router)
    app.mount(docs.ASSETS, docs.assets(), name="docs-assets")
    app.add_middleware(SessionMiddleware, secret_key=settings.session_secret(), session_cookie="chart_review_session",
                       max_age=settings.session_seconds, same_site="strict", https_only=False)
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes * 2)
    app.add_middleware(SecurityHeaders, session_cookie="chart_review_session", trusted_origins=settings.cors_origins)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"],
                           allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
                           expose_headers=["X-Request-ID", "Location"])
    # Outermost, so every response (a refusal by the middlewares above included) carries the id.
    app.add_middleware(RequestId)
    return app


app = create_app()

"""Errors as RFC 9457 problem details, and a request id on every response.

Every 4xx the service sends is `application/problem+json`:

    {"type": "urn:chart-review:error:E011", "title": "Request invalid", "status": 422,
     "detail": "request.procedure_codes.0: ...", "code": "E011",
     "errors": [{"field": "request.procedure_codes.0", "message": "..."}], "request_id": "..."}

`code` is the stable code of the error catalogue (chart_review/errors.py, listed at GET /v1/errors and in
docs/API.md); `errors` names every field a validation error found, not only the first. The request id is
the caller's X-Request-ID when it is a sane token, or a new one; it comes back as a header on every
response and in every problem, so an integrator can quote it without sending chart text.
"""

from __future__ import annotations

import re
import uuid
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, Field
from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chart_review.errors import E

MEDIA_TYPE = "application/problem+json"
REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is echoed only when it is a short token: nothing that could smuggle a header or chart text.
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_TITLES = {error.code: error.name.replace("_", " ").capitalize() for error in E}


class FieldError(BaseModel):
    field: str = Field(description="Where the problem is, dotted (request.patient.age_years); 'body' for the whole")
    message: str


class Problem(BaseModel):
    """An error (RFC 9457 problem details)."""

    type: str = Field(description="urn:chart-review:error:<code>")
    title: str = Field(description="The kind of error, the same for every occurrence of the code")
    status: int
    detail: str = Field(description="What to fix, in one line")
    code: str = Field(description="The stable error code (E0xx from the catalogue, or HTTP4xx)")
    errors: list[FieldError] = Field(default_factory=list, description="Every field at fault, for a 422")
    request_id: str | None = Field(default=None, description="The X-Request-ID of the response")


class CatalogueEntry(BaseModel):
    code: str
    title: str
    status: int
    template: str = Field(description="The detail's wording, with {placeholders} for what varies")


def catalogue() -> list[CatalogueEntry]:
    """The stable codes a client may branch on (HTTP4xx codes are the HTTP status itself)."""
    return [CatalogueEntry(code=e.code, title=_TITLES[e.code], status=e.http_status, template=e.value[2])
            for e in E]


def title_of(code: str, status: int) -> str:
    if code in _TITLES:
        return _TITLES[code]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(status: int, code: str, detail: str, *, errors: list[FieldError] | None = None,
            request_id: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body = Problem(type=f"urn:chart-review:error:{code}", title=title_of(code, status), status=status,
                   detail=detail, code=code, errors=errors or [], request_id=request_id)
    return JSONResponse(body.model_dump(), status_code=status, media_type=MEDIA_TYPE, headers=headers)


def request_id_of(scope: Scope) -> str | None:
    value = scope.get("state", {}).get("request_id")
    return value if isinstance(value, str) else None


class RequestId:
    """Outermost middleware: give the request an id (the caller's, if sane) and send it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(REQUEST_ID_HEADER.lower().encode(), b"").decode("latin-1")
        request_id = given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)


def openapi_problem_content() -> dict[str, Any]:
    return {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}

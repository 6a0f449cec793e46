"""Browser-facing protections on every route: security headers, no caching of chart text, and an
Origin check on cookie-authenticated writes (CSRF).

A pure ASGI middleware, so it sees every response, the static files' included: the page at / and
/static/index.html get the same Content-Security-Policy, and nothing can be framed elsewhere.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem, request_id_of

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
ALWAYS = {"content-security-policy": CSP, "x-content-type-options": "nosniff", "referrer-policy": "no-referrer",
          "x-frame-options": "DENY"}
# Responses that may carry chart text or a session are never stored by a browser or proxy.
NO_STORE_PREFIXES = ("/v1", "/session")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class SecurityHeaders:
    def __init__(self, app: ASGIApp, session_cookie: str, trusted_origins: list[str] | None = None) -> None:
        self.app = app
        self.session_cookie = session_cookie
        self.trusted = {o.rstrip("/").lower() for o in trusted_origins or []}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self._cross_site_write(scope, headers)
        if refusal is not None:
            response = problem(403, "HTTP403", refusal, request_id=request_id_of(scope))
            await response(scope, receive, send)
            return
        no_store = scope["path"].startswith(NO_STORE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    if name not in out:
                        out[name] = value
                if no_store:
                    out["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _cross_site_write(self, scope: Scope, headers: Headers) -> str | None:
        """Why a write must be refused: it rides on the page's cookie (or signs the page in) from
        another origin. A request with its own Authorization header is not riding on anything."""
        if scope["method"] not in UNSAFE or "authorization" in headers:
            return None
        with_cookie = f"{self.session_cookie}=" in headers.get("cookie", "")
        if not with_cookie and scope["path"] != "/session":
            return None
        source = headers.get("origin") or _origin_of(headers.get("referer"))
        if not source:
            return None  # not a browser: browsers name the origin of every cross-site write
        if source == "null":
            return "a cookie-authenticated write from an opaque origin is refused"
        own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()
        if source.rstrip("/").lower() in {own, *self.trusted}:
            return None
        return f"a cookie-authenticated write from another origin ({source}) is refused"


def _origin_of(referer: str | None) -> str | None:
    if not referer:
        return None
    parts = urlsplit(referer)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None

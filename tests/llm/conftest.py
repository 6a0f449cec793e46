"""A chat-completions server on loopback that answers from a script, for the model layer's tests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Scripted:
    """One reply: an HTTP status, the message content (a str sent as the model's message), or a
    raw body, and a delay before answering."""

    status: int = 200
    content: str | None = None
    body: str | None = None
    delay: float = 0.0


@dataclass
class ModelServer:
    url: str
    script: list[Scripted] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def answer(self, **fields: Any) -> str:
        """A well-formed answer's JSON text."""
        return json.dumps({"status": "met", "assertion": "affirmed", "quotes": [], "rationale": "", **fields})


def _handler(server: ModelServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            length = int(self.headers.get("content-length", "0"))
            server.requests.append({"path": self.path, "body": json.loads(self.rfile.read(length) or b"{}"),
                                    "authorization": self.headers.get("authorization")})
            step = server.script.pop(0) if server.script else Scripted(status=500, body="script exhausted")
            if step.delay:
                time.sleep(step.delay)
            if step.body is not None:
                payload = step.body.encode()
            else:
                payload = json.dumps({"choices": [{"message": {"role": "assistant",
                                                               "content": step.content or ""}}]}).encode()
            self.send_response(step.status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            if step.status == 429:
                self.send_header("retry-after", "0")
            self.end_headers()
            self.wfile.write(payload)

    return Handler


@pytest.fixture
def model_server() -> Iterator[ModelServer]:
    server = ModelServer(url="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()

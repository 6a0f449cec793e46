"""A chat-completions client for any OpenAI-compatible server (vLLM, llama.cpp's server, Ollama,
a hosted endpoint), with bounded retries, a timeout, and an answer cache that doubles as a
record-and-replay store. It logs status codes and counts, never chart text."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field, ValidationError

from extractors.llm.settings import LLMSettings

log = logging.getLogger("chart_review.llm")


class Quote(BaseModel):
    document: str
    text: str = Field(min_length=1)


class ModelAnswer(BaseModel):
    """The one JSON object a model's message must be (README: "Model assistance")."""

    status: Literal["met", "not_met", "unknown"]
    assertion: Literal["affirmed", "negated", "historical", "hypothetical", "other_person"]
    quotes: list[Quote] = Field(default_factory=list)
    rationale: str = ""


ANSWER_SCHEMA: dict[str, Any] = ModelAnswer.model_json_schema()


@dataclass(frozen=True)
class Reply:
    """What came back for one question: the answer, or why there is none."""

    answer: ModelAnswer | None
    failure: str | None = None  # "timeout", "http 503", "not JSON", "not the answer format", ...
    cached: bool = False


def prompt_key(model: str, system: str, user: str) -> str:
    return hashlib.sha256("\n\x00".join((model, system, user)).encode("utf-8")).hexdigest()


def parse_answer(content: str) -> ModelAnswer | str:
    """The model's message as an answer, or why it is refused."""
    try:
        data = json.loads(content)
    except (TypeError, ValueError):
        return "not JSON"
    try:
        return ModelAnswer.model_validate(data)
    except ValidationError:
        return "not the answer format"


class ChatClient:
    """One client per review run; `calls` counts the requests that reached the network."""

    def __init__(self, settings: LLMSettings, transport: httpx.BaseTransport | None = None,
                 sleep: Any = time.sleep) -> None:
        self.settings = settings
        self.calls = 0
        self._sleep = sleep
        self._http: httpx.Client | None = None
        if settings.url and not settings.replay:
            headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
            self._http = httpx.Client(base_url=settings.url, timeout=settings.timeout_seconds, headers=headers,
                                      transport=transport)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def ask(self, system: str, user: str) -> Reply:
        key = prompt_key(self.settings.model, system, user)
        stored = self._stored(key)
        if stored is not None:
            return self._reply(stored, cached=True)
        if self._http is None:
            return Reply(None, "not recorded" if self.settings.replay else "layer off")
        content = self._post(system, user)
        if content is None or content.startswith("\x00"):
            return Reply(None, content[1:] if content else "no answer")
        self._store(key, content)
        return self._reply(content)

    @staticmethod
    def _reply(content: str, cached: bool = False) -> Reply:
        parsed = parse_answer(content)
        if isinstance(parsed, str):
            return Reply(None, parsed, cached)
        return Reply(parsed, None, cached)

    def _post(self, system: str, user: str) -> str | None:
        """The message content, or "\\x00" + why not."""
        assert self._http is not None
        body = {
            "model": self.settings.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "temperature": 0,
            "max_tokens": self.settings.max_tokens,
            "response_format": {"type": "json_schema",
                                "json_schema": {"name": "criterion_answer", "schema": ANSWER_SCHEMA}},
        }
        for attempt in range(self.settings.retries + 1):
            self.calls += 1
            try:
                response = self._http.post("/chat/completions", json=body)
            except httpx.TimeoutException:
                log.warning("model server timed out (attempt %d)", attempt + 1)
                return "\x00timeout"
            except httpx.HTTPError as exc:
                log.warning("model server unreachable: %s", type(exc).__name__)
                return "\x00unreachable"
            if response.status_code == 429 or response.status_code >= 500:
                log.warning("model server answered %d (attempt %d)", response.status_code, attempt + 1)
                if attempt < self.settings.retries:
                    self._sleep(self._backoff(response, attempt))
                    continue
                return f"\x00http {response.status_code}"
            if response.status_code != 200:
                log.warning("model server answered %d", response.status_code)
                return f"\x00http {response.status_code}"
            try:
                content = response.json()["choices"][0]["message"]["content"]
            except (ValueError, KeyError, IndexError, TypeError):
                return "\x00not a chat completion"
            return content if isinstance(content, str) else "\x00not a chat completion"
        return "\x00no answer"  # pragma: no cover - the loop returns

    @staticmethod
    def _backoff(response: httpx.Response, attempt: int) -> float:
        try:
            after = float(response.headers.get("retry-after", ""))
        except ValueError:
            after = 0.0
        return min(max(after, 0.5 * 2 ** attempt), 8.0)

    def _stored(self, key: str) -> str | None:
        if self.settings.cache_dir is None:
            return None
        path = self.settings.cache_dir / f"{key}.json"
        if not path.is_file():
            return None
        try:
            record = json.loads(path.read_text("utf-8"))
        except ValueError:
            return None
        content = record.get("content")
        return content if isinstance(content, str) else None

    def _store(self, key: str, content: str) -> None:
        if self.settings.cache_dir is None:
            return
        self.settings.cache_dir.mkdir(parents=True, exist_ok=True)
        record = {"model": self.settings.model, "content": content}
        (self.settings.cache_dir / f"{key}.json").write_text(json.dumps(record), "utf-8")

"""The layer's settings, from the environment (the same for the CLI, the service and the workers).

Unset `CHART_REVIEW_LLM_URL` means the layer is off: no question is asked and no socket opened.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from chart_review.errors import ChartReviewError, E


@dataclass(frozen=True)
class LLMSettings:
    url: str | None = None  # base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1
    model: str = "default"
    api_key: str | None = None
    timeout_seconds: float = 30.0
    max_calls: int = 8  # questions per review
    max_tokens: int = 400  # of each answer
    max_prompt_chars: int = 6000  # passages sent per question
    retries: int = 2  # after a 429 or a 5xx, with backoff
    # Where answers are kept, keyed by (model, prompt hash): a re-run costs nothing, and a
    # recorded run replays anywhere (`replay` then forbids the network).
    cache_dir: Path | None = None
    replay: bool = False
    # Whether a leaf decided only by the model may carry a request to approval. Off: such a
    # decision is pended for a clinician. On: the operator accepts the model's reading of a chart
    # as enough to approve, a risk (a grounded quote can still be misread) to weigh and document.
    allow_model_approval: bool = False

    @property
    def enabled(self) -> bool:
        return bool(self.url) or (self.replay and self.cache_dir is not None)


def _number(env: dict[str, str], name: str, default: float, cast: type[int] | type[float]) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = cast(raw)
    except ValueError:
        raise ChartReviewError(E.SETTINGS_INVALID, problem=f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise ChartReviewError(E.SETTINGS_INVALID, problem=f"{name}={raw!r} must be more than 0")
    return value


def _flag(env: dict[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def load_settings(env: dict[str, str] | None = None) -> LLMSettings:
    env = dict(os.environ if env is None else env)
    cache = env.get("CHART_REVIEW_LLM_CACHE") or None
    return LLMSettings(
        url=(env.get("CHART_REVIEW_LLM_URL") or "").rstrip("/") or None,
        model=env.get("CHART_REVIEW_LLM_MODEL") or "default",
        api_key=env.get("CHART_REVIEW_LLM_API_KEY") or None,
        timeout_seconds=_number(env, "CHART_REVIEW_LLM_TIMEOUT", 30.0, float),
        max_calls=int(_number(env, "CHART_REVIEW_LLM_MAX_CALLS", 8, int)),
        max_tokens=int(_number(env, "CHART_REVIEW_LLM_MAX_TOKENS", 400, int)),
        cache_dir=Path(cache) if cache else None,
        replay=_flag(env, "CHART_REVIEW_LLM_REPLAY"),
        allow_model_approval=_flag(env, "CHART_REVIEW_LLM_ALLOW_APPROVAL"),
    )

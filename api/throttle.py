"""Throttling of failed authentication: a client that keeps presenting bad keys is slowed down.

Counted per client address in this process, over a sliding window. Past the limit, every request
from that address that presents a key (good or bad) gets 429 with Retry-After until the window
has room again, so guessing keys costs time. Several worker processes each keep their own count;
a front proxy's rate limit is the place for a fleet-wide one.
"""

from __future__ import annotations

import threading
import time
from collections import deque


class FailedAuthThrottle:
    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit, self.window = limit, window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def retry_after(self, client: str) -> int | None:
        """Seconds until `client` may try again, or None when it is not throttled."""
        now = time.monotonic()
        with self._lock:
            failures = self._recent(client, now)
            if len(failures) < self.limit:
                return None
            return max(1, int(failures[0] + self.window - now) + 1)

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(client, now).append(now)
            if len(self._failures) > 10_000:  # addresses long gone
                for stale in [c for c, f in self._failures.items() if not f][:5_000]:
                    del self._failures[stale]

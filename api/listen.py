"""Wake-ups across processes: LISTEN on PostgreSQL for the queue's NOTIFY (api/queue.py).

A worker process learns of new work, and an API process of a decision another process wrote
(so a client waiting with `?wait=` is answered at once), without polling the table. One thread
holds one connection; when it drops, it reconnects with a pause, and the callers' slow polls
carry on meanwhile. SQLite has no NOTIFY: there, the polls are the wake-up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.engine import make_url

from api.queue import CHANNEL

log = logging.getLogger("chart_review.listen")
# With NOTIFY in place, the table is still looked at this often, in case one was missed; without
# it (SQLite), the poll is the wake-up.
SLOW_POLL_SECONDS = 5.0
FAST_POLL_SECONDS = 1.0


def poll_seconds(database_url: str) -> float:
    """How often a worker looks for work unasked, on this database."""
    return SLOW_POLL_SECONDS if make_url(database_url).get_backend_name() == "postgresql" else FAST_POLL_SECONDS


class Listener:
    """Calls `on_event(event, review_id)` for each "queued" or "finished" notification."""

    def __init__(self, database_url: str, on_event: Callable[[str, str], None]) -> None:
        url = make_url(database_url)
        self.active = url.get_backend_name() == "postgresql"
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False) if self.active else ""
        self.on_event = on_event
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.listening = threading.Event()

    def start(self) -> None:
        if self.active:
            self._thread = threading.Thread(target=self._run, name="queue-listener", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._dsn, autocommit=True, connect_timeout=10) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    while not self._stop.is_set():
                        for notice in connection.notifies(timeout=1.0):
                            event, _, review_id = notice.payload.partition(" ")
                            self.on_event(event, review_id)
            except Exception as exc:  # the database went away: say so without the URL, and retry
                self.listening.clear()
                log.warning("queue listener lost its connection (%s); reconnecting", type(exc).__name__)
                self._stop.wait(2.0)

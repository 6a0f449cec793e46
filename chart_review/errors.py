"""One catalogue of user-facing errors (after spaCy's errors.py): each message is written once.

A ChartReviewError is always the caller's to fix: the CLI prints its one line and exits 2, the
service answers it with a 4xx. Anything else is our bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum


class E(Enum):
    """Coded message templates. The value is (code, HTTP status, template)."""

    GUIDELINE_INVALID = ("E001", 500, "guideline {source}: {problem}")
    REQUEST_NOT_JSON = ("E010", 400, "{source}: not valid JSON ({problem})")
    REQUEST_INVALID = ("E011", 422, "{source}: {problem}")
    REQUEST_MISSING = ("E012", 400, "{source}: no request.json; give one with --request")
    DOCUMENT_MISSING = ("E020", 400, "{source}: no such file")
    DOCUMENT_EMPTY = ("E021", 422, "{source}: the document is empty; nothing to review")
    DOCUMENT_UNSUPPORTED = ("E022", 415, "{source}: unsupported file type {kind}; send .txt or .pdf")
    DOCUMENT_TOO_LARGE = ("E023", 413, "{source}: {size}; the limit is {limit} bytes a document")
    DOCUMENT_UNREADABLE = ("E024", 422, "{source}: {problem}")
    NO_DOCUMENTS = ("E025", 400, "{source}: no chart documents (.txt or .pdf) to review")
    REVIEW_TOO_LONG = ("E026", 422, "{source}: the review took longer than its limit of {limit:g} s "
                                    "(REVIEW_SECONDS); send fewer or smaller documents")
    CASES_MISSING = ("E030", 400, "{source}: no cases (folders with request.json) found")
    SETTINGS_INVALID = ("E040", 500, "settings: {problem}")
    FHIR_INVALID = ("E050", 422, "FHIR: {problem}")

    @property
    def code(self) -> str:
        return self.value[0]

    @property
    def http_status(self) -> int:
        return self.value[1]


class ChartReviewError(Exception):
    """A user-facing error: `str(err)` is one line that says what to fix. `problems` lists every
    (field, message) a validation found, for callers that can show more than one line."""

    def __init__(self, error: E, *, problems: Sequence[tuple[str, str]] = (), **fields: object) -> None:
        self.error = error
        self.fields = fields
        self.problems = list(problems)
        self.message = error.value[2].format(**fields)
        super().__init__(f"{error.code} {self.message}")

    @property
    def http_status(self) -> int:
        return self.error.http_status

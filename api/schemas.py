"""Request and response models of the service (the decision itself is chart_review.contract)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from chart_review.contract import Decision, Determination, Status

ReviewStatus = Literal["queued", "processing", "done", "failed"]
# How soon the payer owes a decision (CMS-0057-F): 72 hours expedited, 7 days standard.
Priority = Literal["standard", "expedited"]


class TextDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=255, examples=["progress_note.txt"])
    text: str = Field(min_length=1, examples=["Metastatic lung cancer with osseous metastases..."])


class CreateReview(BaseModel):
    """A review from JSON: the request of CONTRACT.md section 1 and text documents."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "request": {"procedure_codes": ["62362", "E0783"], "request_type": "permanent",
                    "service_date": "2025-10-01"},
        "documents": [{"name": "oncology_note.txt",
                       "text": "Metastatic NSCLC with osseous metastases. Life expectancy 6-12 months."}],
    }]})

    request: dict[str, Any]
    documents: list[TextDocument] = Field(min_length=1)
    priority: Priority = Field(default="standard",
                               description="expedited: a decision is due in 72 hours; standard: in 7 days")


class Turnaround(BaseModel):
    """The turnaround clock, from when the review was received."""

    priority: Priority
    due_at: dt.datetime
    overdue: bool = Field(description="Past due with no reviewer's determination recorded")


class DocumentSummary(BaseModel):
    id: str
    name: str
    sha256: str | None
    pages: int | None
    ocr_pages: list[int] = []


class DocumentText(DocumentSummary):
    """The text evidence offsets index, and where each page starts in it."""

    text: str
    page_starts: list[int]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# Text columns on PostgreSQL cannot hold NUL: refuse it as bad input rather than fail to store it.
NO_NUL = AfterValidator(_no_nul)


class OverrideIn(BaseModel):
    # Stripped before the length check, so a reason of blanks is refused rather than stored empty.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    criterion_id: str = Field(examples=["cancer_pain.life_expectancy_3_months"])
    status: Status
    reason: Annotated[str, NO_NUL] = Field(min_length=3, max_length=4000,
                                           examples=["Oncology letter of 10/02 documents 6 months."])


class ReviewerDeterminationIn(BaseModel):
    """A reviewer's own determination. A reviewer approves, pends for information, or refers to a
    physician; only a physician denies, outside this service."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    determination: Literal["approve", "pend_information", "refer_to_physician"]
    reason: Annotated[str, NO_NUL] = Field(min_length=3, max_length=4000,
                                           examples=["Oncology letter of 10/02 documents 6 months; criteria met."])


class ReviewerDeterminationOut(BaseModel):
    id: str
    determination: str
    reason: str
    reviewer: str
    reviewer_label: str = Field(default="", description="The reviewer's key's label: who she is")
    created_at: dt.datetime


class OverrideOut(BaseModel):
    id: str
    criterion_id: str
    status_before: str
    status_after: str
    reason: str
    reviewer: str
    reviewer_label: str = Field(default="", description="The reviewer's key's label: who she is")
    created_at: dt.datetime


class ReconsideredCriterion(BaseModel):
    criterion_id: str
    automated: Status
    reviewer: Status


class ReviewerView(BaseModel):
    """The tree with the reviewers' latest overrides in place, recomputed under the same
    three-valued logic: what the request comes to on her reading. The automated decision is
    unchanged beside it."""

    determination: Determination
    changed: list[ReconsideredCriterion] = Field(
        description="Every criterion whose status the overrides move, groups included, in tree order")


class EarlierDecisionOut(BaseModel):
    """A decision the review had before documents were added to it."""

    determination: str
    disposition: str | None = None
    documents: int = Field(description="How many documents it was made on")
    decided_at: dt.datetime
    replaced_at: dt.datetime
    decision: Decision


class AddDocuments(BaseModel):
    """Documents to add to a decided review, which is then read again whole."""

    model_config = ConfigDict(extra="forbid")

    documents: list[TextDocument] = Field(min_length=1)


class ReadingProgress(BaseModel):
    """Which document and page the worker has read (a long scan's OCR takes minutes)."""

    document: str
    page: int
    pages: int
    method: str = Field(description="How the page was read: text (the PDF's text layer) or ocr")


class ReviewOut(BaseModel):
    id: str
    status: ReviewStatus
    created_at: dt.datetime
    updated_at: dt.datetime
    request: dict[str, Any]
    determination: str | None = None
    disposition: str | None = None
    # The automated decision; reviewers' overrides are listed beside it, never written into it.
    decision: Decision | None = None
    error: str | None = None
    documents: list[DocumentSummary] = []
    overrides: list[OverrideOut] = []
    # The reviewers' own determinations, oldest first; the automated decision stays as it was.
    reviewer_determinations: list[ReviewerDeterminationOut] = []
    turnaround: Turnaround | None = None
    # Present once a criterion has been overridden.
    reviewer_view: ReviewerView | None = None
    # Decisions replaced when documents were added, oldest first.
    earlier_decisions: list[EarlierDecisionOut] = []
    reading: ReadingProgress | None = None


class ReviewPage(BaseModel):
    items: list[ReviewOut]
    total: int
    limit: int
    offset: int


class ReviewSummary(BaseModel):
    """A review as a list row: who, what was asked, what automation did and when it is due; no
    decision tree and no chart text."""

    id: str
    status: ReviewStatus
    created_at: dt.datetime
    updated_at: dt.datetime
    reference: str | None = None
    patient_name: str | None = None
    member_id: str | None = None
    procedure_codes: list[str] = []
    determination: str | None = None
    disposition: str | None = None
    reviewer_determination: str | None = Field(default=None, description="The latest reviewer's determination")
    turnaround: Turnaround


class SummaryPage(BaseModel):
    items: list[ReviewSummary]
    next_cursor: str | None = Field(default=None, description="Pass as ?cursor= for the next page; absent on the last")


class AuditEventOut(BaseModel):
    id: str
    review_id: str | None
    actor: str
    actor_label: str = Field(default="", description="Who acted: the key's label, or 'the service'")
    action: str
    detail: dict[str, Any]
    created_at: dt.datetime


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["intake", "reviewer", "admin"]
    label: Annotated[str, NO_NUL] = Field(default="", max_length=200)
    expires_days: float | None = Field(default=None, gt=0, le=3650,
                                       description="The key stops working this many days from now")


class KeyOut(BaseModel):
    id: str
    role: str
    label: str
    expires_at: dt.datetime | None = None
    key: str = Field(description="Shown only in this response; store it now.")


class KeySummary(BaseModel):
    """A key as listed: never the key itself."""

    id: str
    role: str
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    expires_at: dt.datetime | None = None


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, NO_NUL] = Field(max_length=2000, description="Where to POST events: http(s)://...; "
                                        "https is required in production")
    description: Annotated[str, NO_NUL] = Field(default="", max_length=200)


class WebhookSummary(BaseModel):
    id: str
    url: str
    description: str
    events: list[str]
    created_at: dt.datetime
    disabled_at: dt.datetime | None = None


class WebhookOut(WebhookSummary):
    secret: str = Field(description="Standard Webhooks secret (whsec_...), shown only in this response; "
                                    "verify each delivery's webhook-signature with it")


class DeliveryAttempt(BaseModel):
    at: dt.datetime
    status_code: int | None = Field(default=None, description="The receiver's HTTP status")
    error: str | None = Field(default=None, description="The kind of connection failure, when there was no answer")
    seconds: float | None = None


class DeliveryOut(BaseModel):
    id: str = Field(description="The webhook-id header, and the event body's id")
    review_id: str
    event: str
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    created_at: dt.datetime
    next_attempt_at: dt.datetime | None = Field(default=None, description="When it is tried again, if pending")
    delivered_at: dt.datetime | None = None
    log: list[DeliveryAttempt]

"""/v1/reviews: create (JSON or multipart upload), read, list, add documents, document text, overrides,
audit."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import time
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, Path, Query, Request, Response, UploadFile, status
from pydantic import BeforeValidator
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from api.db import AuditEvent, StoredDocument
from api.deps import CanCreate, CanOverride, CanRead, DatabaseDep, SessionDep
from api.determination_summary import DeterminationSummary, determination_summary
from api.letters import RequestForInformation, request_for_information
from api.page_images import page_image
from api.problems import Problem
from api.schemas import (
    AddDocuments,
    AuditEventOut,
    CreateReview,
    DocumentText,
    OverrideIn,
    OverrideOut,
    Priority,
    ReviewerDeterminationIn,
    ReviewerDeterminationOut,
    ReviewOut,
    ReviewPage,
    ReviewStatus,
    SummaryPage,
)
from api.service import (
    Conflict,
    NotFound,
    ReviewFilter,
    add_documents,
    create_review,
    determination_out,
    get_review,
    is_id,
    labels,
    list_reviews,
    list_summaries,
    override_out,
    record_determination,
    record_override,
    review_out,
    review_summary,
    validate_upload,
)
from chart_review.contract import Decision, Determination, Disposition
from chart_review.errors import ChartReviewError, E
from extractors.ingest import TEXT_SUFFIXES

router = APIRouter(prefix="/v1/reviews", tags=["reviews"])
NO_NUL = r"^[^\x00]*$"
WAIT_POLL_SECONDS = 0.05
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (400, 401, 403, 404, 409, 413, 415, 422)
}
# A create answers 202 with a new review, or 200 with the first one when the Idempotency-Key was seen.
CREATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    200: {"model": ReviewOut, "description": "The review first created with this Idempotency-Key "
                                            "(header Idempotent-Replayed: true); nothing new is queued"},
}
IdempotencyKey = Annotated[
    str | None, Header(min_length=1, max_length=200,
                       description="Retries with the same key and the same request return the first review; "
                                   "the same key with a different request is a 409")]


def _submit(request: Request, response: Response, key: Any, session: Any, request_data: Any,
            files: list[tuple[str, bytes]], idempotency_key: str | None, priority: str = "standard") -> ReviewOut:
    settings = request.app.state.settings
    validate_upload(request_data, files, request.app.state.limits, settings.max_files)
    review, created = create_review(session, key, request_data, files, idempotency_key, priority)
    session.commit()
    if created:
        request.app.state.worker.notify()
        response.status_code = status.HTTP_202_ACCEPTED
    else:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/v1/reviews/{review.id}"
    return review_out(review)


@router.post("", response_model=ReviewOut, status_code=status.HTTP_202_ACCEPTED, responses=CREATE_RESPONSES,
             summary="Create a review from JSON (text documents)")
def create_from_json(body: CreateReview, request: Request, response: Response, key: CanCreate,
                     session: SessionDep, idempotency_key: IdempotencyKey = None) -> ReviewOut:
    for document in body.documents:
        if not document.name.lower().endswith(tuple(TEXT_SUFFIXES)):
            raise ChartReviewError(E.DOCUMENT_UNSUPPORTED, source=document.name,
                                   kind="in JSON (JSON documents are text: name them *.txt)")
    files = [(d.name, d.text.encode("utf-8")) for d in body.documents]
    return _submit(request, response, key, session, body.request, files, idempotency_key, body.priority)


@router.post("/upload", response_model=ReviewOut, status_code=status.HTTP_202_ACCEPTED, responses=CREATE_RESPONSES,
             summary="Create a review from uploaded chart files (.txt, .pdf, scanned images)")
async def create_from_upload(
    request: Request, response: Response, key: CanCreate, session: SessionDep,
    request_json: Annotated[str, Form(alias="request", description="The request of CONTRACT.md section 1, as JSON")],
    files: Annotated[list[UploadFile], File(description="Chart files")],
    priority: Annotated[Priority, Form(description="expedited: due in 72 hours; standard: in 7 days")] = "standard",
    idempotency_key: IdempotencyKey = None,
) -> ReviewOut:
    try:
        request_data = json.loads(request_json)
    except json.JSONDecodeError as exc:
        raise ChartReviewError(E.REQUEST_NOT_JSON, source="request", problem=str(exc)) from None
    except RecursionError:  # nested deeper than the parser goes: bad JSON, not our crash
        raise ChartReviewError(E.REQUEST_NOT_JSON, source="request", problem="nested too deeply") from None
    uploads = await _read_uploads(request, files)
    return await run_in_threadpool(_submit, request, response, key, session, request_data, uploads, idempotency_key,
                                   priority)


async def _read_uploads(request: Request, files: list[UploadFile]) -> list[tuple[str, bytes]]:
    """Each file's name and bytes; one past the size limit is refused as it is read."""
    limit = request.app.state.settings.max_upload_bytes
    uploads: list[tuple[str, bytes]] = []
    for upload in files:
        raw = await upload.read(limit + 1)
        name = upload.filename or f"document-{len(uploads) + 1}"
        if len(raw) > limit:
            raise ChartReviewError(E.DOCUMENT_TOO_LARGE, source=name, size="too large", limit=limit)
        uploads.append((name, raw))
    return uploads


def _not_a_number(value: Any) -> Any:
    """A date-time as text: a bare number would be read as a Unix timestamp (as for service_date)."""
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", value):
        raise ValueError("give a date and time as text, e.g. 2025-10-01T00:00:00Z")
    return value


Timestamp = Annotated[dt.datetime, BeforeValidator(_not_a_number)]


def _utc(value: dt.datetime | None, name: str) -> dt.datetime | None:
    """The instant in UTC (a time without a zone is UTC); a 422, not a 500, past year 9999."""
    if value is None:
        return None
    try:
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    except OverflowError:
        raise ChartReviewError(E.REQUEST_INVALID, source=name, problem="the date is out of range") from None


@router.get("", response_model=ReviewPage, responses=ERRORS, summary="List reviews, newest first")
def list_all(
    key: CanRead, session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    # Bounded, so a huge offset is a 422 rather than an integer the database cannot bind (a 500).
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    determination: Annotated[Determination | None, Query()] = None,
    review_status: Annotated[ReviewStatus | None, Query(alias="status")] = None,
    created_after: Timestamp | None = None,
    created_before: Timestamp | None = None,
    disposition: Annotated[Disposition | None, Query()] = None,
    # No NUL in a search: PostgreSQL refuses it in a text parameter (a 422 here, not its 500).
    reference: Annotated[str | None, Query(min_length=1, max_length=200, pattern=NO_NUL,
                                           description="The intake system's reference, exactly")] = None,
    member_id: Annotated[str | None, Query(min_length=1, max_length=100, pattern=NO_NUL,
                                           description="Exactly")] = None,
    q: Annotated[str | None, Query(min_length=2, max_length=200, pattern=NO_NUL,
                                   description="Part of a patient's name, a reference or a member id")] = None,
    needs_review: Annotated[bool, Query(description="The work queue: decided, not approved by automation, "
                                                    "no reviewer's determination yet; most urgent first")] = False,
) -> ReviewPage:
    where = ReviewFilter(disposition=disposition.value if disposition else None, reference=reference,
                         member_id=member_id, q=q, needs_review=needs_review)
    rows, total = list_reviews(session, key, limit, offset, determination.value if determination else None,
                               review_status, _utc(created_after, "created_after"),
                               _utc(created_before, "created_before"), where)
    return ReviewPage(items=[review_out(r) for r in rows], total=total, limit=limit, offset=offset)


@router.get("/summaries", response_model=SummaryPage, responses=ERRORS,
            summary="Reviews as list rows (no decisions), newest first, paged by cursor")
def summaries(
    key: CanRead, session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(min_length=1, max_length=400, pattern=NO_NUL,
                                        description="The next_cursor of the page before")] = None,
    disposition: Annotated[Disposition | None, Query()] = None,
    needs_review: Annotated[bool, Query(description="Only the work queue")] = False,
) -> SummaryPage:
    where = ReviewFilter(disposition=disposition.value if disposition else None, needs_review=needs_review)
    rows, next_cursor = list_summaries(session, key, limit, cursor, where)
    return SummaryPage(items=[review_summary(r) for r in rows], next_cursor=next_cursor)


@router.get("/{review_id}", response_model=ReviewOut, responses=ERRORS, summary="A review: status and decision")
async def get_one(review_id: str, key: CanRead, db: DatabaseDep, request: Request,
                  wait: Annotated[float, Query(ge=0, description="Seconds to wait for the decision")] = 0) -> ReviewOut:
    deadline = time.monotonic() + min(wait, request.app.state.settings.max_wait_seconds)
    worker = request.app.state.worker

    def read() -> ReviewOut | None:
        with db.session() as session:
            review = get_review(session, review_id, key)
            if review.status in ("done", "failed") or time.monotonic() >= deadline:
                return review_out(review)
        return None

    while True:
        # Read the count first: a review finishing between the check and the wait still wakes us.
        seen = worker.finished
        found = await run_in_threadpool(read)
        if found is not None:
            return found
        # Waiting holds no worker thread (those serve /health and every other read): the wait
        # is on the event loop, woken by any review finishing, and re-reads at least every second
        # for another process's worker.
        stop = min(deadline, time.monotonic() + 1.0)
        while worker.finished == seen and time.monotonic() < stop:
            await asyncio.sleep(WAIT_POLL_SECONDS)


def _document(session: Any, review_id: str, document_id: str, key: Any) -> StoredDocument:
    get_review(session, review_id, key)
    document = session.scalar(select(StoredDocument).where(StoredDocument.id == document_id,
                                                           StoredDocument.review_id == review_id)) \
        if is_id(review_id) and is_id(document_id) else None
    if document is None:
        raise NotFound(f"no document {document_id} in review {review_id}")
    return document


@router.get("/{review_id}/documents/{document_id}", response_model=DocumentText, responses=ERRORS,
            summary="A document's text and page map, so evidence offsets can be shown")
def get_document(review_id: str, document_id: str, key: CanRead, session: SessionDep) -> DocumentText:
    document = _document(session, review_id, document_id, key)
    if document.text is None:
        raise NotFound("the document has not been read yet; wait for the review to finish")
    return DocumentText(id=document.id, name=document.name, sha256=document.sha256,
                        pages=len(document.page_starts or [0]), ocr_pages=document.ocr_pages or [],
                        text=document.text, page_starts=document.page_starts or [0])


OFFSET = "the quote's {} offset in the document's text, as its evidence gives it"
PAGE_IMAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    200: {"content": {"image/png": {}},
          "description": "The page as a PNG. `Quote-Marking` says whether the quote's area is outlined: "
                         "`marked`; `unmarked_ocr` (the page was read by OCR, which gives no positions: "
                         "compare by eye); `not_found` (the page's text layer does not hold the quote's "
                         "letters); `no_quote` (no start and end were given)."},
}


@router.get("/{review_id}/documents/{document_id}/pages/{page}", response_class=Response,
            responses=PAGE_IMAGE_RESPONSES, summary="A PDF page as an image, with a quote's area marked")
def get_page_image(review_id: str, document_id: str, page: Annotated[int, Path(ge=1, le=10_000)],
                   key: CanRead, session: SessionDep, request: Request,
                   start: Annotated[int | None, Query(ge=0, description=OFFSET.format("start"))] = None,
                   end: Annotated[int | None, Query(ge=1, description=OFFSET.format("end"))] = None) -> Response:
    document = _document(session, review_id, document_id, key)
    image = page_image(document, page, start, end, request.app.state.limits)
    return Response(image.png, media_type="image/png",
                    headers={"Quote-Marking": image.marking, "Cache-Control": "private, max-age=300"})


def _add(request: Request, response: Response, key: Any, session: Any, review_id: str,
         files: list[tuple[str, bytes]]) -> ReviewOut:
    review = get_review(session, review_id, key)
    settings = request.app.state.settings
    review = add_documents(session, review, key, files, request.app.state.limits, settings.max_files)
    session.commit()
    request.app.state.worker.notify()
    response.headers["Location"] = f"/v1/reviews/{review.id}"
    return review_out(review)


@router.post("/{review_id}/documents", response_model=ReviewOut, status_code=status.HTTP_202_ACCEPTED,
             responses=ERRORS, summary="Add text documents to a decided review and read it again; the earlier "
                                       "decision is kept in earlier_decisions")
def add_from_json(review_id: str, body: AddDocuments, request: Request, response: Response, key: CanCreate,
                  session: SessionDep) -> ReviewOut:
    for document in body.documents:
        if not document.name.lower().endswith(tuple(TEXT_SUFFIXES)):
            raise ChartReviewError(E.DOCUMENT_UNSUPPORTED, source=document.name,
                                   kind="in JSON (JSON documents are text: name them *.txt)")
    return _add(request, response, key, session, review_id,
                [(d.name, d.text.encode("utf-8")) for d in body.documents])


@router.post("/{review_id}/uploads", response_model=ReviewOut, status_code=status.HTTP_202_ACCEPTED,
             responses=ERRORS, summary="Add uploaded chart files to a decided review and read it again")
async def add_from_upload(review_id: str, request: Request, response: Response, key: CanCreate,
                          session: SessionDep,
                          files: Annotated[list[UploadFile], File(description="Chart files")]) -> ReviewOut:
    uploads = await _read_uploads(request, files)
    return await run_in_threadpool(_add, request, response, key, session, review_id, uploads)


@router.post("/{review_id}/overrides", response_model=OverrideOut, status_code=status.HTTP_201_CREATED,
             responses=ERRORS, summary="Record a reviewer's override of one criterion, with a reason")
def override(review_id: str, body: OverrideIn, key: CanOverride, session: SessionDep) -> OverrideOut:
    review = get_review(session, review_id, key)
    row = record_override(session, review, key, body.criterion_id, body.status.value, body.reason)
    return override_out(row, labels(session, {row.reviewer}))


@router.post("/{review_id}/determination", response_model=ReviewerDeterminationOut,
             status_code=status.HTTP_201_CREATED, responses=ERRORS,
             summary="Record the reviewer's own determination (approve, pend for information, or refer to a "
                     "physician), with a reason; the automated decision is kept beside it")
def determine(review_id: str, body: ReviewerDeterminationIn, key: CanOverride,
              session: SessionDep) -> ReviewerDeterminationOut:
    review = get_review(session, review_id, key)
    row = record_determination(session, review, key, body.determination, body.reason)
    return determination_out(row, labels(session, {row.reviewer}))


@router.get("/{review_id}/request-for-information", response_model=RequestForInformation, responses=ERRORS,
            summary="A letter to the requesting provider listing the documentation the decision found missing")
def request_for_information_letter(review_id: str, key: CanRead, session: SessionDep) -> RequestForInformation:
    review = get_review(session, review_id, key)
    if review.status != "done" or not review.decision:
        raise Conflict("the review has no decision yet; nothing is known to be missing")
    return request_for_information(review.id, review.request, Decision.model_validate(review.decision),
                                   dt.datetime.now(dt.UTC).date())


@router.get("/{review_id}/determination-summary", response_model=DeterminationSummary, responses=ERRORS,
            summary="The determination summary fit to file: patient, reference, codes, disposition, the deciding "
                    "criteria with their quotes, overrides and the reviewer's determination")
def summary_to_file(review_id: str, key: CanRead, session: SessionDep) -> DeterminationSummary:
    review = get_review(session, review_id, key)
    if review.status != "done" or not review.decision:
        raise Conflict("the review has no decision yet to summarize")
    return determination_summary(review, Decision.model_validate(review.decision), dt.datetime.now(dt.UTC).date())


@router.get("/{review_id}/audit", response_model=list[AuditEventOut], responses=ERRORS,
            summary="The review's audit trail: creation, decision, overrides")
def audit(review_id: str, key: CanRead, session: SessionDep) -> list[AuditEventOut]:
    get_review(session, review_id, key)
    events = session.scalars(select(AuditEvent).where(AuditEvent.review_id == review_id)
                             .order_by(AuditEvent.created_at)).all()
    who = labels(session, {e.actor for e in events})
    return [AuditEventOut(id=e.id, review_id=e.review_id, actor=e.actor, actor_label=who.get(e.actor, ""),
                          action=e.action, detail=e.detail, created_at=e.created_at) for e in events]

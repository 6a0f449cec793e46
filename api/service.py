"""What the routes call: create, find and list reviews, record overrides. Routes stay thin."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from api.auth import allowed
from api.db import (
    SYSTEM_ACTOR,
    ApiKey,
    AuditEvent,
    EarlierDecision,
    Override,
    Review,
    ReviewerDetermination,
    StoredDocument,
    now,
)
from api.queue import announce
from api.schemas import (
    DocumentSummary,
    EarlierDecisionOut,
    OverrideOut,
    ReadingProgress,
    ReconsideredCriterion,
    ReviewerDeterminationOut,
    ReviewerView,
    ReviewOut,
    ReviewSummary,
    Turnaround,
)
from chart_review.contract import Decision, Status
from chart_review.errors import ChartReviewError, E
from chart_review.review import default_guideline, parse_request
from extractors.ingest import Limits, check_bytes, check_pdfs
from rules.decide import walk
from rules.reconsider import reconsider


class Conflict(Exception):
    """The review is not in a state that allows this (overriding before a decision), or an
    Idempotency-Key is reused for a different request."""


class NotFound(Exception):
    pass


# Review and document ids are uuid4 hex (api.db.new_id). Anything else names nothing, and is not
# sent to the database: PostgreSQL refuses a NUL in a query parameter with an error, not a miss.
ID = re.compile(r"[0-9a-f]{32}")
# StoredDocument.name is String(255); PostgreSQL enforces it (SQLite does not).
MAX_NAME = 255


def is_id(value: str) -> bool:
    return ID.fullmatch(value) is not None


def _check_name_and_text(name: str, raw: bytes) -> None:
    """What PostgreSQL cannot store: a name past 255 characters, a NUL in a name (a NUL in text is
    refused where every text is admitted, extractors.ingest.text)."""
    shown = name.replace("\x00", "\\0")
    if len(name) > MAX_NAME:
        raise ChartReviewError(E.DOCUMENT_UNREADABLE, source=shown[:60] + "...",
                               problem=f"the file name is {len(name)} characters; at most {MAX_NAME}")
    if "\x00" in name:
        raise ChartReviewError(E.DOCUMENT_UNREADABLE, source=shown,
                               problem="the file name contains a NUL character; rename the file")


def validate_upload(request_data: Any, files: list[tuple[str, bytes]], limits: Limits, max_files: int) -> None:
    """Everything about a submission that can be refused before it is queued."""
    parse_request(request_data, "request", default_guideline())
    check_files(files, limits, max_files)


def check_files(files: list[tuple[str, bytes]], limits: Limits, max_files: int, already: int = 0) -> None:
    """The files of a submission, or those added to a review that holds `already` documents."""
    if not files:
        raise ChartReviewError(E.NO_DOCUMENTS, source="request")
    total = already + len(files)
    if total > max_files:
        raise ChartReviewError(E.DOCUMENT_UNREADABLE, source="request",
                               problem=f"{total} documents; at most {max_files} a review")
    for name, raw in files:
        check_bytes(name, raw, limits, probe_pdf=False)
        _check_name_and_text(name, raw)
    check_pdfs(files, limits)  # every PDF of the request in one probe process


def find_idempotent(session: Session, key: ApiKey, idempotency_key: str | None) -> Review | None:
    if not idempotency_key:
        return None
    return session.scalar(select(Review).where(Review.created_by == key.id,
                                               Review.idempotency_key == idempotency_key))


def fingerprint(request_data: dict[str, Any], files: list[tuple[str, bytes]]) -> str:
    """What a retry must repeat to be the same request: the request and each document's name and bytes."""
    digest = hashlib.sha256(json.dumps(request_data, sort_keys=True, separators=(",", ":")).encode())
    for name, raw in files:
        digest.update(b"\0" + name.encode("utf-8", "surrogatepass") + b"\0" + hashlib.sha256(raw).digest())
    return digest.hexdigest()


def _replay(existing: Review, fingerprint_: str) -> Review:
    # A reused key with a different chart would hand one patient's decision to another.
    if existing.request_fingerprint is not None and existing.request_fingerprint != fingerprint_:
        raise Conflict("Idempotency-Key was already used for a different request (request or documents "
                       "differ); send a new key for a new review")
    return existing


def create_review(session: Session, key: ApiKey, request_data: dict[str, Any],
                  files: list[tuple[str, bytes]], idempotency_key: str | None,
                  priority: str = "standard") -> tuple[Review, bool]:
    """The new review (queued), or the earlier one with this Idempotency-Key; True when new."""
    fingerprint_ = fingerprint(request_data, files)
    existing = find_idempotent(session, key, idempotency_key)
    if existing is not None:
        return _replay(existing, fingerprint_), False
    patient = request_data.get("patient") or {}
    review = Review(request=request_data, created_by=key.id, idempotency_key=idempotency_key, status="queued",
                    request_fingerprint=fingerprint_, reference=identity_text(request_data.get("reference")),
                    member_id=identity_text(patient.get("member_id")),
                    patient_name=identity_text(patient.get("name")),
                    priority=priority)
    review.documents = [StoredDocument(position=i, name=name, raw=raw) for i, (name, raw) in enumerate(files)]
    session.add(review)
    try:
        session.flush()
    except IntegrityError:  # the same key raced us: answer with the first review
        session.rollback()
        found = find_idempotent(session, key, idempotency_key)
        if found is None:
            raise
        return _replay(found, fingerprint_), False
    session.add(AuditEvent(review_id=review.id, actor=key.id, action="created",
                           detail={"documents": len(files), "codes": request_data.get("procedure_codes")}))
    announce(session, "queued", review.id)
    return review, True


def add_documents(session: Session, review: Review, key: ApiKey, files: list[tuple[str, bytes]],
                  limits: Limits, max_files: int) -> Review:
    """Documents added to a decided (or failed) review, which goes back to the queue to be read
    again whole; its decision is kept in `earlier_decisions`, never overwritten."""
    if review.status not in ("done", "failed"):
        raise Conflict("the review is still being read; add documents once it is decided")
    check_files(files, limits, max_files, already=len(review.documents))
    earlier = review.determination
    if review.decision is not None and review.determination is not None:
        session.add(EarlierDecision(review_id=review.id, decision=review.decision, determination=review.determination,
                                    disposition=review.disposition, documents=len(review.documents),
                                    decided_at=review.updated_at))
    start = max((d.position for d in review.documents), default=-1) + 1
    for i, (name, raw) in enumerate(files):
        session.add(StoredDocument(review_id=review.id, position=start + i, name=name, raw=raw))
    review.status, review.error, review.attempts = "queued", None, 0
    review.decision = review.determination = review.disposition = review.reading = None
    session.add(AuditEvent(review_id=review.id, actor=key.id, action="documents_added",
                           detail={"documents": len(files), "earlier_determination": earlier}))
    announce(session, "queued", review.id)
    session.flush()
    session.refresh(review)
    return review


def identity_text(value: Any) -> str | None:
    """An identity field as stored: the request was validated, so it is text, a number or absent."""
    return None if value is None else str(value)


def get_review(session: Session, review_id: str, key: ApiKey | None = None) -> Review:
    """The review; for a key that reads only its own (an intake channel), only one it created."""
    review = session.get(Review, review_id) if is_id(review_id) else None
    if review is None or (key is not None and not sees_all(key) and review.created_by != key.id):
        raise NotFound(f"no review {review_id}")
    return review


def sees_all(key: ApiKey) -> bool:
    return allowed(key.role, "read_all")


TURNAROUND = {"standard": dt.timedelta(days=7), "expedited": dt.timedelta(hours=72)}


def turnaround(review: Review, at: dt.datetime | None = None) -> Turnaround:
    priority = review.priority or "standard"
    due = review.created_at + TURNAROUND[priority]
    waiting = not review.reviewer_determinations and review.disposition != "approve"
    return Turnaround(priority=priority, due_at=due, overdue=waiting and (at or now()) > due)


def latest_overrides(review: Review) -> dict[str, Status]:
    """Each overridden criterion's status as the reviewers last set it."""
    return {o.criterion_id: Status(o.status_after) for o in review.overrides}


def override_out(o: Override, who: dict[str, str]) -> OverrideOut:
    return OverrideOut(id=o.id, criterion_id=o.criterion_id, status_before=o.status_before,
                       status_after=o.status_after, reason=o.reason, reviewer=o.reviewer,
                       reviewer_label=who.get(o.reviewer, ""), created_at=o.created_at)


def determination_out(d: ReviewerDetermination, who: dict[str, str]) -> ReviewerDeterminationOut:
    return ReviewerDeterminationOut(id=d.id, determination=d.determination, reason=d.reason, reviewer=d.reviewer,
                                    reviewer_label=who.get(d.reviewer, ""), created_at=d.created_at)


def reviewer_view(review: Review, decision: Decision | None) -> ReviewerView | None:
    """The decision's tree under the latest override of each criterion, recomputed."""
    if decision is None or len(decision.criteria) != 2 or not review.overrides:
        return None
    indication, exclusion = decision.criteria
    result = reconsider(indication, exclusion, latest_overrides(review))
    return ReviewerView(determination=result.determination,
                        changed=[ReconsideredCriterion(criterion_id=i, automated=a, reviewer=b)
                                 for i, a, b in result.changed])


def labels(session: Session | None, ids: set[str]) -> dict[str, str]:
    """Who each key id is, by its label ("Dana Whitfield, RN"); the service acts as itself. A key
    with no label is named by role, never by its id."""
    found = {SYSTEM_ACTOR: "the service"} if SYSTEM_ACTOR in ids else {}
    keys = [i for i in ids if i != SYSTEM_ACTOR]
    if session is not None and keys:
        for key in session.scalars(select(ApiKey).where(ApiKey.id.in_(keys))).all():
            found[key.id] = key.label or f"a {key.role} key without a label"
    return found


def review_out(review: Review) -> ReviewOut:
    documents = [DocumentSummary(id=d.id, name=d.name, sha256=d.sha256,
                                 pages=len(d.page_starts) if d.page_starts is not None else None,
                                 ocr_pages=d.ocr_pages or []) for d in review.documents]
    who = labels(object_session(review), {o.reviewer for o in review.overrides}
                 | {d.reviewer for d in review.reviewer_determinations})
    overrides = [override_out(o, who) for o in review.overrides]
    determinations = [determination_out(d, who) for d in review.reviewer_determinations]
    decision = Decision.model_validate(review.decision) if review.decision else None
    earlier = [EarlierDecisionOut(determination=e.determination, disposition=e.disposition, documents=e.documents,
                                  decided_at=e.decided_at, replaced_at=e.replaced_at,
                                  decision=Decision.model_validate(e.decision)) for e in review.earlier_decisions]
    return ReviewOut(
        earlier_decisions=earlier,
        reviewer_determinations=determinations,
        id=review.id, status=review.status, created_at=review.created_at, updated_at=review.updated_at,
        request=review.request, determination=review.determination, disposition=review.disposition,
        decision=decision, error=review.error, documents=documents, overrides=overrides,
        turnaround=turnaround(review), reviewer_view=reviewer_view(review, decision),
        reading=ReadingProgress.model_validate(review.reading) if review.reading else None,
    )


@dataclass(frozen=True)
class ReviewFilter:
    """What a list of reviews is narrowed to; identity fields match exactly, `q` searches them."""

    determination: str | None = None
    disposition: str | None = None
    reference: str | None = None
    member_id: str | None = None
    q: str | None = None
    # The work queue: decided, not approved by automation, and no reviewer's determination yet.
    needs_review: bool = False


def _cursor(review: Review) -> str:
    raw = json.dumps([review.created_at.isoformat(), review.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _after(cursor: str) -> tuple[dt.datetime, str]:
    """The position a cursor names; a cursor this service did not give is the caller's mistake."""
    try:
        created, review_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return dt.datetime.fromisoformat(created), str(review_id)
    except (ValueError, TypeError):
        raise ChartReviewError(E.REQUEST_INVALID, source="cursor",
                               problem="not a cursor this service gave; start again without one") from None


def review_summary(review: Review) -> ReviewSummary:
    latest = review.reviewer_determinations[-1].determination if review.reviewer_determinations else None
    codes = review.request.get("procedure_codes") if isinstance(review.request, dict) else None
    return ReviewSummary(id=review.id, status=review.status, created_at=review.created_at,
                         updated_at=review.updated_at, reference=review.reference, patient_name=review.patient_name,
                         member_id=review.member_id, procedure_codes=[str(c) for c in codes or []],
                         determination=review.determination, disposition=review.disposition,
                         reviewer_determination=latest, turnaround=turnaround(review))


def _work_queue(query: Any) -> Any:
    """Reviews that need a reviewer: decided, not approved by automation, no determination of hers."""
    decided = select(ReviewerDetermination.id).where(ReviewerDetermination.review_id == Review.id)
    return query.where(Review.status == "done", Review.disposition != "approve", ~decided.exists())


def list_summaries(session: Session, key: ApiKey, limit: int, cursor: str | None,
                   where: ReviewFilter) -> tuple[list[Review], str | None]:
    """Newest first, a page at a time by keyset: a page stays right while reviews are added."""
    query = select(Review) if sees_all(key) else select(Review).where(Review.created_by == key.id)
    if where.disposition:
        query = query.where(Review.disposition == where.disposition)
    if where.needs_review:
        query = _work_queue(query)
    if cursor:
        created, review_id = _after(cursor)
        query = query.where(or_(Review.created_at < created,
                                and_(Review.created_at == created, Review.id < review_id)))
    rows = list(session.scalars(query.order_by(Review.created_at.desc(), Review.id.desc()).limit(limit + 1)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, _cursor(rows[-1]) if more and rows else None


def list_reviews(session: Session, key: ApiKey, limit: int, offset: int, determination: str | None,
                 status: str | None, created_after: dt.datetime | None,
                 created_before: dt.datetime | None,
                 where: ReviewFilter | None = None) -> tuple[list[Review], int]:
    query = select(Review) if sees_all(key) else select(Review).where(Review.created_by == key.id)
    where = where or ReviewFilter()
    if determination:
        query = query.where(Review.determination == determination)
    if where.disposition:
        query = query.where(Review.disposition == where.disposition)
    if where.reference:
        query = query.where(Review.reference == where.reference)
    if where.member_id:
        query = query.where(Review.member_id == where.member_id)
    if where.q:
        # A reviewer's search box: part of a name, reference or member id, any case.
        # "%" and "_" typed in the box are themselves, not wildcards.
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", where.q.lower()) + "%"
        query = query.where(or_(*(func.lower(column).like(pattern, escape="\\")
                                  for column in (Review.reference, Review.member_id, Review.patient_name))))
    if status:
        query = query.where(Review.status == status)
    if created_after:
        query = query.where(Review.created_at >= created_after)
    if created_before:
        query = query.where(Review.created_at < created_before)
    order: list[Any] = [Review.created_at.desc()]
    if where.needs_review:
        query = _work_queue(query)
        # Most urgent first: expedited requests, then the oldest (the nearest to due).
        order = [(Review.priority == "expedited").desc(), Review.created_at.asc()]
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(*order).limit(limit).offset(offset)).all()
    return list(rows), total


def record_determination(session: Session, review: Review, key: ApiKey, determination: str,
                         reason: str) -> ReviewerDetermination:
    """A reviewer's own determination beside the automated decision, with its audit event (the
    key's label names the person)."""
    if review.status != "done" or not review.decision:
        raise Conflict("the review has no decision yet to determine")
    row = ReviewerDetermination(review_id=review.id, determination=determination, reason=reason.strip(),
                                reviewer=key.id)
    session.add(row)
    session.add(AuditEvent(review_id=review.id, actor=key.id, action="reviewer_determination",
                           detail={"determination": determination, "reason": reason.strip(),
                                   "automated": review.determination, "reviewer_label": key.label}))
    session.flush()
    session.refresh(review)
    return row


def record_override(session: Session, review: Review, key: ApiKey, criterion_id: str,
                    status: str, reason: str) -> Override:
    """An override beside the automated decision, with its audit event; the decision is untouched."""
    if review.status != "done" or not review.decision:
        raise Conflict("the review has no decision yet to override")
    decision = Decision.model_validate(review.decision)
    nodes = {node.id: node for root in decision.criteria for node in walk(root)}
    if criterion_id not in nodes:
        raise NotFound(f"no criterion {criterion_id} in this decision")
    before = next((o.status_after for o in reversed(review.overrides) if o.criterion_id == criterion_id),
                  nodes[criterion_id].status.value)
    override = Override(review_id=review.id, criterion_id=criterion_id, status_before=before,
                        status_after=status, reason=reason.strip(), reviewer=key.id)
    session.add(override)
    session.add(AuditEvent(review_id=review.id, actor=key.id, action="override",
                           detail={"criterion_id": criterion_id, "before": before, "after": status,
                                   "reason": reason.strip()}))
    session.flush()
    session.refresh(review)
    return override

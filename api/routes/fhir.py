"""HL7 Da Vinci PAS over FHIR R4 (issue 15): `Claim/$submit` takes a PAS request Bundle as a review
(the same review, worker and audit as /v1) and answers with a pended ClaimResponse; `Claim/$inquire`
(the Claim's identifier) or `ClaimResponse/cr-<review id>` answers with the ClaimResponse, final
once the review is decided, with the DTR QuestionnaireResponse whose answers carry their evidence
and the DocumentReferences that evidence points at. Errors are OperationOutcomes with a 4xx."""

from __future__ import annotations

import base64
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import object_session
from starlette.concurrency import run_in_threadpool

from api.db import ApiKey, Review
from api.deps import CanCreate, CanRead, SessionDep
from api.problems import Problem
from api.service import NotFound, create_review, get_review, sees_all, validate_upload
from chart_review.contract import Decision
from chart_review.errors import ChartReviewError
from chart_review.pas.bundle import read_bundle
from chart_review.pas.responses import (
    claim_response,
    questionnaire_response,
    reference,
    structure_definition,
    validated,
)

router = APIRouter(prefix="/fhir", tags=["FHIR (Da Vinci PAS / DTR)"])
FHIR_JSON = "application/fhir+json"


class FhirResponse(JSONResponse):
    media_type = FHIR_JSON


def _fhir(description: str) -> dict[str, Any]:
    # Marked so the service's OpenAPI post-processing (api/main.py) leaves it a FHIR resource.
    return {"content": {FHIR_JSON: {"schema": {"type": "object"}}}, "description": description,
            "x-operation-outcome": True}


# FHIR errors are OperationOutcomes; a missing or refused key, or a body over the size limit, is
# answered before the route, as everywhere in the service, with a problem detail.
FHIR_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: _fhir("A FHIR resource or Bundle"),
    **{code: _fhir("An OperationOutcome saying what is wrong") for code in (400, 404, 415, 422)},
    **{code: {"model": Problem} for code in (401, 403, 413)},
}


def outcome(status: int, code: str, text: str) -> JSONResponse:
    body = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": code, "diagnostics": text}]}
    return JSONResponse(body, status_code=status, media_type=FHIR_JSON)


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except (ValueError, RecursionError):
        return None


def _refs(review: Review) -> tuple[dict[str, str], dict[str, str]]:
    patient = (review.request.get("patient") or {}).get("name")
    return reference(None, patient or "the patient"), reference(None, "the health plan")


def _reviewer(review: Review, key_id: str) -> str:
    """A reviewer as people know her: her key's label, else the key's id."""
    session = object_session(review)
    key = session.get(ApiKey, key_id) if session is not None else None
    return (key.label if key is not None and key.label else None) or f"reviewer key {key_id}"


def response_bundle(review: Review, claim_ref: str | None = None, patient: dict[str, str] | None = None,
                    insurer: dict[str, str] | None = None) -> dict[str, Any]:
    """The PAS response Bundle: the ClaimResponse, and once decided the QuestionnaireResponse and
    the DocumentReferences its evidence points at (doc-N, N the document's position)."""
    decision = Decision.model_validate(review.decision) if review.status == "done" and review.decision else None
    default_patient, default_insurer = _refs(review)
    patient, insurer = patient or default_patient, insurer or default_insurer
    ids = {d.name: f"doc-{d.position + 1}" for d in review.documents}
    entries = [validated(claim_response(review.id, decision, claim_ref, patient, insurer, created=review.created_at))]
    if decision is not None:
        overrides = {o.criterion_id: {"status": o.status_after, "author": _reviewer(review, o.reviewer)}
                     for o in sorted(review.overrides, key=lambda o: o.created_at)}
        entries.append(validated(questionnaire_response(decision, review.id, ids, patient, overrides,
                                                        authored=review.updated_at)))
        for d in review.documents:
            kind = "application/pdf" if d.name.lower().endswith(".pdf") else "text/plain"
            entries.append(validated({
                "resourceType": "DocumentReference", "id": ids[d.name], "status": "current",
                "content": [{"attachment": {"contentType": kind, "title": d.name,
                                            "data": base64.b64encode(d.raw).decode("ascii")}}]}))
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"fullUrl": f"urn:chart-review:{e['resourceType']}/{e['id']}", "resource": e} for e in entries]}


@router.post("/Claim/$submit", summary="PAS: submit a prior-authorization request Bundle",
             response_class=FhirResponse, responses=FHIR_RESPONSES)
async def submit(request: Request, key: CanCreate, session: SessionDep) -> JSONResponse:
    data = await _json(request)
    if data is None:
        return outcome(400, "structure", "the body is not JSON")
    try:  # decoding and validating a Bundle is CPU work: off the event loop
        pas = await run_in_threadpool(read_bundle, data)
        validate_upload(pas.request, pas.files, request.app.state.limits, request.app.state.settings.max_files)
    except ChartReviewError as exc:
        return outcome(exc.http_status if 400 <= exc.http_status < 500 else 422, "invalid", str(exc))
    review, created = await run_in_threadpool(create_review, session, key, pas.request, pas.files,
                                              request.headers.get("idempotency-key"))
    session.commit()
    if created:
        request.app.state.worker.notify()
    body = await run_in_threadpool(response_bundle, review, f"Claim/{pas.claim_id}" if pas.claim_id else None,
                                   reference(pas.patient_ref), reference(pas.insurer_ref, "the health plan"))
    return JSONResponse(body, media_type=FHIR_JSON, headers={"Location": f"/fhir/ClaimResponse/cr-{review.id}"})


@router.post("/Claim/$inquire", summary="PAS: the current response to a submitted request (by its Claim identifier)",
             response_class=FhirResponse, responses=FHIR_RESPONSES)
async def inquire(request: Request, key: CanRead, session: SessionDep) -> JSONResponse:
    data = await _json(request)
    if data is None:
        return outcome(400, "structure", "the body is not JSON")
    entries = data.get("entry") if isinstance(data, dict) else None
    claims: list[dict[str, Any]] = [e["resource"] for e in entries or [] if isinstance(e, dict)
                                    and isinstance(e.get("resource"), dict)
                                    and e["resource"].get("resourceType") == "Claim"]
    values = [i.get("value") for c in claims for i in c.get("identifier") or [] if isinstance(i, dict)]
    if not values:
        return outcome(422, "required", "the inquiry Bundle needs a Claim with the identifier it was submitted with")
    return await run_in_threadpool(_inquired, session, key, str(values[0]), claims[0])


def _inquired(session: Any, key: Any, identifier: str, claim: dict[str, Any]) -> JSONResponse:
    query = select(Review).where(Review.reference == identifier).order_by(Review.created_at.desc())
    if not sees_all(key):
        query = query.where(Review.created_by == key.id)
    review = session.scalars(query.limit(1)).first()
    if review is None:
        return outcome(404, "not-found", f"no request with Claim identifier {identifier}")
    patient = (claim.get("patient") or {}).get("reference")
    insurer = (claim.get("insurer") or {}).get("reference")
    return JSONResponse(response_bundle(review, f"Claim/{claim['id']}" if claim.get("id") else None,
                                        reference(patient) if patient else None,
                                        reference(insurer) if insurer else None), media_type=FHIR_JSON)


@router.get("/ClaimResponse/{response_id}", summary="PAS: a ClaimResponse by id (cr-<review id>), with its Bundle",
            response_class=FhirResponse, responses=FHIR_RESPONSES)
def read_claim_response(response_id: str, key: CanRead, session: SessionDep) -> JSONResponse:
    try:
        review = get_review(session, response_id.removeprefix("cr-"), key)
    except NotFound as exc:
        return outcome(404, "not-found", str(exc))
    return JSONResponse(response_bundle(review), media_type=FHIR_JSON)


@router.get("/StructureDefinition/evidence", summary="The evidence extension's StructureDefinition",
            response_class=FhirResponse, responses={200: _fhir("The StructureDefinition")})
def evidence_definition() -> JSONResponse:
    return JSONResponse(structure_definition(), media_type=FHIR_JSON)

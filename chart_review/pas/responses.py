"""A decision as PAS and DTR resources: a `ClaimResponse` (reviewAction approved or pended, never
denied by automation; reasons and missing documentation as notes; preAuthRef the review id) and a
`QuestionnaireResponse` whose answers are the criteria's statuses, each with DTR's
information-origin and our evidence extension (StructureDefinition-evidence.json beside this file):
the document, the offsets, the page, the quote and who found it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from chart_review.contract import CriterionResult, Decision, Disposition, Evidence

EVIDENCE_URL = "https://chart-review.dev/fhir/StructureDefinition/evidence"
ORIGIN_URL = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/information-origin"
REVIEW_ACTION_URL = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewAction"
X12_306 = "https://codesystem.x12.org/005010/306"  # A1 certified in total, A4 pended
STATUS_SYSTEM = "https://chart-review.dev/fhir/CodeSystem/criterion-status"
STRUCTURE_DEFINITION = Path(__file__).with_name("StructureDefinition-evidence.json")


def structure_definition() -> dict[str, Any]:
    return json.loads(STRUCTURE_DEFINITION.read_text("utf-8"))


def _walk(node: CriterionResult) -> list[CriterionResult]:
    return [node, *(n for child in node.children for n in _walk(child))]


def evidence_extension(ev: Evidence, document_ids: Mapping[str, str]) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [
        {"url": "document", "valueReference": {"reference": f"DocumentReference/{document_ids[ev.document]}",
                                               "display": ev.document}}
        if ev.document in document_ids else {"url": "document", "valueString": ev.document},
        {"url": "start", "valueInteger": ev.start},
        {"url": "end", "valueInteger": ev.end},
        {"url": "quote", "valueString": ev.text},
        {"url": "origin", "valueCode": ev.origin or "rules"},
    ]
    if ev.page is not None:
        parts.insert(3, {"url": "page", "valueInteger": ev.page})
    return {"url": EVIDENCE_URL, "extension": parts}


def questionnaire_response(decision: Decision, review_id: str, document_ids: Mapping[str, str],
                           patient: dict[str, str] | None = None,
                           overrides: Mapping[str, Mapping[str, Any]] | None = None,
                           authored: dt.datetime | None = None) -> dict[str, Any]:
    """The guideline's criteria as a DTR QuestionnaireResponse: each answer is the status the
    engine gave (auto-server), or a reviewer's (override, with the reviewer as author)."""
    items = []
    for root in decision.criteria:
        for node in _walk(root):
            override = (overrides or {}).get(node.id)
            status = override["status"] if override else node.status.value
            origin: list[dict[str, Any]] = [{"url": "source", "valueCode": "override" if override else "auto-server"}]
            if override and override.get("author"):
                origin.append({"url": "author", "valueReference": {"display": str(override["author"])}})
            answer = {"valueCoding": {"system": STATUS_SYSTEM, "code": status},
                      "extension": [{"url": ORIGIN_URL, "extension": origin},
                                    *(evidence_extension(ev, document_ids) for ev in node.evidence)]}
            items.append({"linkId": node.id, "text": node.text, "answer": [answer]})
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse", "id": f"qr-{review_id}",
        "questionnaire": f"https://chart-review.dev/fhir/Questionnaire/{decision.guideline.id}|{decision.guideline.version}",
        "status": "completed",
        "authored": (authored or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "item": items,
    }
    if patient:
        resource["subject"] = patient
    return resource


def reference(ref: str | None, display: str | None = None) -> dict[str, str]:
    """A FHIR Reference: the Bundle's own when the request gave one, else a display name."""
    return {"reference": ref} if ref else {"display": display or "not given"}


def claim_response(review_id: str, decision: Decision | None, claim_ref: str | None, patient: dict[str, str],
                   insurer: dict[str, str], items: Sequence[int] = (1,),
                   created: dt.datetime | None = None) -> dict[str, Any]:
    """The PAS ClaimResponse: pended while the review is read, then approved or pended; automation
    never denies (a would-be denial is a recommendation pended for a clinician)."""
    approved = decision is not None and decision.disposition is Disposition.APPROVE
    code = {"system": X12_306, "code": "A1", "display": "Certified in total"} if approved else \
        {"system": X12_306, "code": "A4", "display": "Pended"}
    action = {"url": REVIEW_ACTION_URL,
              "extension": [{"url": "code", "valueCodeableConcept": {"coding": [code]}}]}
    notes = []
    if decision is None:
        notes.append("the review is queued; poll Claim/$inquire for the final response")
    else:
        notes.append(decision.summary)
        notes.extend(decision.disposition_reasons)
        notes.extend(f"documentation needed: {item.sentence}" for item in decision.missing_documentation)
    resource: dict[str, Any] = {
        "resourceType": "ClaimResponse", "id": f"cr-{review_id}", "status": "active",
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
        "use": "preauthorization",
        "created": (created or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "outcome": "queued" if decision is None else "complete",
        "disposition": "queued" if decision is None or decision.disposition is None else decision.disposition.value,
        "preAuthRef": review_id,
        "item": [{"itemSequence": seq, "extension": [action],
                  "adjudication": [{"category": {"coding": [
                      {"system": "http://terminology.hl7.org/CodeSystem/adjudication", "code": "submitted"}]}}]}
                 for seq in items],
        "processNote": [{"number": i + 1, "type": "display", "text": text[:1000]} for i, text in enumerate(notes)],
    }
    resource["patient"] = patient
    resource["insurer"] = insurer
    if claim_ref:
        resource["request"] = {"reference": claim_ref}
    return resource


def validated(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource checked against FHIR (R4B models, R4-compatible here); ValueError if not valid."""
    from fhir.resources.R4B import get_fhir_model_class

    model = get_fhir_model_class(resource["resourceType"])
    return json.loads(model.model_validate(resource).model_dump_json(exclude_none=True))

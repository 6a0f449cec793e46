"""Da Vinci PAS over FHIR (issue 15): a PAS Bundle in, a pended ClaimResponse out, then the final
ClaimResponse with the DTR QuestionnaireResponse whose evidence survives the trip."""

from __future__ import annotations

import base64
import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from chart_review.pas.responses import EVIDENCE_URL, ORIGIN_URL, REVIEW_ACTION_URL, validated
from tests.api.conftest import wait_for
from tests.pas.bundles import NOTE_1, b64, pas_bundle
from tests.pdf_factory import typed_pdf

FHIR = {"content-type": "application/fhir+json"}


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _action(claim_response: dict[str, Any]) -> str:
    (ext,) = [e for e in claim_response["item"][0]["extension"] if e["url"] == REVIEW_ACTION_URL]
    return ext["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]


def _submit(client: TestClient, headers: dict[str, str], bundle: dict[str, Any]) -> Any:
    return client.post("/fhir/Claim/$submit", json=bundle, headers={**headers, **FHIR})


def test_a_pas_bundle_is_pended_then_answered_with_evidence(client, intake):
    """A trial request with two text notes and a PDF: pended on submit; once decided, the final
    ClaimResponse and the QuestionnaireResponse, every quote equal to its document at its offsets."""
    bundle = pas_bundle()
    bundle["entry"].append({"fullUrl": "urn:uuid:binary-pdf", "resource": {
        "resourceType": "Binary", "id": "pdf1", "contentType": "application/pdf",
        "data": base64.b64encode(typed_pdf(["Pain clinic letter: intrathecal trial requested."])).decode()}})
    submitted = _submit(client, intake, bundle)
    assert submitted.status_code == 200, submitted.text
    assert submitted.headers["content-type"].startswith("application/fhir+json")
    (pending,) = _resources(submitted.json(), "ClaimResponse")
    validated(pending)
    assert pending["outcome"] == "queued" and _action(pending) == "A4"
    review_id = pending["preAuthRef"]
    wait_for(client, intake, review_id)

    inquiry = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": copy.deepcopy(
        bundle["entry"][0]["resource"])}]}
    answered = client.post("/fhir/Claim/$inquire", json=inquiry, headers={**intake, **FHIR})
    assert answered.status_code == 200, answered.text
    final = answered.json()
    (response,) = _resources(final, "ClaimResponse")
    (questionnaire,) = _resources(final, "QuestionnaireResponse")
    documents = {d["id"]: base64.b64decode(d["content"][0]["attachment"]["data"])
                 for d in _resources(final, "DocumentReference")}
    for resource in final["entry"]:
        validated(resource["resource"])
    assert response["outcome"] == "complete" and response["preAuthRef"] == review_id
    assert _action(response) in ("A1", "A4"), "approved or pended, never denied"
    assert response["request"] == {"reference": "Claim/claim1"}
    quotes = 0
    for item in questionnaire["item"]:
        (answer,) = item["answer"]
        origin = next(e for e in answer["extension"] if e["url"] == ORIGIN_URL)
        assert origin["extension"][0]["valueCode"] == "auto-server"
        for ext in (e for e in answer["extension"] if e["url"] == EVIDENCE_URL):
            parts = {p["url"]: p for p in ext["extension"]}
            doc_id = parts["document"]["valueReference"]["reference"].removeprefix("DocumentReference/")
            text = documents[doc_id].decode("utf-8") if not documents[doc_id].startswith(b"%PDF") else None
            if text is not None:
                start, end = parts["start"]["valueInteger"], parts["end"]["valueInteger"]
                assert text[start:end] == parts["quote"]["valueString"]
            assert parts["origin"]["valueCode"] == "rules"
            quotes += 1
    assert quotes > 0


def test_a_replacement_with_an_interrogation_report(client, intake):
    report = ("PUMP INTERROGATION REPORT 03/01/2025\nImplant date ......... 03/14/2017\n"
              "Battery status ....... ELECTIVE REPLACEMENT INDICATOR (ERI)\n"
              "Alarm: low battery alarm sounding since 02/27/2025.\n")
    docs = [{"resourceType": "DocumentReference", "id": "interrogation", "status": "current",
             "content": [{"attachment": {"contentType": "text/plain", "title": "interrogation.txt",
                                         "data": b64(report)}}]},
            {"resourceType": "DocumentReference", "id": "note", "status": "current",
             "content": [{"attachment": {"contentType": "text/plain", "title": "note.txt", "data": b64(NOTE_1)}}]}]
    submitted = _submit(client, intake, pas_bundle(codes=("62362",), documents=docs))
    assert submitted.status_code == 200, submitted.text
    review_id = _resources(submitted.json(), "ClaimResponse")[0]["preAuthRef"]
    review = wait_for(client, intake, review_id)
    assert review["request"]["procedure_codes"] == ["62362"]
    final = client.get(f"/fhir/ClaimResponse/cr-{review_id}", headers=intake).json()
    (response,) = _resources(final, "ClaimResponse")
    assert _action(response) in ("A1", "A4")
    assert review["decision"]["request_type"] == "replacement"


@pytest.mark.parametrize(("mutate", "status", "says"), [
    pytest.param(lambda b: {"resourceType": "Patient"}, 422, "not a FHIR Bundle", id="not a Bundle"),
    pytest.param(lambda b: {**b, "entry": "not a list"}, 422, "Bundle.", id="an invalid Bundle"),
    pytest.param(lambda b: {**b, "entry": b["entry"][1:]}, 422, "no Claim", id="no Claim"),
    pytest.param(lambda b: _without_documents(b), 400, "no chart documents", id="no documents"),
    pytest.param(lambda b: _code(b, "99999"), 422, "99999", id="a code the guideline does not know"),
    pytest.param(lambda b: _content_type(b, "application/msword"), 415, "application/msword", id="a Word file"),
])
def test_bad_bundles_get_an_operation_outcome(client, intake, mutate, status, says):
    response = _submit(client, intake, mutate(pas_bundle()))
    assert response.status_code == status, response.text
    body = response.json()
    assert body["resourceType"] == "OperationOutcome" and says in body["issue"][0]["diagnostics"]
    validated(body)


def test_a_body_that_is_not_json_is_refused(client, intake):
    response = client.post("/fhir/Claim/$submit", content=b"{not json", headers={**intake, **FHIR})
    assert response.status_code == 400 and response.json()["resourceType"] == "OperationOutcome"


def test_fhir_needs_a_key(client):
    assert _submit(client, {}, pas_bundle()).status_code == 401


def test_the_evidence_extension_is_defined(client):
    definition = client.get("/fhir/StructureDefinition/evidence").json()
    validated(definition)
    assert definition["url"] == EVIDENCE_URL


def _without_documents(bundle: dict[str, Any]) -> dict[str, Any]:
    return {**bundle, "entry": [e for e in bundle["entry"] if e["resource"]["resourceType"] != "DocumentReference"]}


def _code(bundle: dict[str, Any], code: str) -> dict[str, Any]:
    bundle = copy.deepcopy(bundle)
    bundle["entry"][0]["resource"]["item"][0]["productOrService"]["coding"][0]["code"] = code
    return bundle


def _content_type(bundle: dict[str, Any], kind: str) -> dict[str, Any]:
    bundle = copy.deepcopy(bundle)
    bundle["entry"][-1]["resource"]["content"][0]["attachment"]["contentType"] = kind
    return bundle


def test_the_cli_reviews_a_pas_bundle_and_exports_a_stored_review(client, intake, database_url, tmp_path,
                                                                   monkeypatch, capsys):
    import json

    from api.settings import get_settings
    from chart_review.cli import main

    path = tmp_path / "pas.json"
    path.write_text(json.dumps(pas_bundle()), encoding="utf-8")
    assert main(["review", str(path)]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["request_type"] == "trial" and decision["disposition"] != "deny"

    submitted = _submit(client, intake, pas_bundle())
    review_id = _resources(submitted.json(), "ClaimResponse")[0]["preAuthRef"]
    wait_for(client, intake, review_id)
    monkeypatch.setenv("CHART_REVIEW_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        assert main(["fhir", "export", review_id]) == 0
        exported = json.loads(capsys.readouterr().out)
        kinds = [e["resource"]["resourceType"] for e in exported["entry"]]
        assert kinds[:2] == ["ClaimResponse", "QuestionnaireResponse"] and "DocumentReference" in kinds
        assert main(["fhir", "export", "no-such-review"]) == 2
        assert "no review" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def test_a_reviewers_override_is_the_answers_origin(client, intake, reviewer):
    """DTR: an answer a reviewer changed carries origin override, with the reviewer as author."""
    submitted = _submit(client, intake, pas_bundle())
    review_id = _resources(submitted.json(), "ClaimResponse")[0]["preAuthRef"]
    wait_for(client, intake, review_id)
    changed = client.post(f"/v1/reviews/{review_id}/overrides", headers=reviewer,
                          json={"criterion_id": "cancer_pain.life_expectancy_3_months", "status": "not_met",
                                "reason": "The oncology letter gives weeks, not months."})
    assert changed.status_code == 201, changed.text
    final = client.get(f"/fhir/ClaimResponse/cr-{review_id}", headers=reviewer).json()
    (questionnaire,) = _resources(final, "QuestionnaireResponse")
    items = {i["linkId"]: i for i in questionnaire["item"]}
    answer = items["cancer_pain.life_expectancy_3_months"]["answer"][0]
    assert answer["valueCoding"]["code"] == "not_met"
    origin = next(e for e in answer["extension"] if e["url"] == ORIGIN_URL)["extension"]
    assert origin[0] == {"url": "source", "valueCode": "override"}
    assert origin[1]["url"] == "author" and origin[1]["valueReference"]["display"] == "test reviewer"
    untouched = items["cancer_pain.metastatic_lesion"]["answer"][0]
    kept = next(e for e in untouched["extension"] if e["url"] == ORIGIN_URL)["extension"]
    assert kept[0]["valueCode"] == "auto-server"

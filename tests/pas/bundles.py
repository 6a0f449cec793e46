"""Example PAS request Bundles for the tests (fictional patients)."""

from __future__ import annotations

import base64
from typing import Any

NOTE_1 = ("ONCOLOGY FOLLOW-UP 03/02/2025\n"
          "Metastatic breast cancer with bone metastases to T10 and L2.\n"
          "Oxycodone and fentanyl patch failed: pain 8/10 with sedation.\n"
          "Life expectancy is at least 12 months per oncology.\n")
NOTE_2 = ("MRI THORACIC AND LUMBAR SPINE 02/20/2025\n"
          "IMPRESSION: osseous metastases T10 and L2. No epidural tumor; the thecal sac is patent. No stenosis.\n")


def b64(text: str | bytes) -> str:
    return base64.b64encode(text.encode("utf-8") if isinstance(text, str) else text).decode("ascii")


def pas_bundle(codes: tuple[str, ...] = ("62327",), documents: list[dict[str, Any]] | None = None,
               service_date: str = "2025-03-10") -> dict[str, Any]:
    documents = documents if documents is not None else [
        {"resourceType": "DocumentReference", "id": "note1", "status": "current",
         "content": [{"attachment": {"contentType": "text/plain", "title": "oncology_note.txt", "data": b64(NOTE_1)}}]},
        {"resourceType": "DocumentReference", "id": "mri", "status": "current",
         "content": [{"attachment": {"contentType": "text/plain", "title": "mri.txt", "data": b64(NOTE_2)}}]},
    ]
    claim = {
        "resourceType": "Claim", "id": "claim1", "status": "active", "use": "preauthorization",
        "identifier": [{"system": "urn:example:intake", "value": "PA-2025-0001"}],
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
        "patient": {"reference": "Patient/pat1"}, "created": "2025-03-03",
        "insurer": {"reference": "Organization/payer1"}, "provider": {"reference": "Organization/prov1"},
        "priority": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/processpriority", "code": "normal"}]},
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": "Coverage/cov1"}}],
        "supportingInfo": [{"sequence": i + 1, "category": {"coding": [{"code": "attachment"}]},
                            "valueReference": {"reference": f"DocumentReference/{d['id']}"}}
                           for i, d in enumerate(documents) if d["resourceType"] == "DocumentReference"],
        "item": [{"sequence": i + 1, "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt",
                                                                      "code": code}]},
                  "servicedDate": service_date, "quantity": {"value": 1}} for i, code in enumerate(codes)],
    }
    resources = [
        claim,
        {"resourceType": "Patient", "id": "pat1", "name": [{"family": "Example", "given": ["Rowan"]}],
         "birthDate": "1961-04-02"},
        {"resourceType": "Organization", "id": "prov1", "name": "Fictional Pain Associates",
         "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}]},
        {"resourceType": "Organization", "id": "payer1", "name": "Fictional Health Plan"},
        {"resourceType": "Coverage", "id": "cov1", "status": "active", "subscriberId": "FHP123456",
         "beneficiary": {"reference": "Patient/pat1"}, "payor": [{"reference": "Organization/payer1"}]},
        *documents,
    ]
    return {"resourceType": "Bundle", "type": "collection", "timestamp": "2025-03-03T10:00:00Z",
            "identifier": {"system": "urn:example:bundle", "value": "B-1"},
            "entry": [{"fullUrl": f"urn:uuid:{r['resourceType'].lower()}-{r['id']}", "resource": r} for r in resources]}

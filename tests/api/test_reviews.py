"""/v1/reviews through the TestClient: create (JSON and upload), wait, statuses, idempotency,
listing, document text, overrides and the audit trail."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.auth import verify_key
from api.db import Database
from chart_review.errors import ChartReviewError, E
from tests.api.conftest import (
    BACKENDS,
    OUTSIDE_REQUEST,
    SMALL_NOTE,
    SMALL_REQUEST,
    Idle,
    Submit,
    assert_error,
    bearer,
    new_key,
    wait_for,
)
from tests.conftest import FIXTURE_CASES
from tests.pdf_factory import typed_pdf

PDF_PAGES = [
    "Pain clinic note, page one. The patient has metastatic lung cancer with bone metastases.",
    "Pain clinic note, page two. Intrathecal morphine trial gave seventy percent pain relief.",
]


def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node["children"]:
        yield from walk(child)


def criteria(decision: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for root in decision["criteria"] for node in walk(root)}


def key_id(db: Database, plaintext: str) -> str:
    with db.session() as session:
        row = verify_key(session, plaintext)
        assert row is not None
        return row.id


def aware(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None, f"{value} has no time zone"
    return parsed


# -- create ----------------------------------------------------------------------------------


def test_reviews_create_json_answers_202_with_location(client: TestClient, intake: dict[str, str]) -> None:
    body = {"request": SMALL_REQUEST, "documents": [{"name": "oncology_note.txt", "text": SMALL_NOTE}]}
    response = client.post("/v1/reviews", json=body, headers=intake)
    assert response.status_code == 202, response.text
    created = response.json()
    assert response.headers["Location"] == f"/v1/reviews/{created['id']}"
    assert "Idempotent-Replayed" not in response.headers
    assert created["status"] in ("queued", "processing", "done")
    assert created["request"] == SMALL_REQUEST
    assert [d["name"] for d in created["documents"]] == ["oncology_note.txt"]
    aware(created["created_at"])
    aware(created["updated_at"])


def test_reviews_wait_returns_the_decision(client: TestClient, intake: dict[str, str]) -> None:
    body = {"request": SMALL_REQUEST, "documents": [{"name": "oncology_note.txt", "text": SMALL_NOTE}]}
    review_id = client.post("/v1/reviews", json=body, headers=intake).json()["id"]
    started = time.monotonic()
    response = client.get(f"/v1/reviews/{review_id}", params={"wait": 25}, headers=intake)
    assert response.status_code == 200
    review = response.json()
    assert review["status"] == "done", review
    assert time.monotonic() - started < 25, "wait held the request past the decision"
    decision = review["decision"]
    assert review["determination"] == decision["determination"]
    assert decision["guideline"] == {"id": "intrathecal-pain-pumps", "version": "2"}
    assert decision["criteria"], "a decided review has its criterion tree"
    document = review["documents"][0]
    assert document["pages"] == 1 and len(document["sha256"]) == 64
    assert review["error"] is None and review["overrides"] == []


def test_reviews_statuses_queued_processing_done(idle: Idle) -> None:
    client, headers = idle.client, bearer(idle.keys["intake"])
    body = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
    created = client.post("/v1/reviews", json=body, headers=headers)
    assert created.status_code == 202 and created.json()["status"] == "queued"
    review_id = created.json()["id"]

    # ?wait= holds a queued review at most max_wait_seconds (1 s here), then answers as it stands.
    started = time.monotonic()
    waited = client.get(f"/v1/reviews/{review_id}", params={"wait": 1000}, headers=headers)
    assert waited.json()["status"] == "queued" and waited.json()["decision"] is None
    assert 0.5 <= time.monotonic() - started < 10

    worker = idle.app.state.worker
    assert worker._next() == review_id
    assert client.get(f"/v1/reviews/{review_id}", headers=headers).json()["status"] == "processing"
    worker.process(review_id)
    done = client.get(f"/v1/reviews/{review_id}", headers=headers).json()
    assert done["status"] == "done" and done["decision"] is not None


def test_reviews_failed_review_says_why(idle: Idle, monkeypatch: pytest.MonkeyPatch) -> None:
    client, headers = idle.client, bearer(idle.keys["intake"])

    def unreadable(*args: Any, **kwargs: Any) -> Any:
        raise ChartReviewError(E.DOCUMENT_UNREADABLE, source="note.txt", problem="page 2 cannot be read")

    monkeypatch.setattr("api.worker.review_documents", unreadable)
    body = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
    review_id = client.post("/v1/reviews", json=body, headers=headers).json()["id"]
    worker = idle.app.state.worker
    assert worker._next() == review_id
    worker.process(review_id)
    failed = client.get(f"/v1/reviews/{review_id}", headers=headers).json()
    assert failed["status"] == "failed" and failed["decision"] is None
    assert "page 2 cannot be read" in failed["error"]
    assert [e["action"] for e in client.get(f"/v1/reviews/{review_id}/audit", headers=headers).json()] == [
        "created", "failed"]


def test_reviews_upload_txt_and_pdf(client: TestClient, intake: dict[str, str]) -> None:
    files = [("files", ("oncology_note.txt", SMALL_NOTE.encode(), "text/plain")),
             ("files", ("pain_clinic.pdf", typed_pdf(PDF_PAGES), "application/pdf"))]
    response = client.post("/v1/reviews/upload", data={"request": json.dumps(SMALL_REQUEST)}, files=files,
                           headers=intake)
    assert response.status_code == 202, response.text
    assert response.headers["Location"] == f"/v1/reviews/{response.json()['id']}"
    review = wait_for(client, intake, response.json()["id"])
    assert review["status"] == "done", review
    assert [(d["name"], d["pages"]) for d in review["documents"]] == [("oncology_note.txt", 1),
                                                                      ("pain_clinic.pdf", 2)]
    assert [d["name"] for d in review["decision"]["documents"]] == ["oncology_note.txt", "pain_clinic.pdf"]

    pdf = review["documents"][1]
    detail = client.get(f"/v1/reviews/{review['id']}/documents/{pdf['id']}", headers=intake)
    assert detail.status_code == 200
    page_map = detail.json()
    assert page_map["pages"] == 2 and page_map["ocr_pages"] == []
    starts = page_map["page_starts"]
    assert starts[0] == 0 and len(starts) == 2
    assert "page one" in page_map["text"][: starts[1]] and "page two" in page_map["text"][starts[1]:]


def test_reviews_decision_passes_the_contract_check(client: TestClient, intake: dict[str, str],
                                                    contract_check: Any) -> None:
    case = FIXTURE_CASES / "cancer-01-lung-bone-mets-permanent-70pct"
    request = json.loads((case / "request.json").read_text(encoding="utf-8"))
    documents = [{"name": p.name, "text": p.read_text(encoding="utf-8")}
                 for p in sorted((case / "documents").glob("*.txt"))]
    created = client.post("/v1/reviews", json={"request": request, "documents": documents}, headers=intake)
    assert created.status_code == 202, created.text
    review = wait_for(client, intake, created.json()["id"])
    assert review["status"] == "done", review
    assert contract_check.check(review["decision"], case) == []


def test_reviews_a_chart_over_a_million_characters(client: TestClient, intake: dict[str, str],
                                                   contract_check: Any, tmp_path: Path) -> None:
    """Issue 12 item 5: 1.5 million characters (past spaCy's max_length) through the service:
    done, not "internal error", and the decision passes the contract check."""
    case = FIXTURE_CASES / "cancer-01-lung-bone-mets-permanent-70pct"
    request = json.loads((case / "request.json").read_text(encoding="utf-8"))
    documents = [{"name": p.name, "text": p.read_text(encoding="utf-8")}
                 for p in sorted((case / "documents").glob("*.txt"))]
    filler = "Routine nursing check. Vitals stable. Tolerating diet.\n\n"
    documents[0]["text"] = filler * (1_500_000 // len(filler)) + documents[0]["text"]
    created = client.post("/v1/reviews", json={"request": request, "documents": documents}, headers=intake)
    assert created.status_code == 202, created.text
    review = wait_for(client, intake, created.json()["id"], seconds=180)
    assert review["status"] == "done", review
    big = tmp_path / "big-case"
    (big / "documents").mkdir(parents=True)
    (big / "request.json").write_text(json.dumps(request), encoding="utf-8")
    for document in documents:
        (big / "documents" / document["name"]).write_text(document["text"], encoding="utf-8")
    assert contract_check.check(review["decision"], big) == []


# -- idempotency -----------------------------------------------------------------------------


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_reviews_idempotency_key_replays_the_first_review(client: TestClient, intake: dict[str, str],
                                                           admin: dict[str, str]) -> None:
    body = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
    first = client.post("/v1/reviews", json=body, headers={**intake, "Idempotency-Key": "intake-42"})
    assert first.status_code == 202 and "Idempotent-Replayed" not in first.headers
    wait_for(client, intake, first.json()["id"])

    again = client.post("/v1/reviews", json=body, headers={**intake, "Idempotency-Key": "intake-42"})
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["status"] == "done" and again.json()["decision"] is not None

    # The upload endpoint shares the keys: a retry through it finds the same review.
    upload = client.post("/v1/reviews/upload", data={"request": json.dumps(SMALL_REQUEST)},
                         files=[("files", ("note.txt", SMALL_NOTE.encode(), "text/plain"))],
                         headers={**intake, "Idempotency-Key": "intake-42"})
    assert upload.status_code == 200 and upload.json()["id"] == first.json()["id"]

    other = client.post("/v1/reviews", json=body, headers={**intake, "Idempotency-Key": "intake-43"})
    assert other.status_code == 202 and other.json()["id"] != first.json()["id"]
    # Keys are scoped to the API key that sent them.
    someone_else = client.post("/v1/reviews", json=body, headers={**admin, "Idempotency-Key": "intake-42"})
    assert someone_else.status_code == 202 and someone_else.json()["id"] != first.json()["id"]
    # Tenancy: the intake key lists its own two; the admin lists all three.
    assert client.get("/v1/reviews", headers=intake).json()["total"] == 2
    assert client.get("/v1/reviews", headers=admin).json()["total"] == 3


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_reviews_idempotency_race_answers_with_the_first_review(client: TestClient, intake: dict[str, str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Two requests with one key racing: the loser's insert hits the unique constraint."""
    import api.service

    real = api.service.find_idempotent
    calls = {"n": 0}

    def blind_once(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        return None if calls["n"] == 1 else real(*args, **kwargs)

    body = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
    first = client.post("/v1/reviews", json=body, headers={**intake, "Idempotency-Key": "race"})
    monkeypatch.setattr(api.service, "find_idempotent", blind_once)
    second = client.post("/v1/reviews", json=body, headers={**intake, "Idempotency-Key": "race"})
    assert second.status_code == 200, second.text
    assert second.json()["id"] == first.json()["id"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert client.get("/v1/reviews", headers=intake).json()["total"] == 1


# -- list ------------------------------------------------------------------------------------


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_reviews_list_filters_and_pages(client: TestClient, intake: dict[str, str], submit: Submit) -> None:
    first = submit(request=OUTSIDE_REQUEST)
    second = submit()
    third = submit(request=OUTSIDE_REQUEST)
    assert first["determination"] == third["determination"] == "outside_guideline"
    assert second["determination"] != "outside_guideline"

    def ids(**params: Any) -> list[str]:
        response = client.get("/v1/reviews", params=params, headers=intake)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["total"] >= len(page["items"])
        return [item["id"] for item in page["items"]]

    newest_first = [third["id"], second["id"], first["id"]]
    assert ids() == newest_first
    page = client.get("/v1/reviews", params={"limit": 2}, headers=intake).json()
    assert [i["id"] for i in page["items"]] == newest_first[:2]
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 0)
    page = client.get("/v1/reviews", params={"limit": 2, "offset": 2}, headers=intake).json()
    assert [i["id"] for i in page["items"]] == newest_first[2:] and page["total"] == 3
    assert ids(offset=3) == []

    assert ids(determination="outside_guideline") == [third["id"], first["id"]]
    assert ids(determination=second["determination"]) == [second["id"]]
    assert ids(status="done") == newest_first
    assert ids(status="queued") == [] and ids(status="failed") == []
    assert ids(status="done", determination="outside_guideline", limit=1) == [third["id"]]

    created = [aware(r["created_at"]) for r in (first, second, third)]
    assert ids(created_after=created[1].isoformat()) == [third["id"], second["id"]]
    assert ids(created_before=created[1].isoformat()) == [first["id"]]
    assert ids(created_after=(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()) == []
    # The same instants written in another time zone select the same reviews.
    plus_five = dt.timezone(dt.timedelta(hours=5))
    assert ids(created_after=created[1].astimezone(plus_five).isoformat()) == [third["id"], second["id"]]
    minus_seven = dt.timezone(dt.timedelta(hours=-7))
    assert ids(created_before=created[1].astimezone(minus_seven).isoformat()) == [first["id"]]
    # A time without a zone is UTC.
    naive = created[1].astimezone(dt.UTC).replace(tzinfo=None)
    assert ids(created_after=naive.isoformat()) == [third["id"], second["id"]]


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_reviews_found_by_case_identity(client: TestClient, intake: dict[str, str], submit: Submit) -> None:
    """Issue 11: reviews are found by the intake system's reference, the member id, part of the
    patient's name, and the disposition; each row carries the disposition."""
    def identity(reference: str, member_id: str, name: str) -> dict[str, Any]:
        return {**SMALL_REQUEST, "reference": reference,
                "patient": {"age_years": 61, "member_id": member_id, "name": name}}

    ada = submit(request=identity("PA-2025-0001", "W100", "Ada Q. Fictional"))
    bo = submit(request=identity("PA-2025-0002", "W200", "Bo Invented"))
    outside = submit(request=OUTSIDE_REQUEST)
    assert ada["disposition"] and ada["disposition"] == ada["decision"]["disposition"]
    assert outside["disposition"] == "outside_guideline"

    def ids(**params: Any) -> list[str]:
        response = client.get("/v1/reviews", params=params, headers=intake)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids(reference="PA-2025-0002") == [bo["id"]]
    assert ids(member_id="W100") == [ada["id"]]
    assert ids(reference="PA-2025") == []  # exact, not a prefix
    assert ids(q="fictional") == [ada["id"]]
    assert ids(q="pa-2025") == [bo["id"], ada["id"]]
    assert ids(q="w2") == [bo["id"]]
    assert ids(q="%_") == []  # the search box's wildcards are literal
    assert ids(disposition="outside_guideline") == [outside["id"]]
    assert set(ids(disposition=ada["disposition"])) >= {ada["id"]}


@pytest.mark.parametrize(("params", "names"), [
    ({"disposition": "deny"}, "disposition"),
    ({"q": "x"}, "q"),
    ({"determination": "approved"}, "determination"),
    ({"status": "paused"}, "status"),
    ({"limit": 0}, "limit"),
    ({"limit": 201}, "limit"),
    ({"offset": -1}, "offset"),
    ({"created_after": "last tuesday"}, "created_after"),
    # A NUL is refused with a 422 (found by schemathesis on PostgreSQL, which answered it with a 500).
    ({"member_id": "\x00"}, "member_id"),
    ({"reference": "PA-\x00"}, "reference"),
    ({"q": "ad\x00a"}, "q"),
])
@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_reviews_list_refuses_bad_filters(client: TestClient, intake: dict[str, str], params: dict[str, Any],
                                          names: str) -> None:
    assert_error(client.get("/v1/reviews", params=params, headers=intake), 422, "E011", says=names)


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
@pytest.mark.parametrize("identity", [{"reference": "PA\x00"}, {"patient": {"name": "Ada\x00"}},
                                      {"requesting_provider": {"npi": "12\x003"}}])
def test_reviews_identity_with_a_nul_is_refused(client: TestClient, intake: dict[str, str],
                                                identity: dict[str, Any]) -> None:
    body = {"request": {**SMALL_REQUEST, **identity}, "documents": [{"name": "n.txt", "text": SMALL_NOTE}]}
    assert_error(client.post("/v1/reviews", json=body, headers=intake), 422, "E011")
    assert client.get("/v1/reviews", headers=intake).json()["total"] == 0


# -- documents -------------------------------------------------------------------------------


def test_reviews_document_text_indexes_the_evidence(client: TestClient, intake: dict[str, str],
                                                    submit: Submit) -> None:
    second_note = "Pain clinic note.\r\nTrial of intrathecal morphine gave 70% relief.\r\n"
    review = submit(documents=[{"name": "oncology_note.txt", "text": SMALL_NOTE},
                               {"name": "pain_clinic.txt", "text": second_note}])
    assert review["status"] == "done"
    texts = {}
    for summary in review["documents"]:
        response = client.get(f"/v1/reviews/{review['id']}/documents/{summary['id']}", headers=intake)
        assert response.status_code == 200
        document = response.json()
        assert (document["id"], document["name"], document["sha256"]) == (summary["id"], summary["name"],
                                                                         summary["sha256"])
        assert document["page_starts"] == [0] and document["pages"] == 1
        texts[document["name"]] = document["text"]
    assert texts == {"oncology_note.txt": SMALL_NOTE, "pain_clinic.txt": second_note.replace("\r\n", "\n")}

    evidence = [e for node in criteria(review["decision"]).values() for e in node["evidence"]]
    assert evidence, "the small chart yields evidence"
    for item in evidence:
        assert texts[item["document"]][item["start"]:item["end"]] == item["text"]


def test_reviews_document_not_found(client: TestClient, intake: dict[str, str], submit: Submit) -> None:
    one, other = submit(), submit(request=OUTSIDE_REQUEST)
    foreign = other["documents"][0]["id"]
    assert_error(client.get(f"/v1/reviews/{one['id']}/documents/{foreign}", headers=intake), 404, "HTTP404")
    assert_error(client.get(f"/v1/reviews/{one['id']}/documents/nope", headers=intake), 404, "HTTP404")
    assert_error(client.get(f"/v1/reviews/{'0' * 32}/documents/{foreign}", headers=intake), 404, "HTTP404")


def test_reviews_document_before_it_is_read(idle: Idle) -> None:
    headers = bearer(idle.keys["intake"])
    body = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
    review = idle.client.post("/v1/reviews", json=body, headers=headers).json()
    response = idle.client.get(f"/v1/reviews/{review['id']}/documents/{review['documents'][0]['id']}",
                               headers=headers)
    assert_error(response, 404, says="not been read yet")


# -- overrides and audit ---------------------------------------------------------------------


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_reviews_overrides_chain_and_leave_the_decision(client: TestClient, app: Any, keys: dict[str, str],
                                                        submit: Submit) -> None:
    intake, reviewer = bearer(keys["intake"]), bearer(keys["reviewer"])
    review = submit()
    decision = review["decision"]
    nodes = criteria(decision)
    leaf_ids = [cid for cid, node in nodes.items() if node["logic"] == "leaf"]
    first_id, second_id = leaf_ids[0], leaf_ids[1]
    start = nodes[first_id]["status"]
    after_one, after_two = [s for s in ("met", "not_met", "unknown") if s != start]

    def override(criterion: str, status: str, reason: str) -> dict[str, Any]:
        response = client.post(f"/v1/reviews/{review['id']}/overrides", headers=reviewer,
                               json={"criterion_id": criterion, "status": status, "reason": reason})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    one = override(first_id, after_one, "  Oncology letter of 10/02 documents it.  ")
    two = override(first_id, after_two, "Second look at the trial note.")
    three = override(second_id, "unknown", "The note is illegible here.")
    reviewer_id = key_id(app.state.db, keys["reviewer"])
    assert (one["status_before"], one["status_after"]) == (start, after_one)
    assert (two["status_before"], two["status_after"]) == (after_one, after_two)
    assert (three["status_before"], three["status_after"]) == (nodes[second_id]["status"], "unknown")
    assert one["reason"] == "Oncology letter of 10/02 documents it."
    assert {o["reviewer"] for o in (one, two, three)} == {reviewer_id}
    aware(one["created_at"])

    after = client.get(f"/v1/reviews/{review['id']}", headers=intake).json()
    assert after["decision"] == decision, "the automated decision is never overwritten"
    assert after["determination"] == review["determination"]
    assert [o["id"] for o in after["overrides"]] == [one["id"], two["id"], three["id"]]
    assert [(o["criterion_id"], o["status_before"], o["status_after"]) for o in after["overrides"]] == [
        (first_id, start, after_one), (first_id, after_one, after_two), (second_id, nodes[second_id]["status"],
                                                                         "unknown")]

    trail = client.get(f"/v1/reviews/{review['id']}/audit", headers=intake)
    assert trail.status_code == 200
    events = trail.json()
    assert [e["action"] for e in events] == ["created", "decided", "override", "override", "override"]
    intake_id = key_id(app.state.db, keys["intake"])
    assert events[0]["actor"] == intake_id and events[1]["actor"] == "system"
    assert events[1]["detail"] == {"determination": review["determination"],
                                   "worker": app.state.worker.name}
    overrides = events[2:]
    assert {e["actor"] for e in overrides} == {reviewer_id}
    assert overrides[0]["detail"] == {"criterion_id": first_id, "before": start, "after": after_one,
                                      "reason": "Oncology letter of 10/02 documents it."}
    assert overrides[1]["detail"]["before"] == after_one and overrides[1]["detail"]["after"] == after_two
    when = [aware(e["created_at"]) for e in events]
    assert when == sorted(when)
    assert all(e["review_id"] == review["id"] for e in events)


def test_reviews_reviewer_view_recomputes_the_tree(client: TestClient, keys: dict[str, str],
                                                  submit: Submit) -> None:
    reviewer = bearer(keys["reviewer"])
    review = submit()
    assert review["reviewer_view"] is None, "no overrides, no second reading"
    exclusion = review["decision"]["criteria"][1]
    leaf = next(node for node in walk_json(exclusion) if node["logic"] == "leaf")
    response = client.post(f"/v1/reviews/{review['id']}/overrides", headers=reviewer,
                           json={"criterion_id": leaf["id"], "status": "met",
                                 "reason": "The psychology note documents it."})
    assert response.status_code == 201, response.text
    after = client.get(f"/v1/reviews/{review['id']}", headers=reviewer).json()
    view = after["reviewer_view"]
    assert view["determination"] == "does_not_meet_criteria"
    assert {"criterion_id": leaf["id"], "automated": leaf["status"], "reviewer": "met"} in view["changed"]
    assert {"criterion_id": exclusion["id"], "automated": exclusion["status"], "reviewer": "met"} in view["changed"]
    assert after["decision"] == review["decision"], "the automated decision is never overwritten"
    # Who did it is named by her key's label, in the review and in its audit trail.
    assert [o["reviewer_label"] for o in after["overrides"]] == ["test reviewer"]
    trail = client.get(f"/v1/reviews/{review['id']}/audit", headers=reviewer).json()
    assert [(e["action"], e["actor_label"]) for e in trail] == [
        ("created", "test intake"), ("decided", "the service"), ("override", "test reviewer")]


def walk_json(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node] + [n for child in node.get("children", []) for n in walk_json(child)]


@pytest.mark.parametrize(("body", "status", "says"), [
    ({"criterion_id": "no_such_criterion", "status": "met", "reason": "A reason."}, 404, "no criterion"),
    ({"status": "met", "reason": "A reason."}, 422, "criterion_id"),
    ({"criterion_id": "{leaf}", "status": "approved", "reason": "A reason."}, 422, "status"),
    ({"criterion_id": "{leaf}", "status": "met"}, 422, "reason"),
    ({"criterion_id": "{leaf}", "status": "met", "reason": "ok"}, 422, "reason"),
    ({"criterion_id": "{leaf}", "status": "met", "reason": "      "}, 422, "reason"),
    ({"criterion_id": "{leaf}", "status": "met", "reason": 42}, 422, "reason"),
    ({"criterion_id": "{leaf}", "status": "met", "reason": "A reason.", "by": "me"}, 422, "by"),
])
def test_reviews_override_validation(client: TestClient, reviewer: dict[str, str], submit: Submit,
                                     body: dict[str, Any], status: int, says: str) -> None:
    review = submit()
    leaf = next(cid for cid, node in criteria(review["decision"]).items() if node["logic"] == "leaf")
    body = {k: (leaf if v == "{leaf}" else v) for k, v in body.items()}
    response = client.post(f"/v1/reviews/{review['id']}/overrides", json=body, headers=reviewer)
    assert_error(response, status, says=says)
    assert client.get(f"/v1/reviews/{review['id']}", headers=reviewer).json()["overrides"] == []


def test_reviews_override_before_a_decision_conflicts(idle: Idle) -> None:
    body = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
    review = idle.client.post("/v1/reviews", json=body, headers=bearer(idle.keys["intake"])).json()
    response = idle.client.post(f"/v1/reviews/{review['id']}/overrides", headers=bearer(idle.keys["reviewer"]),
                                json={"criterion_id": "cancer_pain", "status": "met", "reason": "A reason."})
    assert_error(response, 409, "HTTP409", says="no decision yet")


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_reviews_reviewer_determination_beside_the_automated(client: TestClient, reviewer: dict[str, str],
                                                             intake: dict[str, str], submit: Submit) -> None:
    """Issue 11: a reviewer records her own determination with a reason; the automated decision is
    kept, both are listed, and the audit names the key's label."""
    review = submit()
    automated = review["decision"]
    body = {"determination": "refer_to_physician", "reason": "  Life expectancy is the oncologist's call.  "}
    response = client.post(f"/v1/reviews/{review['id']}/determination", json=body, headers=reviewer)
    assert response.status_code == 201, response.text
    assert response.json()["reason"] == "Life expectancy is the oncologist's call."
    second = client.post(f"/v1/reviews/{review['id']}/determination", headers=reviewer,
                         json={"determination": "approve", "reason": "Oncology letter received."})
    assert second.status_code == 201
    after = client.get(f"/v1/reviews/{review['id']}", headers=reviewer).json()
    assert after["decision"] == automated
    assert [d["determination"] for d in after["reviewer_determinations"]] == ["refer_to_physician", "approve"]
    events = client.get(f"/v1/reviews/{review['id']}/audit", headers=reviewer).json()
    recorded = [e for e in events if e["action"] == "reviewer_determination"]
    assert [e["detail"]["determination"] for e in recorded] == ["refer_to_physician", "approve"]
    assert all(e["detail"]["reviewer_label"] == "test reviewer" for e in recorded)
    # An intake key reads but cannot determine.
    refused = client.post(f"/v1/reviews/{review['id']}/determination", headers=intake,
                          json={"determination": "approve", "reason": "Looks fine."})
    assert refused.status_code == 403


@pytest.mark.parametrize(("body", "names"), [
    ({"determination": "deny", "reason": "Not met."}, "determination"),
    ({"determination": "approve", "reason": "  "}, "reason"),
    ({"determination": "approve"}, "reason"),
    ({"determination": "approve", "reason": "Fine.", "extra": 1}, "extra"),
])
def test_reviews_reviewer_determination_validation(client: TestClient, reviewer: dict[str, str], submit: Submit,
                                                   body: dict[str, Any], names: str) -> None:
    review = submit()
    response = client.post(f"/v1/reviews/{review['id']}/determination", json=body, headers=reviewer)
    assert_error(response, 422, "E011", says=names)
    assert client.get(f"/v1/reviews/{review['id']}", headers=reviewer).json()["reviewer_determinations"] == []


def test_reviews_reviewer_determination_needs_a_decision(idle: Idle) -> None:
    body = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
    review = idle.client.post("/v1/reviews", json=body, headers=bearer(idle.keys["intake"])).json()
    response = idle.client.post(f"/v1/reviews/{review['id']}/determination", headers=bearer(idle.keys["reviewer"]),
                                json={"determination": "approve", "reason": "A reason."})
    assert_error(response, 409, "HTTP409", says="no decision yet")


def test_reviews_override_unknown_review(client: TestClient, reviewer: dict[str, str]) -> None:
    response = client.post(f"/v1/reviews/{'f' * 32}/overrides", headers=reviewer,
                           json={"criterion_id": "cancer_pain", "status": "met", "reason": "A reason."})
    assert_error(response, 404, "HTTP404", says="no review")
    assert_error(client.get(f"/v1/reviews/{'f' * 32}/audit", headers=reviewer), 404, "HTTP404")


# -- logs ------------------------------------------------------------------------------------

SECRET_PHRASE = "Zebulon Quartermaine"


def test_reviews_logs_carry_no_chart_text(client: TestClient, intake: dict[str, str], submit: Submit,
                                          caplog: pytest.LogCaptureFixture,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.DEBUG)
    note = f"Patient {SECRET_PHRASE} has metastatic lung cancer.\n{SMALL_NOTE}"
    # Contract 1.1 case identity is stored and returned, and kept out of the logs like the chart.
    identity = {"reference": "PA-SECRET-4471",
                "patient": {"age_years": 61, "member_id": "W998877665", "name": SECRET_PHRASE,
                            "birth_date": "1963-04-05"},
                "requesting_provider": {"name": "Quartermaine Pain Associates", "npi": "1234567893"}}
    done = submit(documents=[{"name": "note.txt", "text": note}], request={**SMALL_REQUEST, **identity})
    assert done["status"] == "done"
    assert {key: done["request"][key] for key in identity} == identity
    for secret in ("PA-SECRET-4471", "W998877665", "1963-04-05"):
        assert secret not in caplog.text

    # Our own bug on chart text: the exception's message quotes the chart; the log must not.
    def broken(documents: Any, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"could not handle {documents[0].text[:60]!r}")

    monkeypatch.setattr("api.worker.review_documents", broken)
    failed = submit(documents=[{"name": "note.txt", "text": note}])
    assert failed["status"] == "failed"
    assert failed["error"] == "internal error (ValueError); the review can be submitted again"
    assert SECRET_PHRASE not in failed["error"]
    assert any("ValueError" in r.getMessage() for r in caplog.records), "the failure is still logged"
    assert SECRET_PHRASE not in caplog.text
    # Nor does any record carry the exception itself, for a handler that formats it differently.
    assert all(r.exc_info is None or SECRET_PHRASE not in str(r.exc_info[1]) for r in caplog.records)


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_reviews_idempotency_key_with_a_different_request_is_a_conflict(client: TestClient,
                                                                         intake: dict[str, str]) -> None:
    """Issue 12: a reused key with another patient's chart must not return the first decision."""
    body = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
    first = client.post("/v1/reviews", json=body, headers={**intake, "Idempotency-Key": "intake-77"})
    assert first.status_code == 202
    other_chart = {**body, "documents": [{"name": "note.txt", "text": SMALL_NOTE + " Another patient."}]}
    clash = client.post("/v1/reviews", json=other_chart, headers={**intake, "Idempotency-Key": "intake-77"})
    assert_error(clash, 409, says="different request")
    other_request = {**body, "request": {**SMALL_REQUEST, "service_date": "2025-01-02"}}
    assert client.post("/v1/reviews", json=other_request,
                       headers={**intake, "Idempotency-Key": "intake-77"}).status_code == 409
    # The same request again is still a replay.
    assert client.post("/v1/reviews", json=body, headers={**intake, "Idempotency-Key": "intake-77"}).status_code == 200


def test_reviews_empty_idempotency_key_is_refused(client: TestClient, intake: dict[str, str]) -> None:
    """An empty key is not a key: a clear 422, never a 500 on the second create."""
    body = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
    for _ in range(2):
        assert_error(client.post("/v1/reviews", json=body, headers={**intake, "Idempotency-Key": ""}), 422, "E011",
                     says="idempotency-key")


def test_reviews_waiting_holds_no_worker_thread(database_url: str) -> None:
    """Issue 12 item 6: 45 requests each waiting for a decision must not starve /health (they held
    the threads that serve it: /health answered in 27 s)."""
    import anyio
    import httpx

    from api.main import create_app
    from tests.api.conftest import make_settings, new_key

    app = create_app(make_settings(database_url, max_wait_seconds=8.0), start_worker=False)

    async def scenario() -> tuple[float, list[int]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=30) as client:
            headers = bearer(new_key(app.state.db, "intake"))
            body = {"request": SMALL_REQUEST, "documents": [{"name": "n.txt", "text": SMALL_NOTE}]}
            review_id = (await client.post("/v1/reviews", json=body, headers=headers)).json()["id"]
            statuses: list[int] = []
            health_seconds = 0.0

            async def waiter() -> None:
                response = await client.get(f"/v1/reviews/{review_id}", params={"wait": 6}, headers=headers)
                statuses.append(response.status_code)

            async def probe() -> None:
                nonlocal health_seconds
                await anyio.sleep(1.0)  # every waiter is waiting by now
                started = time.monotonic()
                assert (await client.get("/health")).status_code == 200
                health_seconds = time.monotonic() - started

            async with anyio.create_task_group() as group:
                for _ in range(45):
                    group.start_soon(waiter)
                group.start_soon(probe)
            return health_seconds, statuses

    with TestClient(app):  # runs the lifespan: the database is migrated
        health_seconds, statuses = anyio.run(scenario)
    assert statuses == [200] * 45
    assert health_seconds < 2.0, f"/health took {health_seconds:.1f} s behind 45 waiting requests"


def test_reviews_one_deadline_for_the_whole_review(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12 item 6: REVIEW_SECONDS bounds the review, not each file (five scans with a 15 s
    limit finished after 23 s). Each file gets what is left; none starts past the deadline."""
    from api.main import create_app
    from extractors.documents import Document
    from tests.api.conftest import make_settings, new_key

    app = create_app(make_settings(database_url, review_seconds=1.0), start_worker=False)
    budgets: list[float] = []

    def slow_read(name: str, raw: bytes, limits: Any, progress: Any = None) -> Document:
        budgets.append(limits.parse_seconds)
        time.sleep(0.45)  # a scan's OCR
        return Document.from_text(name, raw.decode("utf-8"))

    monkeypatch.setattr("api.worker.read_bytes", slow_read)
    with TestClient(app) as client:
        headers = bearer(new_key(app.state.db, "intake"))
        body = {"request": SMALL_REQUEST,
                "documents": [{"name": f"scan{i}.txt", "text": SMALL_NOTE} for i in range(5)]}
        review_id = client.post("/v1/reviews", json=body, headers=headers).json()["id"]
        worker = app.state.worker
        assert worker._next() == review_id
        started = time.monotonic()
        worker.process(review_id)
        took = time.monotonic() - started
        failed = client.get(f"/v1/reviews/{review_id}", headers=headers).json()
    assert failed["status"] == "failed" and "longer than its limit of 1 s" in failed["error"]
    assert len(budgets) == 3 and budgets == sorted(budgets, reverse=True) and budgets[0] <= 1.0
    assert took < 1.6, f"the review ran {took:.1f} s against a 1 s limit"


def test_reviews_an_intake_key_sees_only_what_it_created(idle: Idle) -> None:
    """Issue 12 item 9 (tenancy): intake key B cannot read, list, or fetch the documents or audit
    trail of intake key A's review (a 404, as for a review that does not exist); reviewers and
    admins see every review."""
    client, db = idle.client, idle.app.state.db
    channel_a, channel_b = bearer(idle.keys["intake"]), bearer(new_key(db, "intake", "channel B"))
    body = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
    created = client.post("/v1/reviews", json=body, headers=channel_a).json()
    review_id, document_id = created["id"], created["documents"][0]["id"]
    for path in (f"/v1/reviews/{review_id}", f"/v1/reviews/{review_id}/audit",
                 f"/v1/reviews/{review_id}/documents/{document_id}"):
        assert_error(client.get(path, headers=channel_b), 404, "HTTP404", says="no review")
    assert client.get("/v1/reviews", headers=channel_b).json()["total"] == 0
    for own_or_all in (channel_a, bearer(idle.keys["reviewer"]), bearer(idle.keys["admin"])):
        assert client.get(f"/v1/reviews/{review_id}", headers=own_or_all).status_code == 200
        assert review_id in [r["id"] for r in client.get("/v1/reviews", headers=own_or_all).json()["items"]]


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_reviews_work_queue_and_turnaround_clock(client: TestClient, reviewer: dict[str, str],
                                                 intake: dict[str, str]) -> None:
    """Issue 11: the queue of reviews that need a reviewer (decided, not approved, no determination
    of hers yet), most urgent first, each with its turnaround clock (CMS-0057-F: 72 hours
    expedited, 7 days standard)."""
    thin = [{"name": "note.txt", "text": "Metastatic lung cancer. Requesting an intrathecal pump trial."}]
    made = []
    for priority in ("standard", "expedited"):
        body = {"request": SMALL_REQUEST, "documents": thin, "priority": priority}
        response = client.post("/v1/reviews", json=body, headers=intake)
        assert response.status_code == 202, response.text
        made.append(wait_for(client, intake, response.json()["id"]))
    standard, expedited = made
    assert {r["disposition"] for r in made} <= {"pend_information", "pend_clinical_review"}
    for review, hours in ((standard, 7 * 24), (expedited, 72)):
        clock = review["turnaround"]
        created = dt.datetime.fromisoformat(review["created_at"])
        assert dt.datetime.fromisoformat(clock["due_at"]) - created == dt.timedelta(hours=hours)
        assert clock["overdue"] is False
    queue = client.get("/v1/reviews", params={"needs_review": True}, headers=reviewer).json()
    ids = [r["id"] for r in queue["items"]]
    assert ids[:2] == [expedited["id"], standard["id"]], "expedited first, then the oldest"
    client.post(f"/v1/reviews/{expedited['id']}/determination", headers=reviewer,
                json={"determination": "pend_information", "reason": "Asked oncology for the prognosis."})
    after = client.get("/v1/reviews", params={"needs_review": True}, headers=reviewer).json()
    assert expedited["id"] not in [r["id"] for r in after["items"]] and after["total"] == queue["total"] - 1
    bad = client.post("/v1/reviews", json={"request": SMALL_REQUEST, "documents": thin, "priority": "urgent"},
                      headers=intake)
    assert_error(bad, 422, "E011", says="priority")


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_reviews_request_for_information_letter(client: TestClient, reviewer: dict[str, str],
                                                intake: dict[str, str]) -> None:
    """Issue 11: a letter to the requesting provider listing exactly what the decision found missing,
    as JSON and as printable text, with the request's identity and nothing of the chart."""
    chart = "Metastatic lung cancer with osseous metastases. Requesting an intrathecal pump trial."
    request = {**SMALL_REQUEST, "reference": "PA-2025-0042",
               "patient": {"name": "Ada Q. Fictional", "member_id": "W100", "birth_date": "1961-04-02"},
               "requesting_provider": {"name": "Northside Pain Associates", "npi": "1234567893"}}
    created = client.post("/v1/reviews", json={"request": request, "documents": [{"name": "n.txt", "text": chart}]},
                          headers=intake)
    review = wait_for(client, intake, created.json()["id"])
    missing = review["decision"]["missing_documentation"]
    assert review["decision"]["determination"] == "insufficient_information" and missing
    rfi = client.get(f"/v1/reviews/{review['id']}/request-for-information", headers=reviewer).json()
    assert rfi["items"] == missing
    assert rfi["to"] == {"name": "Northside Pain Associates", "npi": "1234567893"}
    letter = rfi["letter"]
    assert "PA-2025-0042" in letter and "Ada Q. Fictional" in letter and "W100" in letter
    assert all(item["documentation"] in letter for item in missing)
    assert "has not been denied" in letter and "osseous" not in letter
    assert client.get("/v1/reviews/nope/request-for-information", headers=reviewer).status_code == 404


@pytest.mark.parametrize("document", ["request-for-information", "determination-summary"])
def test_reviews_letters_need_a_decision(idle: Idle, document: str) -> None:
    body = {"request": SMALL_REQUEST, "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
    review = idle.client.post("/v1/reviews", json=body, headers=bearer(idle.keys["intake"])).json()
    response = idle.client.get(f"/v1/reviews/{review['id']}/{document}", headers=bearer(idle.keys["reviewer"]))
    assert_error(response, 409, "HTTP409", says="no decision yet")


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_reviews_summaries_page_by_cursor(idle: Idle) -> None:
    """Issue 11: list rows without decisions, newest first, a page at a time by cursor; a review
    added between pages neither repeats nor hides one."""
    intake, reviewer = bearer(idle.keys["intake"]), bearer(idle.keys["reviewer"])
    made = []
    for n in range(5):
        body = {"request": {**SMALL_REQUEST, "reference": f"PA-{n}"},
                "documents": [{"name": "note.txt", "text": SMALL_NOTE}]}
        made.append(idle.client.post("/v1/reviews", json=body, headers=intake).json()["id"])
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = idle.client.get("/v1/reviews/summaries", params=params, headers=reviewer).json()
        assert all("decision" not in item and item["turnaround"]["due_at"] for item in page["items"])
        seen += [item["id"] for item in page["items"]]
        pages += 1
        if pages == 1:  # a review arriving now is newer than every cursor: it is not on a later page
            idle.client.post("/v1/reviews", json={"request": SMALL_REQUEST,
                                                  "documents": [{"name": "late.txt", "text": SMALL_NOTE}]},
                             headers=intake)
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(made)) and pages == 3
    first = idle.client.get("/v1/reviews/summaries", params={"limit": 1}, headers=reviewer).json()["items"][0]
    assert first["reference"] is None and first["procedure_codes"] == SMALL_REQUEST["procedure_codes"]
    assert_error(idle.client.get("/v1/reviews/summaries", params={"cursor": "not-a-cursor"}, headers=reviewer),
                 422, "E011", says="cursor")


# -- adding documents to a review ----------------------------------------------------------------

TRIAL_NOTE = ("Intrathecal trial 2025-09-25: single-shot intrathecal morphine 0.5 mg; pain went from 8/10 to 2/10, "
              "a 75% improvement, with mild itching only.\n")


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_reviews_add_documents_reads_again_and_keeps_the_earlier_decision(
        client: TestClient, intake: dict[str, str], submit: Submit) -> None:
    first = submit()
    added = client.post(f"/v1/reviews/{first['id']}/documents", headers=intake,
                        json={"documents": [{"name": "trial_note.txt", "text": TRIAL_NOTE}]})
    assert added.status_code == 202, added.text
    assert added.headers["location"] == f"/v1/reviews/{first['id']}"
    assert added.json()["status"] == "queued" and added.json()["decision"] is None
    again = wait_for(client, intake, first["id"])
    assert again["status"] == "done"
    assert [d["name"] for d in again["documents"]] == ["oncology_note.txt", "trial_note.txt"]
    assert [d["name"] for d in again["decision"]["documents"]] == ["oncology_note.txt", "trial_note.txt"]
    earlier = again["earlier_decisions"]
    assert len(earlier) == 1
    assert earlier[0]["decision"] == first["decision"], "the earlier decision is kept as it was"
    assert (earlier[0]["determination"], earlier[0]["documents"]) == (first["determination"], 1)
    quotes = [e["text"] for node in walk_json(again["decision"]["criteria"][0]) for e in node["evidence"]]
    assert any("75% improvement" in q for q in quotes), "the added document is read"
    trail = [e["action"] for e in client.get(f"/v1/reviews/{first['id']}/audit", headers=intake).json()]
    assert trail == ["created", "decided", "documents_added", "decided"]


def test_reviews_add_documents_while_it_is_read_conflicts(idle: Idle) -> None:
    headers = bearer(idle.keys["intake"])
    queued = idle.client.post("/v1/reviews", headers=headers,
                              json={"request": SMALL_REQUEST, "documents": [{"name": "n.txt", "text": SMALL_NOTE}]})
    assert_error(idle.client.post(f"/v1/reviews/{queued.json()['id']}/documents", headers=headers,
                                  json={"documents": [{"name": "trial_note.txt", "text": TRIAL_NOTE}]}),
                 409, says="still being read")


def test_reviews_add_documents_refusals(client: TestClient, intake: dict[str, str], submit: Submit) -> None:
    body = {"documents": [{"name": "trial_note.txt", "text": TRIAL_NOTE}]}
    review = submit()
    assert_error(client.post(f"/v1/reviews/{review['id']}/documents", headers=intake, json={"documents": []}),
                 422, says="documents")
    assert_error(client.post(f"/v1/reviews/{review['id']}/documents", headers=intake,
                             json={"documents": [{"name": "scan.pdf", "text": "x"}]}), 415, "E022")
    assert_error(client.post(f"/v1/reviews/{'0' * 32}/documents", headers=intake, json=body), 404)
    # Nothing stored was lost to a refusal: the review is as it was.
    after = client.get(f"/v1/reviews/{review['id']}", headers=intake).json()
    assert after["decision"] == review["decision"] and after["earlier_decisions"] == []


def test_reviews_add_documents_to_another_channels_review_is_404(client: TestClient, app: Any,
                                                                  submit: Submit) -> None:
    review = submit()
    other = bearer(new_key(app.state.db, "intake", "another channel"))
    assert_error(client.post(f"/v1/reviews/{review['id']}/documents", headers=other,
                             json={"documents": [{"name": "n.txt", "text": TRIAL_NOTE}]}), 404)


def test_reviews_add_uploaded_files(client: TestClient, intake: dict[str, str], submit: Submit) -> None:
    review = submit()
    added = client.post(f"/v1/reviews/{review['id']}/uploads", headers=intake,
                        files=[("files", ("trial_note.txt", TRIAL_NOTE.encode(), "text/plain"))])
    assert added.status_code == 202, added.text
    again = wait_for(client, intake, review["id"])
    assert [d["name"] for d in again["documents"]] == ["oncology_note.txt", "trial_note.txt"]
    assert [e["determination"] for e in again["earlier_decisions"]] == [review["determination"]]


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_reviews_determination_summary_to_file(client: TestClient, reviewer: dict[str, str],
                                               intake: dict[str, str]) -> None:
    """Issue 11: a summary fit to file: patient, reference, codes, disposition, the deciding
    criteria with quotes, every override with who and when, and the reviewer's determination."""
    request = {**SMALL_REQUEST, "reference": "PA-2025-0077",
               "patient": {"name": "Bea N. Fictional", "member_id": "W200", "birth_date": "1958-09-09"},
               "requesting_provider": {"name": "Eastside Oncology", "npi": "1234567893"}}
    created = client.post("/v1/reviews", headers=intake,
                          json={"request": request, "documents": [{"name": "oncology_note.txt", "text": SMALL_NOTE}]})
    review = wait_for(client, intake, created.json()["id"])
    pathway = next(node for node in review["decision"]["criteria"][0]["children"]
                   if node["id"] == review["decision"]["pathway"])
    leaf = next(node for node in walk_json(pathway) if node["logic"] == "leaf" and node["evidence"])
    assert client.post(f"/v1/reviews/{review['id']}/overrides", headers=reviewer, json={
        "criterion_id": leaf["id"], "status": "unknown", "reason": "The scan report is not in the packet."}
    ).status_code == 201
    assert client.post(f"/v1/reviews/{review['id']}/determination", headers=reviewer, json={
        "determination": "refer_to_physician", "reason": "Prognosis needs the oncologist."}).status_code == 201

    summary = client.get(f"/v1/reviews/{review['id']}/determination-summary", headers=reviewer)
    assert summary.status_code == 200, summary.text
    body = summary.json()
    assert (body["reference"], body["patient_name"], body["member_id"]) == ("PA-2025-0077", "Bea N. Fictional", "W200")
    assert body["procedure_codes"] == SMALL_REQUEST["procedure_codes"]
    assert body["determination"] == review["determination"] and body["disposition"] == review["disposition"]
    row = next(c for c in body["criteria"] if c["id"] == leaf["id"])
    assert row["reviewer"] == "unknown" and row["quotes"][0]["text"] == leaf["evidence"][0]["text"]
    assert [(o["after"], o["reviewer"]) for o in body["overrides"]] == [("unknown", "test reviewer")]
    assert body["reviewer_determination"]["reviewer"] == "test reviewer"
    text = body["text"]
    for words in ("PA-2025-0077", "Bea N. Fictional", "Eastside Oncology (NPI 1234567893)", "refer to physician",
                  "test reviewer", "The scan report is not in the packet.", leaf["text"]):
        assert words in text, words
    assert " ".join(leaf["evidence"][0]["text"].split()) in text



def test_reviews_reading_progress_is_recorded_page_by_page(idle: Idle) -> None:
    """Issue 11: a long scan shows "page k of n" while it is read; the review keeps the last page."""
    client, headers = idle.client, bearer(idle.keys["intake"])
    pdf = typed_pdf(PDF_PAGES + ["Pain clinic note, page three. Plan: permanent pump."])
    created = client.post("/v1/reviews/upload", headers=headers, data={"request": json.dumps(SMALL_REQUEST)},
                          files=[("files", ("clinic.pdf", pdf, "application/pdf"))])
    assert created.status_code == 202, created.text
    review_id = created.json()["id"]
    assert created.json()["reading"] is None
    seen: list[tuple[int, int]] = []
    worker = idle.app.state.worker
    original = worker._reporter

    def watching(rid: str) -> Any:
        report = original(rid)

        def both(name: str, page: int, pages: int, method: str) -> None:
            report(name, page, pages, method)
            seen.append((page, pages))
        return both

    worker._reporter = watching
    assert worker._next() == review_id
    worker.process(review_id)
    done = client.get(f"/v1/reviews/{review_id}", headers=headers).json()
    assert done["status"] == "done"
    assert done["reading"] == {"document": "clinic.pdf", "page": 3, "pages": 3, "method": "text"}
    assert seen == [(1, 3), (2, 3), (3, 3)]

"""The reviewer page with model assistance on (issue 14): a model's quote is marked as the
model's, and a refused answer is listed as the model's. The service replays a recorded answer,
so no model server is needed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.llm.test_assist import CHART, LEAF, PROGNOSIS, REQUEST
from tests.web.conftest import Server, start_server
from tests.web.test_browser import sign_in

MODEL = "recorded-for-the-page"


@pytest.fixture(scope="module")
def replay_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from chart_review.review import default_extractor, default_guideline
    from extractors.documents import Document
    from extractors.llm.client import prompt_key
    from extractors.llm.questions import question_for
    from rules.guideline import facts_named

    answers = tmp_path_factory.mktemp("answers")
    node = default_guideline().node(LEAF)
    question = question_for(LEAF, node.text, node.needs, sorted(set(facts_named(node.test))),
                            default_extractor().rules, [Document.from_text("onc.txt", CHART)], 6000)
    assert question is not None
    content = json.dumps({"status": "met", "assertion": "affirmed", "rationale": "a good year ahead",
                          "quotes": [{"document": "onc.txt", "text": PROGNOSIS}]})
    (answers / f"{prompt_key(MODEL, question.system, question.user)}.json").write_text(
        json.dumps({"model": MODEL, "content": content}), "utf-8")
    yield from start_server(tmp_path_factory, {"CHART_REVIEW_LLM_REPLAY": "1", "CHART_REVIEW_LLM_CACHE": str(answers),
                                               "CHART_REVIEW_LLM_MODEL": MODEL})


def test_browser_model_evidence_is_marked_as_the_models(replay_server: Server, browser_context: Any) -> None:
    from playwright.sync_api import expect

    key = replay_server.key("reviewer", "model reviewer")
    api = httpx.Client(base_url=replay_server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
    created = api.post("/v1/reviews", json={"request": REQUEST,
                                            "documents": [{"name": "onc.txt", "text": CHART}]}).json()
    review = api.get(f"/v1/reviews/{created['id']}", params={"wait": 60}).json()
    decision = review["decision"]
    assert decision["disposition"] == "pend_clinical_review"
    leaf = next(n for n in _walk(decision["criteria"]) if n["id"] == LEAF)
    assert leaf["status"] == "met" and [e["origin"] for e in leaf["evidence"]] == ["llm"]
    browser_context.clear_cookies()
    page = browser_context.new_page()
    try:
        sign_in(page, replay_server, key)
        page.goto(f"{replay_server.url}/#/reviews/{created['id']}")
        page.locator(f'button.crit[data-criterion="{LEAF}"]').click()
        expect(page.locator(".evidence-where--model").first).to_contain_text("proposed by a model")
        expect(page.locator("pre.document mark#evidence-mark")).to_have_text(PROGNOSIS)
        expect(page.locator("#findings-list li.finding--model").first).to_contain_text("model assistance decided")
    finally:
        page.close()


def _walk(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for node in nodes:
        yield node
        yield from _walk(node.get("children", []))

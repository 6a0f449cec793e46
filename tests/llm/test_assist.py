"""Model assistance (issue 14) against a scripted chat-completions server on loopback: a model
proposes, the source and ConText check, and the rules' decisions stand."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from chart_review.assist import Claim, _ground, leaves_to_ask
from chart_review.contract import Determination, Disposition, Status
from chart_review.review import default_guideline, parse_request, review_assisted, review_documents
from extractors.documents import Document
from extractors.llm.client import ModelAnswer, Quote
from extractors.llm.questions import SYSTEM
from extractors.llm.settings import LLMSettings, load_settings
from rules.assisted import apply_claims
from rules.decide import walk
from tests.llm.conftest import ModelServer, Scripted

CHART = ("ONCOLOGY FOLLOW-UP 03/02/2025\n"
         "Metastatic breast cancer with bone metastases to T10 and L2.\n"
         "Oxycodone and fentanyl patch failed: pain 8/10 with sedation.\n"
         "Prognosis discussed with the patient and her husband; Dr. Lee expects she has a good year ahead.\n"
         "MRI 02/2025: no metastatic disease identified within the thecal sac; no stenosis.\n")
PROGNOSIS = "Dr. Lee expects she has a good year ahead."
LEAF = "cancer_pain.life_expectancy_3_months"
REQUEST = {"procedure_codes": ["62327"], "request_type": "trial", "service_date": "2025-03-10"}


def _review(server: ModelServer, **settings: Any) -> tuple[Any, Any]:
    guideline = default_guideline()
    llm = LLMSettings(**{"url": server.url, "model": "scripted", "timeout_seconds": 2.0, "retries": 1, **settings})
    return review_assisted([Document.from_text("onc.txt", CHART)], parse_request(REQUEST, "request", guideline),
                           guideline, llm=llm)


def _node(decision: Any, criterion: str) -> Any:
    return next(n for root in decision.criteria for n in walk(root) if n.id == criterion)


def _contract_problems(decision: Any, tmp_path: Path, contract_check: Any) -> list[str]:
    case = tmp_path / "case"
    (case / "documents").mkdir(parents=True)
    (case / "documents" / "onc.txt").write_text(CHART, encoding="utf-8")
    (case / "request.json").write_text(json.dumps(REQUEST), encoding="utf-8")
    return list(contract_check.check(json.loads(decision.model_dump_json()), case))


def test_without_the_layer_the_leaf_stays_unknown():
    """The chart's only gap: the prognosis is said in words the rules do not read as a figure."""
    guideline = default_guideline()
    decision = review_documents([Document.from_text("onc.txt", CHART)], parse_request(REQUEST, "r", guideline))
    assert decision.determination is Determination.INSUFFICIENT
    assert leaves_to_ask(decision) == [LEAF]


def test_a_grounded_confirmed_answer_decides_the_unknown_leaf_and_is_pended(model_server, tmp_path,
                                                                           contract_check):
    model_server.script = [Scripted(content=model_server.answer(
        quotes=[{"document": "onc.txt", "text": PROGNOSIS}], rationale="a year or more"))]
    decision, helped = _review(model_server)
    leaf = _node(decision, LEAF)
    assert leaf.status is Status.MET
    assert [ev.origin for ev in leaf.evidence] == ["llm"]
    assert CHART[leaf.evidence[0].start:leaf.evidence[0].end] == PROGNOSIS
    assert decision.determination is Determination.MEETS
    assert decision.disposition is Disposition.PEND_CLINICAL_REVIEW, "a model-decided leaf never approves alone"
    assert helped.claims and not helped.refusals
    assert _contract_problems(decision, tmp_path, contract_check) == []
    sent = model_server.requests[0]["body"]
    assert sent["model"] == "scripted" and sent["response_format"]["type"] == "json_schema"
    assert "Metastatic breast cancer" not in sent["messages"][1]["content"], "only the leaf's passages are sent"


def test_an_operator_may_allow_model_supported_approval(model_server):
    model_server.script = [Scripted(content=model_server.answer(quotes=[{"document": "onc.txt", "text": PROGNOSIS}]))]
    decision, _ = _review(model_server, allow_model_approval=True)
    assert decision.disposition is Disposition.APPROVE


@pytest.mark.parametrize(("content", "reason"), [
    pytest.param(json.dumps({"status": "met", "assertion": "affirmed", "rationale": "",
                             "quotes": [{"document": "onc.txt", "text": "She will live for two more years."}]}),
                 "not found", id="a hallucinated quote"),
    pytest.param(json.dumps({"status": "met", "assertion": "affirmed", "rationale": "",
                             "quotes": [{"document": "onc.txt", "text": SYSTEM[120:200]}]}),
                 "not found", id="a quote copied from the prompt's instructions"),
    pytest.param(json.dumps({"status": "met", "assertion": "affirmed", "rationale": "",
                             "quotes": [{"document": "other.txt", "text": PROGNOSIS}]}),
                 "not found", id="a document not in the chart"),
    pytest.param('{"status": "met", "assertion": ', "not JSON", id="malformed JSON"),
    pytest.param(json.dumps({"status": "approved", "quotes": []}), "not the answer format", id="wrong format"),
    pytest.param(json.dumps({"status": "met", "assertion": "affirmed", "quotes": [], "rationale": ""}),
                 "no quote", id="met without a quote"),
])
def test_an_answer_that_fails_is_refused_and_decides_nothing(model_server, content, reason, tmp_path,
                                                            contract_check):
    model_server.script = [Scripted(content=content)]
    decision, helped = _review(model_server)
    assert _contract_problems(decision, tmp_path, contract_check) == []
    assert _node(decision, LEAF).status is Status.UNKNOWN
    assert decision.determination is Determination.INSUFFICIENT
    assert [(r.criterion, r.reason) for r in helped.refusals] == [(LEAF, reason)]
    assert any(f"not used: {reason}" in finding for finding in decision.findings)


def test_a_timeout_is_a_refused_answer_not_an_error(model_server, caplog, tmp_path, contract_check):
    model_server.script = [Scripted(content=model_server.answer(), delay=1.5)]
    with caplog.at_level(logging.DEBUG):
        decision, helped = _review(model_server, timeout_seconds=0.3)
    assert _contract_problems(decision, tmp_path, contract_check) == []
    assert [r.reason for r in helped.refusals] == ["timeout"]
    assert decision.determination is Determination.INSUFFICIENT
    assert "Dr. Lee" not in caplog.text and "breast" not in caplog.text, "no chart text in logs"


def test_a_429_then_success_is_retried(model_server, caplog):
    model_server.script = [Scripted(status=429, body="{}"),
                           Scripted(content=model_server.answer(quotes=[{"document": "onc.txt", "text": PROGNOSIS}]))]
    with caplog.at_level(logging.DEBUG):
        decision, helped = _review(model_server)
    assert len(model_server.requests) == 2 and helped.calls == 2
    assert _node(decision, LEAF).status is Status.MET
    assert "429" in caplog.text and "Dr. Lee" not in caplog.text


def test_a_5xx_after_the_retries_is_a_refused_answer(model_server):
    model_server.script = [Scripted(status=503, body="{}"), Scripted(status=503, body="{}")]
    decision, helped = _review(model_server)
    assert [r.reason for r in helped.refusals] == ["http 503"]
    assert decision.determination is Determination.INSUFFICIENT


def test_calls_per_review_are_bounded(model_server):
    model_server.script = [Scripted(content=model_server.answer(quotes=[{"document": "onc.txt", "text": PROGNOSIS}]))]
    _, helped = _review(model_server, max_calls=1)
    assert helped.calls <= 1


def test_a_recorded_run_replays_without_the_network(model_server, tmp_path, monkeypatch):
    model_server.script = [Scripted(content=model_server.answer(quotes=[{"document": "onc.txt", "text": PROGNOSIS}]))]
    recorded, _ = _review(model_server, cache_dir=tmp_path / "answers")
    assert list((tmp_path / "answers").glob("*.json"))

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("replay opened a connection")

    monkeypatch.setattr(httpx.Client, "send", no_network)
    guideline = default_guideline()
    replay = LLMSettings(url=None, model="scripted", cache_dir=tmp_path / "answers", replay=True)
    replayed, helped = review_assisted([Document.from_text("onc.txt", CHART)], parse_request(REQUEST, "r", guideline),
                                       guideline, llm=replay)
    assert helped is not None and helped.calls == 0
    assert replayed.determination is recorded.determination is Determination.MEETS


def test_with_the_layer_off_no_call_is_made(monkeypatch):
    def no_client(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the layer is off; no client may be built")

    monkeypatch.setattr(httpx.Client, "__init__", no_client)
    monkeypatch.delenv("CHART_REVIEW_LLM_URL", raising=False)
    assert not load_settings().enabled
    guideline = default_guideline()
    decision, helped = review_assisted([Document.from_text("onc.txt", CHART)], parse_request(REQUEST, "r", guideline),
                                       guideline)
    assert helped is None and decision.determination is Determination.INSUFFICIENT


def test_context_must_read_the_quote_as_the_model_does(extractor):
    """"no metastatic disease identified" claimed as an affirmed metastasis: ConText reads a denial."""
    doc = Document.from_text("onc.txt", CHART)
    quote = "no metastatic disease identified within the thecal sac"
    claimed = ModelAnswer(status="met", assertion="affirmed", quotes=[Quote(document="onc.txt", text=quote)])
    outcome = _ground(claimed, "cancer_pain.metastatic_lesion", ["metastatic_disease"], {"onc.txt": doc}, [],
                      extractor, dt.date(2025, 3, 10))
    assert getattr(outcome, "reason", None) == "context disagrees"
    agreed = ModelAnswer(status="not_met", assertion="negated", quotes=[Quote(document="onc.txt", text=quote)])
    assert isinstance(_ground(agreed, "cancer_pain.metastatic_lesion", ["metastatic_disease"], {"onc.txt": doc}, [],
                              extractor, dt.date(2025, 3, 10)), Claim)


def test_a_quote_is_placed_with_whitespace_and_case_folded(extractor):
    doc = Document.from_text("onc.txt", CHART)
    folded = ModelAnswer(status="met", assertion="affirmed",
                         quotes=[Quote(document="onc.txt", text="dr. lee  expects she has\na good year ahead.")])
    outcome = _ground(folded, LEAF, ["life_expectancy"], {"onc.txt": doc}, [], extractor, dt.date(2025, 3, 10))
    assert isinstance(outcome, Claim)
    ev = outcome.evidence[0]
    assert CHART[ev.start:ev.end] == ev.text == PROGNOSIS


def test_an_answer_never_changes_a_leaf_the_rules_decided():
    guideline = default_guideline()
    decision = review_documents([Document.from_text("onc.txt", CHART)], parse_request(REQUEST, "r", guideline))
    decided = _node(decision, "cancer_pain.metastatic_lesion")
    assert decided.status is Status.MET
    flip = Claim("cancer_pain.metastatic_lesion", Status.NOT_MET, "negated", tuple(decided.evidence), "no mets")
    after, refused = apply_claims(decision, [flip])
    assert after.determination is decision.determination
    assert refused == [("cancer_pain.metastatic_lesion", "changes a decided leaf")]
    assert _node(after, "cancer_pain.metastatic_lesion").status is Status.MET
    assert any("the rules' status stands" in f for f in after.findings)


@pytest.mark.parametrize(("env", "problem"), [
    ({"CHART_REVIEW_LLM_TIMEOUT": "soon"}, "is not a number"),
    ({"CHART_REVIEW_LLM_MAX_CALLS": "0"}, "must be more than 0"),
])
def test_bad_settings_are_named(env, problem):
    from chart_review.errors import ChartReviewError

    with pytest.raises(ChartReviewError, match=problem):
        load_settings({"CHART_REVIEW_LLM_URL": "http://127.0.0.1:9/v1", **env})


def _case(root: Path) -> Path:
    case = root / "cases" / "llm-case"
    (case / "documents").mkdir(parents=True)
    (case / "documents" / "onc.txt").write_text(CHART, encoding="utf-8")
    (case / "request.json").write_text(json.dumps(REQUEST), encoding="utf-8")
    (case / "expected.json").write_text(json.dumps({
        "determination": "meets_criteria", "pathway": "cancer_pain",
        "criteria": {LEAF: {"status": "met", "evidence": [PROGNOSIS]}}}), encoding="utf-8")
    return case


def test_evaluate_reports_without_and_with_assistance_from_recorded_answers(model_server, tmp_path):
    """`evaluate --llm`: the same figures side by side, and what became of the answers; recorded
    once against a server, then replayed with none."""
    from chart_review.evaluate import evaluate

    _case(tmp_path)
    model_server.script = [Scripted(content=model_server.answer(quotes=[{"document": "onc.txt", "text": PROGNOSIS}]))]
    live = LLMSettings(url=model_server.url, model="scripted")
    recorded = evaluate(tmp_path / "cases", llm=live, answers=tmp_path / "answers")
    replay = LLMSettings(model="scripted", replay=True, cache_dir=tmp_path / "answers")
    replayed = evaluate(tmp_path / "cases", llm=replay, answers=tmp_path / "answers")
    for report in (recorded, replayed):
        assert report["without_assistance"]["determination_accuracy"] == 0.0
        assert report["with_assistance"]["determination_accuracy"] == 1.0
        assert report["model"]["claims_used"] == 1 and report["model"]["refused"] == {}
    assert recorded["model"]["calls"] == 1 and replayed["model"]["calls"] == 0


def test_evaluate_llm_without_a_model_is_a_usage_error(tmp_path, monkeypatch, capsys):
    from chart_review.cli import main

    _case(tmp_path)
    monkeypatch.delenv("CHART_REVIEW_LLM_URL", raising=False)
    assert main(["evaluate", str(tmp_path / "cases"), "--llm"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "CHART_REVIEW_LLM_URL" in err[0]

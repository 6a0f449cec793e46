"""A second, made-up guideline (knee braces) through the same loader, engine and decide():
the rules code knows nothing about pumps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from chart_review.contract import Decision, Determination, ReviewRequest, Status
from rules.decide import decide, walk
from rules.guideline import Guideline, load_guideline
from rules.logic import all_of, any_of
from tests.charts import Chart, fact, period

KNEE = Path(__file__).parent / "data" / "knee-braces-v1.yaml"
RULES = Path(__file__).resolve().parents[2] / "rules"
MEETS, NOT = Determination.MEETS, Determination.DOES_NOT_MEET
INSUFFICIENT, OUTSIDE = Determination.INSUFFICIENT, Determination.OUTSIDE

OA = [fact("knee_osteoarthritis", quote="Tricompartmental osteoarthritis of the right knee on X-ray."),
      fact("walking_limited", value=120.0, unit="day", quote="Walking limited to one block for 4 months.")]
TEAR = [fact("ligament_tear", quote="Complete ACL tear on MRI."),
        fact("giving_way", value=4, unit="episodes", quote="The knee gives way about 4 times a month.")]
PUMP_WORDS = ["pump", "intrathecal", "cancer", "spasticity", "refill", "electronic analysis"]


@pytest.fixture(scope="module")
def knee() -> Guideline:
    return load_guideline(KNEE)


def run(knee: Guideline, codes: list[str], specs: list[dict[str, Any]], **request: Any) -> Decision:
    chart = Chart.of(specs)
    parsed = ReviewRequest.model_validate({"procedure_codes": codes, "service_date": "2024-10-01", **request},
                                          context={"codes": knee.codes})
    decision = decide(knee, parsed, chart.facts, chart.refs())
    # The contract checker knows only the pump tree; these are its generic invariants.
    for root in decision.criteria:
        for node in walk(root):
            for ev in node.evidence:
                assert chart.texts[ev.document][ev.start:ev.end] == ev.text
            if node.children:
                combine = all_of if node.logic == "all" else any_of
                assert node.status is combine(c.status for c in node.children)
            elif node.status is not Status.UNKNOWN and not node.id.startswith("contraindication."):
                assert node.evidence, f"{node.id} is {node.status} without evidence"
    by_id = {node.id: node for root in decision.criteria for node in walk(root)}
    assert all(by_id[cid].status is Status.UNKNOWN and by_id[cid].logic == "leaf" for cid in decision.missing)
    return decision


def test_second_guideline_loads(knee):
    assert (knee.id, knee.version, knee.units_allowed) == ("knee-braces", "1", 2)
    assert [p.id for p in knee.pathways()] == ["osteoarthritis", "instability"]
    leaves = [n.id for n in knee.nodes() if n.logic == "leaf"]
    assert leaves == ["osteoarthritis.on_imaging", "osteoarthritis.walking_limited_3_months",
                      "instability.giving_way", "contraindication.skin_breakdown"]


def test_second_guideline_shares_nothing_with_the_shipped_one(knee, guideline):
    assert set(knee.facts).isdisjoint(guideline.facts)
    assert set(knee.codes).isdisjoint(guideline.codes)
    assert {n.id for n in knee.nodes()}.isdisjoint(n.id for n in guideline.nodes())


@pytest.mark.parametrize(("codes", "specs", "determination", "pathway", "missing"), [
    pytest.param(["L1843"], OA, MEETS, "osteoarthritis", [], id="osteoarthritis meets"),
    pytest.param(["L1843"], [OA[0], fact("walking_limited", value=30.0, unit="day")], NOT, "osteoarthritis", [],
                 id="osteoarthritis, one month"),
    pytest.param(["L1843"], [OA[0], fact("walking_limited", **period("2022-01-01", "2022-12-31"))], NOT,
                 "osteoarthritis", [], id="osteoarthritis, limited only in 2022"),
    pytest.param(["L1843"], OA[:1], INSUFFICIENT, "osteoarthritis",
                 ["osteoarthritis.walking_limited_3_months"], id="osteoarthritis, duration unknown"),
    pytest.param(["L1833"], TEAR, MEETS, "instability", [], id="instability meets"),
    pytest.param(["L1833"], [TEAR[0], fact("giving_way", value=1, unit="episodes")], INSUFFICIENT, "instability",
                 ["osteoarthritis.on_imaging", "osteoarthritis.walking_limited_3_months"],
                 id="instability, gives way once; osteoarthritis still open"),
    pytest.param(["L1833"], [*TEAR, fact("knee_osteoarthritis", "negated")], MEETS, "instability", [],
                 id="instability, osteoarthritis denied"),
    pytest.param(["L1843"], [*OA, fact("skin_breakdown", quote="Pressure ulcer over the tibial crest.")], NOT,
                 "osteoarthritis", [], id="contraindication present"),
    pytest.param(["L1843"], [], INSUFFICIENT, None,
                 ["osteoarthritis.on_imaging", "osteoarthritis.walking_limited_3_months",
                  "instability.giving_way"], id="nothing documented"),
])
def test_second_guideline_decide(knee, codes, specs, determination, pathway, missing):
    decision = run(knee, codes, specs)
    assert decision.determination is determination
    assert decision.pathway == pathway
    assert decision.missing == missing
    assert (decision.guideline.id, decision.guideline.version) == ("knee-braces", "1")


def test_second_guideline_ruled_out_pathway(knee):
    decision = run(knee, ["L1843"], OA)
    leaf = next(n for root in decision.criteria for n in walk(root) if n.id == "instability.giving_way")
    assert leaf.status is Status.NOT_MET
    assert [ev.text for ev in leaf.evidence] == [OA[0]["quote"]]


@pytest.mark.parametrize(("codes", "specs", "expected"), [
    (["L1833"], [], "trial"),
    (["L1843"], [], "permanent"),
    (["L1843"], [fact("brace_in_use")], "replacement"),
    (["L1845"], [], "replacement"),
])
def test_second_guideline_request_type_from_its_codes(knee, codes, specs, expected):
    assert run(knee, codes, specs).request_type == expected


@pytest.mark.parametrize(("units", "findings"), [
    (2, []),
    (3, ["units requested: 3, guideline allows 2"]),
])
def test_second_guideline_units_from_its_data(knee, units, findings):
    assert run(knee, ["L1843"], OA, units=units).findings == findings


def test_second_guideline_outside_code(knee):
    decision = run(knee, ["L4210"], OA)
    assert decision.determination is OUTSIDE
    assert decision.findings == ["outside the criteria: L4210: repair of the brace"]


def test_second_guideline_decisions_say_nothing_of_pumps(knee):
    for specs in (OA, TEAR, OA[:1], [*OA, fact("skin_breakdown")], []):
        text = run(knee, ["L1843"], specs).model_dump_json().lower()
        assert [w for w in PUMP_WORDS if w in text] == []


def test_second_guideline_outside_summary_says_nothing_of_pumps(knee):
    summary = run(knee, ["L4210"], []).summary.lower()
    assert [w for w in PUMP_WORDS if w in summary] == []
    assert "repair of the brace" in summary


@pytest.mark.parametrize("module", ["engine.py", "logic.py"])
def test_second_guideline_engine_source_names_no_pump_criteria(guideline, module):
    # The engine is generic: no criterion id, fact name or pump word of the shipped guideline.
    source = (RULES / module).read_text(encoding="utf-8").lower()
    words = PUMP_WORDS + list(guideline.facts) + [n.id for n in guideline.nodes() if "." in n.id]
    assert [w for w in words if w.lower() in source] == []


def test_second_guideline_engine_directly(knee):
    from rules.engine import Evaluator, FactBase

    chart = Chart.of(TEAR)
    evaluator = Evaluator(knee, FactBase.build(chart.facts, knee), "trial", dt.date(2024, 10, 1))
    result = evaluator.node(knee.indications)
    assert result.status is Status.MET
    assert [c.status for c in result.children] == [Status.UNKNOWN, Status.MET]

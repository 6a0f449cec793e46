"""The evaluation report's conflict count and ruled-out-pathway evidence rule (issue 10)."""

from __future__ import annotations

from chart_review.contract import CriterionResult, Decision, Determination, Evidence, GuidelineRef, Status
from chart_review.evaluate import ruled_out_problems

QUOTE = Evidence(document="a.txt", start=0, end=4, text="FBSS")


def leaf(cid: str, status: Status, reason: str | None, quotes: int) -> CriterionResult:
    return CriterionResult(id=cid, text=cid, logic="leaf", status=status, reason=reason, evidence=[QUOTE] * quotes)


def pathway(*leaves: CriterionResult, quotes: int = 1) -> CriterionResult:
    group = CriterionResult(id="p.new", text="all", logic="all", status=Status.NOT_MET, children=list(leaves))
    return CriterionResult(id="p", text="p", logic="any", status=Status.NOT_MET, children=[group],
                           reason="ruled out: another condition documented", evidence=[QUOTE] * quotes)


def decision_with(tree: CriterionResult) -> Decision:
    return Decision(determination=Determination.INSUFFICIENT, request_type=None, pathway=None, summary="",
                    criteria=[tree], missing=[], findings=[], documents=[],
                    guideline=GuidelineRef(id="g", version="1"))


CARRY = "the p pathway is ruled out: another condition documented"
UNASSESSED = "not assessed: the p pathway is ruled out"


def test_a_ruling_carried_once_is_no_problem():
    tree = pathway(leaf("p.a", Status.NOT_MET, CARRY, 1), leaf("p.b", Status.UNKNOWN, UNASSESSED, 0))
    assert ruled_out_problems(decision_with(tree), {"p"}) == (1, [])


def test_a_ruling_copied_onto_every_leaf_is_a_problem():
    tree = pathway(leaf("p.a", Status.NOT_MET, CARRY, 1), leaf("p.b", Status.NOT_MET, CARRY, 1))
    count, problems = ruled_out_problems(decision_with(tree), {"p"})
    assert count == 1 and problems == ["p.new: the pathway's ruling is repeated on several of its parts"]


def test_a_ruling_without_its_quote_on_the_pathway_is_a_problem():
    tree = pathway(leaf("p.a", Status.NOT_MET, CARRY, 3), quotes=0)
    _, problems = ruled_out_problems(decision_with(tree), {"p"})
    assert problems == ["p: ruled out without a quote on the pathway node",
                        "p.a: carries the pathway's ruling with 3 quotes"]

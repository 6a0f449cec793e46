"""A model's grounded claims applied to a decision, by the policy of issue 14.

- A claim may decide a leaf the rules left unknown; it never changes a leaf the rules decided (that
  is a finding, with both sides' quotes).
- Groups are recomputed by the same three-valued logic; the determination follows.
- A determination that needs a model-decided leaf to meet the criteria is pended for a clinician,
  unless the operator allows model-supported approval.
- Evidence from the model carries origin "llm"; the rules' evidence is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from chart_review.contract import CriterionResult, Decision, Determination, Disposition, Evidence, Status
from rules.decide import disposition, missing_documentation, walk
from rules.logic import all_of, any_of
from rules.reconsider import determine


class LeafClaim(Protocol):
    """What the policy needs of a model's claim (chart_review.assist.Claim)."""

    @property
    def criterion(self) -> str: ...
    @property
    def status(self) -> Status: ...
    @property
    def assertion(self) -> str: ...
    @property
    def evidence(self) -> tuple[Evidence, ...]: ...
    @property
    def rationale(self) -> str: ...


def _rebuilt(node: CriterionResult, decided: Mapping[str, LeafClaim]) -> CriterionResult:
    if node.logic == "leaf":
        claim = decided.get(node.id)
        if claim is None:
            return node
        why = (f"model-proposed ({claim.assertion}), every quote found in the chart and read the same way by "
               f"ConText: {claim.rationale}").rstrip(": ")
        return node.model_copy(update={"status": claim.status, "evidence": list(claim.evidence), "reason": why,
                                       "needs": None, "needs_from": None})
    children = [_rebuilt(child, decided) for child in node.children]
    if all(new is old for new, old in zip(children, node.children, strict=True)):
        return node
    status = (all_of if node.logic == "all" else any_of)(c.status for c in children)
    # A group the rules ruled out (its status set from its evidence) keeps that ruling.
    if node.status is not Status.UNKNOWN:
        status = node.status
    return node.model_copy(update={"children": children, "status": status})


def apply_claims(decision: Decision, claims: Sequence[LeafClaim], allow_model_approval: bool = False,
                 ) -> tuple[Decision, list[tuple[str, str]]]:
    """The decision with the claims that may decide unknown leaves, and why each other one was not
    used ("changes a decided leaf")."""
    if len(decision.criteria) != 2:
        return decision, []
    nodes = {node.id: node for root in decision.criteria for node in walk(root)}
    decided: dict[str, LeafClaim] = {}
    refused: list[tuple[str, str]] = []  # (criterion, why the claim was not used)
    findings = list(decision.findings)
    for claim in claims:
        node = nodes.get(claim.criterion)
        if node is None or node.logic != "leaf":
            refused.append((claim.criterion, "not a leaf"))
            continue
        if node.status is not Status.UNKNOWN:
            refused.append((claim.criterion, "changes a decided leaf"))
            if claim.status is not node.status:
                theirs = "; ".join(repr(ev.text[:90]) for ev in claim.evidence)
                ours = "; ".join(repr(ev.text[:90]) for ev in node.evidence) or "no quote"
                findings.append(f"the model reads {claim.criterion} as {claim.status.value} ({theirs}); the rules "
                                f"decided {node.status.value} ({ours}); the rules' status stands")
            continue
        if claim.status is Status.UNKNOWN:
            continue
        decided[claim.criterion] = claim
    if not decided:
        return decision.model_copy(update={"findings": findings}), refused
    indication, exclusion = (_rebuilt(root, decided) for root in decision.criteria)
    det = determine(indication.status, exclusion.status)
    pathway = decision.pathway
    if det is Determination.MEETS:
        pathway = next((c.id for c in indication.children if c.status is Status.MET), pathway)
    missing = [m for m in decision.missing if m not in decided] if det is Determination.INSUFFICIENT else []
    wanted = missing_documentation(indication, missing)
    chosen, reasons = disposition(det, list(decision.conflicts), [item.sentence for item in wanted])
    # Every decided leaf counts: an exclusion the model reads as absent lets an approval through too.
    if chosen is Disposition.APPROVE and not allow_model_approval:
        chosen = Disposition.PEND_CLINICAL_REVIEW
        reasons = ["a criterion that decides this approval rests on a model's reading of the chart (grounded and "
                   "checked, but not the rules'); a clinician confirms it"]
    findings.append(f"model assistance decided {len(decided)} leaf(s) the rules left unknown: "
                    + ", ".join(sorted(decided)))
    summary = (f"{decision.summary} With model assistance (grounded quotes on {len(decided)} criteria the rules "
               f"left unknown) the criteria read as {det.value.replace('_', ' ')}.")
    return decision.model_copy(update={
        "criteria": [indication, exclusion], "determination": det, "pathway": pathway, "missing": missing,
        "summary": summary,
        "missing_documentation": wanted, "disposition": chosen, "disposition_reasons": reasons,
        "findings": findings,
    }), refused

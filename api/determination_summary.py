"""The determination summary: one page fit to file with the case (issue 11). Who the patient is,
the reference, the codes, what automation decided and did with it, each deciding criterion with
its quotes, every override with who and when, and the reviewer's own determination.

Built from the stored review; the quotes are the decision's evidence, nothing else of the chart.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy.orm import object_session

from api.db import Review
from api.service import identity_text, labels, latest_overrides
from chart_review.contract import CriterionResult, Decision, Status
from rules.decide import walk

QUOTES_PER_CRITERION = 2


class Quote(BaseModel):
    document: str
    text: str


class SummaryCriterion(BaseModel):
    id: str
    text: str
    automated: Status
    reviewer: Status | None = Field(default=None, description="The latest override, when there is one")
    quotes: list[Quote]


class SummaryOverride(BaseModel):
    criterion_id: str
    before: str
    after: str
    reason: str
    reviewer: str = Field(description="The reviewer's key's label")
    at: dt.datetime


class SummaryDetermination(BaseModel):
    determination: str
    reason: str
    reviewer: str
    at: dt.datetime


class DeterminationSummary(BaseModel):
    review_id: str
    reference: str | None = None
    patient_name: str | None = None
    member_id: str | None = None
    birth_date: str | None = None
    requesting_provider: str | None = None
    procedure_codes: list[str]
    request_type: str | None
    guideline: str
    received_at: dt.datetime
    determination: str
    disposition: str | None
    disposition_reasons: list[str]
    pathway: str | None
    criteria: list[SummaryCriterion] = Field(description="The chosen pathway's criteria and every non-indication "
                                                         "found present, each with up to two quotes")
    missing_documentation: list[str]
    overrides: list[SummaryOverride]
    reviewer_determination: SummaryDetermination | None = None
    dated: dt.date
    text: str = Field(description="The summary as plain text, ready to print or file")


def _deciding(decision: Decision) -> list[CriterionResult]:
    """The leaves a reader needs: the chosen pathway's, then the non-indications present."""
    if len(decision.criteria) != 2:
        return []
    indication, exclusion = decision.criteria
    chosen = [node for node in indication.children if node.id == decision.pathway]
    leaves = [node for root in chosen for node in walk(root) if node.logic == "leaf"]
    return leaves + [node for node in walk(exclusion) if node.logic == "leaf" and node.status is Status.MET]


def determination_summary(review: Review, decision: Decision, dated: dt.date) -> DeterminationSummary:
    request = review.request if isinstance(review.request, dict) else {}
    patient = request.get("patient") or {}
    provider = request.get("requesting_provider") or {}
    latest = latest_overrides(review)
    who = labels(object_session(review), {o.reviewer for o in review.overrides}
                 | {d.reviewer for d in review.reviewer_determinations})
    criteria = [SummaryCriterion(id=node.id, text=node.text, automated=node.status, reviewer=latest.get(node.id),
                                 quotes=[Quote(document=e.document, text=e.text)
                                         for e in node.evidence[:QUOTES_PER_CRITERION]])
                for node in _deciding(decision)]
    overrides = [SummaryOverride(criterion_id=o.criterion_id, before=o.status_before, after=o.status_after,
                                 reason=o.reason, reviewer=who.get(o.reviewer, "a reviewer"), at=o.created_at)
                 for o in review.overrides]
    mine = review.reviewer_determinations[-1] if review.reviewer_determinations else None
    provider_name = identity_text(provider.get("name"))
    npi = identity_text(provider.get("npi"))
    summary = DeterminationSummary(
        review_id=review.id, reference=review.reference, patient_name=review.patient_name,
        member_id=review.member_id, birth_date=identity_text(patient.get("birth_date")),
        requesting_provider=f"{provider_name} (NPI {npi})" if provider_name and npi else provider_name,
        procedure_codes=[str(c) for c in request.get("procedure_codes") or []],
        request_type=decision.request_type, guideline=f"{decision.guideline.id} v{decision.guideline.version}",
        received_at=review.created_at, determination=decision.determination.value,
        disposition=decision.disposition.value if decision.disposition else None,
        disposition_reasons=list(decision.disposition_reasons), pathway=decision.pathway, criteria=criteria,
        missing_documentation=[m.sentence for m in decision.missing_documentation], overrides=overrides,
        reviewer_determination=SummaryDetermination(
            determination=mine.determination, reason=mine.reason, reviewer=who.get(mine.reviewer, "a reviewer"),
            at=mine.created_at) if mine else None,
        dated=dated, text="")
    summary.text = _text(summary)
    return summary


def _words(value: str | None) -> str:
    return (value or "").replace("_", " ")


def _text(s: DeterminationSummary) -> str:
    lines = [
        "DETERMINATION SUMMARY",
        f"Date: {s.dated.isoformat()}",
        f"Patient: {s.patient_name or 'not given'}"
        + (f", member ID {s.member_id}" if s.member_id else "") + (f", born {s.birth_date}" if s.birth_date else ""),
        f"Reference: {s.reference or s.review_id} (review {s.review_id})",
        f"Requesting provider: {s.requesting_provider or 'not given'}",
        f"Procedure codes: {', '.join(s.procedure_codes)}; request type: {_words(s.request_type) or 'not determined'}",
        f"Guideline: {s.guideline}; request received {s.received_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"Automated determination: {_words(s.determination)}; disposition: {_words(s.disposition)}",
    ]
    lines += [f"  - {reason}" for reason in s.disposition_reasons]
    if s.pathway:
        lines.append(f"Pathway: {_words(s.pathway)}")
    lines += ["", "Criteria:"]
    for c in s.criteria:
        reviewer = f"; reviewer: {_words(c.reviewer.value)}" if c.reviewer else ""
        lines.append(f"  [{_words(c.automated.value)}{reviewer}] {c.text}")
        lines += [f'      "{" ".join(q.text.split())}" ({q.document})' for q in c.quotes]
    if s.missing_documentation:
        lines += ["", "Documentation missing:"] + [f"  - {m}" for m in s.missing_documentation]
    lines += ["", "Overrides:" if s.overrides else "Overrides: none"]
    lines += [f"  - {o.criterion_id}: {_words(o.before)} -> {_words(o.after)}, by {o.reviewer} on "
              f"{o.at:%Y-%m-%d %H:%M} UTC: {o.reason}" for o in s.overrides]
    d = s.reviewer_determination
    lines += ["", f"Reviewer's determination: {_words(d.determination)}, by {d.reviewer} on {d.at:%Y-%m-%d %H:%M} UTC: "
                  f"{d.reason}" if d else "Reviewer's determination: none recorded yet"]
    lines += ["", "Automation never denies: a determination that the criteria are not met is a recommendation "
                  "pended for a clinician."]
    return "\n".join(lines)

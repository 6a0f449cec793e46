"""Turn an evaluated guideline into a Decision: request type, determination, pathway, missing,
findings and a summary a reviewer can paste (CONTRACT.md section 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from chart_review.contract import (
    Conflict,
    CriterionResult,
    Decision,
    Determination,
    Disposition,
    DocumentRef,
    GuidelineRef,
    MissingDocumentation,
    RequestType,
    ReviewRequest,
    Status,
)
from extractors.facts import Fact
from rules.engine import Evaluator, FactBase
from rules.guideline import Guideline
from rules.reconsider import determine


def walk(result: CriterionResult) -> Iterator[CriterionResult]:
    yield result
    for child in result.children:
        yield from walk(child)


def leaves(result: CriterionResult) -> Iterator[CriterionResult]:
    return (node for node in walk(result) if node.logic == "leaf")


def derive_request_type(
    guideline: Guideline, codes: Iterable[str], facts: FactBase
) -> RequestType | None:
    """The request type the codes imply; an implant for a patient with a pump is a replacement."""
    kinds = {guideline.codes[code].kind for code in codes}
    if "replacement" in kinds:
        return "replacement"
    if "implant" in kinds:
        device = guideline.device_in_place_fact
        return "replacement" if device and facts.affirmed(device) else "permanent"
    if "trial" in kinds:
        return "trial"
    return None


def _outside(guideline: Guideline, request: ReviewRequest, documents: list[DocumentRef]) -> Decision:
    reasons = [f"{code}: {guideline.codes[code].reason or guideline.codes[code].description}"
               for code in request.procedure_codes]
    return Decision(
        determination=Determination.OUTSIDE,
        request_type=None,
        pathway=None,
        summary=(f"The {guideline.title} criteria do not address this request: "
                 + "; ".join(reasons) + "."),
        criteria=[],
        missing=[],
        findings=[f"outside the criteria: {reason}" for reason in reasons],
        guideline=GuidelineRef(id=guideline.id, version=guideline.version),
        documents=documents,
        disposition=Disposition.OUTSIDE,
        disposition_reasons=["the requested codes are outside this guideline's criteria"],
    )


def _choose_pathway(guideline: Guideline, indication: CriterionResult,
                    evaluator: Evaluator) -> CriterionResult | None:
    by_id = {node.id: node for node in indication.children}
    pathways = [(node, by_id[node.id]) for node in guideline.pathways() if node.id in by_id]
    for _, result in pathways:
        if result.status is Status.MET:
            return result
    supported = [
        result for node, result in pathways
        if node.applies_when is not None and evaluator.test(node.applies_when).status is Status.MET
    ]
    if not supported:
        return None
    # Several conditions documented: the pathway with the most criteria met fits best.
    return max(supported, key=lambda r: sum(leaf.status is Status.MET for leaf in leaves(r)))


def _missing(scope: Iterable[CriterionResult]) -> list[str]:
    """Unknown leaves under unknown branches: the documentation that would decide the request."""
    found: list[str] = []

    def visit(node: CriterionResult) -> None:
        if node.status is not Status.UNKNOWN:
            return
        if node.logic == "leaf":
            found.append(node.id)
        for child in node.children:
            visit(child)

    for root in scope:
        visit(root)
    return list(dict.fromkeys(found))


def _contradictions(facts: list[Fact], guideline: Guideline) -> list[str]:
    """Facts affirmed in one document and denied in another: reported, never resolved."""
    base = FactBase.build(facts, guideline)
    found = []
    for name, positive in base.positive.items():
        negative = base.negative.get(name, [])
        pos_docs = {f.document for f in positive}
        neg_docs = {f.document for f in negative} - pos_docs
        if neg_docs:
            found.append(
                f"contradiction across notes: {guideline.facts[name].about} is affirmed in "
                f"{', '.join(sorted(pos_docs))} and denied in {', '.join(sorted(neg_docs))}"
            )
    return found


def _sentence(text: str) -> str:
    """First letter up, the rest untouched (str.capitalize would lowercase the codes)."""
    return text[:1].upper() + text[1:]


def _short(text: str) -> str:
    head = text.split(", and the")[0].split(" (")[0]
    return head[0].lower() + head[1:] if head else head


def _summary(labels: dict[str, str], request_type: RequestType | None, request: ReviewRequest, det: Determination,
             pathway: CriterionResult | None, exclusion: CriterionResult,
             criteria_root: CriterionResult, missing: list[str]) -> str:
    what = f"{request_type or 'unspecified'} request ({', '.join(request.procedure_codes)})"
    path = f" on the {labels.get(pathway.id, pathway.id)} pathway" if pathway else ""
    scope = pathway or criteria_root
    if det is Determination.DOES_NOT_MEET and exclusion.status is Status.MET:
        present = [f"{_short(leaf.text)} ({leaf.reason})" for leaf in leaves(exclusion)
                   if leaf.status is Status.MET]
        return f"{_sentence(what)} does not meet criteria: non-indication present: " + "; ".join(present) + "."
    if det is Determination.MEETS:
        met = [_short(leaf.text) for leaf in leaves(scope) if leaf.status is Status.MET]
        return f"{_sentence(what)} meets criteria{path}: " + "; ".join(met) + "."
    if det is Determination.DOES_NOT_MEET:
        failed = [f"{_short(leaf.text)} ({leaf.reason})" for leaf in leaves(scope)
                  if leaf.status is Status.NOT_MET and leaf.evidence]
        return (f"{_sentence(what)} does not meet criteria{path}: not met: "
                + "; ".join(failed[:4] or ["no pathway's criteria are met"]) + ".")
    needs = []
    for leaf in leaves(criteria_root):
        if leaf.id in missing and leaf.needs:
            needs.append(leaf.needs)
    return (f"{_sentence(what)} has insufficient information{path}; missing documentation: "
            + "; ".join(dict.fromkeys(needs[:6])) + ".")


def missing_documentation(criteria_root: CriterionResult, missing: list[str]) -> list[MissingDocumentation]:
    """Each missing criterion as what to ask for and of whom ("The treating physician's
    documented life expectancy (prognosis) in months, from the treating oncologist")."""
    items = []
    for leaf in leaves(criteria_root):
        if leaf.id not in missing:
            continue
        needed = leaf.needs or f"Documentation that {_short(leaf.text)[:1].lower()}{_short(leaf.text)[1:]}"
        sentence = f"{needed}, from {leaf.needs_from}." if leaf.needs_from else f"{needed}."
        items.append(MissingDocumentation(criterion=leaf.id, documentation=needed, request_from=leaf.needs_from,
                                          sentence=sentence))
    return items


def disposition(det: Determination, conflicts: list[Conflict], missing: list[str]
                ) -> tuple[Disposition, list[str]]:
    """What automation does with a determination (contract 1.1). It never denies: a decision that
    would deny is a recommendation pended for a clinician (42 CFR 422.566(d); CMS FAQ on
    CMS-4201-F, February 2024), and a contradiction is never decided by the machine."""
    if det is Determination.OUTSIDE:
        return Disposition.OUTSIDE, ["the requested codes are outside this guideline's criteria"]
    if conflicts:
        names = ", ".join(c.criterion for c in conflicts)
        reasons = [f"the chart contradicts itself on {names}; a clinician must weigh both sides"]
        if det is Determination.INSUFFICIENT:
            return Disposition.PEND_INFORMATION, reasons + [f"documentation missing: {m}" for m in missing]
        return Disposition.PEND_CLINICAL_REVIEW, reasons
    if det is Determination.MEETS:
        return Disposition.APPROVE, ["every criterion that decides the request is met on the chart's own words"]
    if det is Determination.INSUFFICIENT:
        return Disposition.PEND_INFORMATION, [f"documentation missing: {m}" for m in missing]
    return Disposition.PEND_CLINICAL_REVIEW, [
        "the criteria appear not to be met; automation never denies, so a clinician reviews this recommendation"]


def decide(
    guideline: Guideline,
    request: ReviewRequest,
    facts: list[Fact],
    documents: list[DocumentRef],
    today: dt.date | None = None,
) -> Decision:
    """The whole decision for one request over one chart's facts."""
    in_scope = [c for c in request.procedure_codes if guideline.codes[c].kind != "outside"]
    if not in_scope:
        return _outside(guideline, request, documents)
    base = FactBase.build(facts, guideline)
    findings: list[str] = []

    derived = derive_request_type(guideline, in_scope, base)
    request_type = request.request_type or derived
    if request.request_type and derived and request.request_type != derived:
        findings.append(f"request type given as {request.request_type}, but the codes and chart "
                        f"indicate {derived}; reviewed as {request.request_type}")
    if request.units > guideline.units_allowed:
        findings.append(f"units requested: {request.units}, guideline allows {guideline.units_allowed}")
    for code in request.procedure_codes:
        spec = guideline.codes[code]
        if spec.kind == "outside":
            findings.append(f"{code} is outside the criteria ({spec.reason}) and was not reviewed")
    findings.extend(_contradictions(facts, guideline))

    service_date = request.service_date or today or dt.date.today()
    # The chart's facts are read for the step requested once that step is known.
    base.narrow_to_stage(guideline, request_type)
    evaluator = Evaluator(guideline, base, request_type, service_date)
    indication = evaluator.node(guideline.indications)
    exclusion = evaluator.node(guideline.exclusions)

    det = determine(indication.status, exclusion.status)

    pathway = _choose_pathway(guideline, indication, evaluator)
    missing: list[str] = []
    if det is Determination.INSUFFICIENT:
        missing = _missing([pathway]) if pathway else []
        missing = missing or _missing([indication])
    labels = {node.id: node.label or node.id for node in guideline.pathways()}
    summary = _summary(labels, request_type, request, det, pathway, exclusion, indication, missing)
    findings.extend(f"resolved by date: {text}" for text in dict.fromkeys(evaluator.resolved))
    conflicts = list(evaluator.conflicts.values())
    wanted = missing_documentation(indication, missing)
    chosen, reasons = disposition(det, conflicts, [item.sentence for item in wanted])
    return Decision(
        determination=det,
        request_type=request_type,
        pathway=pathway.id if pathway else None,
        summary=summary,
        criteria=[indication, exclusion],
        missing=missing,
        findings=findings,
        guideline=GuidelineRef(id=guideline.id, version=guideline.version),
        documents=documents,
        disposition=chosen,
        disposition_reasons=reasons,
        conflicts=conflicts,
        missing_documentation=wanted,
    )

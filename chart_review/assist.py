"""Ask, ground, check: the model's claims on the leaves the rules left unknown.

Every answer ends as a claim (grounded and confirmed by ConText) or a refusal with its reason:
"not found" (a quote not in the chart), "context disagrees" (ConText reads the quote otherwise),
"no quote", "unknown" (the model could not decide either), or the reply's own failure ("timeout",
"not JSON", ...). Refusals carry no chart text, so they may be counted anywhere; the reviewer page
shows the model's quote beside them from the claim record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from chart_review.contract import CriterionResult, Decision, Evidence, Status
from extractors.documents import Document
from extractors.llm.client import ChatClient, ModelAnswer
from extractors.llm.grounding import ASSERTIONS, context_reading, locate
from extractors.llm.questions import question_for
from extractors.llm.settings import LLMSettings
from rules.guideline import Guideline, facts_named


@dataclass(frozen=True)
class Claim:
    """A grounded, ConText-confirmed answer for one leaf."""

    criterion: str
    status: Status
    assertion: str
    evidence: tuple[Evidence, ...]
    rationale: str


@dataclass(frozen=True)
class Refusal:
    criterion: str
    reason: str
    # The model's quote that failed, for the reviewer (never logged).
    quote: str | None = None
    document: str | None = None


@dataclass
class Assistance:
    asked: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    calls: int = 0
    # The rules' own decision, before any claim was applied (for `evaluate --llm`).
    before: Decision | None = None


def _open_leaves(node: CriterionResult) -> Iterator[CriterionResult]:
    """Unknown leaves under unknown groups only: a leaf under a decided group cannot move it."""
    if node.status is not Status.UNKNOWN:
        return
    if node.logic == "leaf":
        if not (node.reason or "").startswith("not assessed"):  # a ruled-out pathway's
            yield node
        return
    for child in node.children:
        yield from _open_leaves(child)


def leaves_to_ask(decision: Decision) -> list[str]:
    """The unknown leaves whose answer could move the decision: the missing ones first, then the
    conflicts, then the rest."""
    ids = [node.id for root in decision.criteria for node in _open_leaves(root)]
    order = {cid: i for i, cid in enumerate([*decision.missing, *(c.criterion for c in decision.conflicts)])}
    return sorted(ids, key=lambda cid: (order.get(cid, len(order)), ids.index(cid)))


def _ground(answer: ModelAnswer, criterion: str, facts: Sequence[str], documents: dict[str, Document],
            question_passages: Sequence, extractor: object, service_date: dt.date
            ) -> Claim | Refusal:
    if answer.status == "unknown":
        return Refusal(criterion, "unknown")
    if not answer.quotes:
        return Refusal(criterion, "no quote")
    evidence: list[Evidence] = []
    readings = set()
    for quote in answer.quotes:
        document = documents.get(quote.document)
        span = locate(quote.text, document, question_passages) if document is not None else None
        if document is None or span is None:
            return Refusal(criterion, "not found", quote.text, quote.document)
        start, end = span
        evidence.append(Evidence(document=document.name, start=start, end=end, text=document.text[start:end],
                                 origin="llm"))
        readings |= context_reading(extractor, document, start, end, facts, service_date)
    claimed = ASSERTIONS[answer.assertion]
    if claimed not in readings:
        return Refusal(criterion, "context disagrees", answer.quotes[0].text, answer.quotes[0].document)
    return Claim(criterion, Status(answer.status), answer.assertion, tuple(evidence), answer.rationale[:300])


def assist(decision: Decision, documents: Sequence[Document], guideline: Guideline, extractor: object,
           settings: LLMSettings, service_date: dt.date, client: ChatClient | None = None) -> Assistance:
    """Ask about each leaf the rules left unknown, up to the settings' bound on calls."""
    result = Assistance()
    own = client is None
    client = client or ChatClient(settings)
    rules = extractor.rules  # type: ignore[attr-defined]
    by_name = {d.name: d for d in documents}
    try:
        for criterion in leaves_to_ask(decision):
            if client.calls >= settings.max_calls:
                break
            node = guideline.node(criterion)
            facts = sorted(set(facts_named(node.test)))
            question = question_for(criterion, node.text, node.needs, facts, rules, documents,
                                    settings.max_prompt_chars)
            if question is None:
                continue
            result.asked.append(criterion)
            reply = client.ask(question.system, question.user)
            if reply.answer is None:
                result.refusals.append(Refusal(criterion, reply.failure or "no answer"))
                continue
            outcome = _ground(reply.answer, criterion, facts, by_name, question.passages, extractor, service_date)
            (result.claims if isinstance(outcome, Claim) else result.refusals).append(outcome)  # type: ignore[arg-type]
    finally:
        result.calls = client.calls
        if own:
            client.close()
    return result

"""Evaluate a guideline tree over extracted facts into a trace of CriterionResults.

Generic: the engine knows tests, facts and three-valued logic, nothing about any procedure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from chart_review.contract import Conflict, CriterionResult, Evidence, RequestType, Status
from extractors.facts import Assertion, Fact
from rules.guideline import (
    AllTest,
    AnyTest,
    FactTest,
    Guideline,
    Node,
    NotTest,
    RequestTypeTest,
    Test,
)
from rules.logic import all_of, any_of, negate

MAX_EVIDENCE = 8
DAYS_PER = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}
# Month-level dates ("since March 2025") land on the 1st; a few days' slack keeps
# "six months" from failing on calendar arithmetic.
SLACK_DAYS = 5.0


@dataclass(frozen=True)
class Outcome:
    status: Status
    evidence: tuple[Evidence, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass
class FactBase:
    """Facts by name, split into those that assert the fact and those that deny it."""

    positive: dict[str, list[Fact]] = field(default_factory=lambda: defaultdict(list))
    negative: dict[str, list[Fact]] = field(default_factory=lambda: defaultdict(list))
    # Mentions that decide nothing (a relative's, a plan, a remote episode) but show a
    # reviewer what was considered and set aside.
    set_aside: dict[str, list[Fact]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, facts: Iterable[Fact], guideline: Guideline) -> FactBase:
        base = cls()
        for fact in facts:
            spec = guideline.facts.get(fact.name)
            if spec is None:
                continue
            if fact.assertion is Assertion.AFFIRMED:
                base.positive[fact.name].append(fact)
            elif fact.assertion is Assertion.HISTORICAL and spec.historical == "counts":
                base.positive[fact.name].append(fact)
            elif fact.assertion is Assertion.NEGATED:
                base.negative[fact.name].append(fact)
            else:
                base.set_aside[fact.name].append(fact)
        return base

    def affirmed(self, name: str) -> bool:
        return bool(self.positive.get(name))


def _evidence(facts: Iterable[Fact]) -> tuple[Evidence, ...]:
    seen: dict[tuple[str, int, int], Evidence] = {}
    for fact in facts:
        for ev in fact.evidence:
            seen.setdefault((ev.document, ev.start, ev.end), ev)
    return tuple(sorted(seen.values(), key=lambda e: (e.document, e.start))[:MAX_EVIDENCE])


def _reasons(facts: Iterable[Fact]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.reason for f in facts))


def _merge(outcomes: Iterable[Outcome]) -> tuple[tuple[Evidence, ...], tuple[str, ...]]:
    evidence: dict[tuple[str, int, int], Evidence] = {}
    reasons: dict[str, None] = {}
    for outcome in outcomes:
        for ev in outcome.evidence:
            evidence.setdefault((ev.document, ev.start, ev.end), ev)
        reasons.update(dict.fromkeys(outcome.reasons))
    ordered = sorted(evidence.values(), key=lambda e: (e.document, e.start))
    return tuple(ordered[:MAX_EVIDENCE]), tuple(reasons)


class Evaluator:
    """Evaluates one guideline for one request over one chart's facts."""

    def __init__(
        self,
        guideline: Guideline,
        facts: FactBase,
        request_type: RequestType | None,
        service_date: dt.date,
    ) -> None:
        self.guideline = guideline
        self.facts = facts
        self.request_type = request_type
        self.service_date = service_date
        # Leaves the chart both affirms and denies, by criterion id; and contradictions the
        # guideline data resolved (a later note over an earlier one), said aloud as findings.
        self.conflicts: dict[str, Conflict] = {}
        self.resolved: list[str] = []
        self._current_leaf: str | None = None

    # -- tests -----------------------------------------------------------------------------

    def test(self, test: Test) -> Outcome:
        if isinstance(test, FactTest):
            return self._fact(test)
        if isinstance(test, RequestTypeTest):
            met = self.request_type in test.request_type
            wanted = " or ".join(test.request_type)
            reason = f"the request is {'' if met else 'not '}for a {wanted}"
            return Outcome(Status.MET if met else Status.NOT_MET, (), (reason,))
        if isinstance(test, AllTest | AnyTest):
            parts = [self.test(t) for t in (test.all if isinstance(test, AllTest) else test.any)]
            combine = all_of if isinstance(test, AllTest) else any_of
            status = combine(p.status for p in parts)
            # The parts that decided the result are its evidence: the failing parts of a
            # failed ALL, the succeeding parts of a met ANY, every part otherwise.
            dominant = Status.NOT_MET if isinstance(test, AllTest) else Status.MET
            deciding = [p for p in parts if p.status is status] if status is dominant else parts
            evidence, reasons = _merge(deciding)
            return Outcome(status, evidence, reasons)
        if isinstance(test, NotTest):
            inner = self.test(test.not_)
            return Outcome(negate(inner.status), inner.evidence, inner.reasons)
        raise TypeError(f"not a test: {test!r}")  # pragma: no cover - the loader forbids it

    def _fact(self, test: FactTest) -> Outcome:
        positive = self.facts.positive.get(test.fact, [])
        negative = self.facts.negative.get(test.fact, [])
        if test.at_least is not None:
            return self._quantity(test, positive, negative)
        if test.months_at_least is not None or test.weeks_at_least is not None:
            return self._duration(test, positive, negative)
        checked = self.guideline.facts[test.fact].conflicts == "checked"
        if positive and negative and checked and test.absent != "not_met":
            positive, negative = self._settle(test.fact, positive, negative)
        else:
            # A non-indication affirmed anywhere stays met: it sends the request to a clinician,
            # the safe direction, with the denial shown beside it as a finding.
            negative = [] if positive else negative
        if positive and negative:
            if self._current_leaf is not None:
                self.conflicts.setdefault(self._current_leaf, Conflict(
                    criterion=self._current_leaf, affirmed=list(_evidence(positive)), denied=list(_evidence(negative))))
            about = self.guideline.facts[test.fact].about
            reason = f"contradiction: {about} is both affirmed and denied in the chart; a reviewer must decide"
            return Outcome(Status.UNKNOWN, _evidence(positive + negative), (reason,))
        if positive:
            return Outcome(Status.MET, _evidence(positive), _reasons(positive))
        # A set-aside mention (a relative's, a plan, a form item answered N/A) decides nothing and
        # is never cited: a nurse reads a quote as the reason for the status. Where no mention
        # means "no" (an exclusion), the reason still says what was set aside.
        set_aside = self.facts.set_aside.get(test.fact, []) if test.absent == "not_met" else []
        reasons = _reasons(negative) + tuple(f"{f.reason}: set aside as {f.assertion.value}" for f in set_aside)
        if negative:
            return Outcome(Status.NOT_MET, _evidence(negative), reasons)
        return Outcome(Status(test.absent), (), reasons)

    def _settle(self, name: str, positive: list[Fact], negative: list[Fact]) -> tuple[list[Fact], list[Fact]]:
        """Both sides of a contradiction, unless one side is not really the other's denial (the
        same sentence affirms one part and denies another: "no spasms in the arms; severe in the
        legs") or the guideline data says the later dated note wins."""
        # Within one document, a denial beside an affirmation is nearly always a partial one
        # ("no relief from gabapentin" beside "gabapentin 300 mg tid"); across documents, two
        # authors disagree, and that is a contradiction a reviewer must see.
        documents = {f.document for f in positive}
        negative = [f for f in negative if f.document not in documents]
        if not negative or not self.guideline.conflicts.later_note_wins:
            return positive, negative
        pos_dates = [f.note_date for f in positive]
        neg_dates = [f.note_date for f in negative]
        if None in pos_dates or None in neg_dates:
            return positive, negative
        about = self.guideline.facts[name].about
        later = "; the later note was used"
        if min(pos_dates) > max(neg_dates):  # type: ignore[type-var,operator]
            self.resolved.append(f"{about}: denied in an earlier note, affirmed in a later one{later}")
            return positive, []
        if min(neg_dates) > max(pos_dates):  # type: ignore[type-var,operator]
            self.resolved.append(f"{about}: affirmed in an earlier note, denied in a later one{later}")
            return [], negative
        return positive, negative

    def _quantity(self, test: FactTest, positive: list[Fact], negative: list[Fact]) -> Outcome:
        valued = [f for f in positive if isinstance(f.value, int | float)]
        if not valued:
            if negative and not positive:
                return Outcome(Status.NOT_MET, _evidence(negative), _reasons(negative))
            return Outcome(Status(test.absent) if not positive else Status.UNKNOWN,
                           _evidence(positive), _reasons(positive))
        pick = max if test.take == "most" else min
        chosen = pick(valued, key=lambda f: float(f.value))  # type: ignore[arg-type]
        assert test.at_least is not None
        threshold = test.at_least
        met = float(chosen.value) >= threshold  # type: ignore[arg-type]
        # Every value that agrees with the verdict is evidence for it, the decisive one first.
        agreeing = [f for f in valued if (float(f.value) >= threshold) == met]  # type: ignore[arg-type]
        agreeing.sort(key=lambda f: f is not chosen)
        return Outcome(Status.MET if met else Status.NOT_MET, _evidence(agreeing), _reasons(agreeing))

    def _duration(self, test: FactTest, positive: list[Fact], negative: list[Fact]) -> Outcome:
        window_start = None
        if test.within_months is not None:
            window_start = self.service_date - dt.timedelta(days=test.within_months * DAYS_PER["month"])
        spans = [(self._days(f, window_start), f) for f in positive]
        known = [(days, f) for days, f in spans if days is not None]
        if not known:
            if negative and not positive:
                return Outcome(Status.NOT_MET, _evidence(negative), _reasons(negative))
            reasons = _reasons(positive) + (("how long is not documented",) if positive else ())
            return Outcome(Status(test.absent) if not positive else Status.UNKNOWN,
                           _evidence(positive), reasons)
        if test.months_at_least is not None:
            need = test.months_at_least * DAYS_PER["month"]
        else:
            need = (test.weeks_at_least or 0) * DAYS_PER["week"]
        best_days, best = max(known, key=lambda pair: pair[0])
        met = best_days + SLACK_DAYS >= need
        facts = [best] if met else [f for _, f in known]
        return Outcome(Status.MET if met else Status.NOT_MET, _evidence(facts), _reasons(facts))

    def _days(self, fact: Fact, window_start: dt.date | None) -> float | None:
        """How many days the fact covers, inside the window when there is one."""
        if fact.period_start is not None and fact.period_end is not None:
            start, end = fact.period_start, min(fact.period_end, self.service_date)
            if window_start is not None:
                start = max(start, window_start)
            return float(max((end - start).days, 0))
        if isinstance(fact.value, int | float) and fact.unit in DAYS_PER:
            # A bare duration with no date: taken as recent, since notes describe current care.
            return float(fact.value) * DAYS_PER[fact.unit]
        return None

    # -- the tree --------------------------------------------------------------------------

    def node(self, node: Node) -> CriterionResult:
        if node.logic == "leaf":
            return self._leaf(node)
        children = [self.node(child) for child in node.children]
        combine = all_of if node.logic == "all" else any_of
        status = combine(c.status for c in children)
        return CriterionResult(
            id=node.id, text=node.text, logic=node.logic, status=status, children=children
        )

    def _leaf(self, node: Node) -> CriterionResult:
        assert node.test is not None
        self._current_leaf = node.id
        try:
            outcome = self.test(node.test)
        finally:
            self._current_leaf = None
        # ruled_out_by turns an undecided leaf into not_met, and gives an exclusion left
        # not_met for lack of mention the evidence that rules it out.
        undecided = outcome.status is Status.UNKNOWN or (
            outcome.status is Status.NOT_MET and not outcome.evidence)
        if undecided and node.ruled_out_by is not None:
            ruled_out = self.test(node.ruled_out_by)
            if ruled_out.status is Status.MET:
                reasons = ("ruled out: " + "; ".join(ruled_out.reasons),)
                outcome = Outcome(Status.NOT_MET, ruled_out.evidence, reasons)
                # A pathway the chart rules out decides nothing: its contradictions block nothing.
                self.conflicts.pop(node.id, None)
        if outcome.status is not Status.UNKNOWN:
            # The contradiction did not decide this leaf (another part of its test did).
            self.conflicts.pop(node.id, None)
        reason = "; ".join(outcome.reasons) or None
        if reason is None and outcome.status is Status.NOT_MET and node.id.startswith(
            self.guideline.exclusions.id
        ):
            reason = "not mentioned in the chart"
        return CriterionResult(
            id=node.id,
            text=node.text,
            logic="leaf",
            status=outcome.status,
            evidence=list(outcome.evidence),
            reason=reason,
            needs=node.needs if outcome.status is Status.UNKNOWN else None,
        )

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

# A leaf cites the mention that decides it and at most a few that add something: a nurse reads
# every quote as a reason for the status, so more quotes are not more evidence.
MAX_CITED = 5
PER_DOCUMENT = 3
# A node that combines parts cites each deciding part's quotes, up to this many.
MAX_MERGED = 6
DAYS_PER = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}
# Month-level dates ("since March 2025") land on the 1st; a few days' slack keeps
# "six months" from failing on calendar arithmetic.
SLACK_DAYS = 5.0


# Where a finding is first written down: a clinician's record, or a device's own log. A form or a
# letter ("summary") restates them.
PRIMARY = frozenset({"record", "log", "check"})
# A mention its own date puts more than a year before its note is cited after the current ones.
STALE_DAYS = 365
# A summary restates a record of up to a season before it (a referral, the physiatry note of the week).
RESTATED_DAYS = 90


@dataclass(frozen=True)
class Outcome:
    status: Status
    evidence: tuple[Evidence, ...] = ()
    reasons: tuple[str, ...] = ()
    # The mentions a met fact test rests on, all of them, not only those cited.
    met_by: tuple[Fact, ...] = ()


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
            if spec.refuses(fact.roles):
                base.set_aside[fact.name].append(fact)
            elif fact.assertion is Assertion.AFFIRMED:
                base.positive[fact.name].append(fact)
            elif fact.assertion is Assertion.HISTORICAL and spec.historical == "counts":
                base.positive[fact.name].append(fact)
            elif fact.assertion is Assertion.POSSIBLE and spec.possible == "counts":
                base.positive[fact.name].append(fact)
            elif fact.assertion is Assertion.NEGATED and spec.kind == "duration" \
                    and fact.roles.get("timing") == "stopped" and "stopped" in spec.roles.get("timing", []):
                # A course denied now because it was stopped ("Current opioid ... none (d/c
                # 04/2024)") was had: where a stopped course counts, the present's "none" denies
                # nothing of it.
                base.set_aside[fact.name].append(fact)
            elif fact.assertion is Assertion.NEGATED:
                base.negative[fact.name].append(fact)
            else:
                base.set_aside[fact.name].append(fact)
        base._grant_on_conditions_met(guideline)
        base._reopen_deferrals(guideline)
        base._deny_by_other_facts(guideline)
        base._set_aside_before_step(guideline)
        return base

    def _grant_on_conditions_met(self, guideline: Guideline) -> None:
        """A finding granted on a condition another fact names ("cleared ... once the course above
        has been completed"), where the record documents that fact: the finding stands. ("once"
        reads as hypothetical: the condition is what makes it so; a denial stays one.) Not while
        its note still has a step of its own to come ("On receipt of the therapist's summary I
        will issue a final clearance"), nor when the awaited course ended undone."""
        for name, waiting in list(self.set_aside.items()):
            to_come = {(f.document, f.note_date) for f in waiting
                       if f.roles.get("timing") == "pending" and "awaits" not in f.roles}
            met = [f for f in waiting if f.assertion in (Assertion.AFFIRMED, Assertion.HYPOTHETICAL)
                   and f.roles.get("awaits") in guideline.facts and (f.document, f.note_date) not in to_come
                   and any(c.source == "record" for c in self.positive.get(f.roles["awaits"], []))
                   and not any(n.ends_course for n in self.negative.get(f.roles["awaits"], []))]
            if met:
                self.set_aside[name] = [f for f in waiting if f not in met]
                self.positive[name].extend(f.model_copy(update={
                    "assertion": Assertion.AFFIRMED,
                    "roles": {k: v for k, v in f.roles.items() if k not in ("timing", "awaits")}}) for f in met)

    def _reopen_deferrals(self, guideline: Guideline) -> None:
        """A denial deferred until the patient does something another fact names ("Clearance is
        deferred ... I will re-evaluate when the course is finished"): it stands while the
        record denies that fact (the course declined or left) and affirms none of it. Once the
        course is done or still running, or the record says nothing of it, the decision is still to
        come: set aside as pending."""
        for name, denied in list(self.negative.items()):
            reopened = [f for f in denied if f.roles.get("awaits") in guideline.facts
                        and not (any(n.source == "record" for n in self.negative.get(f.roles["awaits"], []))
                                 and not any(p.source == "record" for p in self.positive.get(f.roles["awaits"], [])))]
            if reopened:
                self.negative[name] = [f for f in denied if f not in reopened]
                self.set_aside[name].extend(f.model_copy(update={
                    "assertion": Assertion.HYPOTHETICAL, "decision": False,
                    "roles": {**{k: v for k, v in f.roles.items() if k != "awaits"}, "timing": "pending"}})
                    for f in reopened)

    def _deny_by_other_facts(self, guideline: Guideline) -> None:
        """The record's affirmations of a fact the guideline data names in `denied_by` are denials
        of this one (a working device swapped for newer technology denies a technology that
        requires an upgrade)."""
        for name, spec in guideline.facts.items():
            for other in spec.denied_by:
                self.negative[name].extend(fact.model_copy(update={"name": name, "assertion": Assertion.NEGATED})
                                           for fact in self.positive.get(other, []) if fact.source == "record")

    def _set_aside_before_step(self, guideline: Guideline) -> None:
        """Mentions dated before the first record note that documents the step they would be a
        result of (the guideline data's `documented_after`) cannot be about it: set aside."""
        for name, spec in guideline.facts.items():
            dates = [f.note_date for other in spec.documented_after
                     for f in self.positive.get(other, []) + self.negative.get(other, [])
                     if f.source == "record" and f.note_date is not None]
            if not dates:
                continue
            first = min(dates)
            for side in (self.positive, self.negative):
                early = [f for f in side.get(name, []) if f.note_date is not None and f.note_date < first]
                if early:
                    side[name] = [f for f in side[name] if f not in early]
                    self.set_aside[name].extend(early)

    def narrow_to_stage(self, guideline: Guideline, requested: str | None) -> None:
        """Where the record withholds a finding, or has it still to come, for the step requested
        ("Clearance for PERMANENT implantation is deferred"), its affirmations for the other step
        ("Psychological clearance for the TRIAL is given") answer another question: set aside.
        A request of no step (a replacement, or none known) leaves the facts as they are."""
        other = _STAGES.get(requested or "")
        if other is None:
            return
        for name, spec in guideline.facts.items():
            if not spec.stage_of_request:
                continue
            withheld = [f for f in self.negative.get(name, []) + self.set_aside.get(name, [])
                        if f.roles.get("stage") == requested
                        and (f.assertion is Assertion.NEGATED or f.roles.get("timing") == "pending")]
            if not withheld:
                continue
            other_step = [f for f in self.positive.get(name, []) if f.roles.get("stage") == other]
            self.positive[name] = [f for f in self.positive.get(name, []) if f not in other_step]
            self.set_aside[name].extend(other_step)

    def affirmed(self, name: str) -> bool:
        return bool(self.positive.get(name))


def _same_thing(one: Fact, other: Fact, roles: Iterable[str]) -> bool:
    """Two mentions are about the same thing unless both name it, differently."""
    for role in roles:
        mine, theirs = one.roles.get(role), other.roles.get(role)
        if mine is not None and theirs is not None and mine != theirs:
            return False
    return True


# How long after a record's reading a letter is taken to restate it.
_RESTATES_DAYS = 31


def _answers(denial: Fact, suspicion: Fact, roles: Iterable[str]) -> bool:
    """A denial answers a suspicion about the same part, naming that part when the suspicion
    does: "no signs of withdrawal" does not answer "catheter leak vs rotor problem". Within one
    document only a denial after it does: a reading's "normal" followed by a differential that
    still names the failure is a suspicion the reading did not settle."""
    roles = list(roles)
    if not _same_thing(denial, suspicion, roles) or any(
            suspicion.roles.get(role) is not None and denial.roles.get(role) is None for role in roles):
        return False
    if denial.document == suspicion.document:
        return denial.evidence[0].start > suspicion.evidence[0].start
    # A letter's undated suspicion restates the record it was written from: "Her device has also
    # logged alarms over the summer" a week after the reading that logged each as routine.
    if suspicion.source == "summary" and suspicion.observed_on is None and denial.source == "record" \
            and suspicion.note_date is not None and denial.note_date is not None \
            and 0 <= (suspicion.note_date - denial.note_date).days <= _RESTATES_DAYS:
        return True
    # Read no earlier than the event the suspicion tells of: a letter's "the device alarmed on
    # 05/19" is answered by the 05/21 reading, written before the letter.
    when = suspicion.observed_on or suspicion.note_date
    return denial.note_date is not None and when is not None and denial.note_date >= when


def _not_before(later: Fact, earlier: Fact) -> bool:
    """`later` is in the same document as `earlier`, or in a note dated no earlier."""
    if later.document == earlier.document:
        return True
    return later.note_date is not None and earlier.note_date is not None and later.note_date >= earlier.note_date


def _said_since(later: Fact, earlier: Fact) -> bool:
    """`later` is said after `earlier`: in the same note, or further on in the same document (a file
    of two visits reads in order), or in a note dated no earlier."""
    if later.document == earlier.document:
        return later.note_date == earlier.note_date or later.evidence[0].start >= earlier.evidence[0].start
    return _not_before(later, earlier)


def _period(fact: Fact) -> tuple[dt.date, dt.date] | None:
    """The dates a mention covers: its own period, or a course said to go on from a date the
    mention gives to its note ("PT 4/2024-6/2024, HEP ongoing" in a March 2025 note)."""
    if fact.period_start is not None and fact.period_end is not None:
        return fact.period_start, fact.period_end
    if fact.roles.get("timing") == "ongoing" and fact.observed_on is not None and fact.note_date is not None \
            and fact.observed_on < fact.note_date:
        return fact.observed_on, fact.note_date
    return None


def walk_leaves(result: CriterionResult) -> Iterable[CriterionResult]:
    if result.logic == "leaf":
        yield result
    for child in result.children:
        yield from walk_leaves(child)


def _stale(fact: Fact) -> bool:
    """Its own date puts the mention over a year before its note: "Tapentadol 2022 - nausea" in
    a 2024 note."""
    return fact.observed_on is not None and fact.note_date is not None \
        and (fact.note_date - fact.observed_on).days > STALE_DAYS


def _rank(fact: Fact) -> tuple[bool, bool, int, str, int]:
    """Which mention decides first: a current statement before a past one, one of the last year
    before one its own date puts earlier, a later note before an earlier one, then reading order."""
    dated = -fact.note_date.toordinal() if fact.note_date is not None else 0
    return (fact.assertion is Assertion.HISTORICAL, _stale(fact), dated, fact.document, fact.evidence[0].start)


def select(facts: Iterable[Fact], first: Fact | None = None, dated: bool = False) -> list[Fact]:
    """The mentions to cite: the deciding one first, then at most a few that add something (one
    more per document, a corroborating source), never the same sentence twice. With `dated`,
    the mentions are cited for the dates they give, which a name with dates states."""
    ordered = sorted(facts, key=_rank)
    # A finding read from a name that implies it ("failed back surgery syndrome") is cited only
    # where no mention states it ("s/p L4-5 fusion 2019, pain unchanged").
    if not dated and any(not f.implied for f in ordered):
        ordered = [f for f in ordered if not f.implied or f is first]
    # A mention of another time is cited only where none of this one speaks: "sympathetic blocks
    # x2 (03/2021, 11/2021)" beside this year's injections says nothing of the last year.
    if any(f.assertion is not Assertion.HISTORICAL and not _stale(f) for f in ordered):
        ordered = [f for f in ordered if f.assertion is not Assertion.HISTORICAL and not _stale(f) or f is first]
    if first is not None:
        ordered.sort(key=lambda f: f is not first)
    chosen: list[Fact] = []
    spans: set[tuple[str, int, int]] = set()
    per_document: dict[str, int] = defaultdict(int)
    for fact in ordered:
        keys = {(ev.document, ev.start, ev.end) for ev in fact.evidence}
        # A quote inside one already cited says nothing new: "Dad does bathing, dressing,
        # toileting." within "- Mobility: ... dad does all transfers; ... Dad does bathing, ...".
        if all(any(doc == d and lo <= start and end <= hi for d, lo, hi in spans) for doc, start, end in keys) \
                or per_document[fact.document] >= PER_DOCUMENT:
            continue
        chosen.append(fact)
        spans |= keys
        per_document[fact.document] += 1
        if len(chosen) == MAX_CITED:
            break
    return chosen


def _evidence(facts: Iterable[Fact]) -> tuple[Evidence, ...]:
    seen: dict[tuple[str, int, int], Evidence] = {}
    for fact in facts:
        for ev in fact.evidence:
            seen.setdefault((ev.document, ev.start, ev.end), ev)
    return tuple(seen.values())


QUOTE_CHARS = 90
_VERB = {Assertion.AFFIRMED: "documented", Assertion.NEGATED: "denied",
         Assertion.HISTORICAL: "documented in the past"}
# The two steps of a new implant, each the other's "other step".
_STAGES = {"trial": "permanent", "permanent": "trial"}
# Roles worth naming in a reason: the patient is the default subject, said only when not.
_SHOWN_ROLES = ("route", "timing")


def mention(fact: Fact) -> str:
    """Where a fact was read, as a reviewer checks it: "'Denies SI/HI' (psych.txt, 2024-03-02)"."""
    ev = fact.evidence[0]
    quote = " ".join(ev.text.split())
    if len(quote) > QUOTE_CHARS:
        quote = quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + " ..."
    where = [ev.document]
    if fact.note_date is not None:
        where.append(fact.note_date.isoformat())
    where.extend(f"{role} {fact.roles[role].replace('_', ' ')}" for role in _SHOWN_ROLES if role in fact.roles)
    return f"'{quote}' ({', '.join(where)})"


def reason(fact: Fact, about: str, refused: tuple[str, str] | None = None) -> tuple[str, str]:
    """A reason generated from what was found and how it is asserted, never from the rule's
    wording: a denial reads "denied", a relative's finding "set aside as family". Returns
    what was found and where."""
    if refused is not None:
        verb = f"set aside, {refused[0]} {refused[1].replace('_', ' ')}"
    elif fact.assertion in _VERB:
        verb = _VERB[fact.assertion]
    else:
        verb = f"set aside as {fact.assertion.value}"
    value = fact.describe()
    return f"{about} {verb}{f' ({value})' if value else ''}", mention(fact)


def _merge(outcomes: Iterable[Outcome]) -> tuple[tuple[Evidence, ...], tuple[str, ...]]:
    evidence: dict[tuple[str, int, int], Evidence] = {}
    reasons: dict[str, None] = {}
    for outcome in outcomes:
        for ev in outcome.evidence:
            evidence.setdefault((ev.document, ev.start, ev.end), ev)
        reasons.update(dict.fromkeys(outcome.reasons))
    return tuple(list(evidence.values())[:MAX_MERGED]), tuple(reasons)


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

    def _cite(self, status: Status, facts: list[Fact], first: Fact | None = None, dated: bool = False) -> Outcome:
        cited = select(facts, first, dated)
        return Outcome(status, _evidence(cited), self._reasons(cited))

    def _reasons(self, facts: Iterable[Fact]) -> tuple[str, ...]:
        """One reason per kind of finding, with each mention of it: "X denied: 'a' (doc); 'b' (doc)"."""
        specs = self.guideline.facts
        said: dict[str, list[str]] = defaultdict(list)
        for f in facts:
            head, where = reason(f, specs[f.name].about, specs[f.name].refuses(f.roles))
            if where not in said[head]:
                said[head].append(where)
        return tuple(f"{head}: {'; '.join(wheres)}" for head, wheres in said.items())

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
            if isinstance(test, AllTest) and status is Status.NOT_MET:
                # A request of another type decides alone: "a permanent request after a trial"
                # on a trial request is not met whatever the chart says, and the chart's
                # mentions of side effects or vitals are no quote for it.
                wrong_type = [p for t, p in zip(test.all, parts, strict=True)
                              if isinstance(t, RequestTypeTest) and p.status is Status.NOT_MET]
                deciding = wrong_type or deciding
            if isinstance(test, AllTest) and status is Status.MET:
                deciding = self._jointly(deciding)
            if isinstance(test, AnyTest) and status is Status.MET:
                # One met part decides a met ANY: the first, in the guideline's order, that has
                # quotes. The others add nothing ("injections not indicated" beside injections done).
                deciding = next(([p] for p in deciding if p.evidence), deciding[:1])
            evidence, reasons = _merge(deciding)
            return Outcome(status, evidence, reasons)
        if isinstance(test, NotTest):
            inner = self.test(test.not_)
            return Outcome(negate(inner.status), inner.evidence, inner.reasons)
        raise TypeError(f"not a test: {test!r}")  # pragma: no cover - the loader forbids it

    def _jointly(self, parts: list[Outcome]) -> list[Outcome]:
        """Each part of a met ALL cites, where it can, the mentions that also show another part:
        one sentence naming a device and what it treats shows both halves of "a device that
        treats X", where a printout's implant date shows the device alone."""
        spans = [{(ev.document, ev.start, ev.end) for f in part.met_by for ev in f.evidence} for part in parts]
        joined: list[Outcome] = []
        for i, part in enumerate(parts):
            others = [span for j, found in enumerate(spans) if j != i for span in found]
            shared = [f for f in part.met_by if any(ev.document == doc and ev.start < end and start < ev.end
                                                    for ev in f.evidence for doc, start, end in others)]
            if shared:
                cited = select(shared)
                part = Outcome(part.status, _evidence(cited), self._reasons(cited), part.met_by)
            joined.append(part)
        return joined

    def _fact(self, test: FactTest) -> Outcome:
        positive = self.facts.positive.get(test.fact, [])
        negative = self.facts.negative.get(test.fact, [])
        if test.same_value_as is not None:
            positive = self._matching(test, positive)
        if test.at_least is not None:
            return self._quantity(test, positive, negative)
        if test.months_at_least is not None or test.weeks_at_least is not None:
            return self._duration(test, positive, negative)
        if test.within_months is not None:
            # Care of the window only: a 2022 letter's "left with a home exercise program" says
            # nothing of the last year, and does not deny it either.
            earlier = [f for f in (*positive, *negative) if self._before_window(f, test.within_months)]
            positive = [f for f in positive if f not in earlier]
            negative = [f for f in negative if f not in earlier]
            if earlier and not positive and not negative:
                about = self.guideline.facts[test.fact].about
                cited = select(earlier)
                why = f"{about}: documented only before the last {test.within_months:g} months"
                return Outcome(Status.UNKNOWN, (), (why, *self._reasons(cited)))
        if positive and negative and any(f.source == "check" for f in (*positive, *negative)):
            # The chart's own figures compared (a device's serial against a notice's range)
            # decide over what any note says of them.
            about = self.guideline.facts[test.fact].about
            self.resolved.append(f"{about}: the chart's own figures were compared; the comparison was used")
            positive = [f for f in positive if f.source == "check"]
            negative = [f for f in negative if f.source == "check"]
        conflicts = self.guideline.facts[test.fact].conflicts
        checked = conflicts in ("checked", "later_note_wins")
        spec = self.guideline.facts[test.fact]
        if positive and negative and spec.single_state and self._taken_back(positive, negative):
            about = self.guideline.facts[test.fact].about
            self.resolved.append(f"{about}: stated, then taken back later in the same note; the later statement "
                                 "was used")
            positive = []
        elif positive and negative and (checked and test.absent != "not_met" or conflicts == "later_note_wins"):
            positive, negative = self._settle(test.fact, positive, negative)
        elif positive and (against := self._summary_only(positive, negative, test.fact)):
            # In an indication, a form's default "Y" ("Side effects with trial ... Y") yields to
            # the record it restates ("tolerated the trial well"). A non-indication never does:
            # an exclusion a form affirms goes to a clinician, the safe direction.
            about = self.guideline.facts[test.fact].about
            self.resolved.append(f"{about}: a form or letter affirms it, the record denies it or has it still "
                                 "to come; the record was used")
            if not negative:
                return self._still_to_come(test.fact, positive, against)
            positive = []
        elif positive and negative and self.guideline.facts[test.fact].historical == "ignored" \
                and _superseded(positive, negative):
            # ...unless it is a finding of the present (a past one does not count) and every
            # affirming mention dates itself to a study a later one denies: a problem list's
            # "epidural tumor (MRI 12/2024)" against the April MRI's "resolved".
            about = self.guideline.facts[test.fact].about
            self.resolved.append(f"{about}: affirmed as of an earlier dated finding, denied by a later one; "
                                 "the later was used")
            positive = []
        elif self._record_over_summary(positive, negative, test.fact):
            # A form's box ("Tumor encroachment of the thecal sac? Y") against the study it
            # restates ("the thecal sac is patent"): the study, and the findings say so.
            positive, negative = self._record_used(test.fact, negative)
        elif positive and negative and all(f.assertion is Assertion.HISTORICAL for f in positive) \
                and any(f.assertion is Assertion.NEGATED and all(_not_before(f, p) for p in positive)
                        for f in negative):
            # Said of the past only ("ALLERGIES: Baclofen (carried over from a 2020 outside
            # record)") and denied now, in the same note or a later one ("without any allergic
            # reaction; the entry has been changed to an intolerance"): the present statement.
            about = self.guideline.facts[test.fact].about
            self.resolved.append(f"{about}: documented in the past, denied since; the later statement was used")
            positive = []
        else:
            # Otherwise a non-indication affirmed anywhere stays met: it sends the request to a
            # clinician, the safe direction, with the denial shown beside it as a finding.
            negative = [] if positive else negative
        if negative and not positive and test.absent != "not_met":
            # Not done yet, and booked ("clearance not yet obtained" beside "evaluation scheduled
            # 08/14"): the requirement is still to come, not failed.
            # (Where only undated forms say "No", they restate the record: a booking answers them.)
            forms_only = all(n.source == "summary" and n.note_date is None for n in negative)
            pending = [f for f in self.facts.set_aside.get(test.fact, []) if f.roles.get("timing") == "pending"
                       and (forms_only or any(_said_since(f, n) for n in negative))]
            # ...unless a denial is a decision: "not cleared at this time; to be re-evaluated after
            # the course" withholds the clearance now, whatever is planned for later.
            if pending and not any(n.decision for n in negative):
                return Outcome(Status.UNKNOWN, (), ("still to come", *self._reasons(select(pending))))
        if test.suspected_is_open and not positive:
            # A denial of the same part in the same note or a later one answers the suspicion
            # ("possible motor stall" in a recall notice, "device functioning normally today").
            # Asked after a form's tick has given way to the record: the suspicion still stands.
            distinct = self.guideline.facts[test.fact].distinct_by
            suspected = [s for s in self.facts.set_aside.get(test.fact, []) if s.assertion is Assertion.POSSIBLE
                         and not any(_answers(n, s, distinct) for n in negative)]
            if suspected:
                return Outcome(Status.UNKNOWN, (), ("suspected, not confirmed", *self._reasons(select(suspected))))
        if positive and negative:
            if self._current_leaf is not None:
                self.conflicts.setdefault(self._current_leaf, Conflict(
                    criterion=self._current_leaf, affirmed=list(_evidence(select(positive))),
                    denied=list(_evidence(select(negative)))))
            about = self.guideline.facts[test.fact].about
            said = select(positive)[:1] + select(negative)[:1]
            why = f"contradiction: {about} is both affirmed and denied in the chart; a reviewer must decide"
            return Outcome(Status.UNKNOWN, _evidence(said), (why, *self._reasons(said)))
        if positive and self.guideline.facts[test.fact].reopened_by_pending \
                and (later := self._pending_after(test.fact, positive)):
            about = self.guideline.facts[test.fact].about
            why = f"{about}: given in an earlier note, still to come in a later record"
            return Outcome(Status.UNKNOWN, (), (why, *self._reasons(select(later)), *self._reasons(select(positive))))
        if positive:
            cited = select(positive)
            return Outcome(Status.MET, _evidence(cited), self._reasons(cited), tuple(positive))
        # A set-aside mention (a relative's, a plan, a form item answered N/A) decides nothing and
        # is never cited: a nurse reads a quote as the reason for the status. Where no mention
        # means "no" (an exclusion), the reason still says what was set aside.
        # Elsewhere the reason still says what is still to come ("clearance deferred ... will
        # re-evaluate when the course is finished", with the course still running).
        set_aside = self.facts.set_aside.get(test.fact, [])
        if test.absent != "not_met":
            set_aside = [f for f in set_aside if f.roles.get("timing") == "pending"]
        cited = select(negative)
        reasons = self._reasons(cited) + self._reasons(set_aside)
        if negative:
            return Outcome(Status.NOT_MET, _evidence(cited), reasons)
        return Outcome(Status(test.absent), (), reasons)

    def _still_to_come(self, name: str, positive: list[Fact], against: list[Fact]) -> Outcome:
        """A form's or letter's claim the record has still to come or only suspects, and nothing
        denies: unknown, the claim shown beside the record that outweighs it."""
        about = self.guideline.facts[name].about
        why = f"{about}: a form or letter affirms it; the record has it still to come or only suspects it"
        return Outcome(Status.UNKNOWN, (), (why, *self._reasons(select(positive)), *self._reasons(select(against))))

    def _pending_after(self, name: str, positive: list[Fact]) -> list[Fact]:
        """The record's mentions that have it still to come, each dated after every affirming one
        (by the date the mention gives itself, else its note's): a copied-forward referral dated
        before the clearance is no later word."""
        dates = [f.dated for f in positive]
        if any(d is None for d in dates):
            return []
        last = max(d for d in dates if d is not None)
        return [f for f in self.facts.set_aside.get(name, []) if f.roles.get("timing") == "pending"
                and f.source in PRIMARY and f.dated is not None and f.dated > last]

    def _summary_only(self, positive: list[Fact], negative: list[Fact], name: str) -> list[Fact]:
        """Only a form or letter affirms it, and the record denies it or has it still to come
        ("evaluation scheduled 07/09 - clearance pending"): the record's mentions that outweigh it
        (none when it does not)."""
        in_exclusions = self._current_leaf is not None and self._current_leaf.startswith(self.guideline.exclusions.id)
        # A plan the letter reports carried out since, on a date it gives, is no longer to come:
        # "referral to psychology for clearance" in July beside "evaluated ... on August 2, 2024,
        # and was cleared". A form's date alone is no such report: it may restate an old plan.
        planned = [f for f in self.facts.set_aside.get(name, []) if f.roles.get("timing") == "pending"
                   and not (f.note_date is not None and all(p.observed_on is not None and p.observed_on > f.note_date
                                                            for p in positive))]
        # ...or only hedges it: a letter's "imaging shows an abnormality at the connector" beside the
        # study's "possible subtle abnormality ... cannot exclude a disconnection".
        hedged = [f for f in self.facts.set_aside.get(name, []) if f.assertion is Assertion.POSSIBLE] \
            if self.guideline.facts[name].hedge_holds else []
        # (A denial of another part answers nothing of this one: "no catheter fracture" beside "the
        # device has failed".)
        distinct = self.guideline.facts[name].distinct_by
        # A requirement another document has still open (an open order, a booked visit) weighs
        # against a letter's claim whatever that document is: a chart summary's "[ ] Pre-implant
        # psychological evaluation -- referral sent ..., not yet seen" against "she has been
        # evaluated by our pain psychologist".
        documents = {ev.document for p in positive for ev in p.evidence}
        open_elsewhere = [f for f in planned if f.source == "summary"
                          and not {ev.document for ev in f.evidence} & documents]
        against = [f for f in [*negative, *planned, *hedged] if f.source in PRIMARY
                   and all(_same_thing(f, p, distinct) for p in positive)] \
            + [f for f in open_elsewhere if all(_same_thing(f, p, distinct) for p in positive)]
        applies = self._summary_yields(name) and not in_exclusions and {f.source for f in positive} == {"summary"}
        return against if applies else []

    def _matching(self, test: FactTest, facts: list[Fact]) -> list[Fact]:
        """The mentions whose value is one the other fact names; the rest are set aside (named in
        the reason) while the chart names any such value; all of them count while it names none."""
        assert test.same_value_as is not None
        wanted = {f.value for f in self.facts.positive.get(test.same_value_as, []) if f.value is not None}
        if not wanted:
            return facts
        kept = [f for f in facts if f.value is None or f.value in wanted]
        about = self.guideline.facts[test.same_value_as].about
        for value in sorted({str(f.value) for f in facts if f not in kept}):
            named = ", ".join(sorted(map(str, wanted)))
            note = f"{self.guideline.facts[test.fact].about}: {value} is not {about} ({named})"
            if note not in self.resolved:
                self.resolved.append(note)
        return kept

    @staticmethod
    def _taken_back(positive: list[Fact], negative: list[Fact]) -> bool:
        """Each note that affirms it denies it at or after its last affirmation there: for a
        single-state fact a note's later statement is its last word ("ALLERGIES: BACLOFEN" ...
        "clarified today: drowsiness on high doses, an intolerance"), in a letter as in the note
        it encloses ("An older allergy list shows baclofen; ... is not an allergy")."""
        notes = {(f.document, f.note_date) for f in positive}
        for note in notes:
            last = max(f.evidence[0].start for f in positive if (f.document, f.note_date) == note)
            if not any((f.document, f.note_date) == note and f.evidence[0].start >= last for f in negative):
                return False
        return True

    def _settle(self, name: str, positive: list[Fact], negative: list[Fact]) -> tuple[list[Fact], list[Fact]]:
        """Both sides of a contradiction, unless one side is not really the other's denial (the
        same sentence affirms one part and denies another: "no spasms in the arms; severe in the
        legs") or the guideline data says the later dated note wins."""
        # Within one document, a denial beside an affirmation is nearly always a partial one
        # ("no relief from gabapentin" beside "gabapentin 300 mg tid"); across documents, two
        # authors disagree, and that is a contradiction a reviewer must see.
        # A document holding several dated notes is several authors' words: each note is one.
        if self.guideline.facts[name].historical == "ignored" and _superseded(positive, negative):
            # A state of the present, affirmed only as of dates a later statement is past, in the
            # same note or another: "her catheter kinked in January 2023" beside "her device is
            # working normally today".
            self.resolved.append(f"{self.guideline.facts[name].about}: affirmed as of an earlier dated finding, "
                                 "denied by a later one; the later was used")
            return [], negative
        # A decision withheld ("I am unable to clear him ... at this time") is no partial denial: it
        # takes back what its own note said before it, or an earlier note ("I first evaluated him
        # on May 2 and cleared him for a trial"); an addendum after it is the later word.
        # A letter restating a clearance does not answer the evaluator's own decision.
        decisions = [f for f in negative if f.decision]
        if decisions and all(any(_said_before(p, n) or p.source == "summary" and n.source in PRIMARY
                                 for n in decisions) for p in positive):
            self.resolved.append(f"{self.guideline.facts[name].about}: withheld by a decision after it; "
                                 "the decision was used")
            return [], negative
        # A course's outcome in its own note ("Reason for discharge: non-attendance") tells what
        # came of the course that note names and began ("Program: Pain Coping Skills"), unless
        # the affirmation gives a date of its own (another course told in the same note: "completed
        # eight sessions in 2019").
        ended = {(f.document, f.note_date): f.observed_on for f in negative if f.ends_course}
        # (A course's own dates, "Start of care: 03/11/2024  Discharge date: 04/22/2024", date the
        # course the outcome ends, not another.)
        kept = [f for f in positive if (f.document, f.note_date) not in ended
                or (f.observed_on is not None and f.observed_on != ended[(f.document, f.note_date)]
                    and f.observed_on != f.period_start)]
        if len(kept) < len(positive):
            self.resolved.append(f"{self.guideline.facts[name].about}: a note tells how the course it names "
                                 "ended; that outcome was used for the note")
            positive = kept
            if not positive:
                return [], negative
        if not self.guideline.facts[name].single_state:
            # A claim the note restates ("REASON FOR REPLACEMENT: Device failure") is not one of
            # the note's own findings, so the note's denial ("working normally") answers it.
            policy = self.guideline.conflicts
            found = {(f.document, f.note_date) for f in negative if f.source in PRIMARY}
            notes = {note for f in positive if (note := (f.document, f.note_date)) not in found
                     or not (policy.record_over_summary and f.source == "summary")}
            negative = [f for f in negative if (f.document, f.note_date) not in notes]
        # A denial about one part does not deny a failure the chart places in another ("the
        # motor reads normal" beside "the line is fractured").
        distinct = self.guideline.facts[name].distinct_by
        negative = [f for f in negative if all(_same_thing(f, p, distinct) for p in positive)]
        # A denial said of the past ("declined physical therapy in the past") does not deny a
        # course the chart dates ("PT 5/2025-8/2025"): both are true.
        dated = all(f.observed_on is not None for f in positive)
        if dated and any(f.roles.get("timing") == "past" for f in negative):
            self.resolved.append(f"{self.guideline.facts[name].about}: denied as of the past, affirmed with a date; "
                                 "the dated mention was used")
            negative = [f for f in negative if f.roles.get("timing") != "past"]
        policy = self.guideline.conflicts
        if negative and policy.record_over_summary:
            pos_sources = {f.source for f in positive}
            neg_sources = {f.source for f in negative}
            about = self.guideline.facts[name].about
            if pos_sources == {"summary"} and neg_sources & PRIMARY:
                self.resolved.append(f"{about}: a form or letter affirms it, the record denies it; the record was used")
                return [], [f for f in negative if f.source in PRIMARY]
            if neg_sources == {"summary"} and "record" in pos_sources:
                self.resolved.append(f"{about}: a form or letter denies it, the record affirms it; the record was used")
                return [f for f in positive if f.source == "record"], []
        if negative and all(f.source == "log" for f in negative) and any(f.source == "record" for f in positive):
            # A device's event log records what the device noticed; a study or a clinician finds
            # what it missed ("no stall events recorded" beside a study showing the stall).
            self.resolved.append(f"{self.guideline.facts[name].about}: a device's event log has none, the record "
                                 "documents it; the record was used")
            return positive, []
        if not negative or not policy.later_note_wins:
            return positive, negative
        # An undated form or cover sheet restates the record, so it takes no part in the order of
        # notes (a fax cover's "Subject: URGENT - replacement, battery at its indicator").
        pos_dates = [f.note_date for f in positive if f.note_date is not None or f.source != "summary"]
        neg_dates = [f.note_date for f in negative if f.note_date is not None or f.source != "summary"]
        # The side that lost must be dated throughout; the side that won may have undated notes
        # of its own beside its dated ones (a later dated addendum's "she finished the course",
        # an undated clinic note saying the same, against January's "has never received
        # psychotherapy"): none of them can be the later word against it.
        pos_known = [day for day in pos_dates if day is not None]
        neg_known = [day for day in neg_dates if day is not None]
        about = self.guideline.facts[name].about
        later = "; the later note was used"
        if neg_dates and None not in neg_dates and pos_known and min(pos_known) > max(neg_known):
            self.resolved.append(f"{about}: denied in an earlier note, affirmed in a later one{later}")
            return positive, []
        if pos_dates and None not in pos_dates and neg_known and min(neg_known) > max(pos_known):
            self.resolved.append(f"{about}: affirmed in an earlier note, denied in a later one{later}")
            return [], negative
        return positive, negative

    def _quantity(self, test: FactTest, positive: list[Fact], negative: list[Fact]) -> Outcome:
        valued = [f for f in positive if isinstance(f.value, int | float)]
        against = self._summary_only(valued, negative, test.fact) if valued else []
        if against and not negative:
            # A letter's "a reduction in her scores of one to two points" beside the clinic's "PT to
            # score pre, 2h, 4h, 6h" for a test still booked: the claim, beside what the record has
            # still to come.
            return self._still_to_come(test.fact, valued, against)
        if against and not any(isinstance(f.value, int | float) for f in negative):
            # A form's amount ("Life expectancy of 3 months or more documented? [X] Yes") against
            # the record it restates ("we did not get into prognosis; she asked to hold that
            # conversation"): the record, which states none.
            about = self.guideline.facts[test.fact].about
            self.resolved.append(f"{about}: a form or letter states it, the record does not; the record was used")
            positive = [f for f in positive if f not in valued]
            valued = []
        # A value worked out (a table's lowest reading) yields to one the chart states.
        valued = [f for f in valued if not f.implied] or valued
        assert test.at_least is not None
        # A ceiling at or over the bar ("six months or less" against three) says nothing of
        # reaching it; one under the bar denies it.
        valued = [f for f in valued if not (f.at_most and float(f.value) >= test.at_least)]  # type: ignore[arg-type]
        # The latest word is the latest finding: a letter's "per his oncology team (consult
        # 07/2024)" is July's, whatever day the letter was signed.
        dated = [f.dated for f in valued if f.dated is not None]
        if test.latest_note and dated:
            latest = max(dated)
            valued = [f for f in valued if f.dated is None or f.dated == latest]
        if not valued:
            # A mention without its amount ("Modified Ashworth at discharge: hip adductors 4")
            # says no amount; a denial that states one ("no reduction on the Ashworth scale at any
            # time point": none) does, and decides. A denial without one ("post-bolus scores were
            # not obtained") says only that it is not documented.
            stated = [f for f in negative if isinstance(f.value, int | float)]
            if stated:
                return self._cite(Status.NOT_MET, stated)
            if negative and not positive:
                if self.guideline.facts[test.fact].unvalued_denial == "not_met":
                    return self._cite(Status.NOT_MET, negative)
                # Not documented, and said so: the reason shows where, no quote decides it.
                return Outcome(Status.UNKNOWN, (), self._reasons(select(negative)))
            return self._cite(Status(test.absent) if not positive else Status.UNKNOWN, positive)
        pick = max if test.take == "most" else min
        chosen = pick(valued, key=lambda f: float(f.value))  # type: ignore[arg-type]
        threshold = test.at_least
        met = float(chosen.value) >= threshold  # type: ignore[arg-type]
        # Every value that agrees with the verdict is evidence for it, the decisive one first.
        agreeing = [f for f in valued if (float(f.value) >= threshold) == met]  # type: ignore[arg-type]
        disagreeing = [f for f in valued if f not in agreeing]
        if disagreeing and self.guideline.facts[test.fact].conflicts != "affirmation_wins":
            # Two documents that put the value on opposite sides of the threshold ("Ashworth drop
            # >= 1? Yes" on a form, no change in the trial's table) are a contradiction, unless
            # the later dated note settles it; within one document the best reading stands.
            yes, no = self._settle(test.fact, agreeing, disagreeing)
            if yes and no:
                if self._current_leaf is not None:
                    self.conflicts.setdefault(self._current_leaf, Conflict(
                        criterion=self._current_leaf, affirmed=list(_evidence(select(yes if met else no))),
                        denied=list(_evidence(select(no if met else yes)))))
                about = self.guideline.facts[test.fact].about
                said = select(yes)[:1] + select(no)[:1]
                why = f"contradiction: {about} is on both sides of {threshold:g} in the chart; a reviewer must decide"
                return Outcome(Status.UNKNOWN, _evidence(said), (why, *self._reasons(said)))
            if not yes:
                agreeing, met = no, not met
                chosen = pick(no, key=lambda f: float(f.value))  # type: ignore[arg-type]
        return self._cite(Status.MET if met else Status.NOT_MET, agreeing, first=chosen)

    def _record_over_summary(self, positive: list[Fact], negative: list[Fact], name: str) -> bool:
        """Only a form or letter affirms it, and the record it restates denies it (not for a fact
        whose affirmation the guideline data lets stand: a letter's risk of hip dislocation is not
        answered by an exam's "no pressure areas")."""
        return bool(positive and negative and self._summary_yields(name)
                    and {f.source for f in positive} == {"summary"} and any(f.source in PRIMARY for f in negative))

    def _summary_yields(self, name: str) -> bool:
        """A form's or letter's affirmation yields to the record, unless the fact's data lets an
        affirmation stand (`affirmation_wins`)."""
        return bool(self.guideline.conflicts.record_over_summary) \
            and self.guideline.facts[name].conflicts != "affirmation_wins"

    @staticmethod
    def _not_older(negative: list[Fact], positive: list[Fact]) -> bool:
        """A record's denial of the summaries' time (a referral restates the note of two days
        before); a 2022 note's "not an adequate trial" says nothing against a 2024 letter's "has
        failed"."""
        return any(n.source in PRIMARY and all(n.note_date is None or p.note_date is None
                                                or (p.note_date - n.note_date).days <= RESTATED_DAYS
                                                for p in positive) for n in negative)

    def _record_used(self, name: str, negative: list[Fact]) -> tuple[list[Fact], list[Fact]]:
        self.resolved.append(f"{self.guideline.facts[name].about}: a form or letter affirms it, the record denies "
                             "it; the record was used")
        return [], [f for f in negative if f.source in PRIMARY]

    def _duration(self, test: FactTest, positive: list[Fact], negative: list[Fact]) -> Outcome:
        window_start = None
        if positive and not negative and (against := self._summary_only(positive, negative, test.fact)):
            # A form's "failed after at least 6 weeks? YES" beside the clinic's "now 2 weeks in ...
            # too soon to tell": the course is still running.
            return self._still_to_come(test.fact, positive, against)
        if self._record_over_summary(positive, negative, test.fact) and self._not_older(negative, positive) \
                and all(self._days(f, window_start) is None for f in positive):
            # A referral's bare "has failed oral medications" against the treating note's "has not
            # been given an adequate trial": the record. (A letter's dated course is weighed by its
            # length, as any other.)
            positive, negative = self._record_used(test.fact, negative)
        if test.within_months is not None:
            window_start = self.service_date - dt.timedelta(days=test.within_months * DAYS_PER["month"])
        spans = [(self._days(f, window_start), f) for f in positive]
        known = [(days, f) for days, f in spans if days is not None]
        joined = self._joined(test, window_start) if test.combined_with else None
        if joined is not None and (not known or max(days for days, _ in known) < joined[0]):
            if self._need(test) <= joined[0] + SLACK_DAYS:
                days, group = joined
                periods = [period for f in group if (period := _period(f)) is not None]
                start, end = min(p[0] for p in periods), max(p[1] for p in periods)
                about = self.guideline.facts[test.fact].about
                why = (f"{about}: {len({f.name for f in group})} kinds of dated treatment run together from "
                       f"{start:%m/%Y} to {end:%m/%Y}, about {days / DAYS_PER['month']:.1f} months within the window")
                # A member that ended before the window joined the run but is none of the care
                # counted: "pregabalin 01/2022 - 04/2022" says nothing of the last year.
                counted = [f for f in group if window_start is None
                           or (span := _period(f)) is not None and span[1] >= window_start]
                cited = select(counted or group, dated=True)
                return Outcome(Status.MET, _evidence(cited), (why, *self._reasons(cited)))
        if not known:
            if negative and not positive:
                return self._cite(Status.NOT_MET, negative)
            cited = select(positive)
            reasons = self._reasons(cited) + (("how long is not documented",) if positive else ())
            return Outcome(Status(test.absent) if not positive else Status.UNKNOWN, _evidence(cited), reasons)
        need = self._need(test)
        best_days, best = max(known, key=lambda pair: pair[0])
        met = best_days + SLACK_DAYS >= need
        timed = {f.roles.get("agent") for _, f in known}
        untimed = [f for days, f in spans if days is None and f.roles.get("agent") not in (None, *timed)]
        if not met and untimed:
            # A course too short beside another agent's whose length is not told (tizanidine two
            # weeks in, "Oral baclofen at 80 mg/day inadequate"): the other may have been long enough.
            cited = select(untimed)
            return Outcome(Status.UNKNOWN, _evidence(cited), (*self._reasons(cited), "how long is not documented"))
        # Each span long enough is evidence for a met leaf; for a failed one, each span is.
        agreeing = [f for days, f in known if (days + SLACK_DAYS >= need) == met]
        return self._cite(Status.MET if met else Status.NOT_MET, agreeing, first=best, dated=True)

    def _before_window(self, fact: Fact, months: float) -> bool:
        """The care the mention reports ended before the window: its period's end, else the latest
        date it gives itself ("Tramadol | 2022 | ineffective"; of "TFESI x2 (08/2023, 04/2024)" the
        April), else its note's date. An undated mention cannot be placed, so it counts."""
        period = _period(fact)
        when = period[1] if period is not None else fact.latest_on or fact.note_date
        window_start = self.service_date - dt.timedelta(days=months * DAYS_PER["month"])
        return when is not None and when < window_start

    @staticmethod
    def _need(test: FactTest) -> float:
        if test.months_at_least is not None:
            return test.months_at_least * DAYS_PER["month"]
        return (test.weeks_at_least or 0) * DAYS_PER["week"]

    def _joined(self, test: FactTest, window_start: dt.date | None) -> tuple[float, list[Fact]] | None:
        """The longest run of dated treatments, of the test's fact and those it combines with,
        whose periods overlap or meet, when at least two kinds make it up (a program, not one
        medication alone): its days inside the window, and its mentions."""
        dated = [(*period, f) for name in (test.fact, *test.combined_with)
                 for f in self.facts.positive.get(name, []) if (period := _period(f)) is not None]
        dated.sort(key=lambda item: (item[0], item[1]))
        runs: list[tuple[dt.date, dt.date, list[Fact]]] = []
        for start, end, fact in dated:
            if runs and start <= runs[-1][1] + dt.timedelta(days=SLACK_DAYS):
                first, reach, members = runs[-1]
                runs[-1] = (first, max(reach, end), [*members, fact])
            else:
                runs.append((start, end, [fact]))
        best: tuple[float, list[Fact]] | None = None
        for start, end, members in runs:
            if len({f.name for f in members}) < 2:
                continue
            if window_start is not None:
                start = max(start, window_start)
            days = float(max((min(end, self.service_date) - start).days, 0))
            if best is None or days > best[0]:
                best = (days, members)
        return best

    def _days(self, fact: Fact, window_start: dt.date | None) -> float | None:
        """How many days the fact covers, inside the window when there is one."""
        if (period := _period(fact)) is not None:
            start, end = period[0], min(period[1], self.service_date)
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
        result = CriterionResult(
            id=node.id, text=node.text, logic=node.logic, status=status, children=children
        )
        if status is Status.UNKNOWN and node.ruled_out_by is not None:
            ruled_out = self.test(node.ruled_out_by)
            if ruled_out.status is Status.MET:
                self._rule_out(result, node.label or node.id, ruled_out)
        return result

    def _rule_out(self, result: CriterionResult, label: str, ruled_out: Outcome) -> None:
        """A pathway the chart rules out (it documents another condition and not this one) says
        so once, on its own node, with the quote that rules it out. Below it, only the leaves
        three-valued logic needs are not_met, each with that one quote; the others were not
        assessed, and nothing below blocks anything: its contradictions are dropped."""
        why = "ruled out: " + "; ".join(ruled_out.reasons)
        quote = list(ruled_out.evidence[:1])
        result.reason = why
        result.evidence = list(ruled_out.evidence[:2])
        for leaf in walk_leaves(result):
            self.conflicts.pop(leaf.id, None)
            if leaf.status is Status.UNKNOWN:
                leaf.reason, leaf.needs = f"not assessed: the {label} pathway is ruled out", None
                leaf.needs_from = None

        def refute(node: CriterionResult) -> None:
            if node.status is not Status.UNKNOWN:
                return
            if node.logic == "leaf":
                node.status, node.evidence = Status.NOT_MET, quote
                node.reason = f"the {label} pathway is {why}"
                return
            unknown = [c for c in node.children if c.status is Status.UNKNOWN]
            for child in unknown[:1] if node.logic == "all" else unknown:
                refute(child)
            node.status = (all_of if node.logic == "all" else any_of)(c.status for c in node.children)

        refute(result)

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
            needs_from=node.needs_from if outcome.status is Status.UNKNOWN else None,
        )


def _said_before(earlier: Fact, later: Fact) -> bool:
    """`earlier` comes before `later`: in an earlier dated note, or before it in the same note. A
    finding restated with its own earlier date ("Psych: cleared by Dr. R 08/2024" in a 2025 note)
    is as old as that date."""
    if earlier.note_date is None or later.note_date is None:
        return False
    if earlier.observed_on is not None and earlier.observed_on < min(earlier.note_date, later.note_date):
        return True
    if earlier.note_date != later.note_date:
        return earlier.note_date < later.note_date
    return earlier.document == later.document and earlier.evidence[0].start < later.evidence[0].start


def _superseded(positive: list[Fact], negative: list[Fact]) -> bool:
    """Every affirmation names the earlier date its finding was made, and a denial is dated later.
    A copied-forward denial ("no history of substance abuse") dates nothing of its own, so an
    undated affirmation is set aside by a later note alone only when its own note is over a year
    older than the denial's (a risk: a current note's boilerplate denial then outweighs it)."""
    denied = [f.dated for f in negative if f.dated is not None]
    if not denied:
        return False
    # A note over a year older than the denial is dated by its own date: a 2018 clinic note's
    # "passive SI" beside this year's "no suicidal thoughts since 2018 and none now".
    stated = [f.observed_on or (f.note_date if f.note_date is not None
                                and (max(denied) - f.note_date).days > STALE_DAYS else None) for f in positive]
    return all(day is not None for day in stated) and max(d for d in stated if d is not None) < max(denied)

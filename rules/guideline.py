"""A guideline as data: a validated tree of all/any/leaf criteria whose leaves test named facts.

The test language of a leaf, written in YAML:

    {fact: NAME}                           met when the chart affirms NAME, not_met when it denies it
    {fact: NAME, at_least: 50, take: most} a quantity fact compared with a threshold
    {fact: NAME, months_at_least: 6, within_months: 12}   a duration, clipped to a window
                                           ending at the service date
    {fact: NAME, within_months: 12}        only mentions of care in that window count
    {fact: NAME, absent: not_met}          what no mention at all means (default unknown)
    {all: [...]}, {any: [...]}, {not: T}   three-valued combinations
    {request_type: [trial, ...]}           follows from the request, not the chart

A node may also say `ruled_out_by: T`. On a leaf: when its own test is unknown and T is met,
the leaf is not_met, with T's evidence. On a pathway: when the pathway is unknown and T is met
(the chart documents another condition and not this one), the pathway carries T's reason and
quote once, and only the leaves three-valued logic needs are set not_met.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError

from chart_review.errors import ChartReviewError, E

# libyaml's loader where PyYAML was built with it (about 5x faster), the pure one otherwise.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FactKind = Literal["presence", "quantity", "duration"]
CodeKind = Literal["trial", "implant", "replacement", "outside"]
Absent = Literal["unknown", "not_met", "met"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FactSpec(_Strict):
    kind: FactKind
    about: str
    unit: str | None = None
    # Whether "history of X" still counts as X (a past fusion does; data decides per fact).
    historical: Literal["counts", "ignored"] = "counts"
    # Whether a suspicion of X counts as X: for a risk, it does ("concern for hip migration" is the
    # risk the criterion asks after); for a finding, a suspicion is no finding.
    possible: Literal["counts", "ignored"] = "ignored"
    # Whether an affirmation and a denial in different documents make a conflict (checked), or
    # the affirmation stands, the denial shown as a finding (affirmation_wins), or, for a finding
    # that changes over time, the later dated note decides even in an exclusion (later_note_wins:
    # "too small for the pump" in 2023, "size now adequate" in 2025).
    conflicts: Literal["checked", "affirmation_wins", "later_note_wins"] = "checked"
    # For a quantity: what a denial without an amount says. "No reduction on the Ashworth scale" is
    # a result (not_met); "not ready for a numerical prognosis" says only that none is documented
    # (unknown).
    unvalued_denial: Literal["not_met", "unknown"] = "not_met"
    # The roles a mention must have to count, by role: {route: [intrathecal]} sets aside an
    # Ashworth drop the chart ties to botulinum toxin. A role the chart does not state passes.
    roles: dict[str, list[str]] = Field(default_factory=dict)
    # Roles that tell mentions apart: a denial contradicts only an affirmation about the same
    # thing ({component}: "catheter patent" does not deny "rotor stall").
    distinct_by: list[str] = Field(default_factory=list)
    # One state of one thing (the device's technology needs an upgrade or it does not): a denial
    # in the note that affirms it is not a partial denial of a treatment ("no relief from
    # gabapentin" beside "gabapentin 300 mg tid"). A note that states it and takes it back later
    # has taken it back; otherwise the two sides are a contradiction.
    single_state: bool = False
    # A finding the record only suspects so far ("possible subtle abnormality", "ERI screen not
    # reviewed") holds a form's or letter's claim of it open: a work-up's finding, not a diagnosis a
    # referral question may name in passing.
    hedge_holds: bool = False
    # A standing the record says is still to come after every note that gave it: "may proceed
    # with the trial" in May, "clearance letter NOT yet issued; re-evaluation for permanent-implant
    # clearance" in October. The later record has it pending, so the leaf waits for it.
    reopened_by_pending: bool = False
    # Facts whose affirmation in the record denies this one: a working device exchanged for a newer
    # model ("his current pump is working as intended"; "the reason for this request is the newer
    # platform") is no technology that requires an upgrade, whatever a letter's subject line says.
    denied_by: list[str] = Field(default_factory=list)
    # A finding given for one step of therapy and withheld or still to come for the step requested
    # (clearance given for the trial, deferred for the permanent implant, on a permanent request):
    # the other step's affirmation answers another question and is set aside.
    stage_of_request: bool = False
    # Facts that document the step this one is a result of: a mention dated before the first
    # record note documenting any of them predates the step ("Zofran ... for nausea" in an
    # oncology note a week before the trial is no side effect of it) and is set aside.
    documented_after: list[str] = Field(default_factory=list)

    def refuses(self, roles: dict[str, str]) -> tuple[str, str] | None:
        """The first (role, value) of a mention this fact does not accept, if any."""
        for role, allowed in self.roles.items():
            value = roles.get(role)
            if value is not None and value not in allowed:
                return role, value
        return None


class FactTest(_Strict):
    fact: str
    absent: Absent = "unknown"
    at_least: float | None = None
    take: Literal["most", "least"] = "most"
    # Only mentions whose value is one of this fact's values count, when the chart names any
    # ("allergy to morphine" against the analgesic to be infused, hydromorphone).
    same_value_as: str | None = None
    # Only the values of the latest dated note count (undated ones are kept: they cannot be
    # placed): for a finding a later note revises rather than adds to.
    latest_note: bool = False
    # A suspected mention ("?pump malfunction vs catheter problem") with no affirmation leaves
    # the test undecided instead of settled by the denials beside it: the work-up is open.
    suspected_is_open: bool = False
    months_at_least: float | None = None
    weeks_at_least: float | None = None
    within_months: float | None = None
    # For a duration: the dated periods of these facts and the test's own, joined where they
    # overlap or meet, also count as its span when two kinds or more make it up ("duloxetine
    # 10/2023 - present" beside "PT 11/2023 - 01/2024": a program of eleven months).
    combined_with: list[str] = Field(default_factory=list)


class RequestTypeTest(_Strict):
    request_type: list[Literal["trial", "permanent", "replacement"]] = Field(min_length=1)


class AllTest(_Strict):
    all: list[Test] = Field(min_length=1)


class AnyTest(_Strict):
    any: list[Test] = Field(min_length=1)


class NotTest(_Strict):
    not_: Test = Field(alias="not")


def _test_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("fact", "request_type", "all", "any", "not"):
            if key in value:
                return key
        return None
    for key, attr in (("fact", "fact"), ("request_type", "request_type"), ("all", "all")):
        if hasattr(value, attr):
            return key
    if hasattr(value, "any"):
        return "any"
    return "not" if hasattr(value, "not_") else None


Test = Annotated[
    Annotated[FactTest, Tag("fact")]
    | Annotated[RequestTypeTest, Tag("request_type")]
    | Annotated[AllTest, Tag("all")]
    | Annotated[AnyTest, Tag("any")]
    | Annotated[NotTest, Tag("not")],
    Discriminator(_test_tag),
]


class Node(_Strict):
    id: str
    text: str
    logic: Literal["all", "any", "leaf"]
    children: list[Node] = Field(default_factory=list)
    test: Test | None = None
    ruled_out_by: Test | None = None
    needs: str | None = None
    # Who writes what `needs` names: whom a request for information is addressed to.
    needs_from: str | None = None
    # A pathway node: the decision names it when the chart supports it best.
    pathway: bool = False
    applies_when: Test | None = None
    # How a summary names the pathway ("the cancer pain pathway"); defaults to the id.
    label: str | None = None

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


class CodeSpec(_Strict):
    kind: CodeKind
    description: str
    reason: str | None = None


class ConflictPolicy(_Strict):
    """Which side of a contradiction wins, when the guideline's data says so. Unset: neither;
    the leaf is unknown and the conflict is shown to a reviewer."""

    later_note_wins: bool = False
    # Where a form or letter restating the record disagrees with the record itself, the record.
    record_over_summary: bool = False


class Guideline(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: str
    title: str
    units_allowed: int = Field(default=1, ge=1)
    device_in_place_fact: str | None = None
    conflicts: ConflictPolicy = Field(default_factory=ConflictPolicy)
    codes: dict[str, CodeSpec] = Field(min_length=1)
    facts: dict[str, FactSpec] = Field(min_length=1)
    indications: Node
    exclusions: Node

    def nodes(self) -> Iterator[Node]:
        yield from self.indications.walk()
        yield from self.exclusions.walk()

    def node(self, node_id: str) -> Node:
        for node in self.nodes():
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def pathways(self) -> list[Node]:
        return [node for node in self.indications.walk() if node.pathway]


def fact_tests(test: Test | None) -> Iterator[FactTest]:
    if isinstance(test, FactTest):
        yield test
    elif isinstance(test, AllTest | AnyTest):
        for part in test.all if isinstance(test, AllTest) else test.any:
            yield from fact_tests(part)
    elif isinstance(test, NotTest):
        yield from fact_tests(test.not_)


def facts_named(test: Test | None) -> Iterator[str]:
    """Every fact name a test mentions, the facts it compares values with included."""
    for fact_test in fact_tests(test):
        yield fact_test.fact
        if fact_test.same_value_as is not None:
            yield fact_test.same_value_as


def _kind_problems(node_id: str, test: FactTest, guideline: Guideline) -> Iterator[str]:
    """A threshold must suit its fact's kind, or the test could never be decided."""
    spec = guideline.facts.get(test.fact)
    if spec is None:
        return
    if test.at_least is not None and spec.kind != "quantity":
        yield f"criterion {node_id!r}: at_least needs a quantity fact; {test.fact!r} is a {spec.kind}"
    has_length = test.months_at_least is not None or test.weeks_at_least is not None
    if has_length and spec.kind != "duration":
        yield f"criterion {node_id!r}: a length needs a duration fact; {test.fact!r} is a {spec.kind}"
    if test.within_months is not None and test.at_least is not None:
        yield f"criterion {node_id!r}: within_months applies to a duration or a presence, not a quantity"
    if test.combined_with and not has_length:
        yield f"criterion {node_id!r}: combined_with needs months_at_least or weeks_at_least"
    for name in test.combined_with:
        if name not in guideline.facts:
            yield f"criterion {node_id!r}: combined_with names unknown fact {name!r}"


def _problems(guideline: Guideline) -> Iterator[str]:
    """Semantic checks pydantic cannot express, each naming the criterion it is about."""
    seen: set[str] = set()
    for node in guideline.nodes():
        if node.id in seen:
            yield f"criterion {node.id!r} appears twice"
        seen.add(node.id)
        if node.logic == "leaf":
            if node.children:
                yield f"criterion {node.id!r} is a leaf but has children"
            if node.test is None:
                yield f"criterion {node.id!r} is a leaf without a test"
        else:
            if not node.children:
                yield f"criterion {node.id!r} is {node.logic!r} but has no children"
            if node.test is not None:
                yield f"criterion {node.id!r} is {node.logic!r}; only leaves have tests"
        for test in (node.test, node.ruled_out_by, node.applies_when):
            for name in facts_named(test):
                if name not in guideline.facts:
                    yield f"criterion {node.id!r} names unknown fact {name!r}"
            for fact_test in fact_tests(test):
                yield from _kind_problems(node.id, fact_test, guideline)
    if guideline.device_in_place_fact and guideline.device_in_place_fact not in guideline.facts:
        yield f"device_in_place_fact names unknown fact {guideline.device_in_place_fact!r}"


def parse_guideline(data: Any, source: str) -> Guideline:
    """Validate guideline data; raise ChartReviewError naming the source and the place."""
    if not isinstance(data, dict):
        raise ChartReviewError(E.GUIDELINE_INVALID, source=source, problem="not a mapping")
    # `x-` keys hold YAML anchors shared by several criteria; they are not criteria themselves.
    data = {key: value for key, value in data.items() if not str(key).startswith("x-")}
    try:
        guideline = Guideline.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(part) for part in first["loc"])
        problem = f"{place}: {first['msg']}"
        raise ChartReviewError(E.GUIDELINE_INVALID, source=source, problem=problem) from None
    problems = list(_problems(guideline))
    if problems:
        raise ChartReviewError(E.GUIDELINE_INVALID, source=source, problem="; ".join(problems))
    return guideline


def load_guideline(path: str | Path | None = None) -> Guideline:
    """Load a guideline file; with no path, the shipped intrathecal pain pumps guideline."""
    if path is None:
        ref = resources.files("rules") / "guidelines" / "intrathecal-pain-pumps-v2.yaml"
        text, source = ref.read_text(encoding="utf-8"), "intrathecal-pain-pumps-v2.yaml"
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ChartReviewError(E.GUIDELINE_INVALID, source=source, problem=exc.strerror) from None
        except UnicodeDecodeError as exc:
            raise ChartReviewError(E.GUIDELINE_INVALID, source=source, problem=f"not UTF-8 ({exc})") from None
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise ChartReviewError(E.GUIDELINE_INVALID, source=source, problem=f"not YAML: {exc}") from None
    return parse_guideline(data, source)

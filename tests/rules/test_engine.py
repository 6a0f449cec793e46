"""rules.engine: the Evaluator over hand-built facts, one leaf test at a time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chart_review.contract import CriterionResult, Status
from chart_review.errors import ChartReviewError
from rules.engine import MAX_CITED, PER_DOCUMENT, Evaluator, FactBase
from rules.guideline import Guideline, parse_guideline
from tests.charts import Chart, fact, period

MET, NOT_MET, UNKNOWN = Status.MET, Status.NOT_MET, Status.UNKNOWN
SERVICE_DATE = dt.date(2024, 10, 1)
NEEDS = "what documentation would decide this leaf"

FACTS = {
    "sign": {"kind": "presence", "about": "a sign"},
    "other": {"kind": "presence", "about": "another sign"},
    "old_sign": {"kind": "presence", "about": "a sign only its current form counts", "historical": "ignored"},
    "score": {"kind": "quantity", "unit": "percent", "about": "a score"},
    "therapy": {"kind": "duration", "about": "a therapy"},
    "drug": {"kind": "duration", "about": "a drug"},
    "exercise": {"kind": "duration", "about": "an exercise program"},
}


def engine_guideline(test: dict[str, Any], ruled_out_by: dict[str, Any] | None = None,
                     conflicts: dict[str, bool] | None = None) -> Guideline:
    leaf: dict[str, Any] = {"id": "ind.leaf", "logic": "leaf", "text": "the leaf", "test": test, "needs": NEEDS}
    if ruled_out_by is not None:
        leaf["ruled_out_by"] = ruled_out_by
    return parse_guideline({
        "id": "engine-test", "version": "1", "title": "Engine test",
        "codes": {"T1": {"kind": "trial", "description": "a trial"}},
        "facts": FACTS, "conflicts": conflicts or {},
        "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [leaf]},
        "exclusions": {"id": "exc", "logic": "any", "text": "none of", "children": [
            {"id": "exc.other", "logic": "leaf", "text": "the other sign",
             "test": {"fact": "other", "absent": "not_met"}},
        ]},
    }, "engine-test")


def evaluate(test: dict[str, Any], specs: list[dict[str, Any]], *, request_type: Any = None,
             ruled_out_by: dict[str, Any] | None = None,
             service_date: dt.date = SERVICE_DATE) -> tuple[CriterionResult, Chart]:
    """The leaf `ind.leaf` whose test is `test`, evaluated over the chart built from `specs`."""
    guideline = engine_guideline(test, ruled_out_by)
    chart = Chart.of(specs)
    evaluator = Evaluator(guideline, FactBase.build(chart.facts, guideline), request_type, service_date)
    return evaluator.node(guideline.node("ind.leaf")), chart


def evidence_of(chart: Chart, *indexes: int) -> list[tuple[int, int]]:
    return sorted((f.evidence[0].start, f.evidence[0].end) for i, f in enumerate(chart.facts) if i in indexes)


def spans(result: CriterionResult) -> list[tuple[int, int]]:
    return [(ev.start, ev.end) for ev in result.evidence]


# -- presence --------------------------------------------------------------------------------


@pytest.mark.parametrize(("test", "specs", "expected"), [
    pytest.param({"fact": "sign"}, [fact("sign")], MET, id="affirmed"),
    pytest.param({"fact": "sign"}, [fact("sign", "negated")], NOT_MET, id="negated"),
    pytest.param({"fact": "sign"}, [], UNKNOWN, id="nothing"),
    pytest.param({"fact": "sign", "absent": "not_met"}, [], NOT_MET, id="absent not_met"),
    pytest.param({"fact": "sign", "absent": "met"}, [], MET, id="absent met"),
    pytest.param({"fact": "sign", "absent": "not_met"}, [fact("sign")], MET, id="absent does not override"),
    pytest.param({"fact": "sign"}, [fact("sign"), fact("sign", "negated")], MET, id="affirmed beats negated"),
    pytest.param({"fact": "sign"}, [fact("other")], UNKNOWN, id="another fact"),
    pytest.param({"fact": "sign"}, [fact("stranger")], UNKNOWN, id="fact the guideline lacks"),
])
def test_engine_presence(test, specs, expected):
    result, _ = evaluate(test, specs)
    assert result.status is expected


@pytest.mark.parametrize("assertion", ["possible", "hypothetical", "family"])
@pytest.mark.parametrize(("absent", "expected"), [("unknown", UNKNOWN), ("not_met", NOT_MET)])
def test_engine_uncertain_mentions_decide_nothing(assertion, absent, expected):
    # A possible, hypothetical or family mention is as good as no mention: `absent` applies.
    result, _ = evaluate({"fact": "sign", "absent": absent}, [fact("sign", assertion)])
    assert result.status is expected


@pytest.mark.parametrize("assertion", ["possible", "hypothetical", "family"])
def test_engine_set_aside_mentions_are_never_cited(assertion):
    """Issue 10: a set-aside mention is named in the reason, never quoted as evidence."""
    result, chart = evaluate({"fact": "sign", "absent": "not_met"}, [fact("sign", assertion), fact("sign", "negated")])
    assert result.status is NOT_MET
    assert [ev.text for ev in result.evidence] == [chart.facts[1].evidence[0].text]
    said = f"a sign set aside as {assertion}: '[{assertion}] sign' (note.txt)"
    assert result.reason is not None and said in result.reason


@pytest.mark.parametrize("assertion", ["possible", "hypothetical", "family"])
def test_engine_uncertain_mentions_are_no_evidence_of_presence(assertion):
    result, _ = evaluate({"fact": "sign"}, [fact("sign", assertion)])
    assert (result.status, result.evidence, result.needs) == (UNKNOWN, [], NEEDS)


@pytest.mark.parametrize(("name", "expected"), [
    pytest.param("sign", MET, id="historical counts by default"),
    pytest.param("old_sign", UNKNOWN, id="historical ignored when the fact says so"),
])
def test_engine_historical(name, expected):
    result, _ = evaluate({"fact": name}, [fact(name, "historical")])
    assert result.status is expected


def test_engine_historical_ignored_still_allows_denial():
    result, _ = evaluate({"fact": "old_sign"}, [fact("old_sign", "historical"), fact("old_sign", "negated")])
    assert result.status is NOT_MET


def test_engine_met_leaf_carries_the_affirming_evidence():
    result, chart = evaluate({"fact": "sign"}, [fact("sign"), fact("other"), fact("sign", "negated")])
    assert spans(result) == evidence_of(chart, 0)
    assert result.needs is None
    assert result.reason == "a sign documented: '[affirmed] sign' (note.txt)"


def test_engine_not_met_leaf_carries_the_denying_evidence():
    result, chart = evaluate({"fact": "sign"}, [fact("other"), fact("sign", "negated")])
    assert spans(result) == evidence_of(chart, 1)
    assert result.needs is None


def test_engine_unknown_leaf_carries_needs():
    result, _ = evaluate({"fact": "sign"}, [fact("sign", "possible")])
    assert result.status is UNKNOWN
    assert result.needs == NEEDS


def test_engine_evidence_is_a_few_relevant_quotes():
    """Issue 10: no blind top-N in reading order; the deciding quote first, then a few from
    other documents, never the same sentence twice."""
    specs = [fact("sign", quote=f"sign mention {i:02d}") for i in range(6)]
    specs += [fact("sign", quote="sign mention 00")]  # same text again, a new span
    specs += [fact("sign", document=f"other-{i}.txt", quote=f"elsewhere {i}") for i in range(MAX_CITED)]
    result, chart = evaluate({"fact": "sign"}, specs)
    assert len(result.evidence) == MAX_CITED
    by_document: dict[str, int] = {}
    for ev in result.evidence:
        by_document[ev.document] = by_document.get(ev.document, 0) + 1
        assert chart.texts[ev.document][ev.start:ev.end] == ev.text
    assert max(by_document.values()) <= PER_DOCUMENT
    assert len({(ev.document, ev.start) for ev in result.evidence}) == len(result.evidence)


def test_engine_evidence_later_note_first():
    specs = [fact("sign", quote="old mention", note_date=dt.date(2023, 1, 5)),
             fact("sign", document="new.txt", quote="new mention", note_date=dt.date(2024, 6, 1)),
             fact("sign", document="past.txt", assertion="historical", quote="past mention",
                  note_date=dt.date(2024, 9, 1))]
    result, _ = evaluate({"fact": "sign"}, specs)
    # A mention of the past is not cited beside current ones (audit 33: "wrong time").
    assert [ev.text for ev in result.evidence] == ["new mention", "old mention"]


def test_engine_evidence_same_span_reported_once():
    guideline = engine_guideline({"fact": "sign"})
    chart = Chart.of([fact("sign")])
    twin = chart.facts[0].model_copy(update={"rule_id": "test.twin"})
    evaluator = Evaluator(guideline, FactBase.build([*chart.facts, twin], guideline), None, SERVICE_DATE)
    assert len(evaluator.node(guideline.node("ind.leaf")).evidence) == 1


# -- quantity --------------------------------------------------------------------------------


def score(value: Any, assertion: str = "affirmed") -> dict[str, Any]:
    return fact("score", assertion, value=value, unit="percent")


@pytest.mark.parametrize(("test", "specs", "expected", "decisive"), [
    pytest.param({"at_least": 50}, [score(60)], MET, 0, id="above"),
    pytest.param({"at_least": 50}, [score(50)], MET, 0, id="threshold is inclusive"),
    pytest.param({"at_least": 50}, [score(49.5)], NOT_MET, 0, id="below"),
    pytest.param({"at_least": 50, "take": "most"}, [score(40), score(60)], MET, 1, id="take most"),
    pytest.param({"at_least": 50, "take": "least"}, [score(40), score(60)], NOT_MET, 0, id="take least"),
    pytest.param({"at_least": 50, "take": "least"}, [score(70), score(60)], MET, 1, id="least still above"),
    pytest.param({"at_least": 50}, [score(30), score(None)], NOT_MET, 0, id="valueless mention ignored"),
    pytest.param({"at_least": 50}, [score(70), score(None, "negated")], MET, 0, id="value beats denial"),
    # A value worked out from a table's lowest reading yields to the one the notes state (b68q-02:
    # "a low of 4/10 on a single evening ... overall relief about 40%").
    pytest.param({"at_least": 50, "take": "most"}, [fact("score", value=50.0, unit="percent", implied=True),
                                                     score(40)], NOT_MET, 1, id="stated beats worked out"),
])
def test_engine_quantity_with_values(test, specs, expected, decisive):
    result, chart = evaluate({"fact": "score", **test}, specs)
    assert result.status is expected
    # The value that decided is cited; no value on the other side of the threshold is.
    assert evidence_of(chart, decisive)[0] in spans(result)
    cited = {(f.evidence[0].start, f.evidence[0].end): f.value for f in chart.facts}
    assert all(isinstance(cited[span], int | float) and (cited[span] >= 50) == (expected is MET)
               for span in spans(result))


@pytest.mark.parametrize(("test", "specs", "expected", "evidence"), [
    pytest.param({"at_least": 50}, [score(80, "possible")], UNKNOWN, [], id="possible value ignored"),
    pytest.param({"at_least": 50}, [score(80, "family")], UNKNOWN, [], id="family value ignored"),
    pytest.param({"at_least": 50}, [score(None)], UNKNOWN, [0], id="mentioned without a value"),
    pytest.param({"at_least": 50}, [score("high")], UNKNOWN, [0], id="non-numeric value"),
    pytest.param({"at_least": 50}, [score(None, "negated")], NOT_MET, [0], id="denied"),
    pytest.param({"at_least": 50}, [score(None), score(None, "negated")], UNKNOWN, [0],
                 id="mentioned and denied"),
    pytest.param({"at_least": 50}, [], UNKNOWN, [], id="nothing"),
    pytest.param({"at_least": 50, "absent": "not_met"}, [], NOT_MET, [], id="absent not_met"),
])
def test_engine_quantity_without_values(test, specs, expected, evidence):
    result, chart = evaluate({"fact": "score", **test}, specs)
    assert result.status is expected
    assert spans(result) == evidence_of(chart, *evidence)


# -- duration --------------------------------------------------------------------------------


def therapy(assertion: str = "affirmed", **fields: Any) -> dict[str, Any]:
    return fact("therapy", assertion, **fields)


def days(n: float) -> dict[str, Any]:
    return therapy(value=n, unit="day")


SIX_MONTHS = {"months_at_least": 6}
SIX_MONTHS_IN_YEAR = {"months_at_least": 6, "within_months": 12}
SIX_WEEKS = {"weeks_at_least": 6}


@pytest.mark.parametrize(("test", "specs", "expected"), [
    # bare durations: no dates, taken as recent, so they count even inside a window
    pytest.param(SIX_WEEKS, [days(56)], MET, id="8 weeks >= 6 weeks"),
    pytest.param(SIX_WEEKS, [therapy(value=6, unit="week")], MET, id="6 weeks in weeks"),
    pytest.param(SIX_WEEKS, [days(21)], NOT_MET, id="3 weeks < 6 weeks"),
    pytest.param(SIX_MONTHS, [therapy(value=7, unit="month")], MET, id="7 months"),
    pytest.param(SIX_MONTHS, [therapy(value=1, unit="year")], MET, id="a year"),
    pytest.param(SIX_MONTHS, [therapy(value=4, unit="month")], NOT_MET, id="4 months"),
    pytest.param(SIX_MONTHS, [days(180)], MET, id="180 days within the slack"),
    pytest.param(SIX_MONTHS, [days(150)], NOT_MET, id="150 days"),
    pytest.param(SIX_MONTHS_IN_YEAR, [days(240)], MET, id="bare duration counts in a window"),
    pytest.param(SIX_MONTHS, [days(60), days(200)], MET, id="longest counts"),
    # dated periods, measured back from the service date 2024-10-01
    pytest.param(SIX_MONTHS_IN_YEAR, [therapy(**period("2024-01-02", "2024-09-01"))], MET,
                 id="period inside the window"),
    pytest.param(SIX_MONTHS_IN_YEAR, [therapy(**period("2022-01-01", "2022-12-31"))], NOT_MET,
                 id="period before the window counts zero"),
    pytest.param(SIX_MONTHS, [therapy(**period("2022-01-01", "2022-12-31"))], MET,
                 id="same period without a window"),
    pytest.param(SIX_MONTHS_IN_YEAR, [therapy(**period("2023-01-01", "2024-03-01"))], NOT_MET,
                 id="only the part inside the window counts"),
    pytest.param(SIX_MONTHS, [therapy(**period("2024-07-01", "2025-07-01"))], NOT_MET,
                 id="no credit after the service date"),
    pytest.param(SIX_MONTHS_IN_YEAR,
                 [therapy(**period("2022-01-01", "2022-12-31")), therapy(**period("2024-02-01", "2024-09-30"))],
                 MET, id="an old period does not spoil a recent one"),
    # no length known
    pytest.param(SIX_MONTHS, [therapy()], UNKNOWN, id="mentioned, length unknown"),
    pytest.param(SIX_MONTHS, [therapy("negated")], NOT_MET, id="denied"),
    pytest.param(SIX_MONTHS, [therapy("possible", value=400, unit="day")], UNKNOWN, id="possible"),
    pytest.param(SIX_MONTHS, [], UNKNOWN, id="nothing"),
    pytest.param({**SIX_MONTHS, "absent": "not_met"}, [], NOT_MET, id="absent not_met"),
])
def test_engine_duration(test, specs, expected):
    result, _ = evaluate({"fact": "therapy", **test}, specs)
    assert result.status is expected


def test_engine_duration_met_cites_the_longest():
    result, chart = evaluate({"fact": "therapy", **SIX_MONTHS}, [days(60), days(200), days(90)])
    assert spans(result) == evidence_of(chart, 1)


def test_engine_duration_cites_dated_names_beside_a_stated_outcome():
    """A drug named with its dates is cited for a duration leaf even where another mention says
    how a drug went: the dates are what the leaf is decided on (evidence audit 18's rule that a
    bare name is cited only where nothing states the finding is for presence leaves)."""
    result, chart = evaluate({"fact": "therapy", **SIX_MONTHS},
                             [days(200), therapy(implied=True, value=210, unit="day"),
                              therapy(implied=True, value=220, unit="day")])
    assert result.status is MET
    assert sorted(spans(result)) == evidence_of(chart, 0, 1, 2)


def test_engine_duration_not_met_cites_every_known_length():
    result, chart = evaluate({"fact": "therapy", **SIX_MONTHS}, [days(60), therapy(), days(90)])
    assert result.status is NOT_MET
    assert sorted(spans(result)) == evidence_of(chart, 0, 2)
    assert spans(result)[0] == evidence_of(chart, 2)[0]  # the longest, which decides, first


def test_engine_duration_unknown_length_says_so():
    result, _ = evaluate({"fact": "therapy", **SIX_MONTHS}, [therapy()])
    assert "how long is not documented" in (result.reason or "")
    assert result.needs == NEEDS


@pytest.mark.parametrize(("service_date", "expected"), [
    (dt.date(2024, 10, 1), MET),
    (dt.date(2025, 6, 1), NOT_MET),  # the same therapy, now mostly outside the last year
])
def test_engine_window_ends_at_the_service_date(service_date, expected):
    result, _ = evaluate({"fact": "therapy", **SIX_MONTHS_IN_YEAR},
                         [therapy(**period("2024-01-02", "2024-09-01"))], service_date=service_date)
    assert result.status is expected


# -- combinations ----------------------------------------------------------------------------

SIGN, OTHER = {"fact": "sign"}, {"fact": "other"}


@pytest.mark.parametrize(("test", "specs", "expected"), [
    pytest.param({"not": SIGN}, [fact("sign")], NOT_MET, id="not met"),
    pytest.param({"not": SIGN}, [fact("sign", "negated")], MET, id="not not_met"),
    pytest.param({"not": SIGN}, [], UNKNOWN, id="not unknown"),
    pytest.param({"not": {"fact": "sign", "absent": "not_met"}}, [], MET, id="not absent"),
    pytest.param({"all": [SIGN, OTHER]}, [fact("sign"), fact("other")], MET, id="all met"),
    pytest.param({"all": [SIGN, OTHER]}, [fact("sign")], UNKNOWN, id="all met+unknown"),
    pytest.param({"all": [SIGN, OTHER]}, [fact("sign", "negated")], NOT_MET, id="all not_met+unknown"),
    pytest.param({"any": [SIGN, OTHER]}, [fact("other")], MET, id="any unknown+met"),
    pytest.param({"any": [SIGN, OTHER]}, [fact("sign", "negated")], UNKNOWN, id="any not_met+unknown"),
    pytest.param({"any": [SIGN, OTHER]}, [fact("sign", "negated"), fact("other", "negated")], NOT_MET,
                 id="any not_met+not_met"),
    pytest.param({"all": [SIGN, {"not": OTHER}]}, [fact("sign"), fact("other", "negated")], MET,
                 id="all with not"),
    pytest.param({"any": [{"all": [SIGN, OTHER]}, {"fact": "score", "at_least": 5}]},
                 [fact("sign"), score(3)], UNKNOWN, id="nested"),
])
def test_engine_combinations(test, specs, expected):
    result, _ = evaluate(test, specs)
    assert result.status is expected


@pytest.mark.parametrize(("test", "specs", "evidence"), [
    # a failed ALL cites the parts that failed it
    pytest.param({"all": [SIGN, OTHER]}, [fact("sign"), fact("other", "negated")], [1], id="failed all"),
    # a met ANY cites the parts that met it
    pytest.param({"any": [SIGN, OTHER]}, [fact("sign", "negated"), fact("other")], [1], id="met any"),
    # ... and of several met parts, the first that has quotes alone: "injections not indicated"
    # adds nothing beside injections done (audit 46).
    pytest.param({"any": [SIGN, OTHER]}, [fact("sign"), fact("other")], [0], id="met any, both parts"),
    pytest.param({"any": [SIGN, OTHER]}, [fact("other"), fact("sign")], [1], id="met any, first part first"),
    # otherwise every part
    pytest.param({"all": [SIGN, OTHER]}, [fact("sign"), fact("other")], [0, 1], id="met all"),
    pytest.param({"any": [SIGN, OTHER]}, [fact("sign", "negated"), fact("other", "negated")], [0, 1],
                 id="failed any"),
    pytest.param({"not": SIGN}, [fact("sign", "negated")], [0], id="not keeps its evidence"),
])
def test_engine_combination_evidence(test, specs, evidence):
    result, chart = evaluate(test, specs)
    assert spans(result) == evidence_of(chart, *evidence)


@pytest.mark.parametrize(("wanted", "request_type", "expected"), [
    (["trial"], "trial", MET),
    (["trial"], "permanent", NOT_MET),
    (["trial"], "replacement", NOT_MET),
    (["trial"], None, NOT_MET),
    (["permanent", "replacement"], "replacement", MET),
    (["permanent", "replacement"], "trial", NOT_MET),
])
def test_engine_request_type(wanted, request_type, expected):
    result, _ = evaluate({"request_type": wanted}, [fact("sign")], request_type=request_type)
    assert result.status is expected
    assert result.evidence == []  # it follows from the request, not the chart
    assert result.reason == f"the request is {'' if expected is MET else 'not '}for a {' or '.join(wanted)}"


def test_engine_request_type_inside_all():
    test = {"all": [{"request_type": ["permanent"]}, {"fact": "score", "at_least": 50}]}
    trial, _ = evaluate(test, [score(80)], request_type="trial")
    permanent, chart = evaluate(test, [score(80)], request_type="permanent")
    assert (trial.status, trial.evidence) == (NOT_MET, [])
    assert permanent.status is MET
    assert spans(permanent) == evidence_of(chart, 0)


def test_engine_request_of_another_type_decides_alone():
    """Evidence audits 17-25: a trial request's "permanent after a trial" leaf cited side effects and
    vitals that also failed the test; the request type decided it, and it cites nothing."""
    test = {"all": [{"request_type": ["permanent"]}, {"fact": "score", "at_least": 50},
                    {"not": {"fact": "sign", "absent": "not_met"}}]}
    trial, _ = evaluate(test, [score(20), fact("sign")], request_type="trial")
    assert (trial.status, trial.evidence) == (NOT_MET, [])
    assert trial.reason == "the request is not for a permanent"
    permanent, chart = evaluate(test, [score(20), fact("sign")], request_type="permanent")
    assert permanent.status is NOT_MET and spans(permanent) == evidence_of(chart, 0, 1)


# -- ruled_out_by ----------------------------------------------------------------------------


@pytest.mark.parametrize(("specs", "expected", "evidence"), [
    pytest.param([fact("other")], NOT_MET, [0], id="unknown and ruled out"),
    pytest.param([], UNKNOWN, [], id="unknown, nothing rules it out"),
    pytest.param([fact("other", "negated")], UNKNOWN, [], id="ruling test not_met"),
    pytest.param([fact("sign"), fact("other")], MET, [0], id="own test met wins"),
    pytest.param([fact("sign", "negated"), fact("other")], NOT_MET, [0], id="own test not_met keeps its evidence"),
])
def test_engine_ruled_out_by(specs, expected, evidence):
    result, chart = evaluate(SIGN, specs, ruled_out_by=OTHER)
    assert result.status is expected
    assert spans(result) == evidence_of(chart, *evidence)


def test_engine_ruled_out_reason_names_the_other_condition():
    result, _ = evaluate(SIGN, [fact("other")], ruled_out_by=OTHER)
    assert "ruled out: another sign documented: '[affirmed] other' (note.txt)" == result.reason
    assert result.needs is None


# -- the tree --------------------------------------------------------------------------------


@pytest.mark.parametrize(("specs", "indication", "exclusion"), [
    ([fact("sign")], MET, NOT_MET),
    ([fact("sign", "negated"), fact("other")], NOT_MET, MET),
    ([], UNKNOWN, NOT_MET),
])
def test_engine_tree_statuses(specs, indication, exclusion):
    guideline = engine_guideline(SIGN)
    chart = Chart.of(specs)
    evaluator = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE)
    ind, exc = evaluator.node(guideline.indications), evaluator.node(guideline.exclusions)
    assert (ind.status, exc.status) == (indication, exclusion)
    assert [c.id for c in ind.children] == ["ind.leaf"]
    assert ind.logic == "any" and ind.evidence == []


def test_engine_exclusion_absent_reason():
    guideline = engine_guideline(SIGN)
    evaluator = Evaluator(guideline, FactBase.build([], guideline), None, SERVICE_DATE)
    leaf = evaluator.node(guideline.exclusions).children[0]
    assert (leaf.status, leaf.evidence, leaf.reason) == (NOT_MET, [], "not mentioned in the chart")


@pytest.mark.parametrize(("specs", "positive", "negative"), [
    ([fact("sign"), fact("sign", "historical")], 2, 0),
    ([fact("sign", "negated"), fact("sign", "possible")], 0, 1),
    ([fact("old_sign", "historical"), fact("sign", "family"), fact("sign", "hypothetical")], 0, 0),
    ([fact("stranger"), fact("stranger", "negated")], 0, 0),
])
def test_engine_fact_base(specs, positive, negative):
    guideline = engine_guideline(SIGN)
    base = FactBase.build(Chart.of(specs).facts, guideline)
    assert sum(map(len, base.positive.values())) == positive
    assert sum(map(len, base.negative.values())) == negative


# -- reasons are generated from the assertion (issue 10, error class 6) ----------------------


@pytest.mark.parametrize(("assertion", "status", "says"), [
    ("affirmed", MET, "a sign documented: '[affirmed] sign' (note.txt)"),
    ("negated", NOT_MET, "a sign denied: '[negated] sign' (note.txt)"),
    ("historical", MET, "a sign documented in the past: '[historical] sign' (note.txt)"),
])
def test_engine_reason_follows_the_assertion(assertion, status, says):
    """A denial never reads "documented": the reason says what was found and how."""
    result, _ = evaluate({"fact": "sign"}, [fact("sign", assertion)])
    assert (result.status, result.reason) == (status, says)


def test_engine_reason_names_note_date_and_route():
    result, _ = evaluate({"fact": "sign"}, [fact("sign", note_date=dt.date(2024, 3, 2),
                                                 roles={"route": "oral", "subject": "patient"})])
    assert result.reason == "a sign documented: '[affirmed] sign' (note.txt, 2024-03-02, route oral)"


# -- attribution: a fact asks for the roles it needs (issue 10, error class 4) ----------------

EXCLUSION = {"id": "exc.other", "logic": "leaf", "text": "the other sign",
             "test": {"fact": "other", "absent": "not_met"}}
ROLE_FACTS = {**FACTS, "trial_score": {"kind": "quantity", "unit": "points", "about": "a trial's score",
                                       "roles": {"route": ["intrathecal"]}}}


@pytest.mark.parametrize(("roles", "expected"), [
    pytest.param({"route": "intrathecal"}, MET, id="the trial's own"),
    pytest.param({}, MET, id="route not stated: counts"),
    pytest.param({"route": "intramuscular"}, UNKNOWN, id="another treatment's: set aside"),
])
def test_engine_fact_roles(roles, expected):
    guideline = parse_guideline({
        "id": "roles-test", "version": "1", "title": "Roles", "facts": ROLE_FACTS,
        "codes": {"T1": {"kind": "trial", "description": "a trial"}},
        "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [
            {"id": "ind.leaf", "logic": "leaf", "text": "the leaf", "test": {"fact": "trial_score", "at_least": 1}}]},
        "exclusions": {"id": "exc", "logic": "any", "text": "none of", "children": [EXCLUSION]},
    }, "roles-test")
    chart = Chart.of([fact("trial_score", value=2.0, unit="points", roles=roles)])
    leaf = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE).node(
        guideline.node("ind.leaf"))
    assert leaf.status is expected
    if expected is UNKNOWN:
        assert leaf.evidence == []


# -- a ruled-out pathway says so once (issue 10) -------------------------------------------------


def pathway_guideline() -> Guideline:
    leaf = {"logic": "leaf", "needs": NEEDS}
    return parse_guideline({
        "id": "pathway-test", "version": "1", "title": "Pathway", "facts": FACTS,
        "codes": {"T1": {"kind": "trial", "description": "a trial"}},
        "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [
            {"id": "path", "logic": "all", "text": "all of", "pathway": True, "label": "sign",
             "ruled_out_by": {"all": [{"fact": "other"}, {"not": {"fact": "sign", "absent": "not_met"}}]},
             "children": [
                 {**leaf, "id": "path.a", "text": "a", "test": {"fact": "sign"}},
                 {**leaf, "id": "path.b", "text": "b", "test": {"fact": "score", "at_least": 50}},
                 {"id": "path.c", "logic": "any", "text": "any", "children": [
                     {**leaf, "id": "path.c1", "text": "c1", "test": {"fact": "old_sign"}}]},
             ]}]},
        "exclusions": {"id": "exc", "logic": "any", "text": "none of", "children": [EXCLUSION]},
    }, "pathway-test")


def test_engine_ruled_out_pathway_cites_its_quote_once():
    guideline = pathway_guideline()
    chart = Chart.of([fact("other"), fact("other", document="b.txt")])
    path = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE).node(
        guideline.node("path"))
    leaves = {leaf.id: leaf for leaf in path.children if leaf.logic == "leaf"}
    assert path.status is NOT_MET and path.reason and path.reason.startswith("ruled out: another sign documented")
    assert 1 <= len(path.evidence) <= 2
    # Only the first undecided leaf is needed to fail the ALL; it cites one quote, the rest were not assessed.
    assert (leaves["path.a"].status, len(leaves["path.a"].evidence)) == (NOT_MET, 1)
    assert leaves["path.b"].status is UNKNOWN and leaves["path.b"].evidence == []
    assert leaves["path.b"].needs is None and "not assessed" in (leaves["path.b"].reason or "")


def test_engine_pathway_with_its_own_condition_is_not_ruled_out():
    guideline = pathway_guideline()
    chart = Chart.of([fact("other"), fact("sign")])
    path = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE).node(
        guideline.node("path"))
    assert path.status is UNKNOWN and path.evidence == [] and path.reason is None


@pytest.mark.parametrize(("request_type", "expected"),
                         [("permanent", NOT_MET), ("trial", NOT_MET), ("replacement", MET)])
@pytest.mark.parametrize("leaf", ["non_indication.replacement_for_convenience",
                                  "non_indication.functional_device_upgrade"])
def test_replacement_exclusions_need_a_replacement_request(leaf, request_type, expected):
    """Blind batch 4: "prefers to go straight to a permanent pump so he doesn't have to do this
    again" is no replacement for convenience; a first implant replaces nothing."""
    from rules.guideline import load_guideline

    guideline = load_guideline()
    name = leaf.removeprefix("non_indication.")
    chart = Chart.of([fact(name)])
    result = Evaluator(guideline, FactBase.build(chart.facts, guideline), request_type, SERVICE_DATE).node(
        guideline.node(leaf))
    assert result.status is expected


def test_engine_latest_note_values_only():
    """A prognosis is revised, not accumulated: "possibly weeks" in August gives way to "at least
    six months" in October; undated values are kept, since they cannot be placed."""
    old = fact("score", value=10.0, unit="percent", note_date=dt.date(2024, 8, 1))
    new = fact("score", value=80.0, unit="percent", note_date=dt.date(2024, 10, 8), document="new.txt")
    test = {"fact": "score", "at_least": 50, "take": "least", "latest_note": True}
    assert evaluate(test, [old, new])[0].status is MET
    # Without it, two documents on opposite sides of the threshold are a contradiction.
    assert evaluate({**test, "latest_note": False}, [old, new])[0].status is UNKNOWN
    undated = fact("score", value=10.0, unit="percent", document="undated.txt")
    assert evaluate(test, [old, new, undated])[0].status is UNKNOWN


def distinct_guideline() -> Guideline:
    """One leaf on a fact whose mentions are told apart by the part they name."""
    facts = {**FACTS, "broken": {"kind": "presence", "about": "a broken device", "distinct_by": ["component"]}}
    return parse_guideline({
        "id": "distinct", "version": "1", "title": "Distinct", "facts": facts,
        "codes": {"T1": {"kind": "trial", "description": "a trial"}},
        "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [
            {"id": "ind.leaf", "logic": "leaf", "text": "the leaf", "test": {"fact": "broken"}}]},
        "exclusions": {"id": "exc", "logic": "any", "text": "none of", "children": [EXCLUSION]},
    }, "distinct")


def suspicion_guideline() -> Guideline:
    """The distinct guideline's leaf, where a suspicion of the failure keeps it open."""
    leaf = {"id": "ind.leaf", "logic": "leaf", "text": "the leaf",
            "test": {"fact": "broken", "suspected_is_open": True}}
    return parse_guideline({**distinct_guideline().model_dump(by_alias=True, exclude_none=True),
                            "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [leaf]}},
                           "distinct")


@pytest.mark.parametrize(("affirmed", "denied", "expected"), [
    pytest.param("catheter", "pump", MET, id="a normal pump does not deny a broken catheter"),
    pytest.param("pump", "pump", UNKNOWN, id="the same part affirmed and denied: a conflict"),
    pytest.param("pump", None, UNKNOWN, id="a denial naming no part contradicts"),
    pytest.param(None, "pump", UNKNOWN, id="a part denied, the failure placed nowhere: a conflict"),
])
def test_engine_denial_contradicts_only_the_same_thing(affirmed, denied, expected):
    guideline = distinct_guideline()
    chart = Chart.of([fact("broken", roles={"component": affirmed} if affirmed else {}, document="a.txt"),
                      fact("broken", "negated", roles={"component": denied} if denied else {}, document="b.txt")])
    leaf = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE).node(
        guideline.node("ind.leaf"))
    assert leaf.status is expected


def test_engine_a_failure_placed_in_another_part_is_not_denied_by_this_one():
    """"Pump electronics normal" beside "catheter fractured" and "system not functioning"."""
    guideline = distinct_guideline()
    chart = Chart.of([fact("broken", roles={"component": "catheter"}, document="a.txt"),
                      fact("broken", document="a.txt", quote="system not functioning"),
                      fact("broken", "negated", roles={"component": "pump"}, document="b.txt")])
    leaf = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE).node(
        guideline.node("ind.leaf"))
    assert leaf.status is MET


@pytest.mark.parametrize(("form", "record", "expected"), [
    pytest.param(1.0, 0.0, NOT_MET, id="a form's Yes against the trial's unchanged table: the record"),
    pytest.param(None, 0.0, NOT_MET, id="the record alone"),
])
def test_engine_record_over_summary_for_quantities(form, record, expected):
    """Blind batch 8: staff ticked "Ashworth drop >= 1? Yes" while the trial's table shows none."""
    facts = {**FACTS, "drop": {"kind": "quantity", "unit": "points", "about": "a drop"}}
    guideline = parse_guideline({
        "id": "sources", "version": "1", "title": "Sources", "facts": facts,
        "conflicts": {"later_note_wins": True, "record_over_summary": True},
        "codes": {"T1": {"kind": "trial", "description": "a trial"}},
        "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [
            {"id": "ind.leaf", "logic": "leaf", "text": "the leaf", "test": {"fact": "drop", "at_least": 1}}]},
        "exclusions": {"id": "exc", "logic": "any", "text": "none of", "children": [EXCLUSION]},
    }, "sources")
    specs = [fact("drop", value=record, unit="points", document="trial.txt", note_date=dt.date(2024, 9, 26))]
    if form is not None:
        specs.append(fact("drop", value=form, unit="points", document="form.txt", source="summary",
                          note_date=dt.date(2024, 11, 4)))
    chart = Chart.of(specs)
    evaluator = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE)
    assert evaluator.node(guideline.node("ind.leaf")).status is expected


@pytest.mark.parametrize(("referral", "expected"), [
    pytest.param("summary", NOT_MET, id="a referral's failure without a length yields to the treating note's denial"),
    pytest.param("record", UNKNOWN, id="two records disagreeing stay for a reviewer"),
])
def test_engine_record_over_summary_for_durations(referral, expected):
    """Batch 91 (b91x-06): a referral's "has failed oral medications" against the physiatrist's
    "has not been given an adequate trial"."""
    guideline = parse_guideline({
        "id": "sources", "version": "1", "title": "Sources", "facts": FACTS,
        "conflicts": {"record_over_summary": True},
        "codes": {"T1": {"kind": "trial", "description": "a trial"}},
        "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [
            {"id": "ind.leaf", "logic": "leaf", "text": "the leaf", "test": {"fact": "therapy", **SIX_WEEKS}}]},
        "exclusions": {"id": "exc", "logic": "any", "text": "none of", "children": [EXCLUSION]},
    }, "sources")
    specs = [therapy(document="referral.txt", source=referral), therapy("negated", document="physiatry.txt")]
    assert _status(guideline, "ind.leaf", specs) is expected
    # A letter's course with its length is weighed by that length, whatever a record's stray
    # denial says (b49p-03: "since at least 2022" in a letter, a CBT summary's "were not reached").
    dated = [therapy(document="letter.txt", source="summary", value=400, unit="day"),
             therapy("negated", document="cbt.txt")]
    assert _status(guideline, "ind.leaf", dated) is MET
    # The record's denial of the referral's week decides; one two years older does not.
    week = [therapy(document="referral.txt", source="summary", note_date=dt.date(2025, 3, 12)),
            therapy("negated", document="physiatry.txt", note_date=dt.date(2025, 3, 10))]
    assert _status(guideline, "ind.leaf", week) is NOT_MET
    stale = [therapy(document="letter.txt", source="summary", note_date=dt.date(2024, 6, 1)),
             therapy("negated", document="old_note.txt", note_date=dt.date(2022, 5, 1))]
    assert _status(guideline, "ind.leaf", stale) is UNKNOWN


def test_engine_an_undated_forms_no_beside_a_booking_is_still_to_come():
    """Batch 93 (b93x-04): a payer form's "Psychological evaluation and clearance completed? [X] No"
    beside the clinic note's "evaluation is pending, scheduled 09/03/2024"."""
    guideline = one_leaf_guideline("pending", conflicts={"record_over_summary": True})
    form = fact("sign", "negated", document="form.txt", source="summary")
    booked = fact("sign", "hypothetical", document="clinic.txt", note_date=dt.date(2024, 8, 6),
                  roles={"timing": "pending"})
    assert _status(guideline, "ind.leaf", [form, booked]) is UNKNOWN
    assert _status(guideline, "ind.leaf", [form]) is NOT_MET


@pytest.mark.parametrize(("cover_source", "expected"), [
    pytest.param("summary", MET, id="an undated fax cover takes no part in the order of notes"),
    # (Session 32: an undated record on the later word's side cannot be later than it against it.)
    pytest.param("record", MET, id="an undated record on the later word's side does not stop it either"),
])
def test_engine_later_note_wins_past_an_undated_cover(cover_source, expected):
    """Batch 70 (b70x-03): a 2019 refill note's "No alarms in the log" against a 2024 printout's
    ERI; the fax cover's undated "battery at ERI" no longer stops the later note from deciding."""
    guideline = one_leaf_guideline("later", conflicts={"later_note_wins": True, "record_over_summary": True})
    specs = [fact("sign", document="refill_2019.txt", note_date=dt.date(2019, 4, 11), assertion="negated"),
             fact("sign", document="printout_2024.txt", note_date=dt.date(2024, 8, 26)),
             fact("sign", document="fax_cover.txt", source=cover_source)]
    assert _status(guideline, "ind.leaf", specs) is expected


def test_engine_quantities_on_both_sides_of_the_threshold_are_a_conflict():
    result, _ = evaluate({"fact": "score", "at_least": 50},
                         [fact("score", value=70.0, unit="percent", document="letter.txt"),
                          fact("score", value=38.0, unit="percent", document="flowsheet.txt")])
    assert result.status is UNKNOWN and "contradiction" in (result.reason or "")


def sided_guideline() -> Guideline:
    """A leaf inside the indication on a fact absent means not_met (a trial's side effects), and
    an exclusion on a present-state fact (historical: ignored)."""
    return parse_guideline({
        "id": "sided", "version": "1", "title": "Sided", "facts": FACTS,
        "conflicts": {"later_note_wins": True, "record_over_summary": True},
        "codes": {"T1": {"kind": "trial", "description": "a trial"}},
        "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [
            {"id": "ind.leaf", "logic": "leaf", "text": "no sign",
             "test": {"not": {"fact": "sign", "absent": "not_met"}}}]},
        "exclusions": {"id": "exc", "logic": "any", "text": "none of", "children": [
            {"id": "exc.sign", "logic": "leaf", "text": "the sign", "test": {"fact": "sign", "absent": "not_met"}},
            {"id": "exc.old", "logic": "leaf", "text": "the current sign",
             "test": {"fact": "old_sign", "absent": "not_met"}}]},
    }, "sided")


def one_leaf_guideline(gid: str, facts: dict[str, Any] | None = None, fact_name: str = "sign",
                       conflicts: dict[str, bool] | None = None,
                       exclusions: list[dict[str, Any]] | None = None) -> Guideline:
    """A guideline of one indication leaf on `fact_name`, and the given exclusion leaves."""
    return parse_guideline({
        "id": gid, "version": "1", "title": gid, "facts": facts or FACTS, "conflicts": conflicts or {},
        "codes": {"T1": {"kind": "trial", "description": "a trial"}},
        "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [
            {"id": "ind.leaf", "logic": "leaf", "text": "the leaf", "test": {"fact": fact_name}}]},
        "exclusions": {"id": "exc", "logic": "any", "text": "none of", "children": exclusions or [EXCLUSION]},
    }, gid)


def _status(guideline: Guideline, node: str, specs: list[dict[str, Any]]) -> Status:
    chart = Chart.of(specs)
    return Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE).node(
        guideline.node(node)).status


def test_engine_a_forms_default_yes_yields_to_the_record():
    """Blind batch 9: "Side effects with trial .... Y" on the payer form, "tolerated the trial
    well" in the trial note: the record is read. Blind batch 15: so too in an exclusion, where
    staff ticked "Tumor encroachment of the thecal sac? Y" against the MRI's "thecal sac patent";
    the findings say the record was used. Where a record affirms the exclusion, it stays met."""
    specs = [fact("sign", document="form.txt", source="summary"), fact("sign", "negated", document="trial.txt")]
    assert _status(sided_guideline(), "ind.leaf", specs) is MET
    assert _status(sided_guideline(), "exc.sign", specs) is NOT_MET
    record = [fact("sign", document="note.txt"), fact("sign", "negated", document="trial.txt")]
    assert _status(sided_guideline(), "ind.leaf", record) is NOT_MET, "two records: the affirmation stands"
    assert _status(sided_guideline(), "exc.sign", record) is MET, "an exclusion a record affirms stays met"


@pytest.mark.parametrize(("observed_on", "expected"), [
    pytest.param(dt.date(2023, 12, 1), NOT_MET, id="dated to an earlier study a later one denies"),
    pytest.param(None, MET, id="undated: a later denial may be copied forward, the affirmation stands"),
])
def test_engine_a_present_state_finding_dated_before_a_later_denial(observed_on, expected):
    """Blind batch 9: a problem list's "epidural tumor (MRI 12/2023)" in a 2024 note, against a
    later MRI's "resolved; thecal sac patent"."""
    specs = [fact("old_sign", document="note.txt", note_date=dt.date(2024, 4, 24), observed_on=observed_on),
             fact("old_sign", "negated", document="mri.txt", note_date=dt.date(2024, 4, 2))]
    assert _status(sided_guideline(), "exc.old", specs) is expected


@pytest.mark.parametrize(("mentions", "expected"), [
    pytest.param(["negated"], NOT_MET, id="denied only: settled"),
    pytest.param(["negated", "possible"], UNKNOWN, id="denied beside a suspicion: the work-up is open"),
    pytest.param(["possible", "affirmed"], MET, id="affirmed: the suspicion was confirmed"),
])
def test_engine_a_suspected_mention_keeps_the_test_open(mentions, expected):
    """Blind batch 9: "pump electronics normal" beside "?catheter migration vs tolerance, dye study
    to be scheduled" is no proof the device works."""
    specs = [fact("sign", assertion, document=f"{i}.txt") for i, assertion in enumerate(mentions)]
    result, _ = evaluate({"fact": "sign", "suspected_is_open": True}, specs)
    assert result.status is expected
    if "affirmed" not in mentions:
        plain, _ = evaluate({"fact": "sign"}, specs)
        assert plain.status is NOT_MET, "without the flag a suspicion decides nothing"


@pytest.mark.parametrize(("denial", "expected"), [
    pytest.param({"document": "notice.txt"}, NOT_MET, id="denied in the same document: answered"),
    pytest.param({"document": "clinic.txt", "note_date": dt.date(2025, 12, 16)}, NOT_MET,
                 id="denied in a later note: answered"),
    pytest.param({"document": "clinic.txt", "note_date": dt.date(2023, 6, 12)}, UNKNOWN,
                 id="denied only in an earlier note: still open"),
    pytest.param({"document": "notice.txt", "roles": {"component": "pump"}}, UNKNOWN,
                 id="another part denied: still open"),
    pytest.param({"document": "notice.txt", "roles": {}, "unnamed": True}, UNKNOWN,
                 id="a denial naming no part does not answer a suspicion about one (batch 15)"),
])
def test_engine_a_denial_answers_the_suspicion_it_follows(denial, expected):
    """Blind batch 8 and 9: a recall notice's "possible motor stall" beside "pump functioning
    normally today" is answered; "?catheter migration" beside "motor stall: none" is not."""
    guideline = suspicion_guideline()
    denial = dict(denial)
    unnamed = denial.pop("unnamed", False)
    suspicion = fact("broken", "possible", document="notice.txt", note_date=dt.date(2025, 11, 20),
                     roles={"component": "catheter" if "roles" in denial else "pump"})
    if "roles" not in denial and not unnamed:
        denial["roles"] = {"component": "pump"}
    chart = Chart.of([suspicion, fact("broken", "negated", **denial)])
    result = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE).node(
        guideline.node("ind.leaf"))
    assert result.status is expected


def test_engine_a_forms_yes_yields_to_a_record_that_has_it_still_to_come():
    """Blind batch 13: "Psychological evaluation and clearance performed  [X] Y" on the payer form,
    "psych eval scheduled 07/09 - clearance pending" in the clinic note: the leaf is open."""
    guideline = one_leaf_guideline("pending", conflicts={"record_over_summary": True})
    form = fact("sign", document="form.txt", source="summary")
    pending = fact("sign", "hypothetical", document="note.txt", roles={"timing": "pending"})
    assert _status(guideline, "ind.leaf", [form, pending]) is UNKNOWN
    planned = fact("sign", "hypothetical", document="note.txt", roles={"timing": "plan"})
    assert _status(guideline, "ind.leaf", [form, planned]) is MET, \
        "a ConText plan elsewhere does not void the form; only a pending item does"


def test_engine_a_letters_claim_yields_to_an_open_order_in_another_summary():
    """Blind batch 116: "she has been evaluated by our pain psychologist" in the letter, and a chart
    summary's open order "[ ] Pre-implant psychological evaluation -- referral sent ..., not yet
    seen": the leaf is open, whatever kind of document holds the order; one in the letter itself
    does not void it."""
    guideline = one_leaf_guideline("pending", conflicts={"record_over_summary": True})
    letter = fact("sign", document="letter.txt", source="summary")
    order = fact("sign", "hypothetical", document="summary.txt", source="summary", roles={"timing": "pending"})
    assert _status(guideline, "ind.leaf", [letter, order]) is UNKNOWN
    own = fact("sign", "hypothetical", document="letter.txt", source="summary", roles={"timing": "pending"})
    assert _status(guideline, "ind.leaf", [letter, own]) is MET


def test_engine_a_clearance_for_another_device_is_not_this_ones():
    """Blind batch 117: "Psych: cleared for SCS trial 10/2021" copied forward in the record beside a
    letter's "has been cleared" and the record's pending referral for the pump: the stimulator's
    clearance is set aside, so the letter yields to the pending referral."""
    from rules.guideline import load_guideline

    guideline = load_guideline()
    letter = fact("psych_clearance", document="letter.txt", source="summary")
    scs = fact("psych_clearance", document="notes.txt", roles={"component": "other_device"})
    pending = fact("psych_clearance", "hypothetical", document="notes.txt", roles={"timing": "pending"})
    assert _status(guideline, "chronic_pain.psych_clearance", [letter, scs, pending]) is UNKNOWN


def test_engine_an_outweighed_forms_yes_says_why_the_leaf_is_open():
    """Blind batch 98: the open leaf's reason names the form's claim and the record's booking
    beside it, so the reviewer sees what to ask for; it had no reason at all."""
    guideline = one_leaf_guideline("pending", conflicts={"record_over_summary": True})
    form = fact("sign", document="form.txt", source="summary")
    pending = fact("sign", "hypothetical", document="note.txt", roles={"timing": "pending"})
    chart = Chart.of([form, pending])
    result = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE).node(
        guideline.node("ind.leaf"))
    assert result.status is UNKNOWN and not result.evidence
    assert result.reason is not None and "form or letter affirms it" in result.reason
    assert "form.txt" in result.reason and "note.txt" in result.reason


def test_engine_a_suspicion_stands_after_a_forms_tick_gives_way():
    """Blind batch 15: "[X] Device not functioning" on the form, "pump interrogation normal" in
    the record, and "differential: catheter occlusion vs rotor problem" with a dye study
    scheduled: the form yields to the record, and the suspicion keeps the question open."""
    guideline = distinct_guideline()
    leaf = {"id": "ind.leaf", "logic": "leaf", "text": "the leaf",
            "test": {"not": {"fact": "broken", "suspected_is_open": True}}}
    guideline = parse_guideline({**guideline.model_dump(by_alias=True, exclude_none=True),
                                 "conflicts": {"record_over_summary": True},
                                 "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [leaf]}},
                                "distinct")
    chart = Chart.of([fact("broken", document="form.txt", source="summary"),
                      fact("broken", "negated", document="clinic.txt", roles={"component": "pump"}),
                      fact("broken", "possible", document="clinic.txt", roles={"component": "catheter"})])
    result = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE).node(
        guideline.node("ind.leaf"))
    assert result.status is UNKNOWN


def test_engine_a_past_denial_yields_to_a_dated_course():
    """Blind batch 15: "He has declined physical therapy in the past" in an undated H&P, and
    "PT 5/2025-8/2025 (16 visits)" in the follow-up note: both are true; the course counts."""
    specs = [fact("sign", document="followup.txt", observed_on=dt.date(2025, 5, 1)),
             fact("sign", "negated", document="hp.txt", roles={"timing": "past"})]
    assert _status(sided_guideline(), "exc.sign", specs) is MET
    result, _ = evaluate({"fact": "sign"}, specs)
    assert result.status is MET
    undated = [fact("sign", document="followup.txt"), fact("sign", "negated", document="hp.txt",
                                                           roles={"timing": "past"})]
    result, _ = evaluate({"fact": "sign"}, undated)
    assert result.status is UNKNOWN, "an undated affirmation against it is still a contradiction"


def test_engine_a_requirement_booked_is_still_to_come():
    """Blind batch 16: "Clearance not yet obtained" beside "evaluation scheduled 08/14" in the
    same note: still to come, not failed; a denial with nothing booked stays a denial."""
    denied = fact("sign", "negated", document="note.txt")
    booked = fact("sign", "hypothetical", document="note.txt", roles={"timing": "pending"})
    result, _ = evaluate({"fact": "sign"}, [denied, booked])
    assert result.status is UNKNOWN and "still to come" in (result.reason or "")
    result, _ = evaluate({"fact": "sign"}, [denied])
    assert result.status is NOT_MET


def test_engine_a_changing_finding_is_read_from_the_later_note_even_in_an_exclusion():
    """Blind batch 16: "too small for a 20 mL pump" (2023) and "size now adequate" (2025), two
    dated notes in one document: for a fact whose data says the later note decides, it does."""
    facts = {**FACTS, "size": {"kind": "presence", "about": "small", "conflicts": "later_note_wins"}}
    guideline = parse_guideline({
        "id": "later", "version": "1", "title": "Later", "facts": facts,
        "conflicts": {"later_note_wins": True},
        "codes": {"T1": {"kind": "trial", "description": "a trial"}},
        "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [
            {"id": "ind.leaf", "logic": "leaf", "text": "the leaf", "test": {"fact": "sign"}}]},
        "exclusions": {"id": "exc", "logic": "any", "text": "none of", "children": [
            {"id": "exc.size", "logic": "leaf", "text": "too small", "test": {"fact": "size", "absent": "not_met"}}]},
    }, "later")
    specs = [fact("size", document="notes.txt", note_date=dt.date(2023, 4, 18)),
             fact("size", "negated", document="notes.txt", note_date=dt.date(2025, 3, 4))]
    assert _status(guideline, "exc.size", specs) is NOT_MET
    reversed_dates = [fact("size", document="notes.txt", note_date=dt.date(2025, 3, 4)),
                      fact("size", "negated", document="notes.txt", note_date=dt.date(2023, 4, 18))]
    assert _status(guideline, "exc.size", reversed_dates) is MET


@pytest.mark.parametrize(("denial", "expected"), [
    pytest.param({"document": "note.txt"}, NOT_MET, id="denied now in the same note: the present statement"),
    pytest.param({"document": "later.txt", "note_date": dt.date(2024, 9, 1)}, NOT_MET, id="denied in a later note"),
    pytest.param({"document": "older.txt", "note_date": dt.date(2023, 1, 1)}, MET,
                 id="denied only in an older note: the exclusion stands"),
])
def test_engine_a_past_only_affirmation_yields_to_a_later_denial(denial, expected):
    """Blind batch 24: an allergy list's entry "carried over from a 2020 outside record" (said of the
    past) against "has taken it daily since January without any allergic reaction; the entry has
    been changed to an intolerance" (said now). An exclusion affirmed as present still stands."""
    past = fact("sign", "historical", document="note.txt", note_date=dt.date(2024, 5, 28))
    specs = [past, fact("sign", "negated", **denial)]
    assert _status(sided_guideline(), "exc.sign", specs) is expected
    present = [fact("sign", document="note.txt", note_date=dt.date(2024, 5, 28)), fact("sign", "negated", **denial)]
    assert _status(sided_guideline(), "exc.sign", present) is MET


@pytest.mark.parametrize(("denial", "expected"), [
    pytest.param({"value": 0, "unit": "percent"}, NOT_MET, id="a denial stating none decides over amountless mentions"),
    pytest.param({}, UNKNOWN, id="a denial without an amount (not obtained) leaves it open"),
])
def test_engine_a_stated_denial_decides_a_quantity(denial, expected):
    """Blind batch 25: "Modified Ashworth at discharge: hip adductors 4" (no drop stated) beside "no
    reduction on the Ashworth scale at any time point"; blind batch 22: "post-bolus scores were not
    obtained" is no denial of the drop."""
    specs = [fact("score"), fact("score", "negated", document="trial.txt", **denial)]
    result, _ = evaluate({"fact": "score", "at_least": 50}, specs)
    assert result.status is expected


@pytest.mark.parametrize(("single_state", "denied_in", "expected"), [
    pytest.param(False, "letter.txt", MET, id="a treatment's denial beside it in one note is partial"),
    pytest.param(True, "letter.txt", NOT_MET, id="one state, taken back later in the same note"),
    pytest.param(True, "clinic.txt", UNKNOWN, id="one state, denied in another document: a conflict"),
])
def test_engine_a_single_state_denied_in_the_same_note_contradicts(single_state, denied_in, expected):
    """Blind batch 30: a letter's "pump technology requires an upgrade" beside its own "the model
    remains fully supported"."""
    facts = {**FACTS, "upgrade": {"kind": "presence", "about": "an upgrade required", "single_state": single_state}}
    guideline = one_leaf_guideline("single", facts, "upgrade")
    chart = Chart.of([fact("upgrade", document="letter.txt", quote="Pump technology requires an upgrade."),
                      fact("upgrade", "negated", document=denied_in, quote="The model remains fully supported.")])
    leaf = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE).node(
        guideline.node("ind.leaf"))
    assert leaf.status is expected


@pytest.mark.parametrize(("denied_in", "expected"), [
    pytest.param("record", NOT_MET, id="the record outweighs a form's tick"),
    pytest.param("log", NOT_MET, id="so does the device's own log"),
    pytest.param("summary", UNKNOWN, id="another form: a contradiction"),
])
def test_engine_a_forms_tick_yields_to_the_record_or_the_log(denied_in, expected):
    """Blind batch 30: a scheduling order ticks "End of battery life / ERI"; the pump's own event log
    reads "Alarms / events since 03/26/25 ..... none"."""
    guideline = one_leaf_guideline("primary", conflicts={"record_over_summary": True})
    specs = [fact("sign", document="order.txt", source="summary"),
             fact("sign", "negated", document="pump.txt", source=denied_in)]
    assert _status(guideline, "ind.leaf", specs) is expected


@pytest.mark.parametrize(("order", "expected"), [
    pytest.param(("affirmed", "negated"), NOT_MET, id="stated, then taken back later in the note"),
    pytest.param(("negated", "affirmed"), MET, id="denied, then stated later: it stands"),
])
def test_engine_a_single_state_taken_back_in_its_own_note(order, expected):
    """Blind batch 32: "ALLERGIES: BACLOFEN (per outside pharmacy record)", then in the same note
    "clarified today: drowsiness on high oral doses, an intolerance, not an allergy"."""
    facts = {**FACTS, "allergy": {"kind": "presence", "about": "an allergy", "single_state": True}}
    guideline = one_leaf_guideline("back", facts, exclusions=[
        {"id": "exc.allergy", "logic": "leaf", "text": "an allergy", "test": {"fact": "allergy", "absent": "not_met"}}])
    first, second = order
    specs = [fact("allergy", first, document="note.txt", quote="ALLERGIES: BACLOFEN"),
             fact("allergy", second, document="note.txt", quote="clarified: an intolerance")]
    assert _status(guideline, "exc.allergy", specs) is expected


COMBINED = {"fact": "therapy", **SIX_MONTHS_IN_YEAR, "combined_with": ["drug", "exercise"]}


def drug(**fields: Any) -> dict[str, Any]:
    return fact("drug", **fields)


def exercise(**fields: Any) -> dict[str, Any]:
    return fact("exercise", **fields)


@pytest.mark.parametrize(("specs", "expected"), [
    # Blind batch 39: "duloxetine 10/2023 - present" beside "PT 11/2023 - 01/2024" is one program.
    pytest.param([drug(**period("2023-11-01", "2024-09-30")), exercise(**period("2023-12-01", "2024-02-01"))],
                 MET, id="a drug and an exercise program run together for 11 months"),
    pytest.param([drug(**period("2024-01-01", "2024-04-01")), exercise(**period("2024-04-03", "2024-08-01"))],
                 MET, id="periods that meet join"),
    pytest.param([drug(**period("2024-01-01", "2024-03-01")), exercise(**period("2024-06-01", "2024-09-01"))],
                 UNKNOWN, id="a gap splits them: neither run is long enough"),
    pytest.param([drug(**period("2023-11-01", "2024-09-30"))], UNKNOWN,
                 id="one medication alone is not a program"),
    pytest.param([drug(**period("2022-01-01", "2022-12-01")), exercise(**period("2022-02-01", "2022-11-01"))],
                 UNKNOWN, id="a run before the window counts nothing"),
])
def test_engine_duration_combined_with_other_dated_treatments(specs, expected):
    result, chart = evaluate(COMBINED, specs)
    assert result.status is expected
    if expected is MET:
        assert spans(result) == evidence_of(chart, *range(len(specs)))
        assert result.reason is not None and "kinds of dated treatment run together" in result.reason


def test_engine_combined_with_must_name_facts_and_a_length():
    with pytest.raises(ChartReviewError, match="combined_with names unknown fact 'nothing'"):
        engine_guideline({"fact": "therapy", **SIX_MONTHS, "combined_with": ["nothing"]})
    with pytest.raises(ChartReviewError, match="combined_with needs months_at_least"):
        engine_guideline({"fact": "therapy", "combined_with": ["drug"]})


@pytest.mark.parametrize(("observed_on", "expected"), [
    pytest.param(dt.date(2023, 1, 1), NOT_MET, id="dated before the note's own denial: the later statement"),
    pytest.param(None, MET, id="undated: a partial denial beside it in one note, the affirmation stands"),
])
def test_engine_a_present_state_dated_past_in_the_note_that_denies_it_now(observed_on, expected):
    """Blind batch 40: a letter's "one episode of withdrawal, in January 2023 when her catheter
    kinked" beside its own "her device is working normally today" (November 2024)."""
    note = dt.date(2024, 11, 18)
    specs = [fact("old_sign", document="letter.txt", note_date=note, observed_on=observed_on),
             fact("old_sign", "negated", document="letter.txt", note_date=note)]
    result, _ = evaluate({"fact": "old_sign"}, specs)
    assert result.status is expected


@pytest.mark.parametrize(("implied", "cited"), [
    pytest.param([True, False], ["stated"], id="a statement beside a name that implies it: the statement"),
    pytest.param([True], ["implied"], id="only the name: it is cited, the leaf needs its evidence"),
])
def test_engine_a_finding_implied_by_a_name_is_cited_only_where_nothing_states_it(implied, cited):
    """Evidence audit 11: "CC: low back + L leg pain, FBSS." was cited for a failed targeted
    treatment beside "s/p L4-5 fusion 2019, pain unchanged"."""
    specs = [fact("sign", implied=flag, quote="implied" if flag else "stated") for flag in implied]
    result, _ = evaluate({"fact": "sign"}, specs)
    assert result.status is MET
    assert [ev.text for ev in result.evidence] == cited


@pytest.mark.parametrize(("decision", "expected"), [
    pytest.param(True, NOT_MET, id="withheld now, to be revisited: not met"),
    pytest.param(False, UNKNOWN, id="not yet obtained, and booked: still to come"),
])
def test_engine_a_denial_that_is_a_decision_is_not_reopened_by_a_plan(decision, expected):
    """Blind batches 15, 39 and 42: "not cleared at this time" with "will reconsider clearance once
    the course is complete" is withheld clearance, not clearance still to come."""
    specs = [fact("sign", "negated", decision=decision),
             fact("sign", "hypothetical", roles={"timing": "pending"})]
    result, _ = evaluate({"fact": "sign"}, specs)
    assert result.status is expected


def test_engine_a_met_all_cites_the_mention_that_shows_two_parts_at_once():
    """Evidence audit 12: "a replacement of a pump that treats X" cited the printout's implant date
    and "pump pocket well healed" (the pump alone) beside the sentence naming the pump and what
    it treats; each part of a met ALL cites, where it can, the mention that shows another part."""
    specs = [fact("sign", quote="implant date alone"), fact("sign", quote="device for the condition"),
             fact("other", quote="the condition alone")]
    guideline = engine_guideline({"all": [{"fact": "sign"}, {"fact": "other"}]})
    chart = Chart.of(specs)
    both = chart.facts[1].evidence
    facts = [chart.facts[0], chart.facts[1], chart.facts[2],
             chart.facts[2].model_copy(update={"evidence": both})]
    evaluator = Evaluator(guideline, FactBase.build(facts, guideline), None, SERVICE_DATE)
    result = evaluator.node(guideline.node("ind.leaf"))
    assert result.status is MET
    assert [ev.text for ev in result.evidence] == ["device for the condition"]


def test_engine_a_met_all_with_no_shared_mention_cites_each_part():
    specs = [fact("sign", quote="the sign"), fact("other", quote="the other")]
    guideline = engine_guideline({"all": [{"fact": "sign"}, {"fact": "other"}]})
    chart = Chart.of(specs)
    evaluator = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE)
    result = evaluator.node(guideline.node("ind.leaf"))
    assert sorted(ev.text for ev in result.evidence) == ["the other", "the sign"]


def test_engine_a_quantity_denied_without_an_amount_is_unknown_where_the_data_says_so():
    """Blind batch 47: "Family not ready for a numerical prognosis" is no prognosis documented,
    not a short one; "no reduction on the Ashworth scale" is a result (the default)."""
    guideline = engine_guideline({"fact": "score", "at_least": 50})
    guideline.facts["score"] = guideline.facts["score"].model_copy(update={"unvalued_denial": "unknown"})
    chart = Chart.of([fact("score", "negated", quote="not ready for a number")])
    evaluator = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE)
    result = evaluator.node(guideline.node("ind.leaf"))
    assert result.status is UNKNOWN and result.evidence == [] and "not ready for a number" in result.reason
    default, _ = evaluate({"fact": "score", "at_least": 50}, [fact("score", "negated")])
    assert default.status is NOT_MET


@pytest.mark.parametrize(("claim_source", "expected"), [
    pytest.param("summary", NOT_MET, id="a claim the note restates: its own finding answers it"),
    pytest.param("record", MET, id="the note's own finding beside a partial denial: the affirmation stands"),
])
def test_engine_a_claim_in_a_note_is_answered_by_the_notes_finding(claim_source, expected):
    """Blind batch 52: "REASON FOR REPLACEMENT: Device failure" heads a clinic note whose review
    finds "the pump and catheter working normally"; the letter says the same claim. The claim is
    not one of the note's findings, so the note's denial is not a partial one beside it."""
    day = dt.date(2024, 7, 8)
    specs = [fact("sign", document="clinic.txt", note_date=day, source=claim_source),
             fact("sign", document="letter.txt", note_date=dt.date(2024, 7, 10), source="summary"),
             fact("sign", "negated", document="clinic.txt", note_date=day)]
    guideline = one_leaf_guideline("claims", conflicts={"record_over_summary": True})
    assert _status(guideline, "ind.leaf", specs) is expected


@pytest.mark.parametrize(("specs", "expected"), [
    # b34p-05: a CBT discharge summary names its program and what the two sessions covered, and
    # ends "Reason for discharge: non-attendance": the course ended undone.
    pytest.param([fact("sign", document="cbt.txt"), fact("sign", "negated", document="cbt.txt", ends_course=True)],
                 NOT_MET, id="outcome in the note naming the course: not done"),
    # An ordinary denial beside an affirmation in one note is a partial one: the affirmation stands.
    pytest.param([fact("sign", document="cbt.txt"), fact("sign", "negated", document="cbt.txt")],
                 MET, id="plain denial in the same note: affirmed"),
    # The outcome settles its own note only; another note's completed course still counts.
    pytest.param([fact("sign", document="psych.txt"), fact("sign", "negated", document="cbt.txt", ends_course=True)],
                 UNKNOWN, id="outcome in another note: a contradiction"),
    # A later course told in the same note, dated after the outcome, is not the course that ended.
    pytest.param([fact("sign", document="cbt.txt", observed_on=dt.date(2024, 6, 1)),
                  fact("sign", "negated", document="cbt.txt", ends_course=True, observed_on=dt.date(2023, 1, 1))],
                 MET, id="a later course in the same note: affirmed"),
    # ...and so is an earlier one the note dates ("completed 8 sessions in 2019 ... attended 2 of 8").
    pytest.param([fact("sign", document="cbt.txt", observed_on=dt.date(2019, 6, 1)),
                  fact("sign", "negated", document="cbt.txt", ends_course=True)],
                 MET, id="an earlier dated course in the same note: affirmed"),
])
def test_engine_a_course_outcome_settles_its_own_note(specs, expected):
    result, _ = evaluate({"fact": "sign"}, specs)
    assert result.status is expected, result.reason


@pytest.mark.parametrize(("specs", "expected"), [
    # b57l-04: a letter's subject line claims the technology needs an upgrade; the record finds a
    # working pump exchanged for the newer platform, which denies it.
    pytest.param([fact("sign", source="summary"), fact("other", document="clinic.txt")], NOT_MET,
                 id="the record's denying fact outweighs a letter's claim"),
    pytest.param([fact("other", document="clinic.txt")], NOT_MET, id="denied by the other fact alone"),
    # A form's own box for the other fact is no record of it.
    pytest.param([fact("other", source="summary")], UNKNOWN, id="a summary's other fact denies nothing"),
    # The record affirming both is a contradiction for a reviewer.
    pytest.param([fact("sign", document="note.txt"), fact("other", document="clinic.txt")], UNKNOWN,
                 id="both in the record: a contradiction"),
])
def test_engine_a_fact_denied_by_another(specs, expected):
    data = engine_guideline({"fact": "sign"}).model_dump(mode="json", exclude_none=True)
    guideline = parse_guideline({
        **{key: data[key] for key in ("id", "version", "title", "codes", "indications", "exclusions")},
        "facts": {**FACTS, "sign": {"kind": "presence", "about": "a sign", "denied_by": ["other"]}},
        "conflicts": {"record_over_summary": True},
    }, "engine-test")
    chart = Chart.of(specs)
    evaluator = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE)
    result = evaluator.node(guideline.node("ind.leaf"))
    assert result.status is expected, result.reason


@pytest.mark.parametrize(("specs", "expected"), [
    # b57p-01: "cleared to proceed ... once the CBT course above has been completed", and the CBT
    # discharge summary's "Course completed": the clearance stands.
    pytest.param([fact("sign", "hypothetical", roles={"timing": "pending", "awaits": "other"}),
                  fact("other", document="course.txt")], MET, id="granted on a condition the record documents"),
    pytest.param([fact("sign", "hypothetical", roles={"timing": "pending", "awaits": "other"})], UNKNOWN,
                 id="the condition not documented: still to come"),
    pytest.param([fact("sign", "hypothetical", roles={"timing": "pending", "awaits": "other"}),
                  fact("other", document="course.txt"),
                  fact("other", "negated", document="course.txt", ends_course=True)],
                 UNKNOWN, id="the course left undone: still to come"),
    pytest.param([fact("sign", "hypothetical", roles={"timing": "pending", "awaits": "other"}),
                  fact("other", document="form.txt", source="summary")], UNKNOWN,
                 id="a form's tick for the condition is no record of it"),
    # b36p-03: "may be considered cleared ... once CBT is complete" and, in the same report, "On
    # receipt of the therapist's summary I will issue a final clearance": a step still to come.
    pytest.param([fact("sign", "hypothetical", document="psych.txt", roles={"timing": "pending", "awaits": "other"}),
                  fact("sign", "hypothetical", document="psych.txt", roles={"timing": "pending"}),
                  fact("other", document="course.txt")], UNKNOWN, id="its note has another step to come"),
])
def test_engine_a_finding_granted_on_a_condition(specs, expected):
    facts = {**FACTS, "sign": {"kind": "presence", "about": "a clearance", "roles": {"timing": ["past", "ongoing"]}}}
    guideline = one_leaf_guideline("awaits", facts)
    assert _status(guideline, "ind.leaf", specs) is expected


def test_select_cites_a_mention_of_the_last_year_over_an_older_one() -> None:
    """"Tapentadol 2022 - nausea" in a 2024 note is cited after the note's current mention (audit
    24: an old course cited first read as the reason for a current status)."""
    from rules.engine import select
    chart = Chart()
    old = chart.add("pharmacological_treatment", quote="Tapentadol 2022 - nausea.", note_date=dt.date(2024, 9, 1),
                    observed_on=dt.date(2022, 1, 1))
    current = chart.add("pharmacological_treatment", quote="Duloxetine 60 mg daily since 03/2024.",
                        note_date=dt.date(2024, 9, 1), observed_on=dt.date(2024, 3, 1))
    # Audit 33: an old course beside a current one is not cited at all ("Right lumbar sympathetic
    # blocks x2 (03/2021, 11/2021)" for this year's injections); alone it is still cited.
    assert select([old, current]) == [current]
    assert select([old]) == [old]


@pytest.mark.parametrize(("specs", "expected"), [
    # Blind batch 76: "I first evaluated him on May 2 and cleared him for a trial ..." then, in the
    # same note, "I am unable to clear him for permanent implantation at this time".
    pytest.param([fact("sign", quote="cleared him for a trial", note_date=dt.date(2024, 9, 30)),
                  fact("sign", "negated", quote="unable to clear him now", note_date=dt.date(2024, 9, 30),
                       decision=True)], NOT_MET, id="decision after it in the same note"),
    pytest.param([fact("sign", quote="cleared in May", note_date=dt.date(2024, 5, 2)),
                  fact("sign", "negated", document="later.txt", quote="clearance withheld now",
                       note_date=dt.date(2024, 9, 30), decision=True)], NOT_MET, id="decision in a later note"),
    # ...while an addendum after the decision is the later word, and a partial denial decides nothing.
    pytest.param([fact("sign", "negated", quote="clearance is deferred", note_date=dt.date(2024, 11, 12),
                       decision=True),
                  fact("sign", quote="addendum: clearance is now granted", note_date=dt.date(2024, 11, 12))],
                 MET, id="addendum after the decision"),
    pytest.param([fact("sign", quote="cleared him for a trial", note_date=dt.date(2024, 9, 30)),
                  fact("sign", "negated", quote="no further psychological treatment", note_date=dt.date(2024, 9, 30))],
                 MET, id="a denial that is no decision"),
])
def test_engine_a_decision_withheld_takes_back_what_was_said_before_it(specs, expected):
    result, _ = evaluate({"fact": "sign"}, specs)
    assert result.status is expected


def test_engine_a_letter_restating_a_clearance_does_not_answer_the_evaluators_decision():
    """Blind batch 77: a letter dated after the psychologist's re-evaluation says he "was cleared
    for the trial" in 2024; the re-evaluation withholds clearance for the implant."""
    specs = [fact("sign", "negated", document="psych.txt", quote="not able to provide clearance now",
                  note_date=dt.date(2025, 4, 22), decision=True),
             fact("sign", document="letter.txt", quote="was cleared for the trial", note_date=dt.date(2025, 4, 28),
                  source="summary")]
    result, _ = evaluate({"fact": "sign"}, specs)
    assert result.status is NOT_MET


def test_engine_a_finding_restated_with_its_own_earlier_date_does_not_answer_a_later_denial():
    """Batch 35 (session 23): a 2025-03 pain note's "Psych: cleared by Dr. R 08/2024" after the
    psychologist's 2025-02 note withdrawing that clearance: the restatement is as old as its date."""
    specs = [fact("sign", document="psych_2024.txt", note_date=dt.date(2024, 8, 15)),
             fact("sign", "negated", document="psych_2025.txt", note_date=dt.date(2025, 2, 26), decision=True),
             fact("sign", document="pain_2025.txt", note_date=dt.date(2025, 3, 12), observed_on=dt.date(2024, 8, 1))]
    result, _ = evaluate({"fact": "sign"}, specs)
    assert result.status is NOT_MET
    # ...while a clearance the later note makes itself still answers it.
    specs[-1] = fact("sign", document="pain_2025.txt", note_date=dt.date(2025, 3, 12))
    result, _ = evaluate({"fact": "sign"}, specs)
    assert result.status is not NOT_MET


def test_engine_a_course_ongoing_since_a_date_runs_to_its_note():
    """Batch 85 (b85p-01): "PT 4/2024-6/2024, HEP ongoing" in a March 2025 note: the home program
    runs from June 2024 to the note, and with the PT makes the six months."""
    specs = [fact("therapy", document="n.txt", period_start=dt.date(2024, 4, 1), period_end=dt.date(2024, 6, 30),
                  note_date=dt.date(2024, 9, 20)),
             fact("exercise", document="n.txt", quote="HEP ongoing", roles={"timing": "ongoing"},
                  observed_on=dt.date(2024, 6, 1), note_date=dt.date(2024, 9, 20))]
    test = {"fact": "therapy", "months_at_least": 5, "within_months": 12, "combined_with": ["exercise"]}
    result, _ = evaluate(test, specs)
    assert result.status is MET
    # Without the word "ongoing" the home program has no dates, and the PT alone is too short.
    specs[1]["roles"] = {}
    result, _ = evaluate(test, specs)
    assert result.status is not MET


def test_engine_an_allergy_each_note_takes_back_is_no_allergy():
    """Batch 86 (b86l-03): the PM&R note's "ALLERGIES: Baclofen." then "a side effect and not an
    allergy", and the letter's "An older allergy list shows baclofen; ... is not an allergy": each
    note that affirms it takes it back. A note that affirms without taking back keeps it open."""
    guideline = one_leaf_guideline("single", facts={**FACTS, "sign": {"kind": "presence", "about": "an allergy",
                                                                     "single_state": True}})
    specs = [fact("sign", document="pmr.txt", quote="ALLERGIES: Baclofen."),
             fact("sign", "negated", document="pmr.txt", quote="This is a side effect and not an allergy."),
             fact("sign", document="letter.txt", quote="An older allergy list shows baclofen; not an allergy."),
             fact("sign", "negated", document="letter.txt",
                  quote="An older allergy list shows baclofen; not an allergy.")]
    assert _status(guideline, "ind.leaf", specs) is NOT_MET
    specs.append(fact("sign", document="form.txt", quote="Allergy: baclofen"))
    assert _status(guideline, "ind.leaf", specs) is not NOT_MET


def test_engine_a_plan_the_letter_reports_carried_out_since_is_not_to_come():
    """Batch 89 (b89l-04): a July note's "Psychology referral ... for intrathecal clearance" is
    no clearance still to come beside a September letter's "evaluated ... on August 2, 2024, and
    was cleared"; a plan in a note after the letter still holds the letter's claim open."""
    guideline = one_leaf_guideline("pending", conflicts={"record_over_summary": True})
    letter = fact("sign", document="letter.txt", source="summary", note_date=dt.date(2024, 9, 24),
                  observed_on=dt.date(2024, 8, 2))
    before = fact("sign", "hypothetical", document="clinic.txt", roles={"timing": "pending"},
                  note_date=dt.date(2024, 7, 10))
    assert _status(guideline, "ind.leaf", [letter, before]) is MET
    after = fact("sign", "hypothetical", document="clinic.txt", roles={"timing": "pending"},
                 note_date=dt.date(2024, 10, 1))
    assert _status(guideline, "ind.leaf", [letter, after]) is UNKNOWN


@pytest.mark.parametrize(("note_date", "expected"), [
    pytest.param(dt.date(2018, 4, 17), NOT_MET, id="a note years older than the denial speaks of then"),
    pytest.param(dt.date(2024, 11, 2), MET, id="a note months older: the affirmation stands"),
])
def test_engine_a_present_state_in_a_note_years_before_a_denial(note_date, expected):
    """Batch 89 (b89x-05, a false denial): a 2018 clinic note's "Depressed mood with passive SI"
    beside this year's "no suicidal thoughts since 2018 and none now"."""
    specs = [fact("old_sign", document="2018.txt", note_date=note_date),
             fact("old_sign", "negated", document="clinic.txt", note_date=dt.date(2025, 3, 4))]
    assert _status(sided_guideline(), "exc.old", specs) is expected


def test_engine_a_joined_run_cites_only_the_care_inside_the_window():
    """Audit 38 (b89m-02): "pregabalin 01/2022 - 04/2022" joins a run of dated care that reaches
    into the last year, but says nothing of that year; the members inside it are cited."""
    specs = [drug(**period("2023-01-01", "2024-03-01")), exercise(**period("2024-02-15", "2024-07-15")),
             drug(document="old.txt", **period("2022-01-01", "2023-02-01"))]
    result, chart = evaluate(COMBINED, specs)
    assert result.status is MET
    assert spans(result) == evidence_of(chart, 0, 1)


@pytest.mark.parametrize(("when", "status"), [
    pytest.param({"note_date": dt.date(2022, 8, 11)}, UNKNOWN, id="a 2022 letter's course says nothing of the year"),
    pytest.param({"note_date": dt.date(2024, 5, 2)}, MET, id="a note of the year"),
    pytest.param({"note_date": dt.date(2024, 5, 2), "observed_on": dt.date(2023, 8, 1)}, MET,
                 id="a mention's own date is its first: 'TFESI x2 (08/2023, 04/2024)'"),
    pytest.param({"note_date": dt.date(2024, 5, 2), "period_start": dt.date(2022, 1, 1),
                  "period_end": dt.date(2022, 6, 1)}, UNKNOWN, id="a course that ended before the window"),
    pytest.param({"note_date": dt.date(2024, 5, 2), "period_start": dt.date(2023, 6, 1),
                  "period_end": dt.date(2024, 1, 10)}, MET, id="a course that ran into the window"),
    pytest.param({}, MET, id="an undated mention cannot be placed, so it counts"),
    # Audit 44: "Tramadol | 2022 | ineffective" in a 2025 note is of 2022 ...
    pytest.param({"note_date": dt.date(2024, 5, 2), "latest_on": dt.date(2022, 6, 1)}, UNKNOWN,
                 id="the latest date a mention gives itself places it"),
    # ... and "TFESI x2 (08/2023, 04/2024)" of April 2024.
    pytest.param({"note_date": dt.date(2024, 9, 2), "observed_on": dt.date(2023, 8, 1),
                  "latest_on": dt.date(2024, 4, 1)}, MET, id="its latest date, not its first"),
])
def test_engine_a_presence_window_counts_the_care_of_the_window(when, status):
    """Batch 94 (b94x-03): the only home exercise program was a 2022 letter's; "within the last
    year" makes it undecided, not met, and not denied either."""
    result, _ = evaluate({"fact": "sign", "within_months": 12}, [fact("sign", **when)])
    assert result.status is status
    if status is UNKNOWN:
        assert not result.evidence and "only before the last 12 months" in result.reason


def test_engine_a_denial_before_the_window_decides_nothing_either():
    specs = [fact("sign", "negated", note_date=dt.date(2021, 2, 1)), fact("sign", note_date=dt.date(2024, 6, 1))]
    result, _ = evaluate({"fact": "sign", "within_months": 12}, specs)
    assert result.status is MET


@pytest.mark.parametrize(("check", "status"), [("negated", NOT_MET), ("affirmed", MET)])
def test_engine_the_charts_own_figures_compared_decide(check, status):
    """Batch 95 (b95q-04): a form's "recalled" and a note's "a recall on her pump model" against
    the pump's serial, outside the notice's range: the comparison decides, either way."""
    specs = [fact("sign", document="form.txt", source="summary"), fact("sign", document="note.txt"),
             fact("sign", "negated", document="notice.txt", quote="Pumps outside this range are not affected."),
             fact("sign", check, document="notice.txt", quote="Serial numbers: QX100 through QX200", source="check")]
    result, _ = evaluate({"fact": "sign"}, specs)
    assert result.status is status
    assert [e.text for e in result.evidence] == ["Serial numbers: QX100 through QX200"]


def test_engine_a_letters_claim_yields_to_a_record_that_only_hedges_it():
    """Batch 97 (b97m-05, b97t-06): a letter's "the pump has failed" and "imaging shows an abnormality"
    beside the study's "possible subtle abnormality" and a refill note's "ERI screen NOT reviewed":
    the record, which has not found it yet. A hedge about another part answers nothing."""
    spec = {"kind": "presence", "about": "a sign", "distinct_by": ["component"], "hedge_holds": True}
    guideline = one_leaf_guideline("hedged", facts={**FACTS, "sign": spec}, conflicts={"record_over_summary": True})
    letter = fact("sign", document="letter.txt", source="summary", roles={"component": "pump"})
    assert _status(guideline, "ind.leaf", [letter]) is MET
    hedge = fact("sign", "possible", document="xray.txt", roles={"component": "pump"})
    assert _status(guideline, "ind.leaf", [letter, hedge]) is UNKNOWN
    other_part = fact("sign", "negated", document="xray.txt", roles={"component": "catheter"})
    assert _status(guideline, "ind.leaf", [letter, other_part]) is MET
    # Only where the guideline says a hedge holds: a referral question's "possible spondylosis" is
    # no answer to a letter's diagnosis (b82p-05).
    loose = one_leaf_guideline("loose", facts={**FACTS, "sign": {**spec, "hedge_holds": False}},
                               conflicts={"record_over_summary": True})
    assert _status(loose, "ind.leaf", [letter, hedge]) is MET


def test_engine_a_forms_amount_yields_to_a_record_that_states_none():
    """Batch 97 (b97q-05): "Life expectancy of 3 months or more documented? [X] Yes" against the
    oncology note's "we did not get into prognosis": no amount the record states."""
    guideline = parse_guideline({
        "id": "amount", "version": "1", "title": "amount", "facts": FACTS, "conflicts": {"record_over_summary": True},
        "codes": {"T1": {"kind": "trial", "description": "a trial"}},
        "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [
            {"id": "ind.leaf", "logic": "leaf", "text": "the leaf", "test": {"fact": "score", "at_least": 50}}]},
        "exclusions": {"id": "exc", "logic": "any", "text": "none of", "children": [EXCLUSION]},
    }, "amount")
    form = fact("score", document="form.txt", source="summary", value=60.0, unit="percent")
    denial = fact("score", "negated", document="onc.txt")
    assert _status(guideline, "ind.leaf", [form]) is MET
    assert _status(guideline, "ind.leaf", [form, denial]) is not MET


@pytest.mark.parametrize(("pending_on", "expected"), [
    pytest.param(dt.date(2024, 10, 8), UNKNOWN, id="a later record has it still to come: the leaf waits"),
    pytest.param(dt.date(2024, 4, 1), MET, id="a booking before the clearance is history"),
    pytest.param(None, MET, id="an undated booking orders nothing"),
])
def test_engine_a_standing_reopened_by_a_later_pending_record(pending_on, expected):
    """Blind batch 98: "may proceed with the trial" in May, "clearance letter NOT yet issued;
    re-evaluation for permanent-implant clearance" in October: the later record has it pending.
    Only for facts the guideline marks `reopened_by_pending`."""
    facts = {**FACTS, "sign": {"kind": "presence", "about": "a sign", "reopened_by_pending": True}}
    guideline = one_leaf_guideline("reopened", facts=facts)
    given = fact("sign", document="eval.txt", note_date=dt.date(2024, 5, 13))
    pending = fact("sign", "hypothetical", document="cbt.txt", note_date=pending_on, roles={"timing": "pending"})
    assert _status(guideline, "ind.leaf", [given, pending]) is expected
    assert _status(one_leaf_guideline("plain"), "ind.leaf", [given, pending]) is MET, "not marked: the note stands"


@pytest.mark.parametrize(("denial_first", "expected"), [
    pytest.param(True, UNKNOWN, id="a reading's denial before the differential leaves it open"),
    pytest.param(False, NOT_MET, id="a denial after the suspicion answers it"),
])
def test_engine_within_a_note_only_a_later_denial_answers_a_suspicion(denial_first, expected):
    """Blind batches 95 and 98: "Pump status .... normal", "Motor stall events .... none" and then
    "Ddx: disease progression vs intermittent rotor stall vs catheter problem" in the same note:
    the clinician still suspects what the reading cannot show, so the leaf stays open."""
    guideline = suspicion_guideline()
    on = dt.date(2024, 7, 29)
    suspicion = fact("broken", "possible", document="note.txt", note_date=on, roles={"component": "pump"})
    denial = fact("broken", "negated", document="note.txt", note_date=on, roles={"component": "pump"})
    chart = Chart.of([denial, suspicion] if denial_first else [suspicion, denial])
    result = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE).node(
        guideline.node("ind.leaf"))
    assert result.status is expected


@pytest.mark.parametrize(("device", "expected"), [
    pytest.param("negated", MET, id="the newer model wished for, the pump read as working elsewhere: met"),
    pytest.param(None, NOT_MET, id="the device never read: not affirmed, not met"),
    pytest.param("affirmed", NOT_MET, id="a failing device: no upgrade of a working one"),
])
def test_a_wish_for_a_newer_model_and_a_working_pump_read_apart(device, expected):
    """Blind batch 99: the letter's "the newer 40 mL model would let ..." and the interrogation's
    "Pump functioning as programmed. No technical issues." are in different documents; together
    they are the non-indication (a functional device replaced for newer technology)."""
    from rules.guideline import load_guideline

    guideline = load_guideline()
    specs = [fact("upgrade_wish", document="letter.txt")]
    if device is not None:
        specs.append(fact("device_malfunction", device, document="interrogation.txt", roles={"component": "pump"}))
    chart = Chart.of(specs)
    leaf = "non_indication.functional_device_upgrade"
    result = Evaluator(guideline, FactBase.build(chart.facts, guideline), "replacement", SERVICE_DATE).node(
        guideline.node(leaf))
    assert result.status is expected


def test_engine_a_forms_course_length_yields_to_a_record_still_running_it():
    """Blind batch 109 (b109q-05): a form's "failed oral medication after a trial of at least 6
    weeks? YES" beside the clinic's "now 2 weeks in ... too soon to tell": the course is still to
    come, so the duration leaf waits, as a presence leaf does."""
    guideline = engine_guideline({"fact": "therapy", "weeks_at_least": 6}, conflicts={"record_over_summary": True})
    form = fact("therapy", document="form.txt", source="summary", value=6.0, unit="week")
    running = fact("therapy", "hypothetical", document="clinic.txt", roles={"timing": "pending"})
    assert _status(guideline, "ind.leaf", [form]) is MET
    assert _status(guideline, "ind.leaf", [form, running]) is UNKNOWN
    note = fact("therapy", document="note.txt", value=6.0, unit="week")
    assert _status(guideline, "ind.leaf", [note, running]) is MET, "a record's own course length stands"


@pytest.mark.parametrize(("read_on", "expected"), [
    pytest.param(dt.date(2024, 5, 21), NOT_MET, id="read after the alarm, before the letter: answered"),
    pytest.param(dt.date(2024, 5, 10), UNKNOWN, id="read before the alarm: still open"),
])
def test_engine_a_reading_after_the_event_answers_a_later_letters_suspicion(read_on, expected):
    """Blind batch 110 (b110t-04): a letter of 05/28 says "the pump alarmed on 05/19"; the 05/21
    interrogation read the pump after that alarm. The reading answers the event, whenever the
    letter telling it was written."""
    guideline = suspicion_guideline()
    suspicion = fact("broken", "possible", document="letter.txt", note_date=dt.date(2024, 5, 28),
                     observed_on=dt.date(2024, 5, 19), roles={"component": "pump"})
    denial = fact("broken", "negated", document="log.txt", note_date=read_on, roles={"component": "pump"})
    chart = Chart.of([suspicion, denial])
    result = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE).node(
        guideline.node("ind.leaf"))
    assert result.status is expected


def test_engine_a_booking_before_a_denial_in_the_same_file_reopens_nothing():
    """Blind batch 103 (b103p-04): one file holds the evaluation ("clearance DEFERRED until CBT is
    completed") and the follow-up after it ("she again declines CBT"): the later visit's denial
    stands; a plan earlier in the file is not still to come."""
    guideline = one_leaf_guideline("sincefile")
    first, second = dt.date(2025, 3, 14), dt.date(2025, 5, 20)
    earlier = fact("sign", "hypothetical", document="psych.txt", note_date=first, roles={"timing": "pending"})
    denial = fact("sign", "negated", document="psych.txt", note_date=second)
    assert _status(guideline, "ind.leaf", [earlier, denial]) is NOT_MET
    # Within one note a deferral stands beside its denial, before or after it: "Clearance:
    # DEFERRED until testing is interpreted. No clearance has been issued at this time."
    same = fact("sign", "hypothetical", document="psych.txt", note_date=second, roles={"timing": "pending"})
    assert _status(guideline, "ind.leaf", [same, denial]) is UNKNOWN


def test_engine_a_letters_amount_waits_for_a_record_still_to_take_it():
    """Blind batch 108 (b108x-06): a letter's "a reduction in her Ashworth scores of one to two
    points" beside the clinic's "PT to score MAS pre, 2h, 4h, 6h" for a bolus still booked."""
    guideline = engine_guideline({"fact": "score", "at_least": 1}, conflicts={"record_over_summary": True})
    letter = fact("score", document="letter.txt", source="summary", value=1.0, unit="percent")
    booked = fact("score", "hypothetical", document="clinic.txt", roles={"timing": "pending"})
    assert _status(guideline, "ind.leaf", [letter]) is MET
    assert _status(guideline, "ind.leaf", [letter, booked]) is UNKNOWN


def test_engine_one_complication_documented_stands_beside_another_found_absent():
    """Blind batch 112 (b112x-01): "a new right knee flexion contracture" in August beside a
    September pre-procedure screen's "Skin breakdown / open areas on back .... No": a fact the
    guideline marks `affirmation_wins` keeps its affirmation, whichever note is later."""
    facts = {**FACTS, "sign": {"kind": "presence", "about": "a sign", "conflicts": "affirmation_wins"}}
    guideline = one_leaf_guideline("affwins", facts=facts, conflicts={"later_note_wins": True})
    found = fact("sign", document="clinic.txt", note_date=dt.date(2024, 8, 27))
    absent = fact("sign", "negated", document="screen.txt", note_date=dt.date(2024, 9, 10))
    assert _status(guideline, "ind.leaf", [found, absent]) is MET
    plain = one_leaf_guideline("laterwins", conflicts={"later_note_wins": True})
    assert _status(plain, "ind.leaf", [found, absent]) is not MET


def _later_note_guideline() -> Guideline:
    return parse_guideline({
        "id": "later", "version": "1", "title": "Later note", "facts": FACTS,
        "conflicts": {"later_note_wins": True, "record_over_summary": True},
        "codes": {"T1": {"kind": "trial", "description": "a trial"}},
        "indications": {"id": "ind", "logic": "any", "text": "any of", "children": [
            {"id": "ind.leaf", "logic": "leaf", "text": "the leaf", "test": {"fact": "sign"}}]},
        "exclusions": {"id": "exc", "logic": "any", "text": "none of", "children": [EXCLUSION]},
    }, "later")


@pytest.mark.parametrize(("undated", "expected"), [
    pytest.param("affirmed", MET, id="an undated note on the later word's side does not stop it deciding"),
    pytest.param("negated", UNKNOWN, id="an undated denial may be the later word: a reviewer decides"),
])
def test_engine_later_note_wins_beside_undated_notes_of_its_side(undated, expected):
    """Batch 53 (b53p-01): January's "has never received psychotherapy", an August addendum's "she
    finished the CBT group", and an undated clinic note saying she finished it."""
    guideline = _later_note_guideline()
    chart = Chart.of([fact("sign", "negated", document="eval.txt", note_date=dt.date(2024, 1, 16)),
                      fact("sign", document="eval.txt", quote="addendum", note_date=dt.date(2024, 8, 12)),
                      fact("sign", undated, document="clinic.txt", quote="undated")])
    evaluator = Evaluator(guideline, FactBase.build(chart.facts, guideline), None, SERVICE_DATE)
    assert evaluator.node(guideline.node("ind.leaf")).status is expected


@pytest.mark.parametrize(("course", "expected"), [
    pytest.param([], UNKNOWN, id="nothing of the course: the decision is to come, with the course"),
    pytest.param([fact("therapy", "negated", document="cbt.txt")], NOT_MET,
                 id="the course left undone: the deferral stands"),
    pytest.param([fact("therapy", document="cbt.txt")], UNKNOWN, id="the course done: the decision is to come"),
    pytest.param([fact("therapy", "negated", document="cbt.txt"), fact("therapy", document="later.txt")], UNKNOWN,
                 id="left, then done: the decision is to come"),
])
def test_engine_a_deferral_until_a_course_stands_while_the_course_is_undone(course, expected):
    """Batch 118 (b118p-03, b118q-04): "Clearance is deferred ... I will re-evaluate when the CBT
    course is finished" against a record whose course is running or done. Only a course the record
    shows left undone makes the deferral a decision; otherwise both the course and the decision
    are still to come."""
    guideline = _later_note_guideline()
    chart = Chart.of([fact("sign", "negated", document="psych.txt", roles={"awaits": "therapy"}, decision=True),
                      *course])
    base = FactBase.build(chart.facts, guideline)
    evaluator = Evaluator(guideline, base, None, SERVICE_DATE)
    result = evaluator.node(guideline.node("ind.leaf"))
    assert result.status is expected
    if expected is UNKNOWN:
        assert any(f.roles.get("timing") == "pending" for f in base.set_aside["sign"])


@pytest.mark.parametrize(("request_type", "specs", "expected"), [
    # b124l-04: "Psychological clearance for the intrathecal TRIAL is given." and "Clearance for
    # PERMANENT implantation is deferred", on a permanent request: the trial's clearance is set aside.
    pytest.param("permanent", [fact("sign", roles={"stage": "trial"}),
                               fact("sign", "negated", roles={"stage": "permanent"}, decision=True)],
                 NOT_MET, id="the permanent step withheld"),
    pytest.param("permanent", [fact("sign", roles={"stage": "trial"}),
                               fact("sign", "hypothetical", roles={"stage": "permanent", "timing": "pending"})],
                 UNKNOWN, id="the permanent step still to come"),
    # ...while the same clearance stands on a trial request, and where no step is withheld.
    pytest.param("trial", [fact("sign", roles={"stage": "trial"}),
                           fact("sign", "hypothetical", roles={"stage": "permanent", "timing": "pending"})],
                 MET, id="a trial request"),
    pytest.param("permanent", [fact("sign", roles={"stage": "trial"})], MET, id="nothing withheld for the step"),
])
def test_engine_a_finding_for_the_other_step_is_set_aside(request_type, specs, expected):
    facts = {**FACTS, "sign": {"kind": "presence", "about": "a clearance", "stage_of_request": True}}
    guideline = one_leaf_guideline("stage", facts)
    chart = Chart.of(specs)
    base = FactBase.build(chart.facts, guideline)
    base.narrow_to_stage(guideline, request_type)
    result = Evaluator(guideline, base, request_type, SERVICE_DATE).node(guideline.node("ind.leaf"))
    assert result.status is expected, result.reason


@pytest.mark.parametrize(("other_agent", "expected"), [
    pytest.param("baclofen", UNKNOWN, id="another agent's length untold: the six weeks may have been reached"),
    pytest.param("tizanidine", NOT_MET, id="the same agent, told elsewhere without its length: the known length"),
])
def test_engine_an_untimed_agent_leaves_a_short_course_open(other_agent, expected):
    """Blind batch 132: tizanidine two weeks in, beside "Oral baclofen at 80 mg/day inadequate"."""
    specs = [fact("drug", **period("2024-09-17", "2024-10-01"), roles={"agent": "tizanidine"}),
             fact("drug", roles={"agent": other_agent})]
    result, _ = evaluate({"fact": "drug", "weeks_at_least": 6}, specs)
    assert result.status is expected


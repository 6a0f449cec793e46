"""rules.decide: whole decisions for the shipped guideline over hand-built fact sets.

Every decision made here also passes the shared contract checker, with a case directory whose
documents hold the text the hand-built evidence points into.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from chart_review.contract import Decision, Determination, ReviewRequest, Status
from rules.decide import decide, walk
from rules.guideline import Guideline
from rules.reconsider import Reconsidered, reconsider
from tests.charts import Chart, fact, period
from tests.conftest import CONTRACT_CHECK

MEETS = Determination.MEETS
NOT = Determination.DOES_NOT_MEET
INSUFFICIENT = Determination.INSUFFICIENT
OUTSIDE = Determination.OUTSIDE
SERVICE_DATE = "2024-10-01"

CANCER = [
    fact("malignancy", quote="Metastatic non-small cell lung cancer."),
    fact("metastatic_disease", quote="Osseous metastases at T9 and L2."),
    fact("life_expectancy", value=6, unit="months", quote="Expected survival 6 to 12 months."),
    fact("systemic_opioids_failed", quote="Oral oxycodone escalation limited by delirium."),
]
SPASTICITY = [
    fact("spasticity", quote="Severe lower-extremity spasticity after T6 SCI."),
    fact("oral_antispasmodic_failed", value=56.0, unit="day", quote="Oral baclofen for 8 weeks without control."),
    fact("painful_spasticity", quote="Painful spasms at night."),
]
CHRONIC = [
    fact("chronic_pain_etiology", quote="Failed back surgery syndrome."),
    fact("intractable_pain", quote="Severe intractable low back pain, 8/10."),
    fact("targeted_treatment_failed", quote="L4-S1 fusion failed to relieve the pain."),
    fact("adl_difficulty", value=240.0, unit="day", quote="Cannot dress or bathe alone for 8 months."),
    fact("conservative_care", **period("2024-01-02", "2024-09-01"), value=243.0, unit="day",
         quote="Conservative care January to September 2024."),
    fact("pharmacological_treatment", quote="Gabapentin and NSAIDs."),
    fact("physical_therapy", quote="Physical therapy twice weekly."),
    fact("home_exercise_program", quote="Daily home exercise program."),
    fact("pain_injections", quote="Epidural steroid injections x3."),
    fact("cbt_recommended", "negated", quote="Psychologist did not recommend CBT."),
    fact("systemic_opioids_failed", quote="Oral opioids failed."),
    fact("further_treatment_not_indicated", quote="No further surgery is indicated."),
    fact("psych_clearance", quote="Cleared by psychology for an intrathecal pump."),
]
TRIAL_70 = fact("trial_relief_percent", value=70, unit="percent", quote="Trial gave 70% relief.")
TRIAL_30 = fact("trial_relief_percent", value=30, unit="percent", quote="Trial gave 30% relief.")
PUMP = fact("device_in_place", quote="Implanted intrathecal pump in the left abdomen.")
PUMP_WORKING = [
    fact("device_malfunction", "negated", quote="Interrogation shows the pump functioning normally."),
    fact("battery_end_of_life", "negated", quote="Battery not near end of life."),
    fact("device_recalled", "negated", quote="No recall for this model."),
    fact("impending_failure_alert", "negated", quote="No pump alarms."),
]
TRIAL_CODES, PERMANENT_CODES, REPLACEMENT_CODES = ["62323"], ["62362", "E0783"], ["E0786"]
NON_INDICATIONS = [
    "spinal_stenosis_obstruction", "psychogenic_pain", "opioid_addiction", "replacement_for_convenience",
    "functional_device_upgrade", "heparin_or_antibiotic_infusion", "nonspecific_body_pain",
    "unstable_mental_disorder", "substance_use_disorder", "analgesic_allergy",
    "thecal_sac_tumor_encroachment", "insufficient_body_size",
]
OUTSIDE_CODES = ["62355", "62365", "62367", "62368", "62369", "62370", "95990", "95991"]


def without(specs: list[dict[str, Any]], *names: str) -> list[dict[str, Any]]:
    return [s for s in specs if s["name"] not in names]


def replaced(specs: list[dict[str, Any]], *new: dict[str, Any]) -> list[dict[str, Any]]:
    return without(specs, *(s["name"] for s in new)) + list(new)


def nodes(decision: Decision) -> dict[str, Any]:
    return {node.id: node for root in decision.criteria for node in walk(root)}


@pytest.fixture(scope="module")
def checker() -> ModuleType | None:
    """contract_check.py when the shared folder is there; the explicit test below skips without it."""
    if not CONTRACT_CHECK.is_file():
        return None
    import importlib.util

    spec = importlib.util.spec_from_file_location("contract_check", CONTRACT_CHECK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


Review = Callable[..., Decision]


@pytest.fixture
def review(guideline: Guideline, checker: ModuleType | None, tmp_path: Path) -> Review:
    """decide() over a chart built from fact specs; checks the contract on the way out."""
    counter = itertools.count()

    def run(codes: list[str], specs: list[dict[str, Any]] = (), today: dt.date | None = None,
            chart: Chart | None = None, **request: Any) -> Decision:
        request.setdefault("service_date", SERVICE_DATE)
        if request["service_date"] is None:
            del request["service_date"]
        chart = chart or Chart.of(list(specs))
        parsed = ReviewRequest.model_validate({"procedure_codes": codes, **request},
                                              context={"codes": guideline.codes})
        decision = decide(guideline, parsed, chart.facts, chart.refs(), today=today)
        if checker is not None:
            case = chart.write_case(tmp_path / f"case-{next(counter)}")
            assert checker.check(json.loads(decision.model_dump_json()), case) == []
        by_id = nodes(decision)
        # `missing` lists only unknown leaves, and only when information is insufficient.
        assert all(by_id[cid].logic == "leaf" and by_id[cid].status is Status.UNKNOWN
                   for cid in decision.missing)
        if decision.determination is not INSUFFICIENT:
            assert decision.missing == []
        return decision

    return run


# -- each pathway x each request type -------------------------------------------------------

ROWS = [
    # cancer pain
    ("cancer trial", TRIAL_CODES, None, CANCER, MEETS, []),
    ("cancer trial, prognosis 2 months", TRIAL_CODES, None,
     replaced(CANCER, fact("life_expectancy", value=2, unit="months")), NOT, []),
    ("cancer trial, opioids undocumented", TRIAL_CODES, None,
     without(CANCER, "systemic_opioids_failed"), INSUFFICIENT, ["cancer_pain.systemic_opioids_failed"]),
    ("cancer trial, metastases denied", TRIAL_CODES, None,
     replaced(CANCER, fact("metastatic_disease", "negated")), NOT, []),
    ("cancer permanent", PERMANENT_CODES, "permanent", [*CANCER, TRIAL_70], MEETS, []),
    ("cancer permanent, 30% relief", PERMANENT_CODES, "permanent", [*CANCER, TRIAL_30], NOT, []),
    ("cancer permanent, trial side effects", PERMANENT_CODES, "permanent",
     [*CANCER, TRIAL_70, fact("trial_side_effects")], NOT, []),
    ("cancer permanent, no trial note", PERMANENT_CODES, "permanent", CANCER, INSUFFICIENT,
     ["cancer_pain.permanent_after_trial"]),
    ("cancer replacement, recall", REPLACEMENT_CODES, None,
     [CANCER[0], PUMP, fact("device_recalled")], MEETS, []),
    ("cancer replacement, no reason", REPLACEMENT_CODES, None, [CANCER[0], PUMP], INSUFFICIENT,
     ["cancer_pain.replacement.not_functioning", "cancer_pain.replacement.recalled",
      "cancer_pain.replacement.impending_failure"]),
    ("cancer replacement, pump works", REPLACEMENT_CODES, None, [CANCER[0], PUMP, *PUMP_WORKING], NOT, []),
    # spasticity
    ("spasticity trial", ["62324"], None, SPASTICITY, MEETS, []),
    # Blind batch 24: "well controlled on oral baclofen" carried forward from a visit months back.
    ("spasticity trial, control said of the past only", ["62324"], None,
     [*SPASTICITY, fact("oral_antispasmodic_effective", "historical"),
      fact("noninvasive_methods_control", "historical")],
     MEETS, []),
    ("spasticity trial, control now", ["62324"], None,
     [*SPASTICITY, fact("oral_antispasmodic_effective")], NOT, []),
    ("spasticity trial, oral 3 weeks", ["62324"], None,
     replaced(SPASTICITY, fact("oral_antispasmodic_failed", value=21.0, unit="day")), INSUFFICIENT,
     ["spasticity.oral_medication_failed"]),
    ("spasticity trial, oral 3 weeks and tolerated", ["62324"], None,
     replaced(SPASTICITY, fact("oral_antispasmodic_failed", value=21.0, unit="day"),
              fact("oral_antispasmodic_not_tolerated", "negated")), NOT, []),
    ("spasticity permanent", PERMANENT_CODES, "permanent",
     [*SPASTICITY, fact("ashworth_drop", value=2, unit="points")], MEETS, []),
    ("spasticity permanent, Ashworth drop 0.5", PERMANENT_CODES, "permanent",
     [*SPASTICITY, fact("ashworth_drop", value=0.5, unit="points")], NOT, []),
    ("spasticity permanent, no Ashworth", PERMANENT_CODES, "permanent", SPASTICITY, INSUFFICIENT,
     ["spasticity.permanent_after_trial"]),
    ("spasticity replacement, battery", REPLACEMENT_CODES, None,
     [SPASTICITY[0], PUMP, fact("battery_end_of_life")], MEETS, []),
    ("spasticity replacement, malfunction without rationale", REPLACEMENT_CODES, None,
     [SPASTICITY[0], PUMP, fact("device_malfunction")], INSUFFICIENT,
     ["spasticity.replacement.not_functioning", "spasticity.replacement.recalled",
      "spasticity.replacement.impending_failure"]),
    ("spasticity replacement, malfunction with interrogation", REPLACEMENT_CODES, None,
     [SPASTICITY[0], PUMP, fact("device_malfunction"), fact("malfunction_documented")], MEETS, []),
    # chronic non-malignant pain
    ("chronic trial", ["62327"], None, CHRONIC, MEETS, []),
    ("chronic trial, conservative care in 2022", ["62327"], None,
     replaced(CHRONIC, fact("conservative_care", **period("2022-01-01", "2022-10-01")),
              fact("physical_therapy", **period("2022-01-01", "2022-10-01")),
              fact("pharmacological_treatment", **period("2022-01-01", "2022-10-01"))), NOT, []),
    ("chronic trial, no psychological clearance", ["62327"], None,
     without(CHRONIC, "psych_clearance"), INSUFFICIENT, ["chronic_pain.psych_clearance"]),
    ("chronic trial, CBT recommended not done", ["62327"], None,
     replaced(CHRONIC, fact("cbt_recommended"), fact("cbt", "negated")), NOT, []),
    ("chronic permanent", ["62362"], None, [*CHRONIC, TRIAL_70], MEETS, []),
    ("chronic permanent, 30% relief", ["62362"], None, [*CHRONIC, TRIAL_30], NOT, []),
    ("chronic replacement, upgrade required", ["E0785"], None,
     [CHRONIC[0], PUMP, fact("upgrade_required")], MEETS, []),
    # the chronic-pain list has an upgrade where the others have a recall
    ("chronic replacement, recall only", ["E0785"], None,
     [CHRONIC[0], PUMP, fact("device_recalled")], INSUFFICIENT,
     ["chronic_pain.replacement.not_functioning", "chronic_pain.replacement.upgrade_required",
      "chronic_pain.replacement.impending_failure"]),
]


@pytest.mark.parametrize(("codes", "request_type", "specs", "determination", "missing"),
                         [pytest.param(*row[1:], id=row[0]) for row in ROWS])
def test_decide_pathway_and_request_type(review, codes, request_type, specs, determination, missing):
    decision = review(codes, specs, request_type=request_type)
    assert decision.determination is determination
    assert decision.missing == missing


@pytest.mark.parametrize("row", ROWS, ids=[row[0] for row in ROWS])
def test_decide_names_the_pathway(review, row):
    name, codes, request_type, specs, _, _ = row
    decision = review(codes, specs, request_type=request_type)
    pathway = {"cancer": "cancer_pain", "spasticity": "spasticity", "chronic": "chronic_pain"}
    assert decision.pathway == pathway[name.split()[0]]


def test_decide_covers_every_pathway_and_request_type():
    # The table above holds a meets row and a failing row for each pathway x request type.
    seen = {(row[0].split()[0], row[0].split()[1].rstrip(","), row[4] is MEETS) for row in ROWS}
    for pathway, kind, meets in itertools.product(
            ["cancer", "spasticity", "chronic"], ["trial", "permanent", "replacement"], [True, False]):
        assert (pathway, kind, meets) in seen


@pytest.mark.parametrize(("codes", "request_type", "specs", "determination"), [
    pytest.param(TRIAL_CODES, "trial", CANCER, MEETS, id="trial"),
    pytest.param(PERMANENT_CODES, "permanent", [*CANCER, TRIAL_70], MEETS, id="permanent"),
    pytest.param(REPLACEMENT_CODES, "replacement", [CANCER[0], PUMP, fact("device_recalled")], MEETS,
                 id="replacement"),
])
def test_decide_meets_summary_names_the_pathway(review, codes, request_type, specs, determination):
    decision = review(codes, specs, request_type=request_type)
    assert decision.request_type == request_type
    assert "meets criteria on the cancer pain pathway" in decision.summary
    assert decision.findings == []


def test_decide_insufficient_summary_lists_the_missing_documentation(review, guideline):
    decision = review(TRIAL_CODES, without(CANCER, "systemic_opioids_failed", "life_expectancy"))
    assert decision.missing == ["cancer_pain.life_expectancy_3_months", "cancer_pain.systemic_opioids_failed"]
    for cid in decision.missing:
        assert guideline.node(cid).needs in decision.summary
        assert nodes(decision)[cid].needs == guideline.node(cid).needs


def test_decide_nothing_documented(review):
    decision = review(TRIAL_CODES, [])
    assert decision.determination is INSUFFICIENT
    assert decision.pathway is None
    assert decision.missing  # every pathway is open, so something is missing


# -- non-indications -------------------------------------------------------------------------


# Both speak of replacing a device: they apply to a replacement request only.
REPLACING = {"replacement_for_convenience", "functional_device_upgrade"}


@pytest.mark.parametrize("name", NON_INDICATIONS)
def test_decide_non_indication_present_does_not_meet(review, name):
    codes = REPLACEMENT_CODES if name in REPLACING else TRIAL_CODES
    decision = review(codes, [*CANCER, fact("device_in_place"), fact(name, quote=f"Chart documents {name}.")])
    assert decision.determination is NOT
    leaf = nodes(decision)[f"non_indication.{name}"]
    assert leaf.status is Status.MET
    assert f"Chart documents {name}." in [ev.text for ev in leaf.evidence]
    assert "non-indication present" in decision.summary
    if name not in REPLACING:
        # the indication itself is still met: the exclusion alone decides
        assert nodes(decision)["indication"].status is Status.MET


@pytest.mark.parametrize("name", sorted(REPLACING))
def test_decide_replacement_exclusions_do_not_apply_to_a_first_implant(review, name):
    decision = review(TRIAL_CODES, [*CANCER, fact(name, quote=f"Chart documents {name}.")])
    assert nodes(decision)[f"non_indication.{name}"].status is Status.NOT_MET


def test_decide_non_indications_are_the_guideline_s(guideline):
    assert [c.id for c in guideline.exclusions.children] == [f"non_indication.{n}" for n in NON_INDICATIONS]


@pytest.mark.parametrize("assertion", ["negated", "possible", "hypothetical", "family"])
def test_decide_non_indication_not_affirmed_does_not_exclude(review, assertion):
    decision = review(TRIAL_CODES, [*CANCER, fact("substance_use_disorder", assertion)])
    assert decision.determination is MEETS
    assert nodes(decision)["non_indication.substance_use_disorder"].status is Status.NOT_MET


def test_decide_historical_non_indication_counts(review):
    # The guideline does not mark any non-indication historical: ignored, so history counts.
    decision = review(TRIAL_CODES, [*CANCER, fact("opioid_addiction", "historical")])
    assert decision.determination is NOT


# -- outside the guideline -------------------------------------------------------------------


@pytest.mark.parametrize("code", OUTSIDE_CODES)
def test_decide_outside_codes(review, guideline, code):
    decision = review([code], CANCER)
    assert decision.determination is OUTSIDE
    assert (decision.request_type, decision.pathway, decision.criteria, decision.missing) == (None, None, [], [])
    assert decision.findings == [f"outside the criteria: {code}: {guideline.codes[code].reason}"]


def test_decide_outside_codes_together(review):
    decision = review(["95990", "62367"], [])
    assert decision.determination is OUTSIDE
    assert len(decision.findings) == 2


def test_decide_outside_code_beside_a_reviewed_one(review):
    decision = review(["62323", "95990"], CANCER)
    assert decision.determination is MEETS
    assert decision.request_type == "trial"
    assert decision.findings == [
        "95990 is outside the criteria (refill and maintenance of the pump) and was not reviewed"]


# -- findings --------------------------------------------------------------------------------


@pytest.mark.parametrize(("units", "findings"), [
    (1, []),
    (2, ["units requested: 2, guideline allows 1"]),
    (5, ["units requested: 5, guideline allows 1"]),
])
def test_decide_units_finding(review, units, findings):
    decision = review(TRIAL_CODES, CANCER, units=units)
    assert decision.findings == findings
    assert decision.determination is MEETS  # a finding, not a denial


@pytest.mark.parametrize(("codes", "given", "specs", "derived"), [
    pytest.param(["E0786"], "permanent", [CANCER[0], PUMP], "replacement", id="E0786 as permanent"),
    pytest.param(["E0785"], "trial", [CANCER[0], PUMP], "replacement", id="E0785 as trial"),
    pytest.param(["62323"], "permanent", CANCER, "trial", id="62323 as permanent"),
    pytest.param(["62362"], "trial", CANCER, "permanent", id="62362 as trial"),
    pytest.param(["62362"], "permanent", [*CANCER, PUMP], "replacement", id="62362 with a pump as permanent"),
])
def test_decide_request_type_disagreeing_with_codes(review, codes, given, specs, derived):
    decision = review(codes, specs, request_type=given)
    assert decision.request_type == given  # reviewed as given ...
    assert decision.findings == [  # ... and the decision says so
        f"request type given as {given}, but the codes and chart indicate {derived}; reviewed as {given}"]


@pytest.mark.parametrize(("codes", "given", "specs"), [
    (["62323"], "trial", CANCER),
    (["62362"], "permanent", CANCER),
    (["62362"], "replacement", [*CANCER, PUMP]),
    (["E0786"], "replacement", [CANCER[0]]),
])
def test_decide_request_type_agreeing_with_codes(review, codes, given, specs):
    assert review(codes, specs, request_type=given).findings == []


def test_decide_contradiction_across_notes(review):
    chart = Chart.of(CANCER)
    chart.add("systemic_opioids_failed", "negated", document="pharmacy.txt",
              quote="Opioids well tolerated and effective.")
    decision = review(TRIAL_CODES, chart=chart)
    assert decision.findings == [
        "contradiction across notes: oral, transdermal or subcutaneous opioids failed or not tolerated "
        "is affirmed in note.txt and denied in pharmacy.txt"]
    assert [c.criterion for c in decision.conflicts] == ["cancer_pain.systemic_opioids_failed"]


# -- request type derived from the codes and chart ------------------------------------------


@pytest.mark.parametrize(("codes", "specs", "expected"), [
    (["E0785"], [], "replacement"),
    (["E0786"], [], "replacement"),
    (["E0786", "62362"], [], "replacement"),
    (["62362"], [PUMP], "replacement"),
    (["62362", "E0783"], [PUMP], "replacement"),
    (["62362"], [], "permanent"),
    (["62362"], [fact("device_in_place", "negated")], "permanent"),
    (["62362"], [fact("device_in_place", "possible")], "permanent"),
    (["62362"], [fact("device_in_place", "hypothetical")], "permanent"),
    (["62362"], [fact("device_in_place", "historical")], "replacement"),
    (["E0783"], [], "permanent"),
    (["62350"], [], "permanent"),
    (["62323"], [], "trial"),
    (["62324"], [], "trial"),
    (["62325"], [], "trial"),
    (["62326"], [], "trial"),
    (["62327"], [], "trial"),
    (["62323"], [PUMP], "trial"),
    (["62323", "62362"], [], "permanent"),
    (["62327", "95990"], [], "trial"),
])
def test_decide_request_type_derived(review, codes, specs, expected):
    decision = review(codes, specs)
    assert decision.request_type == expected
    assert not any("request type" in f for f in decision.findings)


# -- decisions and the request ---------------------------------------------------------------


@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2024, 10, 1), MEETS),
    (dt.date(2026, 1, 1), NOT),  # the same conservative care is now outside the last year
])
def test_decide_windows_default_to_today(review, today, expected):
    dated = replaced(CHRONIC, *(fact(name, **period("2024-01-02", "2024-09-01")) for name in
                                ("conservative_care", "physical_therapy", "pharmacological_treatment")))
    decision = review(["62327"], dated, today=today, service_date=None)
    assert decision.determination is expected


def test_decide_service_date_beats_today(review):
    decision = review(["62327"], CHRONIC, today=dt.date(2026, 1, 1), service_date=SERVICE_DATE)
    assert decision.determination is MEETS


def test_decide_reports_guideline_and_documents(review):
    chart = Chart.of(CANCER)
    decision = review(TRIAL_CODES, chart=chart)
    assert (decision.guideline.id, decision.guideline.version) == ("intrathecal-pain-pumps", "2")
    assert decision.documents == chart.refs()
    assert [root.id for root in decision.criteria] == ["indication", "non_indication"]


def test_decide_passes_the_contract_checker(review, contract_check):
    # Explicit, so a missing shared folder shows as a skip rather than silently unchecked.
    chart = Chart.of([*CANCER, TRIAL_30])
    decision = review(PERMANENT_CODES, chart=chart)
    assert decision.determination is NOT


def test_decide_contract_checker_catches_bad_offsets(review, contract_check, tmp_path):
    # Negative control for the check every decision here passes: shift the chart's text by
    # one character and the same decision's evidence no longer matches.
    chart = Chart.of(CANCER)
    decision = review(TRIAL_CODES, chart=chart)
    shifted = Chart(texts={name: " " + text for name, text in chart.texts.items()})
    problems = contract_check.check(json.loads(decision.model_dump_json()), shifted.write_case(tmp_path / "x"))
    assert problems and all("evidence text" in p for p in problems)


def test_decide_summary_keeps_procedure_codes_as_given(review):
    decision = review(PERMANENT_CODES, [*CANCER, TRIAL_70])
    assert "(62362, E0783)" in decision.summary


# Issue 10, class 5: affirmed in one document and denied in another never resolves to met.
def _cancer_with(name: str, denied_in: str, **dates: Any) -> list[dict[str, Any]]:
    specs = [dict(s) for s in CANCER if s["name"] != name]
    specs.append(fact(name, document="oncology.txt", note_date=dates.get("affirmed")))
    specs.append(fact(name, "negated", document=denied_in, note_date=dates.get("denied")))
    return specs


@pytest.mark.parametrize("name, criterion", [
    ("metastatic_disease", "cancer_pain.metastatic_lesion"),
    ("systemic_opioids_failed", "cancer_pain.systemic_opioids_failed"),
])
def test_decide_conflict_leaves_the_leaf_unknown_and_blocks_approval(review, name, criterion):
    decision = review(["62327"], _cancer_with(name, "letter.txt"))
    leaf = next(n for root in decision.criteria for n in walk(root) if n.id == criterion)
    assert leaf.status is Status.UNKNOWN
    assert [c.criterion for c in decision.conflicts] == [criterion]
    assert decision.conflicts[0].affirmed and decision.conflicts[0].denied
    assert decision.determination is not Determination.MEETS
    assert decision.disposition is not None and decision.disposition.value != "approve"


def test_decide_conflict_resolved_by_the_later_note_is_said_aloud(review):
    specs = _cancer_with("metastatic_disease", "old_note.txt",
                         affirmed=dt.date(2025, 3, 1), denied=dt.date(2024, 6, 1))
    decision = review(["62327"], specs)
    assert decision.conflicts == []
    assert any(f.startswith("resolved by date:") for f in decision.findings)
    assert decision.determination is Determination.MEETS


def test_decide_disposition_never_denies(review):
    allowed = {Determination.MEETS: {"approve", "pend_clinical_review"},
               Determination.DOES_NOT_MEET: {"pend_clinical_review"},
               Determination.INSUFFICIENT: {"pend_information", "pend_clinical_review"},
               Determination.OUTSIDE: {"outside_guideline"}}
    for codes, specs in ((["62327"], CANCER), (["62327"], CANCER[:1]),
                         (["62327"], CANCER + [fact("opioid_addiction")]), (["95990"], [])):
        decision = review(codes, specs)
        assert decision.disposition is not None
        assert decision.disposition.value in allowed[decision.determination]


@pytest.mark.parametrize(("infused", "allergy", "status"), [
    pytest.param("hydromorphone", "morphine", Status.NOT_MET, id="allergic to another drug than the infusate"),
    pytest.param("morphine", "morphine", Status.MET, id="allergic to the infusate"),
    pytest.param(None, "morphine", Status.MET, id="infusate not named: the allergy stands"),
])
def test_decide_allergy_is_to_the_analgesic_to_be_infused(review, infused, allergy, status):
    """Blind batches 3-6: a morphine allergy does not exclude a hydromorphone (or baclofen) pump."""
    specs = [*CANCER, fact("analgesic_allergy", value=allergy, quote=f"Allergy: {allergy} (hives).")]
    if infused:
        specs.append(fact("infused_analgesic", value=infused, quote=f"Trial agent: intrathecal {infused}."))
    decision = review(TRIAL_CODES, specs)
    assert nodes(decision)["non_indication.analgesic_allergy"].status is status
    if status is Status.NOT_MET:
        assert any(allergy in finding and infused in finding for finding in decision.findings)


def test_decide_missing_documentation_says_what_and_from_whom(review):
    """Issue 11: each missing criterion reads as a request a provider's office can act on."""
    decision = review(["62327"], CANCER[:1])
    assert decision.determination is Determination.INSUFFICIENT
    items = {item.criterion: item for item in decision.missing_documentation}
    assert set(items) == set(decision.missing)
    for item in items.values():
        assert item.request_from and item.documentation
        assert item.sentence == f"{item.documentation}, from {item.request_from}."
    assert all(reason.startswith("documentation missing: ") and "." in reason
               for reason in decision.disposition_reasons)
    assert not any(cid in " ".join(decision.disposition_reasons) for cid in items)


def test_guideline_every_needs_names_whom_to_ask(guideline):
    nodes = [n for root in (guideline.indications, guideline.exclusions) for n in root.walk()]
    needing = [node for node in nodes if node.needs]
    assert needing
    assert [node.id for node in needing if not node.needs_from] == []


# -- a reviewer's overrides recomputed under the same logic ---------------------------------

def reconsidered(decision: Decision, overrides: dict[str, Status]) -> Reconsidered:
    indication, exclusion = decision.criteria
    return reconsider(indication, exclusion, overrides)


@pytest.mark.parametrize("row", ROWS, ids=[row[0] for row in ROWS])
def test_reconsider_without_overrides_is_the_engine_s_determination(review, row):
    _, codes, request_type, specs, _, _ = row
    decision = review(codes, specs, request_type=request_type)
    again = reconsidered(decision, {})
    assert again.determination is decision.determination
    assert again.changed == ()


def test_reconsider_a_leaf_met_carries_up_to_the_determination(review):
    decision = review(TRIAL_CODES, replaced(CANCER, fact("life_expectancy", value=2, unit="months")))
    assert decision.determination is NOT
    failing = [node.id for node in walk(decision.criteria[0])
               if node.logic == "leaf" and node.status is Status.NOT_MET]
    again = reconsidered(decision, dict.fromkeys(failing, Status.MET))
    assert again.determination is MEETS
    moved = {cid for cid, before, after in again.changed}
    assert set(failing) <= moved
    assert decision.criteria[0].id in moved, "the root is recomputed, not only the leaf"
    assert all(before is not after for _, before, after in again.changed)


def test_reconsider_a_non_indication_present_decides_against(review):
    decision = review(TRIAL_CODES, CANCER)
    assert decision.determination is MEETS
    leaf = next(node.id for node in walk(decision.criteria[1]) if node.logic == "leaf")
    assert reconsidered(decision, {leaf: Status.MET}).determination is NOT


def test_reconsider_unknown_leaf_makes_an_all_unknown(review):
    decision = review(TRIAL_CODES, CANCER)
    leaf = next(node.id for node in walk(decision.criteria[0])
                if node.logic == "leaf" and node.status is Status.MET)
    assert reconsidered(decision, {leaf: Status.UNKNOWN}).determination is INSUFFICIENT


def test_reconsider_an_overridden_group_keeps_her_status_over_its_children(review):
    decision = review(TRIAL_CODES, [])
    assert decision.determination is INSUFFICIENT
    pathway = next(node for node in decision.criteria[0].children if node.logic != "leaf")
    again = reconsidered(decision, {pathway.id: Status.MET})
    assert again.determination is MEETS
    assert (pathway.id, pathway.status, Status.MET) in again.changed


def test_reconsider_an_override_to_the_same_status_changes_nothing(review):
    decision = review(TRIAL_CODES, CANCER)
    leaf = next(node for node in walk(decision.criteria[0]) if node.logic == "leaf")
    assert reconsidered(decision, {leaf.id: leaf.status}).changed == ()


def test_a_catheter_outside_a_recall_does_not_deny_the_pumps_recall(review):
    """Blind batch 37: "the catheter is not affected by the recall" speaks of another part; the
    pump's serial inside the recall's range still decides the replacement."""
    specs = [*CANCER, PUMP,
             fact("device_recalled", quote="The pump's serial is within the recall's affected range.",
                  roles={"component": "pump"}),
             fact("device_recalled", "negated", quote="The catheter is not affected by the recall.",
                  roles={"component": "catheter"}, document="surgeon_note.txt")]
    decision = review(REPLACEMENT_CODES, specs)
    recalled = nodes(decision)["cancer_pain.replacement.recalled"]
    assert recalled.status is Status.MET
    assert [e.text for e in recalled.evidence] == ["The pump's serial is within the recall's affected range."]


def test_a_metastasis_denied_at_one_site_does_not_deny_another(review):
    """Blind batch 39: "no osseous metastatic disease" on a spine MRI beside liver metastases."""
    specs = [fact("malignancy", quote="Pancreatic adenocarcinoma."),
             fact("metastatic_disease", quote="Multiple hepatic metastases.", roles={"site": "liver"}),
             fact("metastatic_disease", "negated", quote="No osseous metastatic disease.", roles={"site": "bone"},
                  document="mri.txt"),
             *CANCER[2:]]
    lesion = nodes(review(TRIAL_CODES, specs))["cancer_pain.metastatic_lesion"]
    assert lesion.status is Status.MET
    assert [e.text for e in lesion.evidence] == ["Multiple hepatic metastases."]


def test_a_baclofen_trials_tone_drop_is_no_pain_relief(review):
    """Blind batch 79: "her modified Ashworth score ... fell from 4 to 2" read as 50% relief on a
    pain pathway. A relief attributed to spasticity is no pain trial's result."""
    tone = fact("trial_relief_percent", value=50, unit="percent", quote="Ashworth fell from 4 to 2.",
                roles={"route": "intrathecal", "purpose": "spasticity"})
    decision = review(PERMANENT_CODES, [*CHRONIC, tone])
    assert nodes(decision)["chronic_pain.permanent_after_trial"].status is not Status.MET
    assert review(PERMANENT_CODES, [*CHRONIC, TRIAL_70]).determination is MEETS

"""Classes of error session 36 found on blind batches 134 and 135 (each scored at first sight before
it was fixed against, then fixed by class) and evidence audit 57; each row fails on the code before
its change, except those marked as guards."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.facts import Assertion
from extractors.layout import Reading, value_reading
from rules.engine import Evaluator, FactBase
from rules.guideline import load_guideline
from tests.extractors.rows import COLUMNS, FAM, A, N, P

BATCH134_ROWS = [
    # A clearance letter still needed is clearance to come, not given (b134q-05, a false approval).
    ("PAIN CLINIC 06/05/2025\nPLAN: Two, pre-implant psychological evaluation with Dr Lund is under way; we need "
     "her final clearance letter before the trial date.\n", "psych_clearance", None, None),
    # ...and so is a procedure to be booked after it (b134t-06, a false approval).
    ("PAIN CLINIC 05/08/2025\nPlan: submit auth for single-shot IT trial now; schedule after psych clearance "
     "letter.\n", "psych_clearance", None, None),
    # A notice's failure mode, with the serials it affects, is no finding about this pump (b134m-02).
    ("PUMP INTERROGATION 08/05/2025\n  SERIAL ........ NGA231877H\n  Advisory MN-2024-FA-017 (IT-40 motor stall) "
     "affects serials NGA200000-NGA215999\n", "device_malfunction", None, None),
    # What a booked study is to confirm or exclude is not found yet; "disconnect before deciding pump"
    # names no disconnected pump (b134m-02).
    ("PAIN CLINIC 08/13/2025\n- Catheter access port contrast study scheduled 08/26/2025 to\n  confirm/exclude "
     "catheter fracture or disconnect before deciding pump vs catheter\n  revision.\n", "device_malfunction", None,
     None),
    # A film's "possible discontinuity of the catheter" is a suspected failure (b134m-02).
    ("XR CATHETER SURVEY 08/07/2025\nIMPRESSION:\n1. Possible discontinuity of the intrathecal catheter at the L3-L4 "
     "connector.\n", "device_malfunction", None, P),
    # The side effect an instruction is conditioned on is no side effect had (b134t-05, a false approval).
    ("SPASTICITY CLINIC 04/08/2025\nPlan:\n- Baclofen up to 15 TID from today; call if drowsy.\n",
     "oral_antispasmodic_not_tolerated", None, None),
    # An allergy entry the chart has reclassified as an intolerance is no allergy (b134m-03, a false denial).
    ("MED RECONCILIATION 02/27/2025\nALLERGIES / INTOLERANCES\n Baclofen ........... listed as \"allergy\" by outside "
     "hospital (03/2023 admit);\n                      reaction = somnolence/weakness -> RECLASSIFIED 02/27/25 as\n"
     "                      INTOLERANCE (dose-related side effect).\n", "analgesic_allergy", None, None),
    # "only partly effective" is not control (b134t-02, a false denial).
    ("PHYSIATRY 02/20/2025\nThree orals tried -- baclofen only partly effective and dose-capped by SEs; tizanidine "
     "not tolerated.\n", "oral_antispasmodic_effective", None, None),
    # A form's answer, a wide gap, then what supports it (b134d-03).
    ("IDDS WORKSHEET 05/01/2025\nSCREEN / EXCLUSIONS  (Y/N)\n  Spinal stenosis w/ intraspinal obstruction ...... N   "
     "MRI 01/2025: solid fusion L4-S1,\n                                                   no central canal stenosis\n",
     "spinal_stenosis_obstruction", None, None),
]


@pytest.mark.parametrize(COLUMNS, BATCH134_ROWS)
def test_pipeline_batch134_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_an_alarm_a_refill_ends_is_no_notice_of_failure(facts_for) -> None:
    """"Alarm appropriate, resolved with refill" is the reservoir's alarm, neither a present nor a past
    notice of failure (b134l-06, a false approval: it was read as a past notice)."""
    facts = [f for f in facts_for("PUMP CLINIC 05/30/2025\nA/P:\n1. Pump beeping at home 5/28. Alarm appropriate, "
                                  "resolved with refill. Not a device fault.\n") if f.name == "impending_failure_alert"]
    assert not any(f.assertion in (Assertion.AFFIRMED, Assertion.HISTORICAL) for f in facts)


# (The second and third rows are guards: read so before the change too.)
@pytest.mark.parametrize(("value", "reading"), [
    ("N   MRI 01/2024: solid fusion L4-S1,", Reading.NO),
    ("Y   06/2023 morphine 0.2 mg, 60% relief", Reading.YES),
    ("No - see note", Reading.NO),
])
def test_an_answer_then_a_wide_gap_reads_as_the_answer(value: str, reading: Reading) -> None:
    assert value_reading(value) is reading


def test_a_reclassified_allergy_is_denied(facts_for) -> None:
    """The correction itself is read as a denial, so a nurse sees why the entry does not count."""
    facts = [f for f in facts_for("MED RECONCILIATION 02/27/2025\nALLERGIES\n Baclofen ...... listed as allergy by "
                                  "an outside hospital -> reclassified 02/27/25 as intolerance (sedation).\n")
             if f.name == "analgesic_allergy"]
    assert any(f.assertion is Assertion.NEGATED for f in facts)
    assert not any(f.assertion is Assertion.AFFIRMED for f in facts)


BATCH135_ROWS = [
    # A flowsheet's time, then a therapist, is no Ashworth drop of 1600 points; "MAS NOT scored" is a
    # score not taken (b135d-06, a false approval).
    ("ITB TEST DOSE FLOWSHEET 05/21/2025\nTime   HR   RR  SpO2  BP       UMSS  Comments\n1600   --   --  --    --"
     "       --    PT unavailable this afternoon - post-dose MAS NOT scored\n", "ashworth_drop", None, None),
    # Sedation given for the procedure, on a header line of fields, is no side effect of the trial (b135d-06;
    # audit 57 cited it twice).
    ("INTRATHECAL BACLOFEN (ITB) TEST DOSE - FLOWSHEET\nDate: 05/21/2025   Proceduralist: E. Lund, MD (Peds Rehab)"
     "   Sedation: N2O + IN midazolam\nTest dose: baclofen 50 mcg IT via LP L4-5\n", "trial_side_effects", None,
     None),
    # "not adequate" is not "adequate" (b135l-04, a false approval).
    ("NEUROSURGERY 07/01/2025\nHowever, at 11.8 kg with almost no subcutaneous tissue, her body size is not "
     "adequate to support even the smallest available pump at this time.\n", "insufficient_body_size", None, A),
    # A lesion the reader calls indeterminate is a suspicion (b135m-06, a false approval).
    ("ONC PROBLEM LIST 10/09/2025\nRestaging CT 09/30: 2 new subcm liver lesions, indeterminate. MRI liver "
     "ordered.\n", "metastatic_disease", None, P),
    # The course a referral asks for, at the head of the record of how it went, is not done (b135p-02,
    # a false approval).
    ("OUTPATIENT THERAPY - CLOSING SUMMARY\nService requested: CBT-CP, 8-12 sessions (ref. H. Benning PhD, "
     "04/16/2025)\nTreatment sessions attended after intake: 0\n", "cbt", None, None),
    # A label's own aside is no teller: the husband's disorder is his (b135t-03).
    ("ONCOLOGY 07/10/2025\nSocial: lives with husband.\nHusband (not pt): in recovery from alcohol use disorder, "
     "sober 20 yrs.\n", "substance_use_disorder", None, FAM),
    # ...while a mother's "he" is the child she tells of (a guard beside it, read wrongly before too).
    ("SPASTICITY CLINIC 07/10/2025\nMom: he cries with his spasms during diaper changes.\n", "painful_spasticity",
     None, A),
    # A condition weighed and set aside (b135l-06).
    ("PAIN CLINIC 04/25/2025\n- Rheum eval 2024: widespread pain/fibromyalgia considered and NOT felt present; ANA "
     "neg.\n", "nonspecific_body_pain", None, N),
    # A reading's "Battery status .... OK" denies the battery's end (b135q-03).
    ("PUMP INTERROGATION 04/30/2025\nBATTERY / SERVICE LIFE\nBattery status ........... OK\n",
     "battery_end_of_life", None, N),
    # Wishes for fewer trips, in letters (b135m-04, b135p-06).
    ("LETTER 11/25/2025\nHer current pump is working as intended.\nAt her dose she drives two hours for refills "
     "every five weeks.\nA newer 40 mL model would let us stretch refills to every 10-12 weeks.\n",
     "replacement_for_convenience", None, A),
    ("LETTER 11/25/2025\nThe pump works. The newer model's 40 mL reservoir would cut her trips to about four a "
     "year.\n", "replacement_for_convenience", None, A),
]


@pytest.mark.parametrize(COLUMNS, BATCH135_ROWS)
def test_pipeline_batch135_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_a_method_judged_unfit_denies_nothing(facts_for) -> None:
    """"asked whether PT can score MAS from phone video -> not valid" denies no Ashworth drop (b135d-06)."""
    facts = facts_for("ITB TEST DOSE 05/21/2025\nNOTE: asked whether outpatient PT can score MAS from phone video "
                      "-> not valid (MAS is hands-on).\n")
    assert not [f for f in facts if f.name == "ashworth_drop" and f.assertion is Assertion.NEGATED]


def test_a_drug_named_by_mouth_before_the_pump_is_oral(facts_for) -> None:
    """"Oral meds before ITB (2014-2017): baclofen PO ... little effect": an oral course, not an
    intrathecal one (b135q-06, a false denial)."""
    facts = facts_for("COMPLEX CARE 05/06/2025\nOral meds before ITB (2014-2017): baclofen PO up to 10 mg TID x ~2 "
                      "yrs with\nlittle effect on tone and daytime sleepiness.\n")
    failed = [f for f in facts if f.name == "oral_antispasmodic_failed" and f.assertion is Assertion.AFFIRMED]
    assert failed and failed[0].roles.get("route") == "oral"


def test_a_bone_denial_leaves_a_liver_suspicion_open(facts_for) -> None:
    """A CT's "No osseous metastatic disease" beside "hepatic hypodensities, indeterminate", under a
    letter's "metastatic": the metastasis is suspected, not documented (b135m-06, a false approval)."""
    guideline = load_guideline()
    text = ("CT ABDOMEN 09/30/2025\nIMPRESSION: 2 new subcm liver lesions, indeterminate.\n"
            "No osseous metastatic disease.\n")
    letter = "LETTER 10/17/2025\nShe has metastatic pancreatic adenocarcinoma with severe pain.\n"
    facts = facts_for(text) + [f.model_copy(update={"source": "summary"}) for f in facts_for(letter)
                               if f.name == "metastatic_disease"]
    evaluator = Evaluator(guideline, FactBase.build(facts, guideline), None, dt.date(2025, 11, 1))
    result = evaluator.node(guideline.node("cancer_pain.metastatic_lesion"))
    assert result.status.value == "unknown"


def test_no_alarm_on_interrogation_denies_no_study_of_a_failure(facts_for) -> None:
    """"No ERI or critical alarm on interrogation", under a printout whose "Motor stall log .... none"
    gave the failure cue, denies alarms, not a study of a failure the record still suspects (b135t-05)."""
    facts = facts_for("ITB CLINIC 10/08/2025\nREFILL / INTERROGATION\n Expected residual ......... 6.8 mL\n Actual "
                      "residual ........... 6.6 mL\n Alarms since last visit ... none logged\n Motor stall log "
                      "........... none\nNo ERI or critical alarm on interrogation.\n")
    assert not [f for f in facts if f.name == "malfunction_documented" and f.assertion is Assertion.NEGATED]


BATCH136_ROWS = [
    # A requirement a form states is no prognosis (b136t-05, a false approval).
    ("PAIN CLINIC 03/03/2025\nPA form asks for documented life expectancy >=3 mo -> not in our notes;\n     msg sent "
     "to Dr. Lund (GU onc) 03/03 to document.\n", "life_expectancy", None, None),
    # Needing a relative's help with ADLs is the difficulty (b136p-01, a false denial).
    ("PAIN CLINIC 09/05/2025\nADLs: needs husband's help w/ bathing and LB dressing since late 2023, worse since "
     "spring.\n", "adl_difficulty", None, A),
    # What nothing suggests is denied (b136p-01, a false denial; audit 58 found it contradicting).
    ("PSYCHOLOGY 06/18/2025\nIMPRESSIONS\n- Chronic pain with moderate interference. Nothing in the interview or the "
     "testing suggests that\n  her pain is psychologically generated or that a somatic symptom disorder is present.\n",
     "psychogenic_pain", None, N),
    # A count of none is no failure (b136d-04; audit 58 found it contradicting).
    ("PUMP CLINIC 10/29/2025\nInterrogation - see printout: battery OK, ERI not\n   reached (projected 03/2029), 0 "
     "motor stall events, volume variance -2.3%.\n", "device_malfunction", None, None),
    # A replacement asked for before the pump fails is one of a working pump (b136l-04).
    ("LETTER 03/04/2025\nA newer generation pump is now available that is smaller and holds a larger volume. "
     "Replacing the pump now, rather than waiting for it to fail, would let her benefit from the improved "
     "technology.\n", "functional_device_upgrade", None, A),
    # The anaesthetist named on a procedure note's staff line is no side effect (audit 58).
    ("ITB SCREENING TEST 09/17/2025\nPerforming: I. Lund MD (PM&R); sedation: R. Ambrose MD (anesthesia)\nBaclofen "
     "50 mcg intrathecal bolus.\n", "trial_side_effects", None, None),
]


@pytest.mark.parametrize(COLUMNS, BATCH136_ROWS)
def test_pipeline_batch136_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize("name", ["battery_end_of_life", "impending_failure_alert", "malfunction_documented"])
def test_the_original_pumps_end_is_not_this_ones(facts_for, name: str) -> None:
    """"Her original pump was replaced in 06/2018 when it reached end of battery life (elective
    replacement indicator on interrogation at that time)": the earlier device's, neither present nor
    past of this one (b136p-06, a false approval: it was read as a past notice; the third name is a
    guard, read so before too)."""
    facts = [f for f in facts_for("NEUROSURGERY 10/03/2025\nHer original pump was replaced in 06/2018 when it reached "
                                  "end of battery life\n(elective replacement indicator on interrogation at that "
                                  "time).\n") if f.name == name]
    assert not any(f.assertion in (Assertion.AFFIRMED, Assertion.HISTORICAL) for f in facts)


def test_a_rise_written_as_a_range_is_no_change() -> None:
    """"3 to 4 hamstrings" in one exam is a range, not a rise of one point (b136l-06)."""
    from extractors.values import ashworth_drop

    assert ashworth_drop("Modified Ashworth 3 hip adductors bilaterally, 3 to 4 hamstrings, 3 gastroc-soleus.") is None
    parsed = ashworth_drop("MAS 3 to 1+ at 4 h")
    assert parsed is not None and parsed.value == 1.5


def test_the_spine_is_a_metastatic_site(facts_for) -> None:
    """"No spinal metastatic disease" denies the spine's, not the liver's (b136m-05)."""
    facts = [f for f in facts_for("MRI T/L SPINE 05/08/2025\nIMPRESSION: No spinal metastatic disease or epidural "
                                  "tumor; thecal sac patent.\n") if f.name == "metastatic_disease"]
    assert facts and all(f.roles.get("site") == "bone" for f in facts if f.assertion is Assertion.NEGATED)


BATCH137_ROWS = [
    # A typed form's two blanks, neither marked, answer nothing (b137q-03, a false approval).
    ("PAYER QUESTIONNAIRE 06/01/2025\nQ6  Life expectancy 3 months or greater documented?\n"
     "                                           ___ Yes   ___ No\n    Comments: awaiting onc to document - pending\n",
     "life_expectancy", None, None),
    # A reading that only may mean a failure documents none (b137l-06, a false approval).
    ("ITB DEVICE CLINIC 06/04/2025\nCAP: Unable to aspirate CSF (attempted 2 mL) - could indicate\n  catheter "
     "occlusion/disconnection vs. technique.\n", "malfunction_documented", None, None),
    # A referral the patient turned down is no course had (b137l-03, a false approval).
    ("PAIN CLINIC 07/09/2025\n- Referred back to PT 10/2024 - pt DECLINED, states \"PT only made it worse last "
     "time\".\n", "physical_therapy", None, None),
    # A dated entry is an item of its own: the line above's "not indicated" does not reach it (b137m-02,
    # a false denial).
    ("PAIN CLINIC RECONCILIATION 08/27/2025\n2025-03-18  L3-4 medial branch blocks x2 -> neg (<50%), RFA not "
     "indicated\n2025-05-02  Pre-IDDS psychological evaluation (K. Lund, PsyD) - CLEARED; CBT recommended\n",
     "psych_clearance", None, A),
]


@pytest.mark.parametrize(COLUMNS, BATCH137_ROWS)
def test_pipeline_batch137_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(("line", "reading"), [
    ("    ___ Yes   ___ No", Reading.NOT_APPLICABLE),
    ("    _X_ Yes   ___ No", Reading.YES),
    ("    ___ Yes   _X_ No", Reading.NO),
    ("[ ] Yes [X] No", Reading.NO),  # a guard: read so before
])
def test_a_typed_forms_blanks_are_its_boxes(line: str, reading: Reading) -> None:
    """Blanks before the options are boxes, not leader dots, and a box is ticked by its mark (b137q-03)."""
    from extractors.layout import _answer, vocabulary

    assert _answer(line, vocabulary())[0] is reading


BATCH138_ROWS = [
    # An alarm's setting is no alarm (b138d-06, a false approval).
    ("REFILL / INTERROGATION 10/08/2025\nALARM CLOCKS SET        : low reservoir 2 mL; ERI (default)\n",
     "impending_failure_alert", None, None),
    # A notice's risk for some units is no indicator of this pump (b138d-06).
    ("[FAX PAGE 1 of 3]  11/04/2025  09:41  TO: Pain Center\n\nCORVANE NEURO - PRODUCT ADVISORY  PA-2025-07\nDevice: "
     "IT-40 programmable pump\nIssue: Some units may show premature battery depletion, with the ERI\n       alarm "
     "possibly occurring later than specified.\n", "impending_failure_alert", None, None),
]


@pytest.mark.parametrize(COLUMNS, BATCH138_ROWS)
def test_pipeline_batch138_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_a_drop_denied_is_none_stated() -> None:
    """"unchanged in every muscle group ...; no group improved by one grade" is no one-point drop
    (b138t-02, a false approval)."""
    from extractors.values import ashworth_drop

    parsed = ashworth_drop("Modified Ashworth unchanged in every muscle group tested at every time point; no group "
                           "improved\n by one grade.")
    assert parsed is not None and parsed.value == 0.0
    kept = ashworth_drop("MAS decreased by 2 points at the hips; UE unchanged")  # a guard: read so before
    assert kept is not None and kept.value == 2.0


@pytest.mark.parametrize("text", [
    "SPASTICITY CLINIC 05/01/2025\nNo contractures; full passive ROM despite increased tone.\n",
    "SPASTICITY CLINIC 05/01/2025\nSkin: sacrum/heels intact, no pressure areas. Spasticity severe.\n",
])
def test_an_exam_without_harm_denies_no_risk(facts_for, text: str) -> None:
    """An exam's "no contractures" or "no pressure areas" is no denial of the complication risk
    (b135x-06, b135q-06; audit 57)."""
    facts = [f for f in facts_for(text) if f.name == "spasticity_complication_risk"]
    assert not any(f.assertion is Assertion.NEGATED for f in facts)

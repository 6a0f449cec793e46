"""Blind batch 95's misses and batch 94's remaining classes (session 27), in wordings of our own.

Rows follow the layout tests' columns: a text, the fact, its value, and the assertion wanted
(None: no affirmed fact at all).
"""

from __future__ import annotations

import pytest

from extractors.layout import Kind, read_layout
from tests.extractors.rows import COLUMNS, A, N

BATCH95_CLASSES = [
    # A circled option typed as brackets round one of the pair answers the line (b94q-05).
    ("PRE-AUTH FORM 03/02/2025\nSCREEN (circle)\n  Psychogenic pain ................. Y  (N)\n",
     "psychogenic_pain", None, N),
    ("PRE-AUTH FORM 03/02/2025\nSCREEN (circle)\n  Psychogenic pain ................. (Y) / N\n",
     "psychogenic_pain", None, A),
    # A relative who helps with self-care, and "has not done her own ..." are limits (b94p-01).
    ("PAIN NOTE 06/10/2025\nS: chronic CRPS pain. Spouse helps w/ bathing; she has not done her own shopping "
     "since early 2023.\n", "adl_difficulty", None, A),
    # The sound of an alarm is not its kind: a lay report stays possible until the pump is read (b95p-06).
    ("HOME HEALTH NOTE 05/14/2025\n- 05/02: the pump gave a two-tone alarm while we were there; the family "
     "did not know what it meant. Device clinic to be called.\n", "impending_failure_alert", None, None),
    # Another treatment's side effects named with them are not the trial's (b95q-01).
    ("ONCOLOGY NOTE 04/08/2025\nIntrathecal bolus trial last week with the pain team went well.\n"
     "Radiation side effects: esophagitis, fatigue; nausea managed.\n", "trial_side_effects", None, None),
    # A bracket's finding, then the list goes on: the therapy after it is not denied (b95q-02).
    ("PT DISCHARGE 02/20/2025\nInterventions: lumbar stabilization, McKenzie protocol (no centralization), "
     "aquatic therapy x6, manual therapy, gait training.\n", "physical_therapy", None, A),
    # CBT for a mood disorder years back is not the pain CBT an evaluation asks for (b16p-02, exposed
    # when the window made its pathway decidable).
    ("PAIN PSYCHOLOGY EVALUATION 03/01/2025\nPast treatment: she saw a counselor for CBT for postpartum "
     "depression in 2017 and found it useful.\n", "cbt", None, None),
    # A to-do after a label is still to be checked (b95t-06).
    ("IT TRIAL NOTE 05/14/2025\nTrial positive. Next: confirm psych clearance is on file, then book the implant.\n",
     "psych_clearance", None, None),
    # A memory's recall is no device's (b95p-02).
    ("REHAB PSYCHOLOGY 04/30/2025\nCognition: good recall of the pump teaching from the ITB nurse; attention "
     "intact.\n", "device_recalled", None, None),
    # A field's "not yet addressed" is still to come (b95d-06).
    ("CANDIDACY SHEET 05/06/2025\nCBT ................................ not yet addressed (awaiting eval)\n",
     "cbt", None, None),
    # A denial in each visit's column of a flowsheet row (b95d-05).
    ("CLINIC FLOWSHEET\nITEM                 01/10/2025           02/14/2025\n"
     "PHQ-9                4                    3\nSI/HI                denies               denies\n",
     "unstable_mental_disorder", None, N),
]


@pytest.mark.parametrize(COLUMNS, BATCH95_CLASSES)
def test_pipeline_batch95_classes(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_pipeline_another_list_items_length_is_not_the_drugs(facts_for):
    """b95m-05: "tone uncontrolled despite oral baclofen 80 mg/day, daily stretching, AFOs and a
    6-week PT block" gave the baclofen six weeks; "an 8-week trial of baclofen" keeps its own."""
    text = ("PM&R NOTE 03/03/2025\nTone remains high despite tizanidine 4 mg TID, nightly stretching and a "
            "4-week aquatic therapy block.\n")
    found = [f for f in facts_for(text) if f.name == "oral_antispasmodic_failed"]
    assert found and all(f.value is None for f in found)
    text = "PM&R NOTE 03/03/2025\nHe failed an 8-week trial of oral tizanidine, and stretching.\n"
    assert any(f.value == 56.0 for f in facts_for(text) if f.name == "oral_antispasmodic_failed")


def test_pipeline_a_leader_key_under_a_wrapped_value_starts_its_own_sentence(facts_for):
    """b95d-06: the field above's wrapped "..., not sustained" denied the next field's failed
    stimulator trial."""
    text = ("DATA SHEET 05/06/2025\nTARGETED TREATMENT\n  Radiofrequency ablation ...... 03/12/24, 05/20/24 --\n"
            "                                brief relief each, not lasting at all for her\n"
            "  SCS trial ..................... 02/2024 -- about 20% relief, not implanted\n")
    cited = [f for f in facts_for(text) if f.name == "targeted_treatment_failed" and "SCS" in f.evidence[0].text]
    assert cited and all(f.assertion is A for f in cited)


def test_pipeline_further_surgery_is_not_the_operations_done(facts_for):
    """b95x-05: "I do not think any further surgery would help her" denied the failed treatment."""
    text = ("ORTHOPAEDIC LETTER 04/18/2025\nI do not believe any further surgery would help him and it may make "
            "things worse, so I have no further operation to offer.\n")
    assert not [f for f in facts_for(text) if f.name == "targeted_treatment_failed" and f.assertion is N]


AUDIT43_ROWS = [
    # A capitals title after a printout's rule is a heading, never a recall (audit 43, heading cited).
    ("DEVICE CLINIC 06/02/2025\nALARM LOG\n05/11/2025 09:00   LOW BATTERY (ERI)   CRITICAL   active\n"
     "01/22/2025 14:30   LOW RESERVOIR       --         cleared at refill\n"
     "----------------------------------------------------------\nADVISORY / RECALL CHECK\n"
     "Advisories on file for this serial ... NONE\n", "device_recalled", None, None),
    # A battery near its end of life is the ERI's warning, not the end (audit 43, b95d-01).
    ("DEVICE CLINIC 06/02/2025\nIDDS at ERI -> battery close to end of life; pump infusing as programmed.\n",
     "battery_end_of_life", None, None),
    # A plan's order is no course had (audit 43, planned, not done).
    ("PAIN NOTE 06/02/2025\nPlan:\n- schedule lumbar medial branch blocks\n- f/u 6 weeks\n", "pain_injections",
     None, None),
    # A side effect named as a diagnosis is no course and no failure (audit 43, outcome missing).
    ("PROBLEM LIST 06/02/2025\nK59.03   Opioid-induced constipation\nG89.4    Chronic pain syndrome\n",
     "systemic_opioids_failed", None, None),
    ("PROBLEM LIST 06/02/2025\nK59.03   Opioid-induced constipation\nG89.4    Chronic pain syndrome\n",
     "pharmacological_treatment", None, None),
    # A headache after the trial settled with a drug is not a pain medication tried (audit 43).
    ("IT TRIAL NOTE 06/02/2025\nAdverse effects: brief post-procedure headache (resolved w/ ibuprofen).\n",
     "pharmacological_treatment", None, None),
    # A hip migration below the surgical threshold reassures (audit 43, reassuring finding cited).
    ("PM&R NOTE 06/02/2025\nSpastic diplegia; hip migration 15% bilaterally, below the surgical threshold.\n",
     "spasticity_complication_risk", None, None),
    # A psychologist's plan to see the patient again for clearance is no clearance (audit 43, wrong time).
    ("PSYCHOLOGY REPORT 01/10/2025\nRECOMMENDATIONS\n1. CBT for pain, eight sessions.\n"
     "2. Re-see after the CBT course for clearance.\n", "psych_clearance", None, None),
]


@pytest.mark.parametrize(COLUMNS, AUDIT43_ROWS)
def test_pipeline_audit43_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(("text", "fact"), [
    # Not catching which alarm it was leaves its kind open (audit 43, affirmation read as denial).
    ("NEURO NOTE 05/20/2025\nHis wife heard the pump beep twice; she did not hear whether it was the steady "
     "alarm or the two-tone one.\n", "impending_failure_alert"),
    # "respiratory depression" wrapped over a line is still no mood disorder (audit 43, term in another sense).
    ("ITB BOLUS NOTE 04/16/2025\nObserved for six hours after the bolus with hourly checks. No respiratory\n"
     "depression, no excess sedation.\n", "unstable_mental_disorder"),
    # A denial still to be checked is none (audit 43, question without answer).
    ("DEVICE CLINIC 06/02/2025\nWill ask the manufacturer to verify no advisory covers his serial.\n",
     "device_recalled"),
])
def test_pipeline_audit43_no_denial(facts_for, text, fact):
    assert not [f for f in facts_for(text) if f.name == fact and f.assertion is N]


def test_pipeline_off_a_drug_since_a_date_is_no_stretch_of_it(facts_for):
    """Audit 43: "Off PO opioids since 2017" was read as eight years of pain medication."""
    found = [f for f in facts_for("PAIN NOTE 06/02/2025\nOff oral opioids since 2019.\n")
             if f.name == "pharmacological_treatment"]
    assert found and all(f.value is None for f in found)


def test_layout_a_log_row_before_a_rule_is_a_row_and_the_title_after_it_a_heading():
    """Audit 43: a log's last row over the rule ending its block was read as a heading, and the
    capitals title after the rule as prose."""
    text = ("ALARM LOG\n05/11/2025 09:00   LOW BATTERY (ERI)   CRITICAL   active\n"
            "01/22/2025 14:30   LOW RESERVOIR       --         cleared at refill\n"
            "----------------------------------------------------------\nADVISORY / RECALL CHECK\n"
            "Advisories on file for this serial ... NONE\n")
    kinds = [line.kind for line in read_layout(text).lines]
    assert kinds[2] is Kind.TABLE_ROW and kinds[4] is Kind.HEADING


def test_pipeline_a_study_ordered_is_to_come_and_what_a_reading_cannot_see_is_not_denied(facts_for):
    """b95t-05: "contrast study -- ordered" was read as a documented rationale, and "software
    cannot detect a mechanical rotor stall" as a stall denied."""
    text = ("DEVICE CLINIC 09/10/2025\nReservoir discrepancy again. Pump under-delivery suspected.\n"
            "  1. Dye study through the side port -- ordered.\n")
    assert not [f for f in facts_for(text) if f.name == "malfunction_documented" and f.assertion is A
                and "Dye study" in f.evidence[0].text]
    text = "DEVICE CLINIC 09/10/2025\nTelemetry cannot detect a stalled rotor, so a rotor study is planned.\n"
    assert not [f for f in facts_for(text) if f.name == "device_malfunction" and f.assertion is N]


def test_pipeline_a_devices_own_log_and_a_free_flow_deny_no_study(facts_for):
    """b94l-06: "Event log contains no alarms, no motor stall flags" is what the pump noticed (a
    log's word, which a study outweighs), and "free flow of CSF" is no "pain free" denial of the
    rotor study before it."""
    text = ("ROTOR STUDY 03/20/2025\nThe event log contains no alarms and no motor stall flags.\n"
            "Impression: the rotor fails to advance after two boluses; non-functioning pump.\n")
    denied = [f for f in facts_for(text) if f.name == "device_malfunction" and f.assertion is N]
    assert denied and all(f.source == "log" for f in denied)
    text = ("PUMP LETTER 03/26/2025\nA fluoroscopic rotor study showed that the rotor did not turn, and a dye study "
            "through the side port showed a patent catheter and free flow of CSF.\n")
    assert not [f for f in facts_for(text) if f.name == "malfunction_documented" and f.assertion is N]


def test_pipeline_a_saturation_floor_is_no_relief_denied(facts_for):
    """Audit 44: "No apnoea, no desaturation below 97%, ..." after a test dose was read as the
    trial's relief denied (96%), against the trial."""
    text = ("ITB TEST DOSE 04/02/2025\nBolus given by LP. No apnoea, no desaturation below 96%, no vomiting, no "
            "excessive somnolence.\n")
    assert not [f for f in facts_for(text) if f.name == "trial_relief_percent"]


def test_pipeline_a_mention_carries_the_latest_date_it_gives(facts_for):
    """Audit 44: care listed with its years ("Tramadol | 2022 | ineffective") was cited as the care of
    the last year; the mention now carries its latest date, which the engine's window reads."""
    text = "PAIN NOTE 05/02/2025\nPrior: TFESI x2 (08/2023, 04/2024), relief under two weeks each.\n"
    found = [f for f in facts_for(text) if f.name == "pain_injections"]
    assert found and all(f.latest_on is not None and f.latest_on.isoformat().startswith("2024-04") for f in found)
    text = "PAIN NOTE 05/02/2025\nGabapentin since 2019, no benefit.\n"
    assert all(f.latest_on is None for f in facts_for(text) if f.name == "pharmacological_treatment")

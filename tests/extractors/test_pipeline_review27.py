"""Regressions a helper's review of session 27's change found (about 150 sentences of its own run
through the code before and after), each mended; the rows hold the right reading."""

from __future__ import annotations

import pytest

from tests.extractors.rows import COLUMNS, A, N

REVIEW27_ROWS = [
    # "does show" is an emphatic finding, not what a reading cannot see (R1).
    ("MRI THORACIC SPINE 05/15/2025\nThe MRI does show epidural tumor encroaching on the thecal sac at T10.\n",
     "thecal_sac_tumor_encroachment", None, A),
    # ... and "does not show" the standard negative (R6).
    ("MRI THORACIC SPINE 05/15/2025\nThe MRI does not show tumor encroachment of the thecal sac.\n",
     "thecal_sac_tumor_encroachment", None, N),
    # A bracket inside a denial list does not end the denial (R2) ...
    ("PSYCHOLOGY 05/15/2025\nNo history of psychiatric illness (depression, anxiety), substance abuse, or suicidal "
     "ideation.\n", "substance_use_disorder", None, None),
    ("SOCIAL HISTORY 05/15/2025\nDenies illicit drugs (never), alcohol abuse, or opioid misuse.\n",
     "opioid_addiction", None, None),
    # ... nor a plan's reach (R3).
    ("PAIN NOTE 05/15/2025\nPlan: will consider medial branch block (L4-5), repeat PT, and home exercise "
     "program.\n", "home_exercise_program", None, None),
    ("PAIN NOTE 05/15/2025\nHas not tried CBT (not offered), TENS, or aquatic therapy.\n", "physical_therapy",
     None, None),
    # "off work since" is the limit's own length (R8).
    ("PAIN NOTE 05/15/2025\nUnable to lift or do housework; off work since March 2023 because of the pain.\n",
     "adl_difficulty", None, A),
    # Not being able to say which was worse leaves the failure standing (R9).
    ("PAIN NOTE 05/15/2025\nPatient cannot say which was worse, but oxycodone caused severe sedation and was "
     "stopped.\n", "systemic_opioids_failed", None, A),
    # A drug schedule is no order to schedule (R10).
    ("PAIN NOTE 05/15/2025\nSchedule II opioids (oxycodone, hydromorphone) failed due to sedation and "
     "constipation.\n", "systemic_opioids_failed", None, A),
    # An order's "- scheduled" reaches back to its own item only (R11).
    ("PAIN NOTE 05/15/2025\nPsych eval completed 11/2024, cleared; CBT - scheduled\n", "psych_clearance", None, A),
    # CBT for depression tied to the pain is pain CBT (R12).
    ("PAIN NOTE 05/15/2025\nCompleted 10 sessions of CBT for depression related to her chronic pain, as "
     "recommended on psychological evaluation.\n", "cbt", None, A),
    # A reason stopped is a failure, not a diagnosis line (R13).
    ("MED REC 05/15/2025\nHydrocodone stopped because of side effect - opioid-induced constipation\n",
     "systemic_opioids_failed", None, A),
    # Another therapy's side effects beside the trial's own do not hide them (R14).
    ("IT TRIAL NOTE 05/15/2025\nTrial day 2: significant nausea and vomiting with sedation; radiation side effects "
     "include mucositis.\n", "trial_side_effects", None, A),
    # A check whose result the sentence gives is a denial after all (R16).
    ("LAB NOTE 05/15/2025\nUDS sent to confirm no illicit substance use; result negative.\n",
     "substance_use_disorder", None, N),
    # Surgery done is targeted treatment, "additional" or not (R15).
    ("SPINE NOTE 05/15/2025\nShe underwent additional surgery in 2021 without improvement in pain.\n",
     "targeted_treatment_failed", None, A),
]


@pytest.mark.parametrize(COLUMNS, REVIEW27_ROWS)
def test_pipeline_review27_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_pipeline_review27_the_drugs_own_length_and_a_log_clause(facts_for):
    """R7: ", an 8-week trial," is the drug's own length; R5: only the log's own clause is the log's."""
    text = "PM&R NOTE 05/15/2025\nTone uncontrolled despite oral baclofen 20 mg QID, an 8-week trial, with clonus.\n"
    assert any(f.value == 56.0 for f in facts_for(text) if f.name == "oral_antispasmodic_failed")
    text = "DEVICE CLINIC 12/20/2024\nAlarm log has no entries; rotor study confirms normal rotation, no motor stall.\n"
    denied = [f for f in facts_for(text) if f.name == "device_malfunction" and f.assertion is N]
    assert denied and any(f.source == "record" for f in denied)


def test_pipeline_a_reading_not_taken_is_no_reading(facts_for):
    """Batch 97 (b97t-06): "full telemetry / ERI screen NOT reviewed" was read as the ERI reached."""
    text = ("ITB REFILL 09/26/2025\nProgrammer used ..... handheld refill unit only; full telemetry / ERI screen NOT "
            "reviewed\n")
    assert not [f for f in facts_for(text) if f.name == "impending_failure_alert" and f.assertion is A]


def test_pipeline_a_lookbehind_holds_across_a_line_wrap(facts_for):
    """Batch 97 (b97l-03): "... so we" / "would like to replace the pump on an elective basis" was
    read as the patient's wish (the clinician's "we" sat at the end of the line above)."""
    text = ("LETTER 07/10/2025\nAn abrupt interruption of intrathecal baclofen is dangerous, so we\n"
            "would like to replace the pump on an elective basis in August rather than wait for it to stop.\n")
    assert not [f for f in facts_for(text) if f.name == "replacement_for_convenience" and f.assertion is A]

"""Blind batch 95's misses and batch 94's remaining classes (session 27), in wordings of our own.

Rows follow the layout tests' columns: a text, the fact, its value, and the assertion wanted
(None: no affirmed fact at all).
"""

from __future__ import annotations

import pytest

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

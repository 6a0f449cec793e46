"""Blind batch 92's misses and evidence audit 41's classes (session 26), in wordings of our own.

Rows follow the layout tests' columns: a text, the fact, its value, and the assertion wanted
(None: no affirmed fact at all).
"""

from __future__ import annotations

import pytest

from extractors.layout import Kind, Reading, read_layout, value_reading
from tests.extractors.rows import COLUMNS, A

BATCH92_CLASSES = [
    # A lab's or a tumour marker's percentage is no pain relief (b92q-02).
    ("INTRATHECAL TRIAL 03/02/2025\nMorphine 0.2 mg intrathecal; pain 8 -> 5. PSA dropped 55% since the last "
     "cycle.\n", "trial_relief_percent", 55.0, None),
    # One episode of something beside a serious effect in its sentence is no minimal side effect
    # (b92q-02).
    ("INTRATHECAL TRIAL 03/02/2025\nMorphine 0.2 mg intrathecal. Course marked by pruritus and a single episode of "
     "hypotension needing fluids and naloxone.\n", "trial_side_effects", None, A),
    ("INTRATHECAL TRIAL 03/02/2025\nMorphine 0.2 mg intrathecal. A single episode of nausea at two hours, settled "
     "with ondansetron.\n", "trial_side_effects", None, None),
    # A drowsiness the patient accepts is tolerated (b92m-05).
    ("SPASTICITY CLINIC 03/03/2025\n- Pt: tizanidine 4 TID x ~5 wk now, tone unchanged, drowsy in the evenings but "
     "ok with it.\n", "oral_antispasmodic_not_tolerated", None, None),
    # A patient's wish the note says is not why the pump is replaced (b92m-03).
    ("ITB CLINIC 10/30/2024\nBattery at ERI. She wondered about a bigger reservoir so refills could be spaced "
     "out; that is not why we are replacing the pump.\n", "replacement_for_convenience", None, None),
    # Hallucinations beside myoclonus, or after rotation and escalation, are an opioid's (b92p-05).
    ("PALLIATIVE CARE 03/31/2025\nThrough rotation and escalation her pain stays at 9/10, and new myoclonus and "
     "visual hallucinations have appeared.\n", "unstable_mental_disorder", None, None),
    # A study's entry criterion is no prognosis of this patient (b92x-04).
    ("ONCOLOGY NOTE 04/25/2025\nA phase II study is an option; its entry criteria include a life expectancy of at "
     "least 12 weeks.\n", "life_expectancy", None, None),
    # Oxygen saturations told in words, an improvement in words after its noun (b92l-02).
    ("TRIAL DICTATION 08/13/2024\nIntrathecal morphine trial. She reported marked relief of her leg pain. Her "
     "saturations ran between ninety four and ninety seven percent throughout.\n", "trial_relief_percent", 97.0, None),
    ("TRIAL DICTATION 08/13/2024\nIntrathecal morphine trial. Asked directly, he rated the relief at about one "
     "quarter.\n", "trial_relief_percent", 25.0, A),
    # A template's fields all left unfilled say nothing (b92m-05).
    ("MED REC 02/24/2025\nDantrolene .............. dose *** | start *** | stop *** | reason stopped ***\n",
     "oral_antispasmodic_failed", None, None),
]


@pytest.mark.parametrize(COLUMNS, BATCH92_CLASSES)
def test_pipeline_batch92_classes(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


AUDIT41_ROWS = [
    # Oral baclofen kept as a bridge against a pump's failure is no trial of it.
    ("ITB CLINIC 10/30/2024\nSpasms controlled on ITB.\n- Reviewed withdrawal signs (itch, fever, rebound spasticity, "
     "confusion) with his wife; oral baclofen 10 mg TID kept on hand as a bridge.\n", "oral_antispasmodic_failed",
     None, None),
    ("ITB CLINIC 10/30/2024\nSpasms controlled on ITB.\n- Reviewed withdrawal signs (itch, fever, rebound spasticity, "
     "confusion) with his wife; oral baclofen 10 mg TID kept on hand as a bridge.\n",
     "oral_antispasmodic_not_tolerated", None, None),
    # Wariness of a drug is no course of it.
    ("PAIN CLINIC 11/02/2024\nHis sister died of an overdose, and he has always been wary of opioids.\n",
     "pharmacological_treatment", None, None),
    # A tone score's drop said far from its number is still tone.
    ("TRIAL NOTE 03/10/2025\nIntrathecal morphine 0.25 mg for his cancer pain. Good relief reported. His Ashworth "
     "grade at both hip adductors went from 4 to 2 by four hours.\n", "trial_relief_percent", None, None),
    # A threshold is no result.
    ("TRIAL SHEET 03/10/2025\nIntrathecal morphine 0.3 mg. Relief reported.\nDuration >= 50% relief .......... "
     "about 5 hours\n", "trial_relief_percent", None, None),
    # A mild compression fracture on imaging is no diagnosis of the pain.
    ("MRI THORACOLUMBAR SPINE 10/30/2024\nImpression: Mild T11 endplate compression fracture without "
     "retropulsion.\n", "chronic_pain_etiology", None, None),
]


def test_pipeline_a_prognosis_wrapped_onto_the_next_line_is_read_to_its_end(facts_for):
    """b92t-01: "3. Prognosis: ... weight steady over 4 weeks. I would estimate her survival in" /
    "the range of 9 to 12 months": the survival, not the four weeks."""
    text = ("ONCOLOGY NOTE 05/06/2024\n3. Prognosis: ECOG 1, appetite good, weight steady over 4 weeks. I would "
            "estimate her survival in\nthe range of 9 to 12 months.\n")
    found = [f for f in facts_for(text) if f.name == "life_expectancy" and f.assertion is A]
    assert found and all(isinstance(f.value, float) and f.value >= 9 for f in found), found


@pytest.mark.parametrize(COLUMNS, AUDIT41_ROWS)
def test_pipeline_audit41_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_layout_a_capitals_title_with_a_colon_is_a_heading():
    """Audit 41: "INTRATHECAL TRIAL - CHRONIC NON-CANCER PAIN: SUBMISSION CHECKLIST" names the form."""
    text = ("CLINIC FAX\nNOTICE: confidential health information enclosed. Call us if misdirected.\n\n------\n"
            "ITB PUMP - SEVERE SPASTICITY: SUBMISSION CHECKLIST\n(office use - filled in by intake staff)\n------\n"
            "Dx: G80.0 spastic CP\n")
    lines = read_layout(text).lines
    assert lines[4].kind is Kind.HEADING and lines[7].kind is Kind.KEY_VALUE


@pytest.mark.parametrize(("value", "reading"), [
    ("dose *** | start *** | stop *** | reason stopped *** (outside records requested)", Reading.NOT_APPLICABLE),
    ("10 mg | start 01/2024 | stop ***", Reading.TEXT),
])
def test_layout_a_value_of_unfilled_fields(value, reading):
    assert value_reading(value) is reading

"""Blind batch 91's misses and evidence audit 40's classes (session 26), each in wordings of our own.

Rows follow the layout tests' columns: a text, the fact, its value, and the assertion wanted
(None: no affirmed fact at all).
"""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.layout import Kind, Reading, read_layout
from tests.extractors.rows import COLUMNS, A, N

BATCH91_CLASSES = [
    # A header underlined with dashes is still the table's header (b91t-05): its "Adverse effects"
    # column is no finding, and its rows are read under it ("none" after a one-off nausea).
    ("CATHETER TRIAL - DAILY LOG\n"
     "  Day  Date    Rate (mcg/d)  NRS avg  Walk (m)  Adverse effects\n"
     "  ---  ------  ------------  -------  --------  ---------------\n"
     "  0    04/07   baseline      9        20        -\n"
     "  1    04/08   40            4        90        itch x1, cetirizine\n"
     "  2    04/09   60            3        140       none\n",
     "trial_side_effects", None, None),
    # A request that names the replacement's kind of pump is no wish for newer technology, and a
    # replacement timed before end of service answers a need (b91m-06).
    ("PUMP CLINIC 01/15/2025\nPump functioning normally, reservoir volumes match.\nP: request replacement "
     "programmable pump; same catheter if it tests well.\n", "functional_device_upgrade", None, None),
    ("PUMP CLINIC 01/15/2025\nPump functioning normally.\nShe asks for a larger-reservoir pump at the exchange, "
     "due before EOS in about 3 months.\n", "functional_device_upgrade", None, None),
    # "and described/reported ..." starts a predicate of its own: the denial before it stays there
    # (b91p-01).
    ("PSYCHOLOGY REPORT 04/02/2025\nHe was never in treatment for a drug or alcohol problem and reported taking his "
     "tramadol only as directed.\n", "pharmacological_treatment", None, A),
    # A summary's "failed oral meds" against the treating note's "not yet an adequate trial"
    # (b91x-06): the record denies the failure.
    ("PHYSIATRY 03/02/2025\nAssessment: tizanidine has not yet been titrated to a therapeutic dose and has not had "
     "an adequate trial.\n", "oral_antispasmodic_failed", None, N),
    ("PHYSIATRY 03/02/2025\nAssessment: tizanidine has not yet been titrated to a therapeutic dose and has not had "
     "an adequate trial.\n", "noninvasive_methods_failed", None, N),
    ("PHYSIATRY 03/02/2025\nTizanidine 4 mg TID since 06/2024 failed to control his spasms.\n",
     "oral_antispasmodic_failed", None, A),
]


@pytest.mark.parametrize(COLUMNS, BATCH91_CLASSES)
def test_pipeline_batch91_classes(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_pipeline_a_decline_dated_to_a_year_has_a_duration(facts_for):
    """b91p-01: "she dates the decline in self-care to 2022" gives the difficulty its start."""
    text = ("PAIN CLINIC NOTE 08/27/2024\nHe can no longer dress or shower without help; his wife traces the decline "
            "back to 2021.\n")
    found = [f for f in facts_for(text, dt.date(2024, 9, 1)) if f.name == "adl_difficulty" and f.value is not None]
    assert found and max(float(f.value) for f in found if isinstance(f.value, int | float)) > 2 * 365


AUDIT40_ROWS = [
    # Side effects "limited to" one minor complaint are minimal, not poor tolerance.
    ("MORPHINE TRIAL 02/11/2025\nIntrathecal morphine 0.25 mg. Side effects limited to pruritus of the face, "
     "relieved by an antihistamine.\n", "trial_side_effects", None, None),
    # A form's guide to what to write ("(drug / max dose / dates / outcome)") is no finding, and
    # "see attached" over a blank answers nothing.
    ("PRIOR AUTHORIZATION FORM\n4. Anti-spasticity drugs tried (name / max dose / dates / outcome):\n"
     "   Tizanidine ____ see attached ____\n", "oral_antispasmodic_failed", None, None),
    ("PRIOR AUTHORIZATION FORM\n4. Oral anti-spasmodics used (agent / max dose / start-stop / outcome):\n"
     "   Tizanidine ____ see attached ____\n", "noninvasive_methods_failed", None, None),
    ("PRIOR AUTHORIZATION FORM\n4. Anti-spasticity drugs tried (name / max dose / dates / outcome):\n"
     "   Tizanidine ____ 8 mg TID 02/2024-09/2024, no effect on tone ____\n", "oral_antispasmodic_failed", None, A),
    # An implanted pump's mode ("+ PCA") is its own bolus, no systemic course tried.
    ("PUMP INTERROGATION 03/10/2025\nTHERAPY MODE ........ FLEX DOSING + PCA\n", "pharmacological_treatment", None,
     None),
    # Opioids weaned on a trial's first day follow its protocol; a pump that keeps him off opioids
    # says what he no longer takes.
    ("CATHETER TRIAL 03/10/2025\nOral oxycodone weaned to half on day 1 and held from day 2.\n",
     "pharmacological_treatment", None, None),
    ("PUMP LETTER 03/10/2025\nSince the implant in 2018 the pump has kept her working and off oral opioids.\n",
     "pharmacological_treatment", None, None),
    # A diagnosis named "failed back surgery syndrome" is no failure of the drug beside it.
    ("PUMP LETTER 03/10/2025\nShe has failed back surgery syndrome and takes hydrocodone at night.\n",
     "systemic_opioids_failed", None, None),
]


# What the session's own first changes broke, on older batches (b91q-02, b34q-05, b49p-03, b72p-04).
REGRESSIONS26_ROWS = [
    ("TRIAL NOTE 09/10/2024\nWalking in the hall improved by 50 percent (30 m to 45 m) though her pain scores did "
     "not move.\n", "trial_relief_percent", None, None),
    ("TRIAL NOTE 09/10/2024\nGait speed up 60% on day 2; NRS 7 -> 6.\n", "trial_relief_percent", 60.0, None),
    ("REPLACEMENT REQUEST 11/12/2024\n2c. Pump ERI status: _______________ (see device report)\n",
     "impending_failure_alert", None, None),
]


@pytest.mark.parametrize(COLUMNS, REGRESSIONS26_ROWS)
def test_pipeline_regressions26_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_pipeline_an_exercise_plan_not_carried_out_denies_no_difficulty(facts_for):
    """b72p-04: "the home program was not carried out" says nothing of carrying things."""
    text = "PT DISCHARGE 10/09/2023\nThe exercises were not carried out at home, so the effect of therapy is unknown.\n"
    assert not [f for f in facts_for(text) if f.name == "adl_difficulty"]


@pytest.mark.parametrize(COLUMNS, AUDIT40_ROWS)
def test_pipeline_audit40_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_pipeline_a_dose_raised_if_tolerated_says_nothing_of_allergy(facts_for):
    """Audit 40: a plan to raise baclofen "if tolerated" was cited as no allergy to it."""
    text = "CLINIC 03/10/2025\nPlan: raise oral baclofen to 20 mg TID over two weeks if tolerated.\n"
    assert not [f for f in facts_for(text) if f.name == "analgesic_allergy"]


def test_layout_a_header_underlined_with_dashes_heads_its_table():
    """b91t-05: "Day  Date    Rate ..." over "---  ------  ----" and rows set wider."""
    text = ("  Day  Date    Dose  NRS  Side effects\n"
            "  ---  ------  ----  ---  ------------\n"
            "  0    03/02   0     8    -\n"
            "  1    03/03   50    4    pruritus\n")
    lines = read_layout(text).lines
    assert lines[0].kind is Kind.TABLE_HEADER
    assert [cell.column for cell in lines[3].cells][-1] == "Side effects"


@pytest.mark.parametrize(("line", "reading"), [
    ("   Baclofen ____ see attached ____", Reading.NOT_APPLICABLE),
    ("   Baclofen ____ 10 mg TID, no benefit ____", Reading.TEXT),
])
def test_layout_a_blank_written_over_is_a_leader(line, reading):
    """Audit 40: a form's underscored blank between a drug and what staff wrote over it."""
    read = read_layout(f"4. Drugs tried:\n{line}\n").lines[1]
    assert read.kind is Kind.KEY_VALUE and read.reading is reading

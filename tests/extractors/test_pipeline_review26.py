"""A helper's review of session 26's change: sentences where the change first read worse (its own
wordings), each kept as a row that fails on the reviewed commit (2a50be23) and passes now.

Columns as the layout tests: a text, the fact, its value, the assertion wanted (None: no
affirmed fact at all).
"""

from __future__ import annotations

import pytest

from tests.extractors.rows import COLUMNS, A, N

H = "CLINIC NOTE 03/04/2025\n"

REVIEW26_ROWS = [
    # A booking reaches back only to the booked thing, not to the finding before it.
    (H + "The intrathecal trial gave 70% relief and the permanent implant is scheduled for 04/01/2025.\n",
     "trial_relief_percent", 70.0, A),
    (H + "Pump battery is at ERI and replacement is scheduled for 04/12/2025.\n", "impending_failure_alert", None, A),
    # A capitals key with its finding is no title.
    (H + "PSYCH EVAL: CLEARED FOR PUMP\n", "psych_clearance", None, A),
    (H + "PUMP STATUS: MOTOR STALL EVENTS\n", "device_malfunction", None, A),
    # "No stalls in more than 2 years" is still none.
    (H + "MOTOR STALL EVENTS ........ No stalls in more than 2 years\n", "device_malfunction", None, N),
    (H + "Substance use disorder ........ No use for more than 10 years\n", "substance_use_disorder", None, None),
    # A finding with a bracketed detail over a list is no heading.
    (H + "Suicidal ideation reported (PHQ-9 item 9 = 2)\n- safety plan completed\n- psychiatry referral placed\n",
     "unstable_mental_disorder", None, A),
    # Another service's clearance is no psychological one.
    (H + "Psychological evaluation on 02/01/2025; written report still pending. Cardiology saw her and she is "
     "cleared.\n", "psych_clearance", None, None),
    # Psychosis despite an antipsychotic's escalation is no opioid's side effect.
    (H + "He continues to have command hallucinations despite escalation of his antipsychotic.\n",
     "unstable_mental_disorder", None, A),
    # A failure stays one whatever is kept on hand after it.
    (H + "Oral baclofen up to 80 mg/day failed to control his spasms, so he now keeps it on hand only as a bridge "
     "if the pump alarms.\n", "oral_antispasmodic_failed", None, A),
    (H + "Oral baclofen caused intolerable sedation, and withdrawal symptoms when doses were missed.\n",
     "oral_antispasmodic_not_tolerated", None, A),
    # Pain with walking, after sats, or after tone, is the pain's relief.
    (H + "During the intrathecal trial her pain with walking decreased by 70%.\n", "trial_relief_percent", 70.0, A),
    (H + "Intrathecal morphine trial: vitals stable with sats normal throughout, and she reported 75% relief of her "
     "leg pain.\n", "trial_relief_percent", 75.0, A),
    (H + "Intrathecal bolus trial: tone was unchanged but she reported 70% relief of her burning leg pain.\n",
     "trial_relief_percent", 70.0, A),
    # Smaller ones.
    (H + "Eligibility criteria are met: life expectancy greater than 12 months per oncology.\n", "life_expectancy",
     12.0, A),
    (H + "Intrathecal trial: side effects limited to urinary retention requiring catheterization and respiratory "
     "depression needing naloxone.\n", "trial_side_effects", None, A),
    (H + "She stayed home and off work for months despite oxycodone 10 mg four times daily.\n",
     "pharmacological_treatment", None, A),
    (H + "MRI: mild retrolisthesis, T12 compression fracture with 60% height loss and retropulsion.\n",
     "chronic_pain_etiology", None, A),
    (H + "Baclofen ____ Tizanidine ____ Dantrolene ____ (circle those that failed)\n", "oral_antispasmodic_failed",
     None, None),
    # ...and what its first mends broke (b22m-02): "going back to" still dates a difficulty.
    ("CLINIC NOTE 08/19/2025\nShe has struggled to dress and bathe herself going back to at least early 2024.\n",
     "adl_difficulty", 596.0, A),
]


@pytest.mark.parametrize(COLUMNS, REVIEW26_ROWS)
def test_pipeline_review26_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_pipeline_relief_at_a_quarter_past_is_a_time(facts_for):
    """Review 26: "maximal relief at a quarter past three ... she rated it 80%" is 80, not 25."""
    text = H + "Intrathecal morphine trial: maximal relief at a quarter past three, and she rated it 80%.\n"
    values = [f.value for f in facts_for(text) if f.name == "trial_relief_percent" and f.assertion is A]
    assert values and 25.0 not in values


def test_pipeline_a_course_intolerance_cut_short_is_no_failure_denied(facts_for):
    """Review 26: "not been increased to a full dose because of hypotension" is intolerance, not an
    inadequate trial that denies the failure."""
    text = H + "Tizanidine has not been increased to a full dose because of hypotension and sedation.\n"
    assert not [f for f in facts_for(text) if f.name in ("oral_antispasmodic_failed", "noninvasive_methods_failed")
                and f.assertion is N]

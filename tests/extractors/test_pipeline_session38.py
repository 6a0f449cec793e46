"""Classes of error session 38 took up from the blind batches left open at session 37's end (b141l-06,
b117x-04, b118x-01, b88l-01, b139l-02) and from batch 142; each test fails on the code before its
change, except the rows marked as guards."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.layout import read_layout
from rules.engine import Evaluator, FactBase
from rules.guideline import load_guideline
from tests.extractors.rows import COLUMNS, HIST, A, N

ROWS = [
    # A physician's note reading a label again as pharmacology takes it back (b117x-04).
    ('PAST HISTORY: A note from a 2021 urgent care visit lists "opioid dependence" but on review of that record the '
     "physician was describing expected physiologic dependence on prescribed hydrocodone.\n",
     "opioid_addiction", None, None),
    ('PAST HISTORY: A note from a 2021 urgent care visit lists "opioid dependence" but on review of that record the '
     "physician was describing expected physiologic dependence on prescribed hydrocodone.\n",
     "substance_use_disorder", None, None),
    # (Guard: a disorder the sentence does not read again stands.)
    ("PROBLEMS: Opioid use disorder, on buprenorphine maintenance; physical dependence expected.\n",
     "opioid_addiction", None, A),
    # Where the record files a finding says whose it is (b88l-01).
    ("You will see an opioid use disorder mentioned in the family history section of the enclosed consultation.\n",
     "opioid_addiction", None, None),
    # A parent the sentence is about, another telling it, the pronoun of the parent's sex (b118x-01).
    ("Family and social history. Lives with mum. Dad is involved at weekends; mum volunteered that he has a history "
     "of opioid dependence and is on a methadone programme.\n", "opioid_addiction", None, None),
    # (Guard: a pronoun of the other sex is not the parent's.)
    ("Social history. Mum works nights; he has a history of opioid dependence, now on methadone.\n",
     "opioid_addiction", None, HIST),
    # A lab marker's fall is no pain relief (b141l-06, evidence).
    ("INTRATHECAL OPIOID TRIAL 05/06/2025\nCA 19-9 (drawn 05/01, reported today): 880 U/mL (from 1,840 in March, "
     "~52% decrease) - FYI oncology.\n", "trial_relief_percent", None, None),
    # A log's line under a dated entry laid out in columns is its own (b139l-02).
    ("INTRATHECAL PUMP INTERROGATION / REFILL RECORD\nALARM LOG (since 07/25/2024)\n  08/19/2024 06:00  LOW RESERVOIR "
     "ALARM  (programmed threshold 4.0 mL)  -> CLEARED AT REFILL\n  no other alarms / no critical alarms\n",
     "impending_failure_alert", None, N),
]


@pytest.mark.parametrize(COLUMNS, ROWS)
def test_pipeline_session38_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_a_side_effect_told_before_the_trial_is_not_the_trials(facts_for) -> None:
    """An oncology note a week before the trial ("Support IT trial/pump per palliative. Zofran,
    olanzapine 2.5 qHS for nausea/sleep") tells no side effect of it (b141l-06, a false denial)."""
    guideline = load_guideline()
    oncology = ("GI ONCOLOGY PROGRESS NOTE 04/29/2025\nPlan: continue C5. Support IT trial/pump per palliative. "
                "Zofran, olanzapine 2.5 qHS for nausea/sleep.\n")
    trial = ("INTRATHECAL OPIOID TRIAL - PROCEDURE RECORD\nDate:      05/06/2025\nPeak reduction: NRS 9 -> 2 (78%).\n"
             "Tolerated well.\n")
    facts = [f for text in (oncology, trial) for f in facts_for(text)]
    assert any(f.name == "trial_side_effects" and f.assertion is A for f in facts)
    evaluator = Evaluator(guideline, FactBase.build(facts, guideline), "permanent", dt.date(2025, 5, 20))
    assert evaluator.node(guideline.node("chronic_pain.permanent_after_trial")).status.value == "met"
    # (Guard: the same side effect in the trial's own record counts against it.)
    late = trial.replace("Tolerated well.", "Severe nausea and vomiting; trial poorly tolerated.")
    facts = [f for text in (oncology, late) for f in facts_for(text)]
    evaluator = Evaluator(guideline, FactBase.build(facts, guideline), "permanent", dt.date(2025, 5, 20))
    assert evaluator.node(guideline.node("chronic_pain.permanent_after_trial")).status.value == "not_met"


def test_a_line_in_columns_is_no_wrapped_prose() -> None:
    text = ("ALARM LOG\n  08/19/2024 06:00  LOW RESERVOIR ALARM  (threshold 4.0 mL)  -> CLEARED AT REFILL\n"
            "  no other alarms\nThe pump is well.  She is happy with it.\n  and sleeps well.\n")
    layout = read_layout(text)
    assert layout.prose(text.index("no other"))[0] == text.index("no other")
    assert layout.prose(text.index("LOW"))[1] == text.index("\n  no other")
    # (Guard: two spaces after a full stop are typing, not columns.)
    assert layout.prose(text.index("and sleeps"))[0] <= text.index("The pump")

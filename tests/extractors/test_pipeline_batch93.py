"""Blind batch 93's misses and evidence audit 42's classes (session 26), in wordings of our own.

Rows follow the layout tests' columns: a text, the fact, its value, and the assertion wanted
(None: no affirmed fact at all).
"""

from __future__ import annotations

import pytest

from extractors.layout import Kind, read_layout
from tests.extractors.rows import COLUMNS, A, N

BATCH93_CLASSES = [
    # A study booked is still to come, no documented rationale (b93p-03).
    ("PUMP SUMMARY 08/20/2024\nPain is back to 8/10; pump failure presumed. An interrogation has been booked for "
     "09/02/2024 and no result is available yet.\n", "malfunction_documented", None, None),
    # "no standing >10 min" is a limit, not an absence (b93m-06).
    ("PAIN NOTE 04/02/2024\nFunction: no standing >10 min; uses a cane indoors; husband helps her dress since "
     "2023.\n", "adl_difficulty", None, A),
    # "with little change in her spasms" is a failure (b93q-02).
    ("PM&R NOTE 04/02/2025\nTizanidine was raised to 8 mg three times daily and kept there from June to October "
     "2024, with little change in her flexor spasms.\n", "oral_antispasmodic_failed", None, A),
    # A recommended course a referral "was offered" for is still to be done (b93q-03).
    ("PSYCHOLOGY REPORT 05/20/2025\nRecommendations\n- Ten sessions of CBT for pain focused on pacing; a referral to "
     "the group program was offered and he is on the waitlist.\n", "cbt", None, None),
    # A clearance section's "is not cleared at this time" (b93q-03).
    ("PSYCHOLOGICAL EVALUATION 05/20/2025\nPSYCHOLOGICAL CLEARANCE\nMr. Ostrander-Vale is not cleared at this time. "
     "His expectations of the device are not realistic.\n", "psych_clearance", None, N),
]


@pytest.mark.parametrize(COLUMNS, BATCH93_CLASSES)
def test_pipeline_batch93_classes(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_pipeline_no_standing_past_a_limit_denies_no_difficulty(facts_for):
    """b93m-06: "Function: no wt bearing >5 min; ..." read as "Function: none"."""
    text = ("PAIN NOTE 04/02/2024\nFunction: no standing >10 min; uses a cane indoors; husband helps her dress "
            "since 2023.\n")
    assert not [f for f in facts_for(text) if f.name == "adl_difficulty" and f.assertion is N]


def test_pipeline_neither_nor_is_the_failure_not_its_denial(facts_for):
    """b93d-01: "Neither oral nor transdermal opioids have controlled her pain" was read as denied."""
    text = ("ONCOLOGY 09/03/2024\nNeither oxycodone nor the fentanyl patch has held her pain, and higher doses "
            "brought on sedation she could not tolerate.\n")
    found = [f.assertion for f in facts_for(text) if f.name == "systemic_opioids_failed"]
    assert A in found and N not in found


def test_layout_a_label_over_its_list_with_a_bracketed_note_is_a_heading():
    """Audit 42: "Treatment to date (past 12 months unless stated)" over its list was cited."""
    text = "PAIN NOTE 08/06/2024\n\nCare so far (last 12 months unless noted)\n- Medications: pregabalin 150 mg BID\n"
    assert read_layout(text).lines[2].kind is Kind.HEADING


BATCH94_CLASSES = [
    # An attempt given up before the trial is not the trial (b94d-01, after its first sight).
    ("INTRATHECAL TRIAL FLOWSHEET 08/28/2024\nMORPHINE 0.3 MG INTRATHECAL BOLUS\nEARLIER ATTEMPT ..... 08/14/2024 "
     "ABANDONED, ABORTED AFTER SPINAL HEADACHE\nNRS 8 -> 2 at 4 h; mild pruritus only.\n", "trial_side_effects", None,
     None),
]


@pytest.mark.parametrize(COLUMNS, BATCH94_CLASSES)
def test_pipeline_batch94_classes(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)

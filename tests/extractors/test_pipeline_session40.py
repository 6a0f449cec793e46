"""Classes of error session 40 took up from blind batch 147 (scored at first sight at 900009af) and its
evidence audit 66; each test fails on the code before its change, except the rows marked as guards."""

from __future__ import annotations

import pytest

from tests.extractors.rows import COLUMNS, A, N

TONE_SUMMARY = ("PEDIATRIC PHYSIATRY - TONE MANAGEMENT SUMMARY\nDate .................. 07/02/2024\n"
                "Dx .................... Spastic quadriplegic CP (G80.0)\nReferred for .......... ITB evaluation\n\n"
                "ORAL ANTISPASTICITY HISTORY\n  Baclofen PO ......... started 01/08/2024; titrated to 20 mg TID by\n"
                "                        03/2024; on max tolerated dose for 14+ weeks\n"
                "    Response .......... minimal change in tone per PT (MAS unchanged)\n"
                "    Side effects ...... drowsiness, drooling\n")


@pytest.mark.parametrize(("text", "route"), [
    # A field of a labelled record is the record's treatment's (b147d-04, the oral course's "MAS
    # unchanged" read as the intrathecal trial's Ashworth result).
    (TONE_SUMMARY, "oral"),
    # (Guard: the trial's own record.)
    ("ITB SCREENING FLOWSHEET 07/30/2024\n  IT baclofen bolus ... 50 mcg L3-4 at 0900\n"
     "    Result .......... MAS 3 -> 1+ at 4 h\n", "intrathecal"),
])
def test_a_records_fields_are_its_treatments(facts_for, text: str, route: str) -> None:
    drops = [f for f in facts_for(text) if f.name == "ashworth_drop"]
    assert drops and all(f.roles.get("route") == route for f in drops), [(f.roles, f.evidence[0].text) for f in drops]


BATCH147_ROWS = [
    # The therapist as the one who left is no therapy had, nor failed (b147d-04; the first row a guard).
    ("ITB SCREENING FLOWSHEET 07/30/2024\nPOST-BOLUS TONE (Modified Ashworth) - target 4 h post (~1330)\n"
     "  Muscle group         R     L\n  Hip adductors        ***   ***\n  Hamstrings           ***   ***\n"
     "  ** Not obtained - pt asleep at 1330; PT pulled to another unit, unable to\n"
     "     return before discharge. PT to re-examine at follow-up. **\n",
     "noninvasive_methods_failed", None, None),
    ("ITB SCREENING FLOWSHEET 07/30/2024\n  ** Not obtained - pt asleep at 1330; PT pulled to another unit, unable to\n"
     "     return before discharge. PT to re-examine at follow-up. **\n", "physical_therapy", None, None),
    # (Guard: the therapy that did not help.)
    ("PM&R NOTE 07/02/2024\nPT twice weekly since January has not controlled her spasticity.\n",
     "noninvasive_methods_failed", None, A),
]

# Audit 66 (batch 147's cited quotes, labelled at 900009af): quotes that did not support their leaf.
AUDIT66_ROWS = [
    # Where a device sits is no sitting (b147x-01).
    ("NEUROSURGERY CONSULT 09/05/2024\nTone is markedly increased in the lower limbs, modified Ashworth three at the "
     "hip adductors. The spine is straight, with a mild flexible curve which would not prevent a lumbar puncture. "
     "The abdomen is soft, the gastrostomy sits in the left upper quadrant. Although he is small for his age there "
     "is enough subcutaneous tissue to seat a pump comfortably, so I don't think his size is an obstacle.\n",
     "spasticity_impairs_function", None, None),
    # Who came with her is no caregiving (b147t-05).
    ("ITB DEVICE CLINIC 10/29/2024\nAccompanied by: mother (primary caregiver)\nBACKGROUND: spastic quadriplegic CP; "
     "spasms make her hygiene and transfers difficult.\n", "spasticity_impairs_function", None, A),
    # (Guard: caregiving strained by the spasticity.)
    ("PM&R NOTE 07/02/2024\nSpastic diplegia. Her caregiver has great difficulty with her hygiene due to tone.\n",
     "spasticity_impairs_function", None, A),
]


@pytest.mark.parametrize(COLUMNS, BATCH147_ROWS + AUDIT66_ROWS)
def test_pipeline_batch147_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_who_came_is_not_cited_for_caregiving(facts_for) -> None:
    text = AUDIT66_ROWS[1][0]
    cited = [f.evidence[0].text for f in facts_for(text) if f.name == "spasticity_impairs_function"]
    assert cited and not any("Accompanied" in quote for quote in cited), cited


@pytest.mark.parametrize("text", [
    # The highest dose one tolerates says nothing of allergy (b147p-02).
    "PT PROGRESS SUMMARY 06/20/2024\nDespite 4+ months of oral baclofen at the highest dose he tolerates, plus nightly "
    "stretching, spasticity remains severe.\n",
    "PM&R NOTE 06/20/2024\nOral baclofen at the dose she tolerates has not controlled her tone.\n",
])
def test_a_tolerated_dose_denies_no_allergy(facts_for, text: str) -> None:
    assert not [f for f in facts_for(text) if f.name == "analgesic_allergy" and f.assertion is N]

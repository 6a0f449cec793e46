"""extractors.values: the deterministic parsers for percents, Ashworth scores, life expectancy,
durations and note dates, as `(text, expected)` tables.

Rows are the phrasings clinicians use; a row a parser gets wrong is kept and marked
xfail(strict) naming the gap.
"""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.values import (
    ashworth_drop,
    duration,
    life_expectancy_months,
    note_date,
    parse_dates,
    percent_improvement,
)

ANCHOR = dt.date(2025, 10, 1)
WEEK, MONTH, YEAR = 7.0, 30.4375, 365.25


def days_since(day: dt.date) -> float:
    return float((ANCHOR - day).days)


def gap(*values: object, why: str):
    """A row the parser gets wrong today: kept as the specification, expected to fail (strictly)."""
    return pytest.param(*values, marks=pytest.mark.xfail(strict=True, reason=f"extractor: {why}"))


# Percent improvement; a range takes its lower bound, "more than half" is 51, scores give the drop.
PERCENT = [
    # Dictation's numbers in words, and scores "out of 10" (blind batch 30).
    ("which is a seventy-five percent improvement", 75.0),
    ("a sixty per cent reduction", 60.0),
    ("one hundred percent relief at two hours", 100.0),
    ("pain reduced from 8 out of 10 to 2 out of 10 at peak", 75.0),
    ("from eight out of ten to two out of ten", 75.0),
    ("reduced from three to two tablets a day", None),
    ("seventy-five years old, two weeks of relief", None),
    ("70% relief", 70.0),
    ("60 percent improvement in leg pain", 60.0),
    ("80 % reduction", 80.0),
    ("~75% better", 75.0),
    ("50-60% improvement", 50.0),
    ("relief of 40-50 pct", 40.0),
    ("greater than 50% relief", 50.0),
    ("more than half", 51.0),
    ("better than 50% pain relief", 50.0),
    ("pain 8/10 -> 2/10", 75.0),
    ("NRS 6/10 down to 3/10", 50.0),
    ("improved from 9 to 3", 66.7),
    ("pain reduced by half", 50.0),
    ("pain unchanged after the bolus", None),
    ("pain worse, 3/10 -> 7/10", None),
    ("0% relief with the bolus", 0.0),
]

# Ashworth drop in points; "1+" is 1.5.
ASHWORTH = [
    # Blind batch 75: a threshold the test falls short of is no drop of its size.
    ("There was no Ashworth change, so the test does not reach the one-point threshold for a positive screen.",
     None),
    # Blind batch 48: a range of drops is no score before and after.
    ("Peak effect at four hours: a 1.5 to 2 point fall on the Ashworth scale.", 1.5),
    # Blind batch 37: a drop of less than one grade, said in words, is none.
    ("Tone scores did not fall by a single point in any muscle group after the dose.", 0.0),
    ("No change of even one grade was seen at any time point.", 0.0),
    ("The therapist's Ashworth grades were the same before and after the bolus in each group.", 0.0),
    ("MAS fell by one grade at the knee extensors.", 1.0),
    # Blind batch 14: times are no scores.
    ("Modified Ashworth scores unchanged from baseline in all muscle groups at 2, 4 and 6 hours.", 0.0),
    ("MAS 3 to 2 at 2 hours", 1.0),
    ("MAS 3 -> 1", 2.0),
    ("Ashworth 4 to 2", 2.0),
    ("MAS 3 \u2192 1+", 1.5),
    ("1+ -> 0 in the hamstrings", 1.5),
    ("decreased from 3 to 1", 2.0),
    ("2/4 \u2192 0/4", 2.0),
    ("Ashworth 3 and 1 before and after the bolus", 2.0),
    ("MAS 3 to 1.5", 1.5),
    ("improved by 2 points", 2.0),
    ("a two-point drop in tone", 2.0),
    ("less than one point of change", 0.5),
    ("pain 8/10 to 3/10", None),
    ("baclofen 50 mcg bolus", None),
    ("MAS unchanged at 3", 0.0),
]

# Life expectancy in months; a range takes its lower bound, "less than N" is just under N.
LIFE_EXPECTANCY = [
    # Years, said without a number (batch 95: b95l-06, b95d-04).
    ("her oncologist expects her to live for years rather than months", 12.0),
    ("Prognosis favorable - I anticipate survival measured in years.", 12.0),
    ("estimated survival well over a year", 12.0),
    # Blind batch 76: "between six and twelve months" takes its lower bound.
    ("I would estimate her life expectancy at somewhere between six and twelve months", 6.0),
    # Blind batch 59: a phrase wrapped over a line break is still the phrase.
    ("I would estimate his life expectancy in years rather than\n   months.", 24.0),
    ("survival in months\nrather than weeks", 3.0),
    # Blind batch 45: each end of a range carries its own unit.
    ("I would expect her to be with us on the order of nine months to a year, possibly longer", 9.0),
    ("three weeks to two months", 0.69),
    # Blind batch 39: "N and a half" is N.5, not "a half".
    ("She may have four and a half months.", 4.5),
    ("an expected survival of one and a half years", 18.0),
    # Blind batch 10: when the next scan is due is no prognosis.
    ("Prognosis: guarded; will revisit after restaging in 3 months, or sooner if clinical decline.", None),
    ("Expected survival of at least 6 months; follow-up in 3 months.", 6.0),
    ("3-6 months", 3.0),
    ("6 to 12 months", 6.0),
    ("3 to 6 mos", 3.0),
    ("two to three months", 2.0),
    ("1-2 years", 12.0),
    ("less than 6 months", 5.99),
    ("< 6 months", 5.99),
    ("fewer than 3 months", 2.99),
    ("under 1 year", 11.99),
    ("greater than 3 months", 3.0),
    ("at least one year", 12.0),
    ("12+ months", 12.0),
    ("approximately 18 months", 18.0),
    ("6mo", 6.0),
    ("6 weeks", 1.38),
    ("weeks to months", 0.5),
    ("days to weeks", 0.25),
    ("several months", 3.0),
    ("months to years", 6.0),
    ("a year or more", 12.0),
    ("6-12 mo", 6.0),
    ("< 3 mo", 2.99),
    ("excellent", None),
]

# (text, days, start, end): start and end are checked when given.
DURATION = [
    # Blind batch 75: "that whole year" is the year the sentence before named.
    ("He has taken gabapentin 600 mg three times a day without a break for that whole year.", 365.25, None, ANCHOR),
    # Blind batch 51: "since ~fall 2023", an approximate season.
    ("Function: since ~fall 2023 cannot stand in shower.", 1004.0, dt.date(2023, 1, 1), None),
    # Blind batch 23: the stretch named first, not the last date of the text.
    ("From November 2024 through August 2025 he has been under continuous care in our program. He attended "
     "physical therapy from January through May 2025.", 303.0, dt.date(2024, 11, 1), dt.date(2025, 8, 31)),
    # Blind batch 15: the event a "since" dates, and a later "20 hours a week" is no span.
    ("Since the injury in 03/2022 she cannot stand more than 10 minutes and has cut work to 20 hours a week.",
     days_since(dt.date(2022, 3, 1)), dt.date(2022, 3, 1), ANCHOR),
    # Blind batch 11: an age is no span of treatment.
    ("a 61-year-old former school bus driver who has failed all conservative measures", None, None, None),
    ("a 45 year old man", None, None, None),
    ("since March 2023", days_since(dt.date(2023, 3, 1)), dt.date(2023, 3, 1), ANCHOR),
    ("since 03/2023", days_since(dt.date(2023, 3, 1)), dt.date(2023, 3, 1), ANCHOR),
    ("since 2022", days_since(dt.date(2022, 1, 1)), dt.date(2022, 1, 1), ANCHOR),
    ("since early 2023", days_since(dt.date(2023, 1, 1)), dt.date(2023, 1, 1), ANCHOR),
    ("since June", days_since(dt.date(2025, 6, 1)), dt.date(2025, 6, 1), ANCHOR),
    ("since December", days_since(dt.date(2024, 12, 1)), dt.date(2024, 12, 1), ANCHOR),
    ("from March 2023 until now", days_since(dt.date(2023, 3, 1)), dt.date(2023, 3, 1), ANCHOR),
    ("x 6 weeks", 6 * WEEK, None, None),
    ("x6 wks", 6 * WEEK, None, None),
    ("for six weeks", 6 * WEEK, None, None),
    ("6 wk course", 6 * WEEK, None, None),
    ("for 2 years", 2 * YEAR, None, None),
    ("x 1.5 years", 1.5 * YEAR, None, None),
    ("for several months", 3 * MONTH, None, None),
    ("for the past 8 months", 8 * MONTH, ANCHOR - dt.timedelta(days=8 * MONTH), ANCHOR),
    ("over the past 18 months", 18 * MONTH, None, ANCHOR),
    ("for the last year", YEAR, None, ANCHOR),
    ("started 3 months ago", 3 * MONTH, None, ANCHOR),
    ("PT x 6 weeks in 2019", 6 * WEEK, dt.date(2019, 1, 1), dt.date(2019, 2, 12)),
    ("from 01/2025 to 06/2025", 180.0, dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
    ("between 02/2024 and 08/2024", 212.0, dt.date(2024, 2, 1), dt.date(2024, 8, 31)),
    ("from 1/15/2025 to 4/15/2025", 90.0, dt.date(2025, 1, 15), dt.date(2025, 4, 15)),
    ("November 2024 to February 2025", 119.0, dt.date(2024, 11, 1), dt.date(2025, 2, 28)),
    ("March to September 2022", 213.0, dt.date(2022, 3, 1), dt.date(2022, 9, 30)),
    ("Nov-Feb 2025", 119.0, dt.date(2024, 11, 1), dt.date(2025, 2, 28)),
    ("2 yrs", 2 * YEAR, None, None),
    ("for 3-4 months", 3 * MONTH, None, None),
    ("for a year and a half", 1.5 * YEAR, None, None),
    ("6/2024 - present", days_since(dt.date(2024, 6, 1)), dt.date(2024, 6, 1), ANCHOR),
    ("x 12 sessions", None, None, None),
    ("no dates or lengths here", None, None, None),
    ("since 2027", None, None, None),
    # Session 23 (batch 78-79): a start late or mid-month or -year is not the first of it; "of last
    # year" is the year before; who started it may come between; a document's date is no course's.
    ("Started by neurology late Sep.", 10.0, dt.date(2025, 9, 21), ANCHOR),
    ("began mid-August", days_since(dt.date(2025, 8, 15)), dt.date(2025, 8, 15), ANCHOR),
    ("since late 2024", days_since(dt.date(2024, 9, 1)), dt.date(2024, 9, 1), ANCHOR),
    ("Since July of last year she has been in continuous care.", days_since(dt.date(2024, 7, 1)),
     dt.date(2024, 7, 1), ANCHOR),
    ("Referral dx (copied fwd from neurosurgery referral 06/2025): refractory to oral agents", None, None, None),
]

NOTE_DATE = [
    # Batch 83 (b83x-05): a printout's session date with its clock time named in the label.
    ("PUMP CLINIC DEVICE REPORT\nSession date/time ......... 06/29/2024 21:40 (Emergency Department)\n",
     dt.date(2024, 6, 29)),
    ("Date of service: 09/15/2025\nFollow-up for refill.", dt.date(2025, 9, 15)),
    ("DOS: 2025-08-01\nIntrathecal trial.", dt.date(2025, 8, 1)),
    ("Visit date 7/4/25\nSeen for spasticity.", dt.date(2025, 7, 4)),
    ("Encounter Date: 10/01/2025", dt.date(2025, 10, 1)),
    ("Dictated: 08/20/2025 14:32", dt.date(2025, 8, 20)),
    ("Procedure date: Aug 12, 2025\nIT morphine bolus.", dt.date(2025, 8, 12)),
    ("PAIN CLINIC FOLLOW-UP\nSeptember 3, 2025\nPatient returns.", dt.date(2025, 9, 3)),
    ("Name: J. Doe  DOB: 01/02/1960\nDate: 06/10/2025", dt.date(2025, 6, 10)),
    ("Date of injury: 01/01/2020\nDate of service: 09/09/2025", dt.date(2025, 9, 9)),
    ("DOB: 03/14/1958\nSeen today for refill.", None),
    ("Patient born 5/5/1970, here for follow-up.", None),
    ("Follow-up visit, no date in the header.", None),
    ("Oral baclofen since March 2024 without benefit.", None),
]


@pytest.mark.parametrize(("text", "expected"), PERCENT)
def test_values_percent_improvement(text, expected):
    parsed = percent_improvement(text)
    if expected is None:
        assert parsed is None
    else:
        assert parsed is not None and parsed.value == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize(("text", "expected"), ASHWORTH)
def test_values_ashworth_drop(text, expected):
    parsed = ashworth_drop(text)
    if expected is None:
        assert parsed is None
    else:
        assert parsed is not None and parsed.value == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(("text", "expected"), LIFE_EXPECTANCY)
def test_values_life_expectancy_months(text, expected):
    parsed = life_expectancy_months(text)
    if expected is None:
        assert parsed is None
    else:
        assert parsed is not None and parsed.value == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(("text", "days", "start", "end"), DURATION)
def test_values_duration(text, days, start, end):
    period = duration(text, ANCHOR)
    if days is None:
        assert period is None
        return
    assert period is not None and period.days == pytest.approx(days, abs=1.0)
    if start is not None:
        assert period.start is not None and abs((period.start - start).days) <= 1
    if end is not None:
        assert period.end is not None and abs((period.end - end).days) <= 1


@pytest.mark.parametrize(("text", "expected"), NOTE_DATE)
def test_values_note_date(text, expected):
    assert note_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A printout's labelled date behind dot leaders, and a date of birth above it.
    ("PATIENT ....... DOE, JANE\nDOB ........... 09/02/1954\nVISIT DATE .... 12/03/2025\n", dt.date(2025, 12, 3)),
    ("PATIENT: X\nDOB ........ 09/02/1954\nSeen today.", None),
    # Blind batch 15: a printout's print or session date is its date; an implant date is not.
    ("AXISFLOW SESSION REPORT\nPrinted: 11/18/2025 10:47\nImplant date ......... 02/14/2019\n",
     dt.date(2025, 11, 18)),
    ("SYNCHROMED II - CLINICIAN PROGRAMMER SESSION REPORT\n Session: 09/24/2024 09:41\n", dt.date(2024, 9, 24)),
    ("PUMP REPORT\nImplant date ......... 02/14/2019\n", None),
    ("MEDICATION RECONCILIATION - PRE-OPERATIVE          Date: 01/05/2026\n", dt.date(2026, 1, 5)),
    # Blind batch 59: a course's sessions and a drug's doses are no labels of the note's date; the
    # header's date is (b59p-01's note was dated 10/2023 from "CBT-CP 12 sessions 10/2023-1/2024").
    ("CEDAR RIDGE SPINE & PAIN - Follow-up visit 06/24/2024\nPt: R. Example   54F\n\n"
     "- CBT-CP 12 sessions 10/2023-1/2024 per psych recs\n", dt.date(2024, 6, 24)),
    ("PAIN CLINIC - Follow-up 06/24/2024\nRescue doses 3/2024 were few.\n", dt.date(2024, 6, 24)),
])
def test_note_date_skips_birth_dates(text, expected):
    assert note_date(text) == expected


def test_duration_since_runs_to_the_note_date_past_a_later_range():
    """"since September 2024 - ..., PT 11/2024-01/2025": the care began then and goes on."""
    period = duration("In continuous conservative care since September 2024 - med trials, PT 11/2024-01/2025 "
                      "then daily HEP", dt.date(2025, 8, 28))
    assert period is not None and period.start == dt.date(2024, 9, 1) and period.end == dt.date(2025, 8, 28)
    ranged = duration("on gabapentin since 03/2024 - 09/2024", dt.date(2025, 8, 28))
    assert ranged is not None and ranged.end == dt.date(2024, 9, 30)


def test_flowsheet_encounters_are_notes_of_their_own():
    """Blind batch 15: a refill flowsheet's encounters under ruled lines are dated apart, so a
    later note's event is not answered by an older encounter's printout."""
    from extractors.notes import find_notes

    text = ("ITB REFILL FLOWSHEET\nPrinted 01/07/2026\n" + "-" * 40 + "\n"
            "ENCOUNTER ............. 07/21/2025  REFILL\n  CRITICAL ALARM ...... NONE\n" + "-" * 40 + "\n"
            "ENCOUNTER ............. 11/17/2025  REFILL\n  CRITICAL ALARM ...... NONE\n")
    notes = find_notes(text, [0])
    assert notes.date_at(text.index("07/21/2025") + 20) == dt.date(2025, 7, 21)
    assert notes.date_at(text.rindex("CRITICAL")) == dt.date(2025, 11, 17)


def test_banner_encounters_are_notes_of_their_own():
    """Blind batch 16: "=== ENCOUNTER 2 - PRE-OPERATIVE VISIT - 03/04/2025 ===" begins a note."""
    from extractors.notes import find_notes

    text = ("NEUROSURGERY NOTES\n\n=== ENCOUNTER 1 - OUTPATIENT CONSULT - 04/18/2023 ===\nToo small for a pump.\n\n"
            "=== ENCOUNTER 2 - PRE-OPERATIVE VISIT - 03/04/2025 ===\nSize now adequate.\n")
    notes = find_notes(text, [0])
    assert notes.date_at(text.index("Too small")) == dt.date(2023, 4, 18)
    assert notes.date_at(text.index("Size now")) == dt.date(2025, 3, 4)


@pytest.mark.parametrize(("text", "day"), [
    ("Visit: 12 Sep 2024", dt.date(2024, 9, 12)),
    ("Date of visit: 3rd March 2025", dt.date(2025, 3, 3)),
    ("Arrival: 02/11/2024 03:47", dt.date(2024, 2, 11)),
])
def test_values_day_first_dates_and_visit_labels(text: str, day: dt.date) -> None:
    """Blind batch 27: "Visit: 12 Sep 2024" dates the note (a later estimate then supersedes an
    earlier one)."""
    assert parse_dates(text)[0][0] == day
    assert note_date(f"PROGRESS NOTE\nPatient: A. Fictional, 66F     {text}\n\nBody text.\n") == day


def test_values_a_carried_forward_block_ends_where_its_banner_says() -> None:
    """Blind batch 29: a note pastes an older note between banners; after "--- End carried-forward
    text ---" the text is the pasting note's again, and dated as it."""
    from extractors.notes import find_notes

    text = ("PAIN CLINIC    DOS 09/03/2024\n\n--- Prior note text (carried forward from 02/12/2024) ---\n"
            "S: pain 8/10.\n--- End carried-forward text ---\n\nConservative care since 10/2023.\n")
    notes = find_notes(text, [0])
    assert notes.date_at(text.index("pain 8/10")) == dt.date(2024, 2, 12)
    assert notes.date_at(text.index("Conservative")) == dt.date(2024, 9, 3)


def test_values_the_stretch_named_first_is_the_sentences():
    """Blind batch 34: "Conservative care over the past twelve months has been continuous: ...
    14 PT visits from January to April 2024" is twelve months, not the PT's four."""
    found = duration("Conservative care over the past twelve months has been continuous: 14 PT visits from January "
                     "to April 2024.", dt.date(2024, 9, 3))
    assert found is not None and found.days == pytest.approx(365.25)


@pytest.mark.parametrize(("text", "expected"), [
    ("Impression: POSITIVE ITB screen -- 2-pt MAS drop at peak in hip adductors", 2.0),
    ("OBJECTIVE TONE RESPONSE (>= 1 pt MAS drop, any group) ..... NOT ACHIEVED", None),
])
def test_values_ashworth_points_abbreviated_and_thresholds(text, expected):
    parsed = ashworth_drop(text)
    assert (parsed.value if parsed else None) == expected


@pytest.mark.parametrize(("text", "value"), [
    # What someone expects or requires is no result (b57d-03)...
    ("Discussed that payers generally expect at least 50 percent relief on the trial.", None),
    ("We require >= 50% relief before implant.", None),
    # ...but a result beside such words is one (a helper's review of session 16).
    ("The trial met criteria with 80% pain relief.", 80.0),
    ("Results exceeded expectations with 70% relief.", 70.0),
])
def test_values_an_expected_share_is_no_result(text, value):
    parsed = percent_improvement(text)
    assert (parsed.value if parsed else None) == value


def test_a_frequency_or_due_to_is_no_length() -> None:
    # b63l-04: "her daughter comes three times a week" read as a week of difficulty; b63p-02:
    # "(stopped wk 6 d/t flare)" read as six days.
    anchor = dt.date(2025, 1, 1)
    assert duration("her daughter comes three times a week to help with the house", anchor) is None
    assert duration("contrast baths (stopped wk 6 d/t flare)", anchor) is None
    found = duration("PT x 6 weeks in 2019", anchor)
    assert found is not None and found.days == 42.0

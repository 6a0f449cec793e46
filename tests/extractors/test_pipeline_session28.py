"""Classes of error session 28 found on blind batches (first sight, then fixed by class); each row
fails on the code before its change and holds the right reading."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.notes import find_notes
from extractors.pipeline import _is_summary, copied_blocks
from extractors.values import note_date
from tests.extractors.rows import COLUMNS, HYPO, A, N, P

SESSION28_ROWS = [
    # A treatment-history table's outcome cell that turns the row's treatment down: offered, not
    # received (b97m-04).
    ("TREATMENT HISTORY 09/10/2024\n  Dates                Intervention                                     Outcome\n"
     "  04/2024              PT re-referral (Summit Rehab)                    pt declined -- \"PT made it worse\";\n"
     "  11/2021      R lumbar sympathetic block     ~70% x 1 day\n", "physical_therapy", None, None),
    ("TREATMENT HISTORY 09/10/2024\n  Dates        Intervention                   Outcome\n"
     "  04/2024      Aquatic PT referral            Refused.\n"
     "  11/2021      R lumbar sympathetic block     ~70% x 1 day\n", "physical_therapy", None, None),
    # ... but a later refusal of something further leaves the treatment given.
    ("TREATMENT HISTORY 09/10/2024\n  Dates        Intervention                   Outcome\n"
     "  04/2024      PT, 12 visits                  completed; pt declined more visits\n"
     "  11/2021      R lumbar sympathetic block     ~70% x 1 day\n", "physical_therapy", None, A),
    ("TREATMENT HISTORY 09/10/2024\n  Dates        Intervention                   Outcome\n"
     "  04/2024      Physical therapy               declined further sessions after 6 weeks, no gain\n"
     "  11/2021      R lumbar sympathetic block     ~70% x 1 day\n", "physical_therapy", None, A),
    # A convenience that only times the surgery with other care is no reason for it (b96l-03).
    ("LETTER 04/03/2024\nHer pump reached its elective replacement indicator. For her family's convenience we "
     "will coordinate the date with her scheduled suprapubic catheter change.\n", "replacement_for_convenience",
     None, None),
    ("LETTER 04/03/2024\nThe pump works well; she asks for a replacement now for her own convenience, to align "
     "with school holidays.\n", "replacement_for_convenience", None, A),
    # A form's item answered in its column with a remark after it is answered (b97q-02).
    ("ITB QUESTIONNAIRE 05/14/2024\n9. Any of the following (answer Y/N):\n"
     "   d. allergy to baclofen                                  N\n"
     "   e. body size too small for pump                         N     wt 24.6 kg\n"
     "   f. active infection                                     N\n", "insufficient_body_size", None, N),
    # "Not psychiatrically stable" states the instability (b98p-04).
    ("PSYCHOLOGY RE-EVALUATION 08/06/2024\nIMPRESSION\nMajor depressive disorder, recurrent. Not psychiatrically "
     "stable. High acute risk.\n", "unstable_mental_disorder", None, A),
    # A family's question about a bigger pump, not pursued, is no wish the request serves (b98l-03).
    ("PMR NOTE 04/04/2024\nPump at ERI; replacement scheduled. Same model/size; mom's question about larger "
     "reservoir discussed - not pursuing.\n", "replacement_for_convenience", None, None),
    # The surgeon's own "I can offer" (b98d-03).
    ("SURGICAL OPINION 02/20/2024\nFusion solid L3-S1, hardware intact. \"No further surgery I can offer her.\"\n",
     "further_treatment_not_indicated", None, A),
    # "No objective reduction in spasticity": the spasticity stays, its reduction is denied (b98m-03).
    ("ITB TRIAL NOTE 07/22/2024\nImpression: No objective reduction in spasticity on Modified Ashworth after "
     "50 mcg IT baclofen.\n", "spasticity", None, A),
    # A therapist's credential is no therapy: "M. Castellanos, PT, DPT" assessing a trial (b98m-03).
    ("ITB TRIAL NOTE 07/22/2024\nOperator: Priya Iyer, MD          Assessor (blinded to dose): M. Castellanos, PT, "
     "DPT\n", "physical_therapy", None, None),
    ("ITB TRIAL NOTE 07/22/2024\nMAS scored at 1, 2 and 4 h by J. Lee, PT, DPT.\n", "physical_therapy", None, None),
    # Another trial's tolerance is not the intrathecal trial's (b98p-06).
    ("PT DISCHARGE SUMMARY 11/06/2023\nInterventions:\n- Edema management, compression sock trial (not "
     "tolerated)\n", "trial_side_effects", None, None),
    # A therapy note from a psychology practice that has the clearance still to come (b98p-06).
    ("CBT-CP PROGRESS NOTE\nDate: 10/08/2024\nP: Sessions 5-8 scheduled weekly.\n   Clearance letter NOT yet "
     "issued.\n\nS. Okereke, LMHC\nCascade Pain Psychology, PLLC\n", "psych_clearance", None, HYPO),
    # A ticked option's unticked neighbour is no part of the answer (b98p-06).
    ("PAIN NOTE 10/14/2024\nPatient seen.\n\nCRPS right foot, stable.\n\nPre-op checklist:\nPsych clearance  [X] "
     "obtained  [ ] pending\n", "psych_clearance", None, A),
    # A recall of the clinician's programmer software is none of the pump's (b98d-02).
    ("VeraNeuro Medical, Inc.  -  Customer Notification\nRef: CN-2024-003 (FDA class II recall - software)   "
     "02/20/2024\nSubject: Clinician Programmer App v3.1.x - display rounding anomaly\n", "device_recalled", None,
     None),
    ("PUMP NOTE 03/01/2024\nThe manufacturer issued a class I recall of the pump model for motor stall; his serial "
     "is in the affected range.\n", "device_recalled", None, A),
    # Refills a hardship, halved or stretched: the convenience of the exchange (b98d-02).
    ("LETTER 05/21/2024\nHis pump works normally. The family lives two hours away and refills every 12 weeks are a "
     "real hardship for his mother.\n", "replacement_for_convenience", None, A),
    ("LETTER 05/21/2024\nHis pump works normally. The newer model would let us roughly halve his refill visits.\n",
     "replacement_for_convenience", None, A),
    # A referral placed, or a plan to revisit, is no course of therapy had (b98m-02).
    ("PROBLEM LIST 09/09/2024\n- PT re-referral placed 05/14/2024 - pt did not schedule (no transportation).\n",
     "physical_therapy", None, None),
    ("PAIN NOTE 09/09/2024\nRevisit PT when transportation arranged.\n", "physical_therapy", None, None),
    ("PAIN NOTE 09/09/2024\nPT referral 05/2024; never attended.\n", "physical_therapy", None, None),
    ("PAIN NOTE 09/09/2024\nPT referral 05/2024, completed 8 visits with modest gain.\n", "physical_therapy", None,
     A),
    # A log the programmer could not read says nothing of an alarm (b98l-04) ...
    ("IT PUMP CLINIC\nNursing Visit Note\nInterrogation: NOT COMPLETED. Clinician programmer would not establish "
     "telemetry\n(programmer error E-07 - same error seen on 2 other pts this week, tablet being replaced).\n"
     "Pump status, alarm log and reservoir volume could not be read. Refill NOT done - unable to\n"
     "confirm expected vs actual reservoir volume without interrogation.\n", "impending_failure_alert", None, None),
    # ... and a failure inferred from symptoms is a suspicion (b98l-04).
    ("NURSING NOTE 06/04/2024\nA: Increased pain with probable opioid withdrawal symptoms.\n", "device_malfunction",
     None, None),
    ("NURSING NOTE 06/04/2024\nRotor study: marker did not advance; rotor stall confirmed.\n", "device_malfunction",
     None, A),
    # An evaluation "completed with clearance" has no clearance still to come (b47x-06 kept).
    ("PAIN H&P 09/05/2024\nPLAN: Psychological evaluation completed with clearance (see report). Proceed with "
     "request for permanent pump.\n", "psych_clearance", None, A),
    # A negation inside the patient's quoted words stays inside them (audit 45).
    ("NURSING NOTE 06/04/2024\nS: Pt reports ~6 wks of increasing low back/leg pain, \"like it's not working "
     "anymore\", 8/10\n(usual 3-4). Night sweats.\n", "intractable_pain", None, A),
    # An evaluation's sources of information name documents, not what they say (audit 45).
    ("PSYCHOLOGICAL EVALUATION 07/29/2024\n\nSOURCES OF INFORMATION\nClinical interview x2, review of pain clinic\n"
     "records, PT discharge summary (02/2024), CBT treatment notes from this\npractice, standardized measures.\n\n"
     "BACKGROUND\nFusion 2019.\n", "cbt", None, None),
    # The trial's relief with the oral opioids stopped is no failure of them (audit 45).
    ("IT TRIAL NOTE 08/01/2024\nResult: average pain 8 -> 3 (about 63-70% reduction) with oral opioids stopped.\n",
     "systemic_opioids_failed", None, None),
    # ... and it is the trial's relief, the oral drugs stopped naming no route of it (b98m-06).
    ("INTRATHECAL TRIAL SUMMARY\nTrial dates: 09/09/2024 - 09/12/2024\n\nResult: average pain 8 -> 3 (about 63-70% "
     "reduction) with oral opioids stopped. Side effects minimal.\n", "trial_relief_percent", 63.0, A),
    # Therapy offered and turned down, or referred and never begun, is none had then (b97m-04) ...
    ("PAIN NOTE 09/10/2024\nRe-offered PT; pt again declined.\n", "physical_therapy", None, N),
    ("PROBLEM LIST 09/09/2024\n- PT re-referral placed 05/14/2024 - pt did not schedule (no transportation).\n",
     "physical_therapy", None, N),
    # ... but more of a course had, refused, leaves the course.
    ("PAIN NOTE 09/10/2024\nPT 12 visits 2024, completed; declined further visits.\n", "physical_therapy", None, A),
    # A count of zero after its label in prose denies it (b99m-05).
    ("REFILL NOTE 04/22/2025\n - Interrogation: no alarms logged since R15. Motor stall events: 0. Reservoir alarm "
     "setting 2.0 mL.\n", "device_malfunction", None, N),
    # A therapy report's start of care and last visit are the course's dates (b99p-01).
    ("HARBORVIEW OUTPATIENT REHAB -- PHYSICAL THERAPY DISCHARGE SUMMARY\n\nPt: Doe, John     DOB: 4/19/72\n"
     "Start of care: 01/09/2024      Last visit: 04/02/2024      Visits: 16 (2x/wk x 8 wks)\n", "physical_therapy",
     84.0, A),
    # A score asked for is none taken (b99q-06).
    ("ITB TEST DOSE 04/22/2024\nMONITORING\nTime    HR    RR   SpO2   BP        Sedation   Comments\n"
     "12:00   90    18   98%    100/58    1          ate lunch, no vomiting\n"
     "13:00   94    20   98%    104/60    1          PT paged for post-dose MAS - PT in clinic\n", "ashworth_drop",
     None, None),
    # The therapist paged or away is no therapy (b99q-06) ...
    ("ITB TEST DOSE 04/22/2024\nNotes: PT paged for post-dose MAS at 13:00; PT unable to come before d/c.\n",
     "physical_therapy", None, None),
    # ... but the therapy that has not helped, or a course the therapist could not progress, is
    # therapy (the session's review).
    ("SPASTICITY NOTE 05/01/2024\nPT has not helped his spasticity; spasms persist.\n", "noninvasive_methods_failed",
     None, A),
    ("PT NOTE 05/01/2024\nPT unable to progress her; discharged after 14 visits.\n", "physical_therapy", None, A),
    # A differential that names the pump after the catheter suspects the pump too, and a plan in
    # another candidate's bracket plans nothing of it (b99x-06).
    ("PUMP CLINIC 09/12/2025\nA:\n1. Loss of IT analgesic effect w/ normal interrogation -- ddx: catheter "
     "occlusion/migration/\n   dislodgement vs. pump rotor malfunction not caught by telemetry vs. disease "
     "progression (new rib pain,\n   restaging pending) vs. tolerance\n", "device_malfunction", None, P),
    # Kept while session 28 read more (its full dumps): a value's "none." ends its answer, the next
    # sentence on the line is its own (b11l-01) ...
    ("TRIAL NOTE 07/22/2025\nHome medications held AM of procedure: none. Last pregabalin dose 21:00 prior "
     "evening.\n", "pharmacological_treatment", None, A),
    # ... spasms "a little better" is no control (b95m-02, a wrapped row now read whole) ...
    ("MED LIST 05/02/2024\nDiazepam       2 mg PO qHS                 03/2024     --          CURRENT. nocturnal "
     "spasms a\n                                                                   little better, AM grogginess\n",
     "oral_antispasmodic_effective", None, None),
    # ... "in the past year" is now, and another drug's trial beside a block is no intrathecal one
    # (b10l-06, its 2022 blocks now dated by their bare year).
    ("LETTER 02/20/2025\nIn the past year she has remained on pregabalin, low-dose naltrexone trial, and had "
     "repeat right L2-L3 lumbar sympathetic blocks in May and August 2024, again with brief relief.\n",
     "pain_injections", None, A),
    # An opinion "to follow" is still to come (b99p-06).
    ("PSYCHOLOGY INTERIM NOTE 10/01/2024\nPain psychology evaluation in progress. Final report and "
     "candidacy/clearance opinion to follow after 10/24/2024.\n", "psych_clearance", None, None),
    # A letter's failure beside a record that only suspects it (batch 100's three false approvals):
    # candidates listed under a differential, a finding "possible" at its sentence's end, a loss of
    # effect, and a reading that argues against the failure are no failure stated.
    ("DEVICE CLINIC 10/07/2024\nA: Under-infusion, cause NOT yet established. DDx:\n   (a) pump/rotor dysfunction\n"
     "   (b) catheter occlusion / kink / disconnection / tip granuloma\n", "device_malfunction", None, None),
    ("DEVICE CLINIC 06/20/2024\nUnable to aspirate CSF after 3 attempts.\nCatheter occlusion, kink or disconnection "
     "possible.\n", "device_malfunction", None, P),
    ("PAIN NOTE 07/01/2024\nA: Loss of analgesic efficacy of IDDS.\n", "device_malfunction", None, None),
    ("PAIN NOTE 07/01/2024\nReservoir volumes argue against gross pump failure.\n", "device_malfunction", None, N),
    # "a clear injury" near a psychological word is no clearance (b73p-01, kept after the dump) ...
    ("PSYCH EVAL 07/22/2024\nFrom a psychological standpoint she is clear to proceed with the trial.\n",
     "psych_clearance", None, A),
    # A comparison of times is no differential: "MAS at peak vs pre-dose" (b100d-02).
    ("ITB SCREENING FLOWSHEET 03/12/2024\nMAS at peak vs pre-dose: hip add 3->1+ (R), 3->1 (L).\n", "ashworth_drop",
     None, A),
    # Regressions the session's review found (about 150 sentences through the code before and after),
    # each mended: a new finding wished for only where asked for (R2) ...
    ("PUMP NOTE 05/01/2025\nPain improved on the pump; NRS 4/10 from 8/10 pre-implant.\n", "upgrade_wish", None,
     None),
    ("PUMP NOTE 05/01/2025\nThe newer model has a 40 mL reservoir; she is happy with her current pump.\n",
     "upgrade_wish", None, None),
    ("LETTER 05/01/2025\nHis pump works. The newer 40 mL model would let us stretch refills to every 8 to 10 "
     "weeks.\n", "upgrade_wish", None, A),
    # ... a hedge only before the failure it hedges (R3) ...
    ("CT 05/10/2025\nCatheter fracture at L1 seen on CT myelogram, likely from repetitive flexion.\n",
     "device_malfunction", None, A),
    ("LETTER 05/10/2025\nThe pump has malfunctioned and will likely need replacement.\n", "device_malfunction",
     None, A),
    # ... a course had and its last visits missed, or another treatment declined, is still had (R5) ...
    ("PT NOTE 05/01/2024\nShe had PT at Summit Rehab for 8 weeks; no-show to the last two visits.\n",
     "physical_therapy", None, A),
    ("PAIN NOTE 05/01/2024\nPT 2x/week since March; patient declined epidural injections.\n", "physical_therapy",
     None, A),
    # ... "not psychiatrically stable" after "is", and a disorder "not stable" (M1) ...
    ("PSYCH NOTE 08/06/2024\nShe is not psychiatrically stable.\n", "unstable_mental_disorder", None, A),
    ("PSYCH NOTE 08/06/2024\nHer mood disorder is not stable.\n", "unstable_mental_disorder", None, None),
    # ... and a printout's "Pump status: functioning as programmed" is the pump working (M2).
    ("INTERROGATION 05/01/2025\nPump status: functioning as programmed.\n", "device_malfunction", None, N),
]


@pytest.mark.parametrize(COLUMNS, SESSION28_ROWS)
def test_pipeline_session28_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(("text", "summary"), [
    # A note that mentions another document by its kind is not that document (b98p-04).
    ("PSYCHO-ONCOLOGY RE-EVALUATION\nReferral:  Re-screen before implantation; navigator flagged PHQ-9 of 19 on\n"
     "           the 07/30 pre-op questionnaire.\n\nINTERVIEW\nMood low.\n", False),
    ("PAIN NOTE\nScores taken from the patient's intake questionnaire.\n", False),
    # ...nor are records printed for one (b98x-05).
    ("LAKEVIEW PAIN CENTER\nEncounter history - printed for prior authorization 06/05/2024\nPatient: DOE, JANE\n",
     False),
    # ...but a form that names itself is the form.
    ("BLUE RIVER HEALTH PLAN\nINTRATHECAL PUMP PRIOR AUTHORIZATION QUESTIONNAIRE\n1. Diagnosis: CRPS\n", True),
    ("To whom it may concern:\nI am writing on behalf of my patient.\n", True),
    # Instruments the patient filled in are no payer form (b99p-06).
    ("PAIN PSYCHOLOGY - INTERIM NOTE\nSession 1: 09/26/2024, 90 min (interview + questionnaires)\n", False),
])
def test_a_note_naming_another_document_is_not_that_document(text: str, summary: bool) -> None:
    assert _is_summary(text) is summary


def test_a_dates_label_dates_the_note() -> None:
    """Blind batch 98: "Date(s) ...... 05/13/2024 (interview), 05/20/2024 (testing)" dates the report."""
    text = "PSYCHOLOGICAL EVALUATION\n\nPatient ............ Jane Doe\nDate(s) ............ 05/13/2024 " \
           "(interview), 05/20/2024 (testing/feedback)\n"
    assert note_date(text) == dt.date(2024, 5, 13)


def test_a_clearance_contingent_on_a_course_awaits_it(facts_for) -> None:
    """Blind batch 98: "clearance for permanent implantation is contingent on completion of the
    8-session CBT-CP course" waits for the course (the engine reads whether it was done)."""
    text = ("PSYCHOLOGICAL EVALUATION 05/20/2024\nb) CLEARANCE: CONDITIONAL.\n   - Permanent implant: psychological "
            "clearance for permanent\n     implantation is contingent on completion of the 8-session CBT-CP\n"
            "     course.\n")
    affirmed = [f for f in facts_for(text, dt.date(2024, 10, 21))
                if f.name == "psych_clearance" and f.assertion is A]
    assert affirmed and all(f.roles.get("awaits") == "cbt" for f in affirmed)


def test_a_copied_forward_block_is_dated_by_the_note_it_came_from(facts_for) -> None:
    """Blind batch 26 (kept while session 28 reopened clearances by later pending notes): "---
    copied forward from 05/14/2024, reviewed ---" over "Psych: evaluation ordered; clearance
    pending" in an August note is May's word, not August's."""
    text = ("PROGRESS NOTES\n==== Encounter 2 | 08/27/2024 | Post-trial visit ====\nInterval: trial done.\n\n"
            "--- copied forward from 05/14/2024, reviewed ---\nA/P (05/14) #2. Psych: evaluation ordered; clearance "
            "pending.\n--- end copied text ---\n\nUpdates today:\n- Psych re-evaluation done; report in chart.\n")
    blocks = copied_blocks(text)
    assert [(text[lo:hi].strip()[:7], day) for lo, hi, day in blocks] == [("A/P (05", dt.date(2024, 5, 14))]
    pending = [f for f in facts_for(text, dt.date(2024, 9, 3)) if f.name == "psych_clearance"
               and f.roles.get("timing") == "pending"]
    assert pending and all(f.observed_on == dt.date(2024, 5, 14) for f in pending)


def test_a_wrapped_table_row_is_cited_whole(facts_for) -> None:
    """Evidence audit 45: "dantrolene ... stopped: arm" was cited without the lines its outcome
    wraps onto ("weakness, can't" / "push w/c"): a quote that stops mid-reason."""
    text = ("SPASTICITY CLINIC SUMMARY 05/14/2024\n\nORAL AGENTS\n"
            " DRUG          DOSE              DATES              OUTCOME\n"
            " baclofen      20 mg QID         06/2023 - present  spasms persist,\n"
            "                                                    pain 7/10\n"
            " dantrolene    25 mg TID         01/2024 - 02/2024  stopped: arm\n"
            "                                                    weakness, can't\n"
            "                                                    push w/c\n")
    quotes = [f.evidence[0].text for f in facts_for(text, dt.date(2024, 6, 1)) if f.name == "oral_antispasmodic_failed"]
    assert any(q.startswith("dantrolene") and q.endswith("push w/c") for q in quotes), quotes


def test_a_bare_year_dates_the_care_it_names(facts_for) -> None:
    """Evidence audit 45: "Tramadol 2022 -> no benefit" was cited for the last year's medication;
    a bare year is the latest the care went on (its last day), unless the care began then."""
    text = "PAIN NOTE 07/08/2024\nGabapentin since 2021, continues.\nTramadol 2022 -> no benefit.\n"
    facts = {f.evidence[0].text.split()[0]: f for f in facts_for(text, dt.date(2024, 7, 8))
             if f.name == "pharmacological_treatment"}
    assert facts["Tramadol"].latest_on == dt.date(2022, 12, 31)
    assert facts["Gabapentin"].latest_on is None


def test_a_fenced_date_line_starts_a_note() -> None:
    """Evidence audit 45: an encounter history printed for a payer heads each note with its date
    between two rules; its notes were undated, so nothing in them could be placed in the year."""
    text = ("LAKEVIEW PAIN CENTER\nEncounter history - printed 06/05/2024\n\n" + "=" * 40 + "\n"
            "09/19/2023  PROCEDURE - R lumbar sympathetic block #2 (L3), fluoro\n" + "=" * 40 + "\nPre: NRS 8.\n\n"
            + "=" * 40 + "\n10/24/2023  OFFICE F/U\n" + "=" * 40 + "\nS: 40F, CRPS.\n")
    notes = find_notes(text, [0])
    assert notes.date_at(text.index("Pre: NRS")) == dt.date(2023, 9, 19)
    assert notes.date_at(text.index("S: 40F")) == dt.date(2023, 10, 24)


def test_a_differential_suspects_each_part_it_names(facts_for) -> None:
    """Blind batch 99: one fact per sentence kept only the catheter of "catheter occlusion vs.
    pump rotor malfunction"; each part named is a mention of its own."""
    text = ("PUMP CLINIC 09/12/2025\nA: ddx catheter occlusion vs. pump rotor malfunction not caught by telemetry "
            "vs. disease progression.\n")
    parts = {f.roles.get("component") for f in facts_for(text, dt.date(2025, 9, 18))
             if f.name == "device_malfunction" and f.assertion is P}
    assert parts == {"catheter", "pump"}


def test_a_bare_year_of_care_that_goes_on_is_no_end() -> None:
    """The session's review (R1): "Gabapentin (2021 - current)" goes on; only a year that closes
    the care dates its end."""
    from extractors.pipeline import _latest_date

    assert _latest_date("Gabapentin 600 mg TID (2021 - current), modest benefit.", dt.date(2024, 7, 8)) is None
    assert _latest_date("| Duloxetine 60 mg | 2023 | ongoing, partial benefit |", dt.date(2024, 7, 8)) is None
    assert _latest_date("Tramadol 2022 -> no benefit.", dt.date(2024, 7, 8)) == dt.date(2022, 12, 31)


def test_an_unfenced_copied_block_ends_at_the_notes_own_label() -> None:
    """The session's review (M3): "History copied forward from 03/02/2025:" reaches only to the
    note's next label of its own, not to the end of the note."""
    text = ("NOTE 09/01/2025\nHistory copied forward from 03/02/2025:\nPsych eval pending.\nA/P:\n"
            "Psych clearance pending, appt 10/01.\n")
    assert [text[lo:hi] for lo, hi, _ in copied_blocks(text)] == ["Psych eval pending.\n"]


def test_a_clear_injury_is_no_clearance(facts_for) -> None:
    """b73p-01 (kept after the session's full dump): "not better accounted for by psychological
    factors; the record describes a clear injury" was read as clearance denied."""
    text = ("PSYCHOLOGICAL EVALUATION 07/22/2024\nIMPRESSIONS\nAdjustment disorder with mixed anxiety and depressed "
            "mood, in the setting of chronic pain (F43.23). Her pain is not better accounted for by psychological "
            "factors; the record describes a clear injury and objective CRPS signs, and I do not consider this a "
            "somatic symptom presentation.\n")
    assert not [f for f in facts_for(text, dt.date(2024, 10, 1)) if f.name == "psych_clearance"]

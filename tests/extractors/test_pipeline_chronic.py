"""ChartExtractor on chronic non-malignant pain: cause, severity, failed treatment, ADLs,
conservative care and its durations, injections, CBT, surgery not indicated, psych clearance.

Rows are how pain clinic notes are written (templates, dictation, terse bullets); a row the
extractor gets wrong is kept and marked xfail(strict) naming the gap. Durations are in days,
resolved against the note's dated header when it has one, else the service date 2025-10-01.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.extractors.rows import COLUMNS, FAM, HIST, HYPO, A, N, P, gap

SERVICE = dt.date(2025, 10, 1)
WEEK, MONTH, YEAR = 7.0, 30.4375, 365.25


def since(year: int, month: int = 1) -> float:
    return float((SERVICE - dt.date(year, month, 1)).days)


def between(first: dt.date, last: dt.date) -> float:
    return float((last - first).days)



ETIOLOGY = [
    # Evidence audit 5: one cause ruled out does not say the pain has none.
    ("No pathologic compression fracture.", "chronic_pain_etiology", None, None),
    ("Dx: failed back surgery syndrome s/p L4-S1 fusion.", "chronic_pain_etiology", "failed back surgery syndrome", A),
    ("CRPS type I of the left lower extremity after ankle fracture.", "chronic_pain_etiology", "CRPS type I", A),
    ("Lumbar radiculopathy, L5 distribution, confirmed on EMG.", "chronic_pain_etiology", "radiculopathy", A),
    ("Post-laminectomy syndrome, lumbar region (M96.1).", "chronic_pain_etiology", None, A),
    ("Severe lumbar spondylosis with facet arthropathy.", "chronic_pain_etiology", None, A),
    ("Painful diabetic peripheral neuropathy of both feet.", "chronic_pain_etiology", "neuropathy", A),
    ("Arachnoiditis confirmed on MRI with clumped nerve roots.", "chronic_pain_etiology", "arachnoiditis", A),
    ("Postherpetic neuralgia (T8 dermatome) since 2021.", "chronic_pain_etiology", None, A),
    ("DDD L3-S1 with modic changes.", "chronic_pain_etiology", "DDD", A),
    # A test that rules out one cause is not read as a denial of every cause (it was, before
    # evidence audit 5; the decisions on all cases were the same either way).
    ("EMG: no evidence of radiculopathy.", "chronic_pain_etiology", None, None),
    ("Mother had trigeminal neuralgia.", "chronic_pain_etiology", None, FAM),
    ("Rule out CRPS; three-phase bone scan ordered.", "chronic_pain_etiology", None, P),
    ("Back pain from vertebral metastases with compression fracture.", "chronic_pain_etiology", None, None),
]

INTRACTABLE = [
    # Blind batch 21: a rating out of ten in a sentence about the pain is its severity.
    ("His pain is rated 7-9/10, constant, worse with standing and walking.", "intractable_pain", None, A),
    ("He now has post-traumatic thoracolumbar pain with severe facet arthropathy at L2-L3 on CT (01/2024), "
     "rated 7-8/10 daily.", "intractable_pain", None, A),
    ("Pain is described as burning and \"crushing,\" 8-9/10, worse with any touch.", "intractable_pain", None, A),
    ("Back pain rated on average seven to eight out of ten.", "intractable_pain", None, A),
    ("CRPS type I RLE, severe, refractory to targeted therapy (sympathetic blocks, SCS trial).",
     "intractable_pain", None, A),
    ("Discharge status: no meaningful change in pain (7-8/10) or standing tolerance.", "intractable_pain", None, A),
    ("Anxiety 8/10 today; PHQ-9 14.", "intractable_pain", None, None),
    ("Pain 3/10 today.", "intractable_pain", None, None),
    # Blind batch 10: a letter's wording.
    ("Her pain is severe and unrelenting at 8/10, and it is confined to the right foot.", "intractable_pain", None, A),
    ("Intractable low back pain despite multimodal therapy.", "intractable_pain", None, A),
    ("Severe neck pain after the 2018 accident, now resolved.", "intractable_pain", None, HIST),
    ("Severe knee pain in 2020 which has since resolved.", "intractable_pain", None, HIST),
    ("Pain 8/10 at rest, 10/10 with activity.", "intractable_pain", None, A),
    ("Reports severe burning pain in the left foot.", "intractable_pain", None, A),
    ("NRS 7/10 average over the past week.", "intractable_pain", None, A),
    ("Moderate-to-severe axial pain limiting function.", "intractable_pain", None, A),
    ("Debilitating neuropathic pain since 2020.", "intractable_pain", None, A),
    ("VAS 9/10.", "intractable_pain", None, A),
    ("Pain score: 6-8/10", "intractable_pain", None, A),
    ("Pain 2/10 today, well controlled.", "intractable_pain", None, None),
    ("Denies severe pain.", "intractable_pain", None, N),
    ("Mom has severe arthritis pain.", "intractable_pain", None, FAM),
    ("Severe postoperative pain in 2019, since resolved.", "intractable_pain", None, HIST),
    ("Past history of severe knee pain before her 2018 arthroplasty.", "intractable_pain", None, HIST),
]

TARGETED_FAILED = [
    # Blind batch 20: a refusal's reach ends before "after the failed ...".
    ("Ortho states no surgical target; she has declined a DRG stimulator trial after the failed SCS trial.",
     "targeted_treatment_failed", None, A),
    # Blind batch 10: treatment named by its aim, and relief lasting hours.
    ("Treatment directed at her CRPS has failed.", "targeted_treatment_failed", None, A),
    ("She had a series of four lumbar sympathetic blocks in 2022, each with only hours of relief.",
     "targeted_treatment_failed", None, A),
    ("S/p L4-5 laminectomy 2019 without relief.", "targeted_treatment_failed", None, A),
    ("Failed SCS trial in 2022 (less than 30% relief).", "targeted_treatment_failed", None, A),
    ("Dx: FBSS.", "targeted_treatment_failed", None, A),
    ("Radiofrequency ablation x2 gave only temporary relief.", "targeted_treatment_failed", None, A),
    ("Lumbar fusion L4-S1 in 2020, pain persisted postoperatively.", "targeted_treatment_failed", None, A),
    ("Lumbar sympathetic blocks provided no lasting benefit for her CRPS.", "targeted_treatment_failed", None, A),
    ("ESIs x3 with no significant relief.", "targeted_treatment_failed", None, A),
    ("Kyphoplasty at T12 did not help.", "targeted_treatment_failed", None, A),
    ("Plan for SCS trial if medications fail.", "targeted_treatment_failed", None, HYPO),
    ("Excellent response to RFA, 80% relief x 9 months.", "targeted_treatment_failed", None, None),
    ("Has not had surgery; conservative care failed.", "targeted_treatment_failed", None, None),
    ("Not a surgical candidate per neurosurgery.", "targeted_treatment_failed", None, None),
]

ADL_DIFFICULTY = [
    # Blind batch 21: one shoe, one sock, a wheelchair since a year.
    ("Cannot tolerate a shoe or sock on the right foot and has used a wheelchair for community distances since 2022.",
     "adl_difficulty", None, A),
    # Blind batch 10: "has not been able to".
    ("Since 2021 she has not been able to work, walk more than a block, drive, or stand long enough to cook a meal.",
     "adl_difficulty", None, A),
    ("Unable to stand more than 10 minutes to cook.", "adl_difficulty", None, A),
    ("Difficulty with dressing and bathing for the past 8 months due to back pain.", "adl_difficulty", 8 * MONTH, A),
    (
        "DOS: 10/01/2025\nNeeds help from her husband with showering since March 2024.",
        "adl_difficulty",
        since(2024, 3),
        A,
    ),
    ("ADLs limited by pain x 1 year.", "adl_difficulty", YEAR, A),
    ("Can no longer mow the lawn or do laundry.", "adl_difficulty", None, A),
    ("ODI 62% (severe disability).", "adl_difficulty", None, A),
    (
        "Encounter date: 10/01/2025\nPain interferes with sleep and work; unable to work since 06/2023.",
        "adl_difficulty",
        since(2023, 6),
        A,
    ),
    (
        "Date of visit: 10/01/2025\nHas had trouble climbing stairs and grocery shopping since January 2024.",
        "adl_difficulty",
        since(2024, 1),
        A,
    ),
    ("Wife helps him with socks and shoes.", "adl_difficulty", None, A),
    ("Denies difficulty with ADLs.", "adl_difficulty", None, N),
    ("If pain worsens she may need assistance with bathing.", "adl_difficulty", None, HYPO),
    ("Independent with all ADLs.", "adl_difficulty", None, None),
]

CONSERVATIVE_CARE = [
    # Evidence audit 5: a drug screen finds what is taken, not what was tried for pain.
    ("UDS 11/2025 consistent (+oxycodone metabolites, otherwise neg).", "pharmacological_treatment", None, None),
    ("Conservative care since 2022 including NSAIDs, PT and ESIs.", "conservative_care", since(2022), A),
    ("Has failed > 6 months of conservative management.", "conservative_care", 6 * MONTH, A),
    (
        "Date of visit: 10/01/2025\nNon-operative treatment from 01/2024 to 07/2024.",
        "conservative_care",
        between(dt.date(2024, 1, 1), dt.date(2024, 7, 31)),
        A,
    ),
    (
        "DOS: 10/01/2025\nTreated in our clinic since 5/2021 for axial low back pain.",
        "conservative_care",
        since(2021, 5),
        A,
    ),
    ("Multidisciplinary pain program x 8 weeks in 2023.", "conservative_care", 8 * WEEK, A),
    ("Conservative therapy for the past 2 years.", "conservative_care", 2 * YEAR, A),
    (
        "Non-surgical care March to September 2022 without lasting benefit.",
        "conservative_care",
        between(dt.date(2022, 3, 1), dt.date(2022, 9, 30)),
        A,
    ),
    ("Has been under my care since 2019 with medication management and PT.", "conservative_care", since(2019), A),
    ("Conservative treatment has not been tried.", "conservative_care", None, N),
    ("Recommend continued conservative care.", "conservative_care", None, HYPO),
    gap(
        "Plan: conservative management with PT and NSAIDs.",
        "conservative_care",
        None,
        None,
        "a 'Plan:' item is read as treatment done, not planned",
    ),
]

PHYSICAL_THERAPY = [
    # Blind batch 23: a therapy report's dates of care are the course's.
    ("PHYSICAL THERAPY DISCHARGE SUMMARY\n\nPatient: X\nDates of care: 10/14/2024 - 04/22/2025\nVisits: 24\n",
     "physical_therapy", None, A),
    # Evidence audit 5: the therapist's concerns are no therapy denied.
    ("No PT concerns regarding the intrathecal pump site.", "physical_therapy", None, None),
    # Blind batch 12: "PT" for the patient.
    ("PT states she can no longer stand to cook a full meal.", "physical_therapy", None, None),
    # Blind batch 11: an account number is no physical therapy.
    ("DOB: 03/22/1967     Acct #: PT-2290457", "physical_therapy", None, None),
    ("PT 2x/week x 12 weeks in 2024 without lasting benefit.", "physical_therapy", 12 * WEEK, A),
    ("Completed 6 weeks of formal physical therapy in early 2025.", "physical_therapy", 6 * WEEK, A),
    (
        "DOS: 10/01/2025\nPhysical therapy from 01/2025 to 06/2025.",
        "physical_therapy",
        between(dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        A,
    ),
    ("Date of service: 10/01/2025\nAquatic therapy since June 2025.", "physical_therapy", since(2025, 6), A),
    ("Has been doing PT for the past 3 months.", "physical_therapy", 3 * MONTH, A),
    ("PT x 6 wks, no improvement.", "physical_therapy", 6 * WEEK, A),
    (
        "Physiotherapy March to September 2022, minimal benefit.",
        "physical_therapy",
        between(dt.date(2022, 3, 1), dt.date(2022, 9, 30)),
        A,
    ),
    ("Never had physical therapy.", "physical_therapy", None, N),
    ("Referred to PT for core strengthening.", "physical_therapy", None, HYPO),
    ("Will start physical therapy next week.", "physical_therapy", None, HYPO),
    ("PT/INR 14.2/1.1 on warfarin.", "physical_therapy", None, None),
    ("Pt reports 8/10 pain.", "physical_therapy", None, None),
]

HOME_EXERCISE = [
    ("Continues daily HEP.", "home_exercise_program", None, A),
    ("Compliant with home exercise program taught by PT.", "home_exercise_program", None, A),
    ("HEP: walking 20 min daily, core stabilization.", "home_exercise_program", None, A),
    ("Independent home exercise program x 6 months.", "home_exercise_program", None, A),
    ("Instructed in HEP today.", "home_exercise_program", None, A),
    ("Does stretches at home every morning.", "home_exercise_program", None, A),
    ("Not doing her home exercises.", "home_exercise_program", None, N),
    ("Non-compliant with HEP.", "home_exercise_program", None, N),
    ("Will start a home exercise program after PT discharge.", "home_exercise_program", None, HYPO),
    ("Hep C antibody positive, treated in 2019.", "home_exercise_program", None, None),
]

PAIN_INJECTIONS = [
    # Blind batch 17: a form's "If yes, explain" is no condition.
    ("Q7.  Interventional pain injections ..............  [X] Y   [ ] N\n"
     "       If yes, explain:  L lumbar sympathetic block 03/2025, 05/2025 - 1-2 days relief each",
     "pain_injections", None, A),
    ("L4-5 TFESI x2 in 2023 with 2 weeks of relief.", "pain_injections", None, A),
    ("Bilateral L3-5 medial branch blocks with 80% relief, followed by RFA.", "pain_injections", None, A),
    ("Has had multiple epidural steroid injections without lasting relief.", "pain_injections", None, A),
    ("Trigger point injections to the trapezius last month.", "pain_injections", None, A),
    ("Left SI joint injection 3/2024 - no benefit.", "pain_injections", None, A),
    ("Stellate ganglion block x3 for CRPS, transient relief.", "pain_injections", None, A),
    ("No prior injections.", "pain_injections", None, N),
    ("Candidate for cervical ESI; will schedule.", "pain_injections", None, HYPO),
    ("Intrathecal bolus injection of morphine performed.", "pain_injections", None, None),
    ("Insulin injections twice daily.", "pain_injections", None, None),
    ("Botox injections for chronic migraine.", "pain_injections", None, None),
    ("B12 injections monthly for deficiency.", "pain_injections", None, None),
]

INJECTIONS_NOT_INDICATED = [
    ("Interventional procedures are not indicated given diffuse pathology.", "injections_not_indicated", None, A),
    ("Not a candidate for epidural steroid injections due to anticoagulation.", "injections_not_indicated", None, A),
    ("No role for further injections.", "injections_not_indicated", None, A),
    ("Facet injections not recommended as MBBs were negative.", "injections_not_indicated", None, A),
    ("Injections contraindicated (on warfarin, cannot hold).", "injections_not_indicated", None, A),
    ("Injections would not help central sensitization.", "injections_not_indicated", None, A),
    ("Spine surgeon feels injections are not warranted.", "injections_not_indicated", None, A),
    ("Patient is not a good candidate for interventional pain procedures.", "injections_not_indicated", None, A),
    ("ESI recommended at L5-S1.", "injections_not_indicated", None, None),
    ("Further injections deferred until A1c is controlled.", "injections_not_indicated", None, None),
    ("Pt declines injections.", "injections_not_indicated", None, None),
]

CBT = [
    # Blind batch 3, exposed in session 7: a program that could not reach her did not treat her.
    ("Contacted patient after our CBT-CP program reported no response to three scheduling calls.", "cbt", None,
     None),
    # Blind batch 20: a recommendation the clause says was carried out is done, not planned.
    ("He completed the recommended cognitive behavioural therapy.", "cbt", None, A),
    ("- Psych: eval 02/2025 - cleared, CBT recommended -> completed 10 sessions", "cbt", None, A),
    ("CBT was recommended and completed (8 sessions).", "cbt", None, A),
    ("CBT recommended; will start in May.", "cbt", None, None),
    ("Final clearance will be issued once she has completed the recommended CBT.", "cbt", None, None),
    # Blind batch 18: an unbracketed "if recommended" qualifies the question.
    ("Q4d  CBT if recommended ..... Y  8 sessions CBT-CP, 01/2024 - 03/2024 (Dr. Haldane)", "cbt", None, A),
    # Blind batch 17: a bracketed condition in a form's question blocks nothing; a lettered item
    # answered N/A asserts nothing.
    ("Q8.  CBT (if suggested by psych eval) ..............  [X] Y   [ ] N", "cbt", None, A),
    ("      4d. CBT (if suggested on psychological evaluation) ...............  N/A", "cbt", None, None),
    # Blind batch 14: a measure to repeat after CBT is a plan for it.
    ("Plan: Re-evaluate PCS after CBT.", "cbt", None, None),
    ("Completed 8 sessions of CBT with a pain psychologist.", "cbt", None, A),
    ("Has been in cognitive behavioral therapy since 2023.", "cbt", None, A),
    ("Participated in a pain coping skills group x 6 weeks.", "cbt", None, A),
    ("Attends biofeedback sessions weekly.", "cbt", None, A),
    ("Graduated from an interdisciplinary pain program with a CBT component.", "cbt", None, A),
    ("Never had CBT.", "cbt", None, N),
    ("Recommend CBT for pain.", "cbt", None, None),
    ("Psychology eval: CBT suggested prior to implant.", "cbt", None, None),
    ("CBT-I for insomnia through the sleep clinic.", "cbt", None, None),
    ("Patient counseled on risks and benefits of the procedure.", "cbt", None, None),
    ("Genetic counseling for BRCA testing.", "cbt", None, None),
]

CBT_RECOMMENDED = [
    ("Recommend CBT for pain coping.", "cbt_recommended", None, A),
    ("Pain psychologist suggests cognitive behavioral therapy before proceeding.", "cbt_recommended", None, A),
    ("Referred to pain psychology for CBT.", "cbt_recommended", None, A),
    ("CBT is recommended per psychological evaluation.", "cbt_recommended", None, A),
    ("Would benefit from cognitive behavioral therapy.", "cbt_recommended", None, A),
    ("Plan: start CBT with Dr. Lee.", "cbt_recommended", None, A),
    ("CBT not needed per psych eval.", "cbt_recommended", None, N),
    ("Psych: no CBT indicated at this time.", "cbt_recommended", None, N),
    ("Completed CBT in 2023.", "cbt_recommended", None, None),
    ("Attending weekly CBT.", "cbt_recommended", None, None),
]

FURTHER_TREATMENT = [
    # Blind batch 16: "no surgical or further interventional treatment".
    ("Further options: reviewed by ortho; no surgical or further interventional treatment is indicated for the CRPS.",
     "further_treatment_not_indicated", None, A),
    ("Not a surgical candidate per spine surgery.", "further_treatment_not_indicated", None, A),
    ("No further surgical options per neurosurgery.", "further_treatment_not_indicated", None, A),
    ("Patient declines further spine surgery.", "further_treatment_not_indicated", None, A),
    ("Surgery is not recommended given multilevel disease.", "further_treatment_not_indicated", None, A),
    ("Exhausted all conservative and interventional options.", "further_treatment_not_indicated", None, A),
    ("Ortho: nothing further to offer surgically.", "further_treatment_not_indicated", None, A),
    ("Poor operative candidate due to COPD, EF 25%.", "further_treatment_not_indicated", None, A),
    ("Spine surgeon does not recommend further surgery.", "further_treatment_not_indicated", None, A),
    ("Surgery not indicated at this time.", "further_treatment_not_indicated", None, A),
    ("Neurosurgery recommends L3-4 decompression.", "further_treatment_not_indicated", None, N),
    ("Good surgical candidate; scheduled for revision fusion.", "further_treatment_not_indicated", None, N),
    ("Considering surgery vs SCS; will discuss at next visit.", "further_treatment_not_indicated", None, None),
]

PSYCH_CLEARANCE = [
    # Blind batch 23: ", and has been ..." starts a new predicate; the denial before it stops there.
    ("He has exhausted conservative care over the last ten months, has no surgical options, and has been "
     "psychologically cleared.", "psych_clearance", None, A),
    # Blind batch 22: a template's unfilled label says nothing; a report not yet in hand is no clearance.
    ("Psych: pre-IDDS eval done 8/14/25, report requested 8/27 and 9/2 - not rec'd. Clearance: ***",
     "psych_clearance", None, None),
    ("Psych eval: *** (date ***)  Clearance: ***", "psych_clearance", None, None),
    ("He saw Dr. Oyelaran for the pre-implant psychological evaluation on August fourteenth, he tells me it went "
     "fine, but we do not yet have her written report or a clearance letter.", "psych_clearance", None, None),
    # Blind batch 20: a clearance awaited is no clearance.
    ("PLAN:\n- Await psych clearance before scheduling IT trial", "psych_clearance", None, None),
    # Blind batch 16: a table row's unticked box asks; it does not answer.
    ("| Item                                 | Result                  |\n"
     "| Suicide screen                       | Denies SI/HI            |\n"
     "| Psych clearance on file              | [ ]                     |", "psych_clearance", None, None),
    # Blind batches 12-13: asked for, awaited or made a condition is no clearance yet; a report's
    # own item denies it.
    ("Dr. Adeyemi requests psychological evaluation and clearance prior to an intrathecal drug delivery trial.",
     "psych_clearance", None, None),
    ("| Psychological evaluation / clearance | Referred to Amara Lindqvist, PsyD 09/30/2025 - report not received |",
     "psych_clearance", None, None),
    ("- Psych: IDDS psych eval done 07/22/25 w/ Dr. Okafor - written report/clearance not yet rec'd.",
     "psych_clearance", None, None),
    ("- Plan continuous IT trial, HOPD, once psych clearance on file.", "psych_clearance", None, None),
    ("2. Candidate for intrathecal trial (IT morphine via temp lumbar catheter). Pre-IDDS psychological\n"
     "   evaluation w/ Dr. Haverford, PhD scheduled 07/09/2025 - clearance pending.", "psych_clearance", None, HYPO),
    ("PSYCHOLOGICAL EVALUATION FOR INTRATHECAL THERAPY\n\nSUMMARY AND RECOMMENDATIONS\n"
     "1. Clearance for intrathecal trial: NOT granted at this time.", "psych_clearance", None, N),
    # Blind batch 11: options offered, none ticked.
    ("3. Psych clearance for IDDS trial: [ ] Cleared  [ ] Not cleared  [ ] Conditional  ***",
     "psych_clearance", None, None),
    ("Psychological evaluation 08/2025: cleared for intrathecal pump trial.", "psych_clearance", None, A),
    ("Pre-implant psych eval completed; no contraindications to IDDS.", "psych_clearance", None, A),
    ("Psych eval: no contraindications to IDDS.", "psych_clearance", None, A),
    ("Behavioral medicine evaluation without psychological contraindication to the pump.", "psych_clearance", None, A),
    ("Psych eval has not yet been completed.", "psych_clearance", None, HYPO),
    ("Psychological evaluation not yet done.", "psych_clearance", None, HYPO),
    ("Cleared by pain psychology for trial.", "psych_clearance", None, A),
    ("MMPI-2 within normal limits; psychologically appropriate candidate.", "psych_clearance", None, A),
    ("Behavioral health: patient is an appropriate candidate, may proceed.", "psych_clearance", None, A),
    # An evaluation not (yet) done is one to ask for, not clearance refused (blind batch 25):
    # still to come, so the criterion is unknown and the request pends for it.
    ("Psych evaluation not yet done.", "psych_clearance", None, HYPO),
    ("Has not had psychological evaluation.", "psych_clearance", None, HYPO),
    ("Psychological evaluation not performed.", "psych_clearance", None, HYPO),
    ("Not psychologically cleared for implant.", "psych_clearance", None, N),
    ("Awaiting psychological clearance.", "psych_clearance", None, None),
    ("Psychiatry recommends against implant until depression stabilizes.", "psych_clearance", None, None),
]


# Blind batch 20: denying misuse of a medication denies no medication.
@pytest.mark.parametrize("text", [
    "Denies illicit drug use, denies ever using pain medication other than\nas prescribed; PDMP reviewed.",
    "She denies taking her oxycodone more than prescribed.",
])
def test_pipeline_denied_misuse_denies_no_medication(facts_for, text):
    assert not [f for f in facts_for(text) if f.name == "pharmacological_treatment" and f.assertion is N]


@pytest.mark.parametrize(COLUMNS, ETIOLOGY)
def test_pipeline_chronic_pain_etiology(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, INTRACTABLE)
def test_pipeline_intractable_pain(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, TARGETED_FAILED)
def test_pipeline_targeted_treatment_failed(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, ADL_DIFFICULTY)
def test_pipeline_adl_difficulty(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, CONSERVATIVE_CARE)
def test_pipeline_conservative_care(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, PHYSICAL_THERAPY)
def test_pipeline_physical_therapy(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, HOME_EXERCISE)
def test_pipeline_home_exercise_program(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, PAIN_INJECTIONS)
def test_pipeline_pain_injections(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, INJECTIONS_NOT_INDICATED)
def test_pipeline_injections_not_indicated(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, CBT)
def test_pipeline_cbt(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, CBT_RECOMMENDED)
def test_pipeline_cbt_recommended(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, FURTHER_TREATMENT)
def test_pipeline_further_treatment_not_indicated(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, PSYCH_CLEARANCE)
def test_pipeline_psych_clearance(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)

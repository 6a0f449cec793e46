"""Classes of error session 33 found on blind batches 123 and 124 (each scored at first sight before
it was fixed against, then fixed by class) and in evidence audit 52; each row fails on the code
before its change."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.documents import Document
from extractors.target_rules import load_rules
from tests.extractors.rows import COLUMNS, FAM, HIST, HYPO, A, N, P

SESSION33_ROWS = [
    # An evaluation under way, its clearance expected, is none yet (b123l-04, a false approval's class).
    ("PAIN CLINIC LETTER 06/14/2024\nHer psychological evaluation for intrathecal therapy is underway with "
     "Dr. Abernathy and\nwe expect clearance shortly.\n", "psych_clearance", None, None),
    ("PAIN CLINIC 06/14/2024\nPsychological evaluation is underway; clearance is expected next month.\n",
     "psych_clearance", None, None),
    # ... nor one a referral asks the psychologist to send (b124q-05).
    ("REFERRAL FAX 06/18/2024\nTo: Dr. I. Park, PhD (psychology)\nReferral: Pre-implant psychological evaluation for "
     "intrathecal pump.\nPlease include recommendation re: CBT and clearance status.\n", "psych_clearance", None, None),
    # An ability asked in a key and answered "no" is the limit itself (b123l-04).
    ("PHYSICAL THERAPY DISCHARGE SUMMARY\nOutcomes:\n  Tolerates sock/shoe on R foot: no -> intermittently\n",
     "adl_difficulty", None, A),
    # "basic daily tasks" are the activities of daily living (b124l-01).
    ("PAIN CLINIC LETTER 08/28/2024\nMr. Tillery has had real difficulty with basic daily tasks since at least "
     "2021.\n", "adl_difficulty", None, A),
    # An alarm whose kind is unknown, one of several, is no indicator reached (b124p-06, a false
    # approval's class) ...
    ("DEVICE CLINIC TELEPHONE ENCOUNTER 07/01/2024\nPump: ITB (SynchroMed II)\n- Mother heard beeping ~2 wks ago. "
     "Unknown which alarm (low reservoir vs\n  ERI vs other).\n", "impending_failure_alert", None, None),
    # ... nor is a request filed in case the pump is at its indicator.
    ("DEVICE CLINIC 07/01/2024\nDr. Whitcombe's office has started PA for pump replacement in case pump is at ERI.\n",
     "impending_failure_alert", None, None),
    # An episode of years ago with none since is no current suicidal ideation (b124l-04).
    ("PSYCHOLOGICAL EVALUATION 09/30/2024\nShe reports one period of passive thoughts of death in 2021 when she lost "
     "her job, without plan or intent, and no suicidal ideation since; no attempts, no psychiatric admissions.\n",
     "unstable_mental_disorder", None, None),
    # The clinicians' own wish to replace a failing system is no patient convenience (b123m-06).
    ("REHABILITATION MEDICINE 05/20/2025\nHer pump is seven years old; we believe the system is failing and would\n"
     "like to replace the pump and catheter together.\n", "replacement_for_convenience", None, None),
    # A rating of "it", the pain of the sentence before, and a worst beside the average (b124q-05,
    # b124d-06).
    ("PAIN CLINIC 06/18/2024\nThe pain is burning and constant. He rates it eight out of ten on average and ten at "
     "worst.\n", "intractable_pain", None, A),
    ("IDDS DATA SHEET 06/03/2024\nPAIN\n  NRS avg 8 / worst 10\n", "intractable_pain", None, A),
    # A personal care attendant is no patient-controlled analgesia (audit 52).
    ("PM&R SPASTICITY CLINIC 09/16/2024\nNon-drug: standing frame 30 min daily, ROM stretching BID (PCA + self), FES "
     "cycling 2x/wk - continuing; spasms still disabling.\n", "pharmacological_treatment", None, None),
    # A problem with the pump denied is the problem's denial, not the pump's (audit 52).
    ("PUMP CLINIC 05/02/2024\nNo pocket\n   pain or other problem w/ current pump - \"it's fine, I just want the\n"
     "   new one.\"\n", "device_in_place", None, A),
    # Batch 125 (fixed after its first sight was committed). A Yes whose own note names a relative
    # is the relative's (b125q-02, a false denial's class).
    ("PAYER FORM 06/18/2024\nQ11 Hx of substance use disorder / opioid addiction?                    Y  - see "
     "family hx, uncle\n", "opioid_addiction", None, FAM),
    # A dash opening the reason ends the denial before it (b125x-04).
    ("NSG NOTE 07/24/2024\nPump ITB, implanted 2017. Not an upgrade request - replacing due\nto battery ERI.\n",
     "impending_failure_alert", None, A),
    # A dated entry is its own sentence, not the wrapped end of the recommendation above (b125d-02).
    ("PSYCH SUMMARY 05/08/2024\n\nRECOMMENDATIONS / OUTCOME\n12/2023: CBT for pain recommended before implant "
     "consideration.\n05/2024: CBT-CP completed - 8 of 8 sessions (01/10-04/24/2024).\n", "cbt", None, A),
    # Audit 53: a trial log's "pre-injection" baseline row is no interventional injection; a
    # printout's account of what the pump does at EOS is no event; "from a PT standpoint" is the
    # therapist's reading of a test, no therapy denied.
    ("IT TRIAL 06/12/2024\ntime     NRS   sedation   RR   SpO2   comment\n0745     8         1            16    97%   "
     "baseline, pre-injection\n", "pain_injections", None, None),
    ("PUMP INTERROGATION 03/18/2024\nModel ............ SynchroMed II\nEOS action ........ pump will STOP infusing "
     "and sound critical alarm\n", "battery_end_of_life", None, None),
    ("PUMP INTERROGATION 03/18/2024\nModel ............ SynchroMed II\nEOS action ........ pump will STOP infusing "
     "and sound critical alarm\n", "impending_failure_alert", None, None),
    # Batch 126 (fixed after its first sight was committed). An indicator's projected date, the words
    # between bracketed, is years ahead (b126t-06, a false approval's class).
    ("PUMP INTERROGATION 06/24/2025\nBattery .................. OK      ERI date (projected) .... 04/2028\n",
     "impending_failure_alert", None, None),
    # Under-delivery weighed against a catheter problem wrapped onto the next line: suspected (b126t-06).
    ("PROGRESS NOTE 06/24/2025\nIDDS placed 08/2022.\nASSESSMENT\n1. Rising IT requirement + volume discrepancy on "
     "refill: DDx pump under-delivery (rotor) vs catheter\n   problem distal to CAP vs true disease progression. Not "
     "yet established which.\n", "device_malfunction", None, P),
    # A wish for the newer model answered with the one the surgeon stocks (b126d-02, a false denial's class).
    ("ITB CLINIC 04/26/2024\nS: Heard pump alarm early Fri AM 04/19, called us same day.\n   Tone fine. Bowel/bladder\n"
     "   at baseline. Asking \"can I get the new one with the phone app\" - told\n   replacement model is whatever the "
     "surgeon stocks; this is for the battery.\nO: Interrogation 04/22: ERI REACHED, pump otherwise normal, reservoir\n"
     "   within tolerance, no stall events.\n", "functional_device_upgrade", None, None),
    # A question wrapped over four lines, answered No on the last (b126q-05).
    ("PRIOR AUTH INTAKE 06/24/2024\n                                                          YES   NO   N/A\n"
     "8.  Any contraindication (stenosis w/ obstruction,\n    psychogenic pain, opioid addiction, SUD, unstable\n"
     "    psych illness/SI, allergy to drug, inadequate body\n    size, heparin/antibiotic infusion)                "
     "      [ ]   [X]  [ ]\n", "opioid_addiction", None, None),
    # ...and one cause among others a note weighs, "could be a" (b95x-06, after the dump).
    ("MS CLINIC 05/23/2024\nBaclofen pump since 2017.\nThis could be a pump or catheter problem leading to "
     "under-delivery, it could be that the pump is approaching end of battery life, or it could be a UTI.\n",
     "device_malfunction", None, P),
    # "Her estimate: likely 9 to 12 months" (b126m-01).
    ("SUPPORTIVE CARE 05/30/2024\nHer estimate: likely 9 to 12 months, possibly longer.\n", "life_expectancy", 9.0,
     A),
    # Batch 127 (fixed after its first sight was committed). A recall asked after and still to be
    # checked (b127x-06, a false approval's class).
    ("PAIN CLINIC 04/09/2024\nIDDS pump in place since 2021.\nRecall question: model SynchroFlow II 20 mL, serial NGV "
     "301177 K. Rep to check serial against\ncurrent advisories; nothing found on our end yet, not confirmed either "
     "way.\n", "device_recalled", None, None),
    # A battery the programmer could not read is still to be read (b127p-05, a false approval's class).
    ("ITB DEVICE CLINIC 02/20/2024\nDevice: programmable ITB pump, implanted 06/2017.\n  Battery status "
     "....................... UNABLE TO READ\n", "battery_end_of_life", None, HYPO),
    # A side effect of the first week, better now, is tolerated (b127d-06, a false approval's class).
    ("TONE CLINIC 04/08/2024\nCurrent baclofen tolerance: a bit sleepy the first week, better now per mom; no "
     "drooling, no new weakness\n", "oral_antispasmodic_not_tolerated", None, None),
    # "well beyond the next year" is a year and more (b124p-03).
    ("ONCOLOGY LETTER 08/28/2024\nHer oncologist, Dr. Feldstein, expects her to live well beyond the next year.\n",
     "life_expectancy", 12.0, A),
]


@pytest.mark.parametrize(COLUMNS, SESSION33_ROWS)
def test_pipeline_session33_rows(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


def test_a_decision_still_to_be_made_is_no_clearance(facts_for) -> None:
    """ "Determination regarding clearance ... will be made at that time" is to come, not a
    clearance of the past (b123l-04)."""
    text = ("PRE-IMPLANT PSYCHOLOGICAL EVALUATION (in progress)\nClinician: J. Abernathy, PhD\n"
            "Impression: deferred pending testing.\n"
            "Recommendations: complete testing; session 2 scheduled 06/27/2024. Determination regarding\n"
            "clearance and whether CBT for pain coping is recommended prior to trial will be made at that\ntime.\n")
    facts = facts_for(text, dt.date(2024, 6, 20))
    assert not [f for f in facts if f.name == "psych_clearance" and f.assertion in (A, HIST)]


def test_a_denial_put_as_a_condition_denies_nothing(facts_for) -> None:
    """ "dye study if interrogation normal" says nothing yet of the device (b124p-06)."""
    text = ("DEVICE CLINIC 07/01/2024\nPlan: in-clinic interrogation + alarm log review scheduled 07/22/2024; "
            "possible\ncatheter access port dye study if interrogation normal.\n")
    facts = facts_for(text, dt.date(2024, 7, 10))
    assert not [f for f in facts if f.name == "device_malfunction" and f.assertion is N]


def test_a_program_that_says_it_is_no_evaluation_denies_none(facts_for) -> None:
    """A skills group's "is not a pre-surgical psychological evaluation or clearance" speaks of
    itself: the evaluation is still to come elsewhere (b124x-04)."""
    facts = facts_for("CBT SKILLS GROUP - COMPLETION SUMMARY\nNote: this program is a skills group and is not a "
                      "pre-surgical psychological evaluation or clearance for any procedure.\n")
    assert not [f for f in facts if f.name == "psych_clearance" and f.assertion in (A, N)]


def test_a_baclofen_pump_implies_spasticity_it_does_not_state(facts_for) -> None:
    """ "Programmable ITB pump reached ERI" is cited for spasticity only where nothing names it
    (audit 52: a battery line given as the ground for ruling out cancer pain)."""
    facts = facts_for("DEVICE CLINIC 05/21/2024\n- Programmable ITB pump reached ERI 05/06/2024 (79 mo).\n")
    pump = [f for f in facts if f.name == "spasticity" and f.assertion is A]
    assert pump and all(f.implied for f in pump)


def test_two_kinds_weighed_leave_the_cause_open() -> None:
    """cause_open's " vs " follows a word ("low reservoir vs ERI"): written as a space led
    alternative it never matched under the guard that keeps a word from starting inside another.
    Two figures compared weigh no causes ("12.4 mL actual vs 12.6 mL expected")."""
    lexicons = load_rules().compiled_lexicons
    assert lexicons["cause_open"].search("Pump alarm: low reservoir vs ERI vs other.")
    assert not lexicons["cause_open"].search("Reservoir 12.4 mL actual vs 12.6 mL expected.")
    assert not lexicons["impairment"].search("independent")  # "dependent" still not inside a word


def test_the_step_a_clearance_is_for(facts_for) -> None:
    """A clearance for the trial and one deferred for the permanent implant carry their step."""
    facts = facts_for("PSYCHOLOGICAL EVALUATION 09/30/2024\nLucia Ferrante, PsyD\nRecommendations:\n1. Psychological "
                      "clearance for the intrathecal TRIAL is given.\n2. Clearance for PERMANENT implantation is "
                      "deferred. She should complete an 8-session course of CBT for chronic pain, after which I will "
                      "re-assess her.\n")
    stages = {(f.assertion, f.roles.get("stage")) for f in facts if f.name == "psych_clearance"}
    assert (A, "trial") in stages and (N, "permanent") in stages


def test_a_trial_logs_hours_are_no_pain_course(extractor) -> None:
    """A trial flowsheet's rows by the hour are the trial's, not the pain's current severity
    (audit 52: "12  19:55   7   16  96%   awake" cited for intractable pain)."""
    text = ("Observation flowsheet 03/26/2024\n\nhr  time   NRS  RR  SpO2  sedation  comment\n"
            "0   07:50   8   16  95%   awake     LBP + L leg\n1   08:55   7   16  95%   awake     -\n"
            "4   11:55   5   14  95%   awake     itch\n12  19:55   7   16  96%   awake     voided\n")
    facts = extractor.extract([Document.from_text("flowsheet.txt", text)], dt.date(2024, 4, 8))
    assert not [f for f in facts if f.rule_id == "pain.tracking_table"]


def test_a_hedge_denied_with_the_rest_hedges_nothing(facts_for) -> None:
    """ "No catheter problems - no loss of effect" denies the loss of effect that would only have
    suggested a failure: the denial stands (b125x-04)."""
    facts = facts_for("NSG NOTE 07/24/2024\nHPI: ITB pump since 06/2016. Spasms controlled. No catheter problems - no\n"
                      "loss of effect, no withdrawal sx, volumes correct.\n")
    found = {f.assertion for f in facts if f.name == "device_malfunction"}
    assert N in found and P not in found


def test_a_therapists_standpoint_denies_no_therapy(facts_for) -> None:
    """ "From a PT standpoint the screen is NEGATIVE" reads a test dose (audit 53)."""
    facts = facts_for("PT NOTE 06/12/2024\nFrom a PT standpoint the screen is NEGATIVE at 50 mcg.\n")
    assert not [f for f in facts if f.name == "physical_therapy" and f.assertion is N]


def test_a_dose_by_the_hour_in_micrograms_is_a_patch(facts_for) -> None:
    """ "Fentanyl up to 100 mcg/h -> sedation, myoclonus" is the patch's, not the intrathecal trial's
    (b127x-02, a false denial's class)."""
    facts = facts_for("PAIN CLINIC 05/29/2024\nIT morphine trial 05/14: 75% relief, tolerated well.\nPrior: oxyER up "
                      "to 40 q12 + oxyIR -> no relief. Fentanyl up to 100 mcg/h -> sedation, myoclonus.\n")
    effects = [f for f in facts
               if f.name == "trial_side_effects" and f.assertion is A and "mcg/h" in f.evidence[0].text]
    assert effects and all(f.roles.get("route") == "transdermal" for f in effects)

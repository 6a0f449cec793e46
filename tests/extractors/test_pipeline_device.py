"""ChartExtractor on the implanted pump: in place, malfunction and its workup, battery, recall,
alarms, and technology that must be upgraded.

Rows are how refill-clinic notes, interrogation reports and operative consults are written; a
row the extractor gets wrong is kept and marked xfail(strict) naming the gap.
"""

from __future__ import annotations

import pytest

from tests.extractors.rows import COLUMNS, HIST, A, N, P

DEVICE_IN_PLACE = [
    # Blind batch 15: a device list's line under its heading, with the implant date in its value.
    ("IMPLANTED DEVICES\n  Intrathecal pump: Medtronic SynchroMed II 8637-40, SN NGP448217H, implanted 03/12/2019",
     "device_in_place", None, A),
    # Blind batch 10: in passing, and a printout's implant date.
    ("Pain well controlled on IT pump (NRS 3), no oral opioids needed.", "device_in_place", None, A),
    ("IMPLANTED PUMP SERVICE REPORT\nDEVICE ............... SynchroMed II 8637-20\n"
     "IMPLANTED ............ 09/10/2024 (initial system)", "device_in_place", None, A),
    ("17 y/o with CP, on ITB since 02/2020 for generalized dystonia.", "device_in_place", None, A),
    ("ITB for mixed spastic-dystonic CP since Feb 2020.", "device_in_place", None, A),
    ("ITB trial planned for next month.", "device_in_place", None, None),
    ("Implanted SynchroMed II pump (2019) delivering morphine 2 mg/day.", "device_in_place", None, A),
    ("S/p intrathecal baclofen pump placement in 2017.", "device_in_place", None, A),
    ("Pump refill today: 20 mL of hydromorphone 10 mg/mL, next refill in 90 days.", "device_in_place", None, A),
    ("Her ITB pump was interrogated; reservoir volume 12 mL.", "device_in_place", None, A),
    ("Patient with an intrathecal morphine pump since 2016.", "device_in_place", None, A),
    ("Existing Medtronic pump in the LLQ, catheter tip at T10.", "device_in_place", None, A),
    ("IT pump placed 3/2014 for FBSS, Prialt and morphine.", "device_in_place", None, A),
    ("Post-op knee pain pump (On-Q) removed on POD 3.", "device_in_place", None, None),
    ("Shoulder pain pump with ropivacaine after arthroscopy.", "device_in_place", None, None),
    ("Omnipod insulin pump, basal 0.8 units/hr.", "device_in_place", None, None),
    ("Candidate for intrathecal pump implantation after a successful trial.", "device_in_place", None, None),
    ("Plan to implant a SynchroMed pump in December.", "device_in_place", None, None),
    ("Prometra pump explanted in 2023 for pocket infection; no device since.", "device_in_place", None, None),
    ("She does not have an intrathecal pump.", "device_in_place", None, None),
]

DEVICE_MALFUNCTION = [
    # What a plan averts, or a patient fears, has not happened.
    ("Pump replacement needed before EOS to avoid abrupt baclofen\n   withdrawal.", "device_malfunction", None, None),
    ("Situational anxiety about device failure, appropriate.", "device_malfunction", None, None),
    # Blind batch 22: a part that did not move is the failure; a field notice's failure mode is
    # no finding about this pump.
    ("Rotor marker did not advance on the 45-minute film after a programmed bolus, consistent with\n"
     "   rotor stall / pump mechanical failure.", "device_malfunction", None, A),
    ("PUMP CHECK\n2023 field notice re: pump motor stall - affected serial range per notice.", "device_malfunction",
     None, None),
    ("The pump did not stall.", "device_malfunction", None, N),
    # Blind batch 22: what a failure would do, or its consequences, is no failure.
    ("A motor stall would put him at risk of sudden loss of analgesia and opioid withdrawal.", "device_malfunction",
     None, None),
    ("Given the consequences of a motor stall in a cancer patient, I favor replacing the pump.", "device_malfunction",
     None, None),
    # Blind batch 20: "and none reaching ..." opens a clause; it denies nothing before it.
    ("Imaging today (CAP study): catheter fractured at L3-4 with contrast leaking into the paraspinal tissues "
     "and none reaching the intrathecal space.", "device_malfunction", None, A),
    # Blind batch 18: a recall letter's failure modes are every pump's; education is no event.
    ("URGENT: MEDICAL DEVICE RECALL (CORRECTION)\n"
     "The pump will sound a critical alarm (MOTOR STALL) if the gear wears.",
     "device_malfunction", None, None),
    ("PUMP INTERROGATION\nEducation provided on MOTOR STALL alarm tone.", "device_malfunction", None, None),
    # A leader cut to one dot under aligned values.
    ("EVENT LOG\n  Motor stall events ... 0\n  Motor stall recovery . 0", "device_malfunction", None, N),
    # Blind batch 15: a "failed" that names the pain's cause or the coming failure is no malfunction.
    ("We request to replace her intrathecal morphine pump for failed back surgery syndrome.",
     "device_malfunction", None, None),
    ("3d. Notification from the pump of impending failure? ............ Y", "device_malfunction", None, None),
    # Two keys on one printout line: each key is read by its own value.
    ("CRITICAL ALARM ...... NONE       MOTOR STALL .. NONE", "device_malfunction", None, N),
    # A differential names candidates; a failure mended years ago is past.
    ("Differential: catheter occlusion / microfracture or leak vs pump rotor problem.", "device_malfunction", None, P),
    ("ITB pump placed 08/2019, catheter revised 02/2022 for a fractured catheter.", "device_malfunction", None, HIST),
    # Blind batch 12: a standing order's condition, and a notice's failure mode.
    ("Meds: ITB baclofen 2000 mcg/mL; oral baclofen 10 TID PRN pump failure.", "device_malfunction", None, None),
    ("Arcadia has received reports of a low rate of permanent motor stall in a subset of pumps from the range above.",
     "device_malfunction", None, None),
    # Blind batch 9: a differential names candidates, not a finding.
    ("Impression: catheter tip granuloma vs catheter kink/migration vs pharmacologic tolerance.",
     "device_malfunction", None, None),
    ("Catheter malfunction confirmed on the dye study.", "device_malfunction", None, A),
    ("Pump interrogation showed a motor stall event on 9/12.", "device_malfunction", None, A),
    ("Catheter fracture at the anchor site seen on x-ray.", "device_malfunction", None, A),
    ("Symptoms of baclofen withdrawal with pruritus and rebound spasticity.", "device_malfunction", None, A),
    ("Loss of therapeutic effect despite dose increases; pump not delivering.", "device_malfunction", None, A),
    ("IT pump failed to deliver medication, rotor study abnormal.", "device_malfunction", None, A),
    ("Catheter kinked at the pump connector on fluoroscopy.", "device_malfunction", None, A),
    ("Pump functioning normally on interrogation.", "device_malfunction", None, N),
    ("No evidence of catheter kink or leak on CT myelogram.", "device_malfunction", None, N),
    ("Rule out pump malfunction; interrogation requested.", "device_malfunction", None, P),
    # A risk named is no failure, whatever mood it is in (audit 28).
    ("If the pump fails, she is at risk of baclofen withdrawal.", "device_malfunction", None, None),
    ("Knee pain pump catheter leaking at the insertion site.", "device_malfunction", None, None),
    ("Suspected catheter occlusion, unable to aspirate CSF from the side port.", "device_malfunction", None, P),
]

MALFUNCTION_DOCUMENTED = [
    # Blind batch 11: the failure's own "not" does not deny the study that shows it.
    ("Intrathecal catheter is not functioning: dry CAP aspiration and contrast extravasation at the L2 anchor.",
     "malfunction_documented", None, A),
    # Blind batch 10: a study's result under its own heading.
    ("ROTOR STUDY (fluoroscopy, 06/02/2025 15:05)\n  Rotor position at 30 min: UNCHANGED.\n"
     "  INTERPRETATION ...... ROTOR NOT ADVANCING - pump motor failure.", "malfunction_documented", None, A),
    ("Rotor study under fluoroscopy confirmed pump stall.", "malfunction_documented", None, A),
    ("CAP aspiration unsuccessful; contrast study showed catheter occlusion at L1.", "malfunction_documented", None, A),
    ("CT myelogram demonstrated catheter fracture with contrast leak.", "malfunction_documented", None, A),
    ("X-ray shows catheter disconnection at the pump connector.", "malfunction_documented", None, A),
    ("Pump log review showed a delivery discrepancy.", "malfunction_documented", None, A),
    (
        "Unable to aspirate CSF through the catheter access port, consistent with occlusion.",
        "malfunction_documented",
        None,
        A,
    ),
    (
        "Indium flow study confirmed no flow from the catheter tip; catheter obstruction.",
        "malfunction_documented",
        None,
        A,
    ),
    ("Suspected catheter kink; imaging not yet performed.", "malfunction_documented", None, N),
    ("Interrogation: no errors, pump functioning as expected.", "malfunction_documented", None, None),
    ("Suspect catheter malfunction; will obtain a dye study.", "malfunction_documented", None, None),
    ("Knee pain pump catheter dislodged, x-ray confirmed position.", "malfunction_documented", None, None),
]

BATTERY = [
    # Blind batch 21: "battery depletion" names what the ERI warns of; the pump still infuses.
    ("1. The pump is currently infusing as programmed with no delivery error; the issue is battery depletion.",
     "battery_end_of_life", None, None),
    ("Replacement is for battery depletion, not for a newer model.", "battery_end_of_life", None, None),
    ("INTERROGATION\nBattery depleted; pump has stopped infusing.", "battery_end_of_life", None, A),
    # Blind batch 18: depletion anticipated is not yet the end.
    ("ERI - battery depletion anticipated within months; needs elective pump exchange before end of service.",
     "battery_end_of_life", None, None),
    # Blind batch 12: what happens at end of service, said generally or as a condition.
    ("PUMP CHECK\nAt EOS the pump stops infusing.", "battery_end_of_life", None, None),
    ("NOTE: AT EOS THE PUMP STOPS INFUSING.", "battery_end_of_life", None, None),
    ("Device continues to infuse, but battery depletion to EOS is expected within ~3 months.",
     "battery_end_of_life", None, None),
    ("Abrupt cessation of intrathecal therapy at end of service would expose her to withdrawal; pump at ERI.",
     "battery_end_of_life", None, None),
    # Blind batches 10-11: the end of service still to come.
    ("Intrathecal baclofen pump at elective replacement indicator, battery end of service expected in about "
     "ninety days.", "battery_end_of_life", None, None),
    ("ERI alarm reviewed; the pump continues to infuse normally now but the battery will reach end of service in "
     "~3 months.", "battery_end_of_life", None, None),
    ("Interrogation: ERI reached, pump battery depleted.", "battery_end_of_life", None, A),
    ("SynchroMed pump at end of battery life; replacement scheduled.", "battery_end_of_life", None, A),
    # The elective replacement indicator (ERI) is the pump's warning before its battery is spent:
    # impending failure, not a pump that has stopped (issue 10, five blind annotators agreeing).
    ("Pump battery low, ERI alarm on interrogation.", "battery_end_of_life", None, None),
    ("Pump battery low, ERI alarm on interrogation.", "impending_failure_alert", None, A),
    ("Device reached its elective replacement indicator on 8/15/2025.", "battery_end_of_life", None, None),
    ("Device reached its elective replacement indicator on 8/15/2025.", "impending_failure_alert", None, A),
    ("Low battery alarm sounded last night; pump due for replacement.", "impending_failure_alert", None, A),
    ("Pump interrogation: EOL.", "battery_end_of_life", None, A),
    ("Battery 78% remaining on pump interrogation.", "battery_end_of_life", None, N),
    ("Pump interrogation: projected ERI 03/2029.", "battery_end_of_life", None, N),
    ("Pump battery expected to reach end of life in 7 years.", "battery_end_of_life", None, N),
    ("Pump interrogation, battery life: 4.5 years.", "battery_end_of_life", None, N),
    ("When the battery reaches ERI, the pump will need replacement.", "battery_end_of_life", None, None),
    ("Pump battery normally lasts about 7 years.", "battery_end_of_life", None, None),
]

RECALL = [
    # Blind batch 22: a printout's advisory line answered "none".
    ("PUMP STATUS\nACTIVE ADVISORIES (THIS SERIAL) .... NONE\n", "device_recalled", None, N),
    ("PUMP STATUS\nDevice advisory on file ............ NONE FOR THIS SERIAL NUMBER\n", "device_recalled", None, N),
    ("PUMP STATUS\n  Manufacturer advisory ..... None applicable to this serial number per Medtronic lookup "
     "12/16/2025\n", "device_recalled", None, N),
    ("3. Manufacturer advisory lookup (09/30/2025): no active recall or field safety notice applies to this "
     "model/serial.", "device_recalled", None, N),
    # Blind batch 22: a notice's recall "affecting a limited population" names no one pump.
    ("Halcyon Infusion Systems is notifying you of a voluntary recall affecting a limited population of HX-20 "
     "and HX-40 pumps.", "device_recalled", None, None),
    # Blind batch 21: a printout's answers about one advisory are read together; a leader between
    # the serial and its answer; "no active advisory for this serial".
    ("MANUFACTURER ADVISORY CHECK\n"
     "Advisory ................ Veridan Field Safety Notice FSN-2025-03 (Class II recall)\n"
     "Affected serial range ... VIT20-0100000 through VIT20-0149999\nThis device (VIT20-0162381) ... NOT AFFECTED\n",
     "device_recalled", None, None),
    ("MANUFACTURER ADVISORY CHECK\n  Serial NGP218774H .................... NOT within the affected range of any open "
     "advisory\n", "device_recalled", None, N),
    ("RECALL CHECK\nNo active manufacturer advisory for this serial.", "device_recalled", None, N),
    # Evidence audit 5: a recall named to deny it is no recall.
    ("PUMP CHECK\n- Recall/advisory check: serial not included in any current manufacturer advisory",
     "device_recalled", None, N),
    ("Medtronic SynchroMed II is under an FDA Class I recall for motor stall.", "device_recalled", None, A),
    ("Patient's pump model was recalled by the manufacturer in 2024.", "device_recalled", None, A),
    ("Pump subject to manufacturer recall; replacement recommended.", "device_recalled", None, A),
    ("Recall notice received for her catheter access port.", "device_recalled", None, A),
    ("Pump affected by the 2022 Medtronic recall.", "device_recalled", None, A),
    ("No recall affecting this pump model.", "device_recalled", None, N),
    ("Checked the FDA database: pump not recalled.", "device_recalled", None, N),
    ("Pump is not on any recall list.", "device_recalled", None, N),
    ("He cannot recall the date of his last pump refill.", "device_recalled", None, None),
    ("She recalls the pump alarm going off twice last week.", "device_recalled", None, None),
]

ALARM = [
    # A denied motor-stall alarm denies a stall, not the battery's warning.
    ("The pump is working normally, there have been no motor stall\nalarms, and she has had no withdrawal.",
     "impending_failure_alert", None, None),
    # Blind batch 22: a one-dot leader in a printout; months to the replacement warning.
    ("PUMP INTERROGATION\nALARM / EVENT LOG (LAST 12 MONTHS) . NO EVENTS RECORDED\n", "impending_failure_alert",
     None, N),
    ("PUMP INTERROGATION\nEST. MONTHS TO ERI ................. 71\n", "impending_failure_alert", None, N),
    ("Battery fine; ERI in 4.5 years.", "impending_failure_alert", None, N),
    # Blind batch 21: the running down of the pump's battery is its warning of failure.
    ("The pump is currently infusing as programmed; the issue is battery depletion.", "impending_failure_alert",
     None, A),
    # Blind batch 15: an alarm of no named kind is an open question; named, it is the notice.
    ("Mother reports the pump started beeping last night around 10 pm.", "impending_failure_alert", None, P),
    ("Assessment: ITB pump for spasticity, now alarming.", "impending_failure_alert", None, P),
    ("Concern for a pump problem; alarm type not yet confirmed.", "impending_failure_alert", None, P),
    ("Unable to say if one tone or two tones; it just beeps.", "impending_failure_alert", None, None),
    ("The pump alarmed overnight: low battery.", "impending_failure_alert", None, A),
    # A projection of the indicator is not the indicator.
    ("PUMP INTERROGATION\nERI ...................... Not reached - est. 2.1 yrs to ERI",
     "impending_failure_alert", None, N),
    ("PUMP INTERROGATION\nERI PROJECTED .............. 03/2031", "impending_failure_alert", None, None),
    # Blind batch 13: a lay report its teller is unsure of.
    ("Marguerite reports that around Christmas, she thinks it was the twenty-third, the pump \"beeped\" several "
     "times in the night, she is not sure how many.", "impending_failure_alert", None, None),
    # Blind batch 11: a printout's value that denies what its key names.
    ("ALARM LOG ...................... No device alarms recorded since last refill (09/24/2024)",
     "impending_failure_alert", None, N),
    # Blind batch 9: the indicator named, then its absence, in a printout's value.
    ("BATTERY ................ OK - ERI not reached (est. 29 months)", "impending_failure_alert", None, None),
    ("Battery check: ERI not yet reached.", "impending_failure_alert", None, None),
    ("NURSING NOTE - DEVICE NOTIFICATION", "impending_failure_alert", None, None),
    ("Pump alarm: impending motor failure notification at interrogation.", "impending_failure_alert", None, A),
    ("Pump alarming with a critical motor stall alert.", "impending_failure_alert", None, A),
    ("Non-critical alarm: ERI reached on the pump.", "impending_failure_alert", None, A),
    ("Pump beeping per patient; interrogation shows a critical alarm.", "impending_failure_alert", None, A),
    ("Device warning on interrogation: catheter access port error code.", "impending_failure_alert", None, A),
    # How it sounded is not its kind: possible until the pump is read (b95p-06).
    ("Pump sounded a two-tone alarm overnight.", "impending_failure_alert", None, P),
    ("No alarms on interrogation of the pump.", "impending_failure_alert", None, N),
    ("Pump interrogation: no errors or alerts.", "impending_failure_alert", None, N),
    ("Low reservoir alarm; pump refill performed today.", "impending_failure_alert", None, None),
    ("Pump refill due 11/1; refill alarm date set.", "impending_failure_alert", None, None),
    ("Patient education: the pump will alarm if the battery nears end of life.", "impending_failure_alert", None, None),
    ("Alert and oriented x3; IT pump palpable in the LLQ.", "impending_failure_alert", None, None),
]

UPGRADE = [
    # Blind batch 21: the model named is the device; an exchange without medical need needs no upgrade.
    ("Manufacturer representative contacted: current model remains supported; no advisory applies to this serial.",
     "upgrade_required", None, N),
    ("Pt asks about newer model. Informed current model remains manufacturer-supported.", "upgrade_required", None, N),
    ("Pump functioning normally. Current device is fully functional; exchange is elective at patient request.",
     "upgrade_required", None, N),
    # Blind batch 18: current firmware needs nothing.
    ("PUMP FIRMWARE .......... 4.2.1  -- current release, no update required", "upgrade_required", None, N),
    # Blind batch 16: the same model again forces nothing new.
    ("- Will request replacement with an unaffected PRISM-IT 40, same model and same programming;",
     "upgrade_required", None, N),
    ("Pump model no longer supported by the manufacturer; upgrade required.", "upgrade_required", None, A),
    (
        "IsoMed constant-flow pump cannot be programmed; needs an upgrade to a programmable pump.",
        "upgrade_required",
        None,
        A,
    ),
    ("Clinician programmer no longer compatible with the implanted device.", "upgrade_required", None, A),
    ("The existing pump is obsolete and cannot be serviced.", "upgrade_required", None, A),
    (
        "Catheter access port design discontinued by the manufacturer; device requires replacement.",
        "upgrade_required",
        None,
        A,
    ),
    ("Device is not compatible with the new clinician programmer.", "upgrade_required", None, A),
    ("MRI-incompatible pump; she now needs serial MRI for tumor surveillance.", "upgrade_required", None, A),
    ("No upgrade needed; current pump functioning well.", "upgrade_required", None, None),
    ("Pump is compatible with 1.5T MRI.", "upgrade_required", None, None),
    ("Patient wants a newer pump with a smaller profile.", "upgrade_required", None, None),
]


@pytest.mark.parametrize(COLUMNS, DEVICE_IN_PLACE)
def test_pipeline_device_in_place(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, DEVICE_MALFUNCTION)
def test_pipeline_device_malfunction(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, MALFUNCTION_DOCUMENTED)
def test_pipeline_malfunction_documented(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, BATTERY)
def test_pipeline_battery_end_of_life(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, RECALL)
def test_pipeline_device_recalled(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, ALARM)
def test_pipeline_impending_failure_alert(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)


@pytest.mark.parametrize(COLUMNS, UPGRADE)
def test_pipeline_upgrade_required(expect_row, text, fact, value, assertion):
    expect_row(text, fact, value, assertion)

"""Attribution (issue 10, error class 4): which treatment, purpose and time a finding belongs to.

Each row runs the real pipeline and names the role the fact must carry (None: the chart does
not say, so the role is absent). Rows are the shapes seen in blind packets: a tone drop after
botulinum toxin, a dose cut on a systemic opioid, a pre-operative antibiotic, a stopped drug.
"""

from __future__ import annotations

import pytest

from rules.guideline import load_guideline

ROWS = [
    # A tone drop belongs to the treatment beside it.
    ("R UE: elbow flexor MAS 2 -> 1 four weeks after botulinum toxin (08/2025).",
     "ashworth_drop", "route", "intramuscular"),
    ("- Last BoNT 06/2025: R hamstrings MAS 3->2 at 6 wk post-injection, back to 3 by 12 wk",
     "ashworth_drop", "route", "intramuscular"),
    ("She had Botox to both calves in May, and her tone came down by one point on the Ashworth scale.",
     "ashworth_drop", "route", "intramuscular"),
    ("Baclofen 50 mcg IT bolus: MAS 3 -> 1+ in the hip adductors at 4 hours.", "ashworth_drop", "route", "intrathecal"),
    ("Prior botox gave little; after the intrathecal baclofen test dose MAS fell from 3 to 1.",
     "ashworth_drop", "route", "intrathecal"),
    ("Modified Ashworth 3 -> 1 in both hip adductors at 4 hours.", "ashworth_drop", "route", None),
    # Blind batch 14: "with" naming the means right before the treatment.
    ("She has had a one-point improvement in hip adductor Ashworth scores with botulinum toxin chemodenervation.",
     "ashworth_drop", "route", "intramuscular"),
    # A percentage of a systemic drug's dose is not the trial's relief.
    ("Intrathecal trial: SC hydromorphone basal reduced by 50% at the time of injection.",
     "trial_relief_percent", "route", "subcutaneous"),
    ("Intrathecal morphine trial: 70% reduction in pain.", "trial_relief_percent", "route", "intrathecal"),
    # A drug stopped, and by which route.
    ("Tizanidine 4 mg PO TID was stopped after 7 weeks for somnolence.",
     "oral_antispasmodic_not_tolerated", "route", "oral"),
    ("Tizanidine 4 mg PO TID was stopped after 7 weeks for somnolence.",
     "oral_antispasmodic_not_tolerated", "timing", "stopped"),
    # Batch 82 (b82p-01): a plural abbreviation names its procedure too, under a trial's title.
    ("INTRATHECAL TRIAL REQUEST\n- Two L L5 TFESIs (04/2024, 07/2024), ~20% relief lasting under 2 weeks each time.",
     "pain_injections", "route", "interventional"),
]


@pytest.mark.parametrize(("text", "fact", "role", "value"), ROWS)
def test_attribution_role(facts_for, text, fact, role, value):
    found = [f for f in facts_for(text) if f.name == fact]
    assert found, f"no {fact} read from {text!r}"
    assert {f.roles.get(role) for f in found} == {value}


def test_attribution_subject_of_a_relatives_finding(facts_for):
    found = [f for f in facts_for("Family history: brother with opioid use disorder.") if f.name == "opioid_addiction"]
    assert found and all(f.roles["subject"] == "relative" for f in found)


@pytest.mark.parametrize(("fact", "roles", "refused"), [
    ("ashworth_drop", {"route": "intramuscular"}, ("route", "intramuscular")),
    ("ashworth_drop", {"route": "intrathecal"}, None),
    ("trial_relief_percent", {"route": "oral"}, ("route", "oral")),
    ("oral_antispasmodic_failed", {"route": "intrathecal"}, ("route", "intrathecal")),
    ("heparin_or_antibiotic_infusion", {"route": "intravenous"}, ("route", "intravenous")),
    ("heparin_or_antibiotic_infusion",
     {"route": "intrathecal", "purpose": "peri_operative"}, ("purpose", "peri_operative")),
    ("malignancy", {"route": "oral"}, None),
    # Evidence audit 5: a spasticity drug is no pain medication tried; a pump's drug is no conservative care.
    ("pharmacological_treatment", {"route": "oral", "purpose": "spasticity"}, ("purpose", "spasticity")),
    ("pharmacological_treatment", {"route": "intrathecal"}, ("route", "intrathecal")),
    ("pharmacological_treatment", {"route": "oral", "purpose": "pain"}, None),
])
def test_guideline_facts_ask_for_their_roles(fact, roles, refused):
    """The guideline data says which roles each fact accepts; the extractor only reads them."""
    assert load_guideline().facts[fact].refuses(roles) == refused


@pytest.mark.parametrize(("text", "role", "value"), [
    ("Device: interrogated and refilled (20 mL morphine PF 10 mg/mL), no dose change.", "route", "intrathecal"),
    ("Infusate (unchanged since 2022): morphine 12 mg/mL + bupivacaine 10 mg/mL.", "route", "intrathecal"),
    ("Planned drug(s): hydromorphone + bupivacaine", "timing", "plan"),
])
def test_attribution_of_pharmacological_treatment(facts_for, text, role, value):
    """The pump's infusate and a planned drug are not conservative medication already taken."""
    found = [f for f in facts_for(text) if f.name == "pharmacological_treatment"]
    assert found and {f.roles.get(role) for f in found} == {value}
    assert all(load_guideline().facts["pharmacological_treatment"].refuses(f.roles) for f in found)


@pytest.mark.parametrize(("text", "fact", "role", "value"), [
    # A rescue opioid's reduction during a trial is the oral drug's, not the trial's relief.
    ("Breakthrough oxycodone use decreased by 50% during the IT trial.", "trial_relief_percent", "route", "oral"),
    # A focal injection's good response is the injection's.
    ("Good response to botulinum toxin: spasms controlled in the injected wrist flexors.",
     "noninvasive_methods_control", "route", "intramuscular"),
    # The component a device finding is about.
    ("Rotor study: rotor stall confirmed, the pump is not delivering.", "device_malfunction", "component", "pump"),
    ("Intrathecal catheter disconnection at the lumbar anchor.", "device_malfunction", "component", "catheter"),
    # Blind batch 9: a part under a block labelled with another device is that device's.
    ("IMPLANTED DEVICES\n\n[2] SPINAL CORD STIMULATOR IPG  (LEGACY - THERAPY OFF)\n"
     "    MODEL .............. Corvant PrimeStim 16\n    STATUS ............. Device non-functional; leads capped.",
     "device_malfunction", "component", "other_device"),
    ("[1] INTRATHECAL DRUG PUMP  (ACTIVE THERAPY)\n    STATUS ............. Device non-functional, no flow.",
     "device_malfunction", "component", "pump"),
    # Blind batch 17: the toxin named in the list item's earlier sentence owns its recheck.
    ("- Chemodenervation: abobotulinumtoxinA (Dysport) 500 units to bilateral gastrocnemius-soleus\n"
     "  08/06/2024. At 4-week recheck MAS ankle plantarflexors improved 3 -> 1 bilaterally.",
     "ashworth_drop", "route", "intramuscular"),
    # Evidence audit 5: an oral antispasmodic names its purpose.
    ("Tizanidine was added this spring and had to be stopped because of low blood pressure.",
     "pharmacological_treatment", "purpose", "spasticity"),
    # Evidence audit 5: a pump printout's drug lines are the intrathecal drug's.
    ("DRUG / PRESCRIPTION\n  Daily dose ................. morphine 3.2 mg/day, bupivacaine 1.28 mg/day",
     "pharmacological_treatment", "route", "intrathecal"),
    ("  Drug ....................... Hydromorphone 10 mg/mL", "pharmacological_treatment", "route", "intrathecal"),
    # Blind batch 15: a Roman numeral after a scale is no intravenous route.
    ("HPI: 11-year-old with spastic quadriplegic CP (GMFCS IV) on intrathecal baclofen since 2019.",
     "spasticity", "route", "intrathecal"),
])
def test_attribution_more_roles(facts_for, text, fact, role, value):
    found = [f for f in facts_for(text) if f.name == fact]
    assert found and {f.roles.get(role) for f in found} == {value}


@pytest.mark.parametrize(("text", "fact", "refused"), [
    # A trial's lumbar puncture or a focal botulinum toxin is no interventional pain injection.
    ("INTRATHECAL TRIAL NOTE\nBaseline pain 9/10 before the injection.", "pain_injections", True),
    ("- Right lumbar sympathetic blocks x3 (11/2023, 12/2023): relief for under 48 hours each.", "pain_injections",
     False),
    # A drug held for a procedure is no conservative treatment.
    ("Oral oxycodone held AM of procedure.", "pharmacological_treatment", True),
])
def test_attribution_conservative_care(facts_for, text, fact, refused):
    found = [f for f in facts_for(text) if f.name == fact]
    assert found
    assert all(bool(load_guideline().facts[fact].refuses(f.roles)) is refused for f in found)


def test_attribution_a_cue_past_with_names_something_else(facts_for):
    """"38% pain reduction with halving of breakthrough opioid use": the relief is the trial's."""
    text = "INTRATHECAL TRIAL FOLLOW-UP\nTrial showed about 38% pain reduction with halving of breakthrough opioid use."
    found = [f for f in facts_for(text) if f.name == "trial_relief_percent"]
    assert found and all(f.roles.get("route") != "oral" for f in found)


def test_attribution_a_tone_drop_at_a_casting_check_is_the_cast_s(facts_for):
    text = "At the 10/03/2024 casting check, L gastrocsoleus MAS improved from 4 to 2 and R from 4 to 3."
    found = [f for f in facts_for(text) if f.name == "ashworth_drop"]
    assert found and all(load_guideline().facts["ashworth_drop"].refuses(f.roles) for f in found)

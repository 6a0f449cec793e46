"""What a fact quotes, from evidence audits: a quote must support its finding by itself.

Rows come from quotes helpers labelled neutral on blind batches (audit 15 and earlier): a run-in
title cited alone, a form's title, options a form left blank, and indirect readings (a mild
screening score, foraminal narrowing, an allergy to something else) cited where a direct
statement was there to quote.
"""

from __future__ import annotations

import pytest

from extractors.facts import Assertion
from tests.extractors.conftest import FactsFor, row_passes


def test_a_run_in_title_is_quoted_with_the_sentence_it_opens(facts_for: FactsFor) -> None:
    text = ("Subjective. She comes back two weeks after the baclofen screening test to talk over the pump.\n\n"
            "Pressure injury. The left ischial wound was seen by the wound clinic on the twentieth, clean "
            "granulation, no undermining. She is doing pressure relief every thirty minutes.\n")
    quotes = [ev.text for f in facts_for(text) if f.name == "spasticity_complication_risk" for ev in f.evidence]
    assert quotes, "the run-in title still names the finding"
    assert all(q != "Pressure injury." for q in quotes), quotes
    assert any(q.startswith("Pressure injury. The left ischial wound") for q in quotes), quotes


BLANK_OPTIONS = (
    "4. Mark the reason(s) for replacement:\n"
    "      __ Pump not functioning - attach interrogation/imaging/flow study\n"
    "      __ Manufacturer recall\n"
    "      XX Pump notification of impending failure (ERI / low battery alarm)\n"
    "      __ Technology upgrade required\n"
    "      __ Other: ________________________________\n"
)


@pytest.mark.parametrize(("fact", "assertion"), [
    # "Pump not functioning" left blank is no malfunction, nor is its "not" a denial of recall.
    pytest.param("device_malfunction", None, id="blank option is no malfunction"),
    pytest.param("device_recalled", Assertion.NEGATED, id="blank option is no recall denial"),
    pytest.param("upgrade_required", None, id="blank option is no upgrade"),
])
def test_options_a_typed_form_left_blank_say_nothing(facts_for: FactsFor, fact: str,
                                                     assertion: Assertion | None) -> None:
    facts = facts_for(BLANK_OPTIONS)
    if assertion is None:
        assert row_passes(facts, fact, None, None)
    else:
        assert not row_passes(facts, fact, None, assertion), [f.evidence[0].text for f in facts if f.name == fact]


def test_a_typed_forms_ticked_option_is_read(facts_for: FactsFor) -> None:
    facts = facts_for(BLANK_OPTIONS)
    assert row_passes(facts, "impending_failure_alert", None, Assertion.AFFIRMED), sorted({f.name for f in facts})


@pytest.mark.parametrize(("text", "fact", "implied"), [
    # A screening score's band is a reading by inference; "stable" says it.
    ("GAD-7 ............................ 8 (mild)\n", "unstable_mental_disorder", True),
    ("Depression: stable on sertraline, no suicidal ideation.\n", "unstable_mental_disorder", False),
    # Narrowing at the foramina is not the canal; "No central canal stenosis" is.
    ("L4-L5: mild disc bulge and facet hypertrophy with mild bilateral foraminal narrowing.\n",
     "spinal_stenosis_obstruction", True),
    ("The central canal is patent at every level.\n", "spinal_stenosis_obstruction", False),
    # Disease inside the dura is the sac's by inference.
    ("No abnormal intradural or leptomeningeal enhancement.\n", "thecal_sac_tumor_encroachment", True),
    # An allergy list naming other drugs denies the analgesic allergy by inference only.
    ("ALLERGIES: ACE inhibitors (angioedema) -- TRUE ALLERGY.\n", "analgesic_allergy", True),
    # A printout's implant date shows a device and nothing of what it treats.
    ("PUMP INTERROGATION\nIMPLANT DATE ................ 05/16/2017\n", "device_in_place", True),
    ("Baclofen pump implanted 05/2017 for spastic quadriplegia.\n", "device_in_place", False),
    # The syndrome's name implies a failed surgery; a sentence telling the failure states it.
    ("As a reminder she has failed back surgery syndrome.\n", "targeted_treatment_failed", True),
    ("Her L4-5 fusion in 2019 failed to relieve the leg pain.\n", "targeted_treatment_failed", False),
    # Evidence audit 18: a drug named without how it went shows a course only by inference; the
    # conservative course's failure is stated where the drug's outcome is.
    ("- Meds: meloxicam, duloxetine, tizanidine -- see med list\n", "pharmacological_treatment", True),
    ("Pregabalin 150 mg twice daily, no sedation.\n", "pharmacological_treatment", True),
    ("Gabapentin was titrated to 3600 mg/d and stopped for dizziness.\n", "pharmacological_treatment", False),
    ("Duloxetine 60 mg daily for two years gave no meaningful relief.\n", "pharmacological_treatment", False),
])
def test_indirect_readings_are_cited_only_where_nothing_states_them(facts_for: FactsFor, text: str, fact: str,
                                                                    implied: bool) -> None:
    named = [f for f in facts_for(text) if f.name == fact and f.assertion in (Assertion.NEGATED, Assertion.AFFIRMED)]
    assert named, f"no reading of {fact}"
    assert {f.implied for f in named} == {implied}, [(f.rule_id, f.implied) for f in named]


@pytest.mark.parametrize("text", [
    pytest.param("Psychogenic pain and somatic symptom disorder\nNeither is supported. Her pain is explained by a "
                 "well-documented complex regional pain syndrome of the right leg.\n", id="sentence-case title"),
])
def test_a_title_over_its_paragraph_is_no_finding(facts_for: FactsFor, text: str) -> None:
    facts = facts_for("Thank you for asking me to see her again.\n\n" + text)
    assert row_passes(facts, "psychogenic_pain", None, None), \
        [(f.rule_id, f.evidence[0].text) for f in facts if f.name == "psychogenic_pain"]


@pytest.mark.parametrize("text", [
    pytest.param("Severe spasticity of both legs. Diazepam at bedtime leaves her groggy and unsafe for morning "
                 "transfers.\n", id="sedation"),
    pytest.param("Spastic diplegia. Tizanidine 2 mg TID added 01/2024 -- orthostatic hypotension (BP 78/46 sitting up "
                 "in PT, near-syncope x2); stopped 02/2024.\n", id="orthostatic hypotension"),
])
def test_a_drugs_side_effect_on_function_is_not_the_spasticitys(facts_for: FactsFor, text: str) -> None:
    quotes = [f.evidence[0].text for f in facts_for(text)
              if f.name == "spasticity_impairs_function" and f.assertion is Assertion.AFFIRMED]
    assert not any("Diazepam" in q or "Tizanidine" in q for q in quotes), quotes
